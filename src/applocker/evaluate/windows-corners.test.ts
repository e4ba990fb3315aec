/**
 * Where Windows and a naive reading differ (issue 15): PE files by content, PowerShell's
 * Constrained Language Mode, non-user processes and the Services extension, and upper-casing one
 * UTF-16 unit at a time. Each case quotes the Microsoft sentence it follows, and runs through the
 * compiled engine (fast and explaining paths) and the reference evaluator, which must agree.
 */
import { describe, expect, it } from 'vitest'
import type { CollectionType, Condition, EnforcementMode, Policy, Rule, ServicesEnforcement } from '../policy'
import { ruleOfCondition } from '../ops'
import { EVERYONE_SID, PRINCIPAL_PRESETS } from '../sids'
import { upcase } from '../upcase'
import { collectionForFile, fileExtension, isPowerShellScript } from './collection'
import { formatMappedDrives, parseMappedDrives, resolveMappedDrive } from './paths'
import { compilePolicy } from './compile'
import { decide } from './decide'
import { decideReference } from '../../testing/reference'
import { DEFAULT_MACHINE, type Decision, type FileFacts, type MachineSettings, type Principal } from './types'

let serial = 0
function rule(condition: Condition, action: 'Allow' | 'Deny' = 'Allow', sid = EVERYONE_SID): Rule {
  const id = `corner-${++serial}`
  return ruleOfCondition({ id, name: id, description: '', userOrGroupSid: sid, action, exceptions: [] }, condition)
}
const path = (p: string): Condition => ({ kind: 'path', path: p })
const pub = (publisherName: string): Condition => ({ kind: 'publisher', publisherName, productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } })

function policyOf(collections: Partial<Record<CollectionType, { mode?: EnforcementMode; rules: Rule[]; services?: ServicesEnforcement }>>): Policy {
  return {
    version: '1',
    collections: Object.entries(collections).map(([type, c]) => ({
      type: type as CollectionType,
      enforcementMode: c!.mode ?? 'Enabled',
      rules: c!.rules,
      ...(c!.services ? { extensions: { threshold: true, services: { enforcementMode: c!.services }, redstone: true, systemApps: { allow: 'Enabled' } } } : {}),
    })),
  }
}

const STANDARD: Principal = { groups: PRINCIPAL_PRESETS[1].sids }
const SYSTEM: Principal = { user: 'S-1-5-18', groups: [EVERYONE_SID, 'S-1-5-32-544', 'S-1-5-11'] }

/** Decides with the three evaluators; they must agree on everything, explanation included. */
function check(policy: Policy, file: FileFacts, principal: Principal = STANDARD, machine: MachineSettings = DEFAULT_MACHINE): Decision {
  const compiled = compilePolicy(policy, machine)
  const full = decide(compiled, file, principal)
  const fast = decide(compiled, file, principal, { explain: false })
  const ref = decideReference(policy, file, principal, machine)
  const { explanation, ...rest } = full
  const { explanation: _f, ...fastRest } = fast
  const { explanation: refExplanation, ...refRest } = ref
  void _f
  expect(fastRest).toEqual(rest)
  expect(refRest).toEqual(rest)
  expect(refExplanation).toEqual(explanation)
  return full
}

const allowWindows = () => rule(path('%WINDIR%\\*'))

describe('PE files by content, not by extension', () => {
  // "AppLocker executable rules actually apply to any portable executable (PE) file, regardless of
  // the file's extension" (executable-rules-in-applocker.md).
  it('an inventory entry that says the file is a PE is an Exe decision whatever its extension', () => {
    const p = policyOf({ Exe: { rules: [allowWindows()] } })
    const d = check(p, { path: 'C:\\Temp\\report.txt', pe: true })
    expect([d.collection, d.decision, d.effect, d.eventId]).toEqual(['Exe', 'DeniedByDefault', 'blocked', 8004])
    expect(d.explanation.steps[0]).toContain('portable executable (PE)')
    // The same name without the fact is not governed.
    expect(check(p, { path: 'C:\\Temp\\report.txt' }).collection).toBeNull()
  })

  it('a PE named as a library (.dll, .ocx, .cpl) is a DLL decision; any other PE an Exe decision', () => {
    expect(collectionForFile({ path: 'C:\\x\\a.dll', pe: true })).toBe('Dll')
    expect(collectionForFile({ path: 'C:\\x\\a.ocx', pe: true })).toBe('Dll')
    expect(collectionForFile({ path: 'C:\\x\\a.cpl', pe: true })).toBe('Dll')
    expect(collectionForFile({ path: 'C:\\x\\a.ps1', pe: true })).toBe('Exe')
    expect(collectionForFile({ path: 'C:\\x\\noextension', pe: true })).toBe('Exe')
  })

  it('(inferred) a file known not to be a PE is not governed by Exe or DLL rules whatever its name', () => {
    const p = policyOf({ Exe: { rules: [allowWindows()] } })
    const d = check(p, { path: 'C:\\Temp\\fake.exe', pe: false })
    expect([d.collection, d.effect]).toEqual([null, 'not-governed'])
    expect(d.explanation.steps[0]).toContain('not a portable executable')
    // pe: false does not touch the other collections.
    expect(collectionForFile({ path: 'C:\\x\\a.ps1', pe: false })).toBe('Script')
  })

  // Microsoft's SDK: "To be run by Control Panel, a screen saver must have the .SCR filename
  // extension; to be run as a stand-alone application, it must have the .EXE filename extension."
  it('a path-only .scr is an Exe decision (a screen saver is a PE started as a process)', () => {
    const p = policyOf({ Exe: { rules: [allowWindows()] } })
    const d = check(p, { path: 'C:\\Temp\\saver.scr' })
    expect([d.collection, d.decision, d.effect, d.eventId]).toEqual(['Exe', 'DeniedByDefault', 'blocked', 8004])
    expect(d.explanation.steps[0]).toContain('screen saver')
    expect(check(p, { path: 'C:\\Windows\\System32\\ssText3d.scr' }).decision).toBe('Allowed')
  })

  // "you created a Control Panel item by creating a .dll file and naming it with a .cpl extension ...
  // When Control Panel loads a .dll (or .cpl) file, it calls the CPlApplet function" (Using CPLApplet).
  it('(inferred) a path-only .cpl is a DLL decision', () => {
    const p = policyOf({ Dll: { mode: 'AuditOnly', rules: [allowWindows()] } })
    const d = check(p, { path: 'C:\\Users\\bob\\evil.cpl' })
    expect([d.collection, d.decision, d.effect, d.eventId]).toEqual(['Dll', 'DeniedByDefault', 'audited', 8003])
  })

  // "Paths may name alternate data streams (%WINDIR%\Tasks:*)" (APPLOCKER.md section 4).
  it('alternate data streams: the stream name tells the type when it has an extension, else the file name', () => {
    expect(fileExtension('C:\\Temp\\evil.exe:x')).toBe('.EXE')
    expect(fileExtension('C:\\Temp\\evil.exe::$DATA')).toBe('.EXE')
    expect(fileExtension('C:\\Temp\\evil.exe:x:$DATA')).toBe('.EXE')
    expect(fileExtension('C:\\Temp\\notes.txt:evil.exe')).toBe('.EXE')
    expect(fileExtension('C:\\Temp\\notes.txt:payload')).toBe('.TXT')
    expect(fileExtension('C:evil.exe')).toBe('.EXE')
    expect(fileExtension('%WINDIR%\\Tasks:x.ps1')).toBe('.PS1')
    const p = policyOf({ Exe: { rules: [allowWindows(), rule(path('%OSDRIVE%\\Temp\\evil.exe'), 'Deny')] } })
    for (const f of ['C:\\Temp\\evil.exe:x', 'C:\\Temp\\evil.exe::$DATA', 'C:\\Temp\\notes.txt:evil.exe']) {
      const d = check(p, { path: f })
      expect([d.collection, d.effect]).toEqual(['Exe', 'blocked'])
    }
    // A stream of an allowed folder is allowed like the folder's files.
    expect(check(p, { path: 'C:\\Windows\\Tasks:x.exe' }).decision).toBe('Allowed')
  })
})

describe('PowerShell runs blocked scripts in Constrained Language Mode', () => {
  // "When a script runs that is not allowed by policy, AppLocker raises an event indicating that the
  // script was 'blocked'. However, the actual script enforcement behavior is handled by the script
  // host. In the case of PowerShell, 'blocked' scripts will still run, but only in Constrained
  // Language Mode. Authorized scripts run in Full Language Mode." (script-rules-in-applocker.md)
  const p = (mode: EnforcementMode) => policyOf({ Script: { mode, rules: [allowWindows(), rule(path('%OSDRIVE%\\Bad\\*'), 'Deny')] } })

  it('.ps1 not allowed under Enforce: same decision and event 8007, effect constrained-language', () => {
    for (const f of ['C:\\Users\\bob\\run.ps1', 'C:\\Users\\bob\\Run.PS1', 'C:\\Bad\\x.ps1']) {
      const d = check(p('Enabled'), { path: f })
      expect(d.collection).toBe('Script')
      expect(d.effect).toBe('constrained-language')
      expect(d.eventId).toBe(8007)
      expect(d.explanation.steps.at(-1)).toContain('Constrained Language Mode')
    }
    expect(check(p('Enabled'), { path: 'C:\\Bad\\x.ps1' }).decision).toBe('Denied')
    expect(check(p('NotConfigured'), { path: 'C:\\Users\\bob\\run.ps1' }).effect).toBe('constrained-language')
  })

  it('a module (.psm1) is not governed: script rules are "only .ps1 .bat .cmd .vbs .js"', () => {
    for (const mode of ['Enabled', 'AuditOnly'] as const) {
      expect(check(p(mode), { path: 'C:\\Users\\bob\\Mod.PSM1' })).toMatchObject({ collection: null, decision: 'AllowedByDefault', effect: 'not-governed' })
    }
  })

  it('other scripts are blocked; allowed PowerShell scripts run; Audit only audits', () => {
    expect(check(p('Enabled'), { path: 'C:\\Users\\bob\\run.bat' }).effect).toBe('blocked')
    expect(check(p('Enabled'), { path: 'C:\\Users\\bob\\run.vbs' }).effect).toBe('blocked')
    expect(check(p('Enabled'), { path: 'C:\\Windows\\run.ps1' })).toMatchObject({ effect: 'runs', eventId: 8005 })
    expect(check(p('AuditOnly'), { path: 'C:\\Users\\bob\\run.ps1' })).toMatchObject({ effect: 'audited', eventId: 8006 })
    expect(isPowerShellScript('C:\\x\\a.PS1')).toBe(true)
    expect(isPowerShellScript('C:\\x\\notes.txt:a.psm1')).toBe(true)
    expect(isPowerShellScript('C:\\x\\a.ps1x')).toBe(false)
  })
})

describe('non-user processes and the Services extension', () => {
  // "By default, AppLocker policy only applies to code launched in a user's context. On Windows 10,
  // Windows 11, and Windows Server 2016 or later, you can apply AppLocker policy to non-user
  // processes, including those running as SYSTEM." ... "To apply AppLocker policy to non-user
  // processes, set <Services EnforcementMode="Enabled"/> in the <ThresholdExtensions> section"
  // (rule-collection-extensions.md).
  const deny = () => rule(path('%OSDRIVE%\\Temp\\*'), 'Deny')

  it('a file run as SYSTEM, LOCAL SERVICE or NETWORK SERVICE runs unless the Services extension is enforced', () => {
    const p = policyOf({ Exe: { rules: [allowWindows(), deny()] } })
    for (const who of [SYSTEM, { user: 'S-1-5-19', groups: [] }, { user: 's-1-5-20', groups: [] }, { groups: ['S-1-5-18'] }]) {
      const d = check(p, { path: 'C:\\Temp\\agent.exe' }, who)
      // Test-AppLockerPolicy would still report what the rules say; nothing is enforced or logged.
      expect([d.collection, d.decision, d.effect, d.eventId]).toEqual(['Exe', 'Denied', 'runs', null])
      expect(d.explanation.steps.at(-1)).toMatch(/non-user process: AppLocker applies only to code started in a user's context unless the Executable Rules collection's Services extension is enforced/)
    }
    // A user's process is governed as always.
    expect(check(p, { path: 'C:\\Temp\\agent.exe' }).effect).toBe('blocked')
  })

  it('with <Services EnforcementMode="Enabled"/> the Exe and DLL rules apply to it', () => {
    const p = policyOf({ Exe: { rules: [allowWindows(), deny()], services: 'Enabled' }, Dll: { mode: 'AuditOnly', rules: [allowWindows()], services: 'Enabled' } })
    const d = check(p, { path: 'C:\\Temp\\agent.exe' }, SYSTEM)
    expect([d.decision, d.effect, d.eventId]).toEqual(['Denied', 'blocked', 8004])
    expect(d.explanation.steps.join(' ')).toContain("Services extension is enforced (Enabled), so its rules apply to it")
    expect(check(p, { path: 'C:\\Temp\\x.dll' }, SYSTEM)).toMatchObject({ effect: 'audited', eventId: 8003 })
    // (inferred) the undocumented ServicesOnly is services enforcement too; NotConfigured is not.
    expect(check(policyOf({ Exe: { rules: [deny()], services: 'ServicesOnly' } }), { path: 'C:\\Temp\\a.exe' }, SYSTEM).effect).toBe('blocked')
    expect(check(policyOf({ Exe: { rules: [deny()], services: 'NotConfigured' } }), { path: 'C:\\Temp\\a.exe' }, SYSTEM).effect).toBe('runs')
  })

  it('only the Exe and DLL collections have the extension: scripts, installers and packaged apps of non-user processes are never governed', () => {
    const p = policyOf({ Exe: { rules: [allowWindows()], services: 'Enabled' }, Script: { rules: [allowWindows()] }, Msi: { rules: [allowWindows()] } })
    expect(check(p, { path: 'C:\\Temp\\job.ps1' }, SYSTEM)).toMatchObject({ decision: 'DeniedByDefault', effect: 'runs', eventId: null })
    expect(check(p, { path: 'C:\\Temp\\setup.msi' }, SYSTEM)).toMatchObject({ decision: 'DeniedByDefault', effect: 'runs', eventId: null })
    expect(check(p, { path: 'C:\\Temp\\job.ps1' }, SYSTEM).explanation.steps.at(-1)).toContain('only the Executable and DLL collections can be extended')
  })
})

describe('case-insensitive as Windows: one UTF-16 unit at a time', () => {
  it('upcase never changes the length: ß stays ß, supplementary-plane letters stay', () => {
    expect(upcase('Straße')).toBe('STRAßE')
    expect(upcase('O=Große GmbH')).toBe('O=GROßE GMBH')
    expect(upcase('\u{10428}')).toBe('\u{10428}') // DESERET SMALL LETTER LONG I: toUpperCase() maps it to U+10400
    expect('\u{10428}'.toUpperCase()).toBe('\u{10400}')
    expect(upcase('ﬁle')).toBe('ﬁLE') // the ligature's upper case is two letters: unchanged
    expect(upcase('é ä ø ÿ')).toBe('É Ä Ø Ÿ')
    expect(upcase('abc')).toBe('ABC')
  })

  it('%OSDRIVE%\\Straße\\* does not match C:\\STRASSE\\x.exe, and matches C:\\straße\\x.exe', () => {
    const p = policyOf({ Exe: { rules: [rule(path('%OSDRIVE%\\Straße\\*'))] } })
    expect(check(p, { path: 'C:\\STRASSE\\x.exe' }).decision).toBe('DeniedByDefault')
    expect(check(p, { path: 'C:\\straße\\x.exe' }).decision).toBe('Allowed')
    expect(check(p, { path: 'C:\\STRAßE\\X.EXE' }).decision).toBe('Allowed')
  })

  it('publisher O=GROSSE GMBH does not match a file signed O=Große GmbH; O=GROßE GMBH does', () => {
    const file: FileFacts = { path: 'C:\\x\\tool.exe', publisher: { name: 'O=Große GmbH', product: 'TOOL', binary: 'TOOL.EXE', version: '1.0.0.0' } }
    expect(check(policyOf({ Exe: { rules: [rule(pub('O=GROSSE GMBH'))] } }), file).decision).toBe('DeniedByDefault')
    expect(check(policyOf({ Exe: { rules: [rule(pub('O=GROßE GMBH'))] } }), file).decision).toBe('Allowed')
  })

  it('supplementary-plane letters are compared as written (no case mapping)', () => {
    const p = policyOf({ Exe: { rules: [rule(path('%OSDRIVE%\\\u{10400}\\*'))] } })
    expect(check(p, { path: 'C:\\\u{10428}\\x.exe' }).decision).toBe('DeniedByDefault')
    expect(check(p, { path: 'C:\\\u{10400}\\x.exe' }).decision).toBe('Allowed')
  })
})

describe('an administrator running unelevated (UAC) counts in Administrators for Executable rules only', () => {
  // "When evaluating an executable rule, AppLocker always considers a 'protected administrator' to be a
  // member of Administrators, even when running a program unelevated. However, when evaluating rules in
  // the other rule collections, AppLocker considers the user to be a member of Administrators only when
  // running elevated. As a result, consistent executable and DLL rules can lead to inconsistent results,
  // where an executable is allowed to execute but cannot load DLLs from the same directory." (AaronLocker)
  const ADMINS = 'S-1-5-32-544'
  const defaults = () => [rule(path('*'), 'Allow', ADMINS), allowWindows(), rule(path('%PROGRAMFILES%\\*'))]
  const p = policyOf({ Exe: { rules: defaults() }, Dll: { rules: defaults() }, Script: { rules: defaults() }, Msi: { rules: defaults() } })
  const ADMIN: Principal = { groups: PRINCIPAL_PRESETS[2].sids }
  const UNELEVATED: Principal = { ...ADMIN, elevated: false }

  it('elevated (or unspecified): the Administrators rule allows every collection', () => {
    for (const f of ['C:\\Users\\bob\\Tools\\t.exe', 'C:\\Users\\bob\\Tools\\t.dll', 'C:\\Users\\bob\\Tools\\t.ps1', 'C:\\Users\\bob\\Tools\\t.msi']) {
      expect(check(p, { path: f }, ADMIN).decision).toBe('Allowed')
      expect(check(p, { path: f }, { ...ADMIN, elevated: true }).decision).toBe('Allowed')
    }
  })

  it('unelevated: the program runs, its DLL from the same folder is blocked, the script runs constrained', () => {
    expect(check(p, { path: 'C:\\Users\\bob\\Tools\\t.exe' }, UNELEVATED)).toMatchObject({ decision: 'Allowed', effect: 'runs' })
    const dll = check(p, { path: 'C:\\Users\\bob\\Tools\\t.dll' }, UNELEVATED)
    expect(dll).toMatchObject({ decision: 'DeniedByDefault', effect: 'blocked', eventId: 8004 })
    expect(dll.explanation.steps.join('\n')).toContain('administrator running unelevated (UAC)')
    expect(dll.explanation.steps.join('\n')).not.toContain('Administrators (S-1-5-32-544),')
    expect(check(p, { path: 'C:\\Users\\bob\\Tools\\t.ps1' }, UNELEVATED)).toMatchObject({ decision: 'DeniedByDefault', effect: 'constrained-language' })
    expect(check(p, { path: 'C:\\Users\\bob\\Tools\\t.msi' }, UNELEVATED).decision).toBe('DeniedByDefault')
    // The rules for Everyone still apply.
    expect(check(p, { path: 'C:\\Windows\\System32\\x.dll' }, UNELEVATED).decision).toBe('Allowed')
  })

  it('unelevated, Administrators still counts for Deny rules (a deny-only group in a UAC-filtered token)', () => {
    const withDeny = policyOf({ Dll: { rules: [...defaults(), rule(path('%OSDRIVE%\\Users\\*\\Tools\\*'), 'Deny', ADMINS)] } })
    const d = check(withDeny, { path: 'C:\\Users\\bob\\Tools\\t.dll' }, UNELEVATED)
    expect(d.decision).toBe('Denied')
    expect(d.explanation.steps.join('\n')).toContain('Here the group counts for Deny rules only')
    // Not matched by the Deny rule: the Allow rule for Administrators does not apply, the default does.
    expect(check(withDeny, { path: 'C:\\Users\\bob\\Other\\t.dll' }, UNELEVATED).decision).toBe('DeniedByDefault')
    expect(check(withDeny, { path: 'C:\\Users\\bob\\Other\\t.dll' }, ADMIN).decision).toBe('Allowed')
  })

  it('unelevated changes nothing for a user who is not an administrator', () => {
    const d = check(p, { path: 'C:\\Users\\bob\\Tools\\t.dll' }, { ...STANDARD, elevated: false })
    expect(d.decision).toBe('DeniedByDefault')
    expect(d.explanation.steps.join('\n')).not.toContain('unelevated')
  })
})

describe('mapped network drives and SUBST drive letters are matched as what they stand for', () => {
  // "If X: is mapped to the read-only \\MYSERVER\Apps file share, and you allow execution in \\MYSERVER\Apps\*,
  // the user can run MyProgram.exe in that share whether it is referenced as \\MYSERVER\Apps\MyProgram.exe or as
  // X:\MyProgram.exe. Similarly, AppLocker does the right thing with SUBSTed drive letters." (AaronLocker)
  const p = policyOf({ Exe: { rules: [allowWindows(), rule(path('\\\\MYSERVER\\Apps\\*')), rule(path('%PROGRAMFILES%\\*'))] } })
  const machine = { ...DEFAULT_MACHINE, mappedDrives: [{ drive: 'x:', target: '\\\\MYSERVER\\Apps\\' }, { drive: 'P', target: 'C:\\Program Files' }] }
  const decideOn = (file: FileFacts) => check(p, file, STANDARD, machine)

  it('a file on the mapped drive is allowed by the rule for the share, with the step that says so', () => {
    const d = decideOn({ path: 'X:\\MyProgram.exe' })
    expect(d.decision).toBe('Allowed')
    expect(d.explanation.steps[0]).toBe('X: is a mapped or SUBST drive for \\\\MYSERVER\\Apps: Windows matches "X:\\MyProgram.exe" as "\\\\MYSERVER\\Apps\\MyProgram.exe", the path the drive stands for.')
    expect(decideOn({ path: '\\\\MYSERVER\\Apps\\MyProgram.exe' }).decision).toBe('Allowed')
    // A SUBST drive for a local folder takes that folder's path variables too.
    expect(decideOn({ path: 'p:/Contoso/app.exe' }).decision).toBe('Allowed')
    // Other drives are what they are.
    expect(decideOn({ path: 'Y:\\MyProgram.exe' }).decision).toBe('DeniedByDefault')
  })

  it('reads the drives as a person types them, and names what is not a drive and a path', () => {
    expect(parseMappedDrives('x: \\\\MYSERVER\\Apps; S:=C:\\Work\nq -> D:\\')).toEqual({
      drives: [
        { drive: 'X:', target: '\\\\MYSERVER\\Apps' },
        { drive: 'S:', target: 'C:\\Work' },
        { drive: 'Q:', target: 'D:\\' },
      ],
      bad: [],
    })
    expect(parseMappedDrives('X:; bogus; X: \\\\server').bad).toEqual(['X:', 'bogus', 'X: \\\\server'])
    expect(formatMappedDrives(parseMappedDrives('x: \\\\srv\\share').drives)).toBe('X: \\\\srv\\share')
    expect(resolveMappedDrive('q:/Tools/a.exe', [{ drive: 'Q:', target: 'D:\\' }])).toBe('D:\\Tools\\a.exe')
    expect(resolveMappedDrive('QQ:\\a.exe', [{ drive: 'Q:', target: 'D:\\' }])).toBeNull()
  })

  it('without the mapping the drive letter is only a letter', () => {
    expect(check(p, { path: 'X:\\MyProgram.exe' }).decision).toBe('DeniedByDefault')
  })
})
