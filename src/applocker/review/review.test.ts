import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  conditionCovers,
  findingCounts,
  pathPatternCovers,
  pathPatternMatches,
  reviewPolicy,
  type Finding,
} from './index'
import { addDefaultRules, defaultRules } from '../defaults'
import { setEnforcementMode, setExtensions, updateRule } from '../ops'
import {
  COLLECTION_TYPES,
  emptyPolicy,
  type CollectionType,
  type EnforcementMode,
  type Policy,
  type Rule,
} from '../policy'
import { readPolicy } from '../xml/read'

let n = 0
const id = () => `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`

function path(p: string, extra: Partial<Rule> = {}): Rule {
  return {
    kind: 'path',
    id: id(),
    name: p,
    description: '',
    userOrGroupSid: 'S-1-1-0',
    action: 'Allow',
    condition: { kind: 'path', path: p },
    exceptions: [],
    ...extra,
  } as Rule
}
function pub(
  publisherName: string,
  productName = '*',
  binaryName = '*',
  low = '*',
  high = '*',
  extra: Partial<Rule> = {},
): Rule {
  return {
    kind: 'publisher',
    id: id(),
    name: `${binaryName} ${productName}`,
    description: '',
    userOrGroupSid: 'S-1-1-0',
    action: 'Allow',
    condition: { kind: 'publisher', publisherName, productName, binaryName, versionRange: { low, high } },
    exceptions: [],
    ...extra,
  } as Rule
}
const admin = () => path('*', { userOrGroupSid: 'S-1-5-32-544' })

function policy(
  type: CollectionType,
  mode: EnforcementMode,
  rules: Rule[],
  more: Policy['collections'] = [],
): Policy {
  return { version: '1', collections: [{ type, enforcementMode: mode, rules }, ...more] }
}
/** An Exe policy that is otherwise clean (admin rule, Appx defaults). */
function exe(rules: Rule[], mode: EnforcementMode = 'AuditOnly'): Policy {
  return policy(
    'Exe',
    mode,
    [admin(), ...rules],
    [{ type: 'Appx', enforcementMode: 'AuditOnly', rules: defaultRules('Appx') }],
  )
}
const codes = (fs: Finding[]) => fs.map((f) => f.code)
const only = (fs: Finding[], code: string) => fs.filter((f) => f.code === code)

function corpus(name: string): Policy {
  const bytes = readFileSync(fileURLToPath(new URL(`../__fixtures__/corpus/${name}`, import.meta.url)))
  return readPolicy(new Uint8Array(bytes)).value!
}

describe('path matching helpers', () => {
  it('expands AppLocker variables and matches case-insensitively', () => {
    expect(pathPatternMatches('%WINDIR%\\*', '%SYSTEM32%\\Tasks\\x.exe')).toBe(true)
    expect(pathPatternMatches('%windir%\\system32\\*', '%SYSTEM32%\\x.exe')).toBe(true)
    expect(pathPatternMatches('C:\\Windows\\*', '%WINDIR%\\Temp\\x.exe')).toBe(true)
    expect(pathPatternMatches('%PROGRAMFILES%\\*', '%WINDIR%\\x.exe')).toBe(false)
    expect(pathPatternCovers('%WINDIR%\\*', '%WINDIR%\\Temp\\*')).toBe(true)
    expect(pathPatternCovers('%WINDIR%\\Temp\\*', '%WINDIR%\\*')).toBe(false)
    expect(pathPatternCovers('*.exe', '%OSDRIVE%\\Tools\\*.exe')).toBe(true)
  })

  it('covers publisher conditions by field and version range', () => {
    const c = (p: string, prod: string, bin: string, low: string, high: string) =>
      ({
        kind: 'publisher',
        publisherName: p,
        productName: prod,
        binaryName: bin,
        versionRange: { low, high },
      }) as const
    expect(conditionCovers(c('O=A', '*', '*', '*', '*'), c('O=A', 'P', 'B.EXE', '1.0.0.0', '2.0.0.0'))).toBe(
      true,
    )
    expect(
      conditionCovers(c('O=A', '*', '*', '1.5.0.0', '*'), c('O=A', 'P', 'B.EXE', '1.0.0.0', '2.0.0.0')),
    ).toBe(false)
    expect(conditionCovers(c('O=A', 'P', '*', '*', '*'), c('O=B', 'P', '*', '*', '*'))).toBe(false)
    expect(conditionCovers({ kind: 'path', path: '*' }, c('O=B', 'P', '*', '*', '*'))).toBe(true)
  })
})

describe('reviewPolicy checks', () => {
  it('user-writable-path: %WINDIR%\\* without exceptions; not with exceptions or a Deny', () => {
    const f = only(reviewPolicy(exe([path('%WINDIR%\\*')])), 'user-writable-path')
    expect(f).toHaveLength(1)
    expect(f[0].message).toContain('%WINDIR%\\Temp')
    expect(f[0].severity).toBe('warning')
    const nsa = corpus('nsacyber-windows11-starter.xml')
    const nsaMsgs = only(reviewPolicy(nsa), 'user-writable-path')
      .map((x) => x.message)
      .join('\n')
    expect(nsaMsgs).not.toContain('%WINDIR%\\Temp,')
    expect(nsaMsgs).not.toContain('%WINDIR%\\Tasks,')
    // Program Files has no listed writable folder; admin rules are not reported.
    expect(only(reviewPolicy(exe([path('%PROGRAMFILES%\\*')])), 'user-writable-path')).toEqual([])
    const everyFolderDenied = exe([
      path('%OSDRIVE%\\Users\\*'),
      path('%OSDRIVE%\\Users\\*', { action: 'Deny', userOrGroupSid: 'S-1-5-32-545' }),
    ])
    expect(only(reviewPolicy(everyFolderDenied), 'user-writable-path')).toEqual([])
  })

  it('user-writable-path: a leading-wildcard file rule matches in writable folders', () => {
    const f = only(reviewPolicy(exe([path('*\\chrome.exe')])), 'user-writable-path')
    expect(f).toHaveLength(1)
    expect(f[0].details).toContain('%OSDRIVE%\\Users\\someone\\Downloads')
  })

  it('bypass-binary-allowed: broad Allow without Deny rules; none once they are denied', () => {
    const f = only(
      reviewPolicy(exe([path('%WINDIR%\\*', { exceptions: [{ kind: 'path', path: '%WINDIR%\\Temp\\*' }] })])),
      'bypass-binary-allowed',
    )
    expect(f).toHaveLength(1)
    expect(f[0].details).toEqual(expect.arrayContaining(['mshta.exe', 'MSBuild.exe', 'regsvr32.exe']))
    const denyAll = [
      'MSHTA.EXE',
      'REGSVR32.EXE',
      'RUNDLL32.EXE',
      'CSCRIPT.EXE',
      'WSCRIPT.EXE',
      'INSTALLUTIL.EXE',
      'MSBUILD.EXE',
      'REGASM.EXE',
      'REGSVCS.EXE',
      'MICROSOFT.WORKFLOW.COMPILER.EXE',
      'ASPNET_COMPILER.EXE',
      'ADDINPROCESS.EXE',
      'ADDINPROCESS32.EXE',
      'ADDINUTIL.EXE',
      'IEEXEC.EXE',
      'PRESENTATIONHOST.EXE',
      'CMSTP.EXE',
      'WMIC.EXE',
      'INFDEFAULTINSTALL.EXE',
      'BASH.EXE',
      'WSL.EXE',
      'RUNSCRIPTHELPER.EXE',
    ].map((b) =>
      pub('O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', '*', b, '*', '*', { action: 'Deny' }),
    )
    expect(only(reviewPolicy(exe([path('%WINDIR%\\*'), ...denyAll])), 'bypass-binary-allowed')).toEqual([])
  })

  it('bypass-binary-rule: an Allow naming mshta.exe; not for administrators', () => {
    expect(codes(reviewPolicy(exe([path('%SYSTEM32%\\mshta.exe')])))).toContain('bypass-binary-rule')
    expect(codes(reviewPolicy(exe([pub('O=MICROSOFT CORPORATION', '*', 'MSBUILD.EXE')])))).toContain(
      'bypass-binary-rule',
    )
    expect(
      codes(reviewPolicy(exe([path('%SYSTEM32%\\mshta.exe', { userOrGroupSid: 'S-1-5-32-544' })]))),
    ).not.toContain('bypass-binary-rule')
  })

  it('exe-no-admin-rule: enforced Exe without an Administrators rule is an error; audit is not', () => {
    const p = policy(
      'Exe',
      'Enabled',
      [path('%PROGRAMFILES%\\*')],
      [{ type: 'Appx', enforcementMode: 'Enabled', rules: defaultRules('Appx') }],
    )
    const f = only(reviewPolicy(p), 'exe-no-admin-rule')
    expect(f).toHaveLength(1)
    expect(f[0].severity).toBe('error')
    expect(
      only(
        reviewPolicy({ ...p, collections: [{ ...p.collections[0], enforcementMode: 'AuditOnly' }] }),
        'exe-no-admin-rule',
      ),
    ).toEqual([])
    expect(only(reviewPolicy(exe([path('%PROGRAMFILES%\\*')], 'Enabled')), 'exe-no-admin-rule')).toEqual([])
  })

  it('exe-no-appx-rules: enforced Exe with no packaged app rules', () => {
    const p = addDefaultRules(emptyPolicy(), 'Exe').policy
    expect(codes(reviewPolicy(p))).toContain('exe-no-appx-rules')
    expect(codes(reviewPolicy(addDefaultRules(p, 'Appx').policy))).not.toContain('exe-no-appx-rules')
  })

  it('dll-missing-defaults: enforced Dll with only an app rule; none with the default rules', () => {
    const p = policy('Dll', 'Enabled', [pub('O=ADOBE INC., L=SAN JOSE, S=CA, C=US')])
    const f = only(reviewPolicy(p), 'dll-missing-defaults')
    expect(f).toHaveLength(1)
    expect(f[0].severity).toBe('error')
    expect(f[0].message).toMatch(/Windows folder .* Program Files/)
    expect(
      only(reviewPolicy(policy('Dll', 'AuditOnly', [pub('O=X')])), 'dll-missing-defaults')[0].severity,
    ).toBe('warning')
    expect(codes(reviewPolicy(policy('Dll', 'Enabled', defaultRules('Dll'))))).not.toContain(
      'dll-missing-defaults',
    )
    expect(codes(reviewPolicy(policy('Dll', 'NotConfigured', [])))).not.toContain('dll-missing-defaults')
  })

  it('deny-only-collection: an enforced Script collection with only Deny rules', () => {
    const p = policy('Script', 'Enabled', [path('*.js', { action: 'Deny' })])
    expect(codes(reviewPolicy(p))).toContain('deny-only-collection')
    expect(
      codes(
        reviewPolicy(
          policy('Script', 'Enabled', [...defaultRules('Script'), path('*.js', { action: 'Deny' })]),
        ),
      ),
    ).not.toContain('deny-only-collection')
  })

  it('deny-path-rule: warning for a file, info for a folder, nothing for a publisher Deny', () => {
    const fs = only(
      reviewPolicy(
        exe([
          path('%SYSTEM32%\\mshta.exe', { action: 'Deny' }),
          path('%WINDIR%\\Temp\\*', { action: 'Deny' }),
        ]),
      ),
      'deny-path-rule',
    )
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'info'])
    expect(
      only(reviewPolicy(exe([pub('O=X', '*', 'A.EXE', '*', '*', { action: 'Deny' })])), 'deny-path-rule'),
    ).toEqual([])
  })

  it('duplicate-rule: same behaviour twice; not when the user differs', () => {
    const f = only(
      reviewPolicy(exe([path('%OSDRIVE%\\Tools\\*'), path('%osdrive%\\tools\\*')])),
      'duplicate-rule',
    )
    expect(f).toHaveLength(1)
    expect(f[0].ruleIndex).toBe(2)
    expect(
      only(
        reviewPolicy(
          exe([path('%OSDRIVE%\\Tools\\*'), path('%OSDRIVE%\\Tools\\*', { userOrGroupSid: 'S-1-5-32-545' })]),
        ),
        'duplicate-rule',
      ),
    ).toEqual([])
  })

  it('duplicate-id: an Id reused across collections', () => {
    const a = path('%OSDRIVE%\\A\\*')
    const p = policy(
      'Exe',
      'AuditOnly',
      [admin(), a],
      [{ type: 'Script', enforcementMode: 'AuditOnly', rules: [{ ...path('*'), id: a.id.toUpperCase() }] }],
    )
    const f = only(reviewPolicy(p), 'duplicate-id')
    expect(f).toHaveLength(1)
    expect(f[0].collection).toBe('Script')
    expect(only(reviewPolicy(exe([path('%OSDRIVE%\\A\\*')])), 'duplicate-id')).toEqual([])
  })

  it('shadowed-rule: an Allow inside another Allow for the same SID; not for another SID or with exceptions', () => {
    const f = only(
      reviewPolicy(exe([path('%PROGRAMFILES%\\*'), path('%PROGRAMFILES%\\Contoso\\app.exe')])),
      'shadowed-rule',
    )
    expect(f).toHaveLength(1)
    expect(f[0].ruleName).toBe('%PROGRAMFILES%\\Contoso\\app.exe')
    const pubs = only(
      reviewPolicy(exe([pub('O=A'), pub('O=A', 'P', 'X.EXE', '1.0.0.0', '*')])),
      'shadowed-rule',
    )
    expect(pubs).toHaveLength(1)
    expect(
      only(
        reviewPolicy(
          exe([
            path('%PROGRAMFILES%\\*', { userOrGroupSid: 'S-1-5-32-545' }),
            path('%PROGRAMFILES%\\Contoso\\app.exe'),
          ]),
        ),
        'shadowed-rule',
      ),
    ).toEqual([])
    expect(
      only(
        reviewPolicy(
          exe([
            path('%PROGRAMFILES%\\*', { exceptions: [{ kind: 'path', path: '%PROGRAMFILES%\\Contoso\\*' }] }),
            path('%PROGRAMFILES%\\Contoso\\app.exe'),
          ]),
        ),
        'shadowed-rule',
      ),
    ).toEqual([])
  })

  it('denied-allow-rule: an Allow whose files are all denied for Everyone', () => {
    const f = only(
      reviewPolicy(
        exe([
          path('%OSDRIVE%\\Tools\\*', { action: 'Deny' }),
          path('%OSDRIVE%\\Tools\\x.exe', { userOrGroupSid: 'S-1-5-32-545' }),
        ]),
      ),
      'denied-allow-rule',
    )
    expect(f).toHaveLength(1)
    expect(
      only(
        reviewPolicy(
          exe([
            path('%OSDRIVE%\\Tools\\*', { action: 'Deny', userOrGroupSid: 'S-1-5-32-546' }),
            path('%OSDRIVE%\\Tools\\x.exe'),
          ]),
        ),
        'denied-allow-rule',
      ),
    ).toEqual([])
  })

  it('malformed-sid, unknown-sid and nobody-sid', () => {
    const fs = reviewPolicy(
      exe([
        path('%OSDRIVE%\\A\\*', { userOrGroupSid: 'AVD Users' }),
        path('%OSDRIVE%\\B\\*', { userOrGroupSid: 'S-1-9-77' }),
        path('%OSDRIVE%\\C\\*', { userOrGroupSid: 'S-1-3-0' }),
        path('%OSDRIVE%\\D\\*', { userOrGroupSid: 'S-1-5-21-1004336348-1177238915-682003330-513' }),
        path('%OSDRIVE%\\E\\*', { userOrGroupSid: 'S-1-12-1-1-2-3-4' }),
      ]),
    )
    expect(only(fs, 'malformed-sid').map((f) => f.ruleIndex)).toEqual([1])
    expect(only(fs, 'malformed-sid')[0].severity).toBe('error')
    expect(only(fs, 'unknown-sid').map((f) => f.ruleIndex)).toEqual([2])
    expect(only(fs, 'nobody-sid').map((f) => f.ruleIndex)).toEqual([3])
  })

  it('hash-no-file-name', () => {
    const hash = (sourceFileName?: string): Rule => ({
      kind: 'hash',
      id: id(),
      name: 'h',
      description: '',
      userOrGroupSid: 'S-1-1-0',
      action: 'Allow',
      exceptions: [],
      condition: {
        kind: 'hash',
        hashes: [
          { type: 'SHA256', data: '0x' + 'AB'.repeat(32), ...(sourceFileName ? { sourceFileName } : {}) },
        ],
      },
    })
    expect(codes(reviewPolicy(exe([hash()])))).toContain('hash-no-file-name')
    expect(codes(reviewPolicy(exe([hash('tool.exe')])))).not.toContain('hash-no-file-name')
  })

  it('not-configured-with-rules: every collection of the Windows default rules export', () => {
    const fs = only(
      reviewPolicy(corpus('liamsennitt-windows-default-rules.xml')),
      'not-configured-with-rules',
    )
    expect(fs.map((f) => f.collection).sort()).toEqual([...COLLECTION_TYPES].sort())
    expect(only(reviewPolicy(exe([])), 'not-configured-with-rules')).toEqual([])
  })

  it('extension-partner-missing, extension-wrong-collection, services-without-systemapps', () => {
    const ok = setExtensions(exe([]), 'Exe', { services: 'Enabled', systemApps: 'Enabled' })
    expect(
      codes(reviewPolicy(ok)).filter((c) => c.startsWith('extension') || c.startsWith('services')),
    ).toEqual([])
    const half: Policy = {
      ...ok,
      collections: ok.collections.map((c) =>
        c.type === 'Exe'
          ? {
              ...c,
              extensions: { threshold: true, redstone: false, services: { enforcementMode: 'Enabled' } },
            }
          : c,
      ),
    }
    const fs = reviewPolicy(half)
    expect(only(fs, 'extension-partner-missing')[0].severity).toBe('error')
    expect(codes(fs)).toContain('services-without-systemapps')
    const wrong: Policy = {
      ...ok,
      collections: ok.collections.map((c) =>
        c.type === 'Appx' ? { ...c, extensions: { threshold: true, redstone: true } } : c,
      ),
    }
    expect(only(reviewPolicy(wrong), 'extension-wrong-collection').map((f) => f.collection)).toEqual(['Appx'])
  })

  it('question-mark-path and unknown-path-variable (mhaggis %USERNAME% rules)', () => {
    expect(codes(reviewPolicy(exe([path('%PROGRAMFILES%\\app?\\*')])))).toContain('question-mark-path')
    expect(codes(reviewPolicy(exe([path('%PROGRAMFILES%\\app\\*')])))).not.toContain('question-mark-path')
    const m = only(reviewPolicy(corpus('mhaggis-applockergen-blockextensions.xml')), 'unknown-path-variable')
    expect(m).toHaveLength(48)
    expect(m[0].message).toContain('%USERNAME%')
    const exc = only(
      reviewPolicy(exe([path('%OSDRIVE%\\*', { exceptions: [{ kind: 'path', path: '%APPDATA%\\*' }] })])),
      'unknown-path-variable',
    )
    expect(exc[0].message).toContain('exception never matches')
  })

  it('folder-without-star', () => {
    expect(codes(reviewPolicy(exe([path('%PROGRAMFILES%\\Contoso')])))).toContain('folder-without-star')
    expect(
      codes(reviewPolicy(exe([path('%PROGRAMFILES%\\Contoso\\app.exe'), path('%WINDIR%\\Tasks:*')]))),
    ).not.toContain('folder-without-star')
  })

  it('mojibake and publisher-literal-star', () => {
    expect(
      codes(
        reviewPolicy(
          exe([pub('O=MICROSOFT CORPORATION', 'MICROSOFTÂ® WINDOWSÂ® OPERATING SYSTEM', 'CMD.EXE')]),
        ),
      ),
    ).toContain('mojibake')
    expect(
      codes(
        reviewPolicy(
          exe([pub('O=MICROSOFT CORPORATION', 'MICROSOFT® WINDOWS® OPERATING SYSTEM', 'CMD.EXE')]),
        ),
      ),
    ).not.toContain('mojibake')
    expect(codes(reviewPolicy(exe([pub('O=CONTOSO*')])))).toContain('publisher-literal-star')
    expect(codes(reviewPolicy(exe([pub('O=CONTOSO')])))).not.toContain('publisher-literal-star')
  })

  it('version-range-inverted', () => {
    expect(
      only(reviewPolicy(exe([pub('O=A', 'P', 'X.EXE', '2.0.0.0', '1.0.0.0')])), 'version-range-inverted')[0]
        .severity,
    ).toBe('error')
    expect(codes(reviewPolicy(exe([pub('O=A', 'P', 'X.EXE', '1.0.0.0', '2.0.0.0')])))).not.toContain(
      'version-range-inverted',
    )
  })

  it('publisher-any: every signed file in Exe, but not the Msi and Appx defaults', () => {
    expect(codes(reviewPolicy(exe([pub('*')])))).toContain('publisher-any')
    expect(codes(reviewPolicy(policy('Msi', 'AuditOnly', defaultRules('Msi'))))).not.toContain(
      'publisher-any',
    )
  })

  it('appx-non-publisher', () => {
    const p = policy('Appx', 'AuditOnly', [path('*')])
    expect(codes(reviewPolicy(p))).toContain('appx-non-publisher')
    expect(codes(reviewPolicy(policy('Appx', 'AuditOnly', defaultRules('Appx'))))).not.toContain(
      'appx-non-publisher',
    )
  })
})

describe('reviewPolicy on the corpus', () => {
  it('never throws, sorts errors first and names the rule', () => {
    const fs = reviewPolicy(corpus('aaronlocker-Deny-OldBginfo.xml'))
    expect(fs[0].severity).toBe('error')
    expect(findingCounts(fs).error).toBeGreaterThan(0)
    for (const f of fs) expect(f.fix.length).toBeGreaterThan(0)
  })

  it('what the file holds verbatim (a second Conditions, a misspelt attribute) gets a fix in the file, not in Edit rule', () => {
    const p = readPolicy(
      '<AppLockerPolicy Version="1"><RuleCollection Type="Exe" enforcementMode="AuditOnly"><FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%PROGRAMFILES%\\*"/></Conditions><Conditions><FilePathCondition Path="*"/></Conditions></FilePathRule></RuleCollection></AppLockerPolicy>',
    ).value!
    const fs = reviewPolicy(p)
    expect(fs.find((f) => f.code === 'repeated-element')).toMatchObject({ severity: 'error', ruleName: 'n', fix: expect.stringContaining('merge it into the first one in the file') })
    expect(fs.find((f) => f.code === 'misspelled-attribute')).toMatchObject({ severity: 'error', fix: expect.stringContaining('names are case-sensitive') })
  })

  it('a clean policy has no errors or warnings', () => {
    let p = emptyPolicy()
    for (const t of ['Exe', 'Appx'] as const)
      p = setEnforcementMode(addDefaultRules(p, t).policy, t, 'Enabled')
    // Replace the broad %WINDIR%\* rule by a single program.
    const exeRules = p.collections.find((c) => c.type === 'Exe')!.rules
    const w = exeRules.findIndex((r) => r.condition?.kind === 'path' && r.condition.path === '%WINDIR%\\*')
    p = updateRule(p, 'Exe', w, path('%WINDIR%\\explorer.exe'))
    const fs = reviewPolicy(p)
    expect(fs.filter((f) => f.severity !== 'info')).toEqual([])
  })
})
