/**
 * Every rule of APPLOCKER.md sections 2 to 4, each with a case that fails if it is implemented
 * wrongly. Each case runs through the compiled engine (fast and explaining paths) and the
 * reference evaluator, which must agree.
 */
import { describe, expect, it } from 'vitest'
import type { CollectionType, Condition, EnforcementMode, ExceptionEntry, Policy, Rule, RuleAction } from '../policy'
import { ruleOfCondition } from '../ops'
import { ADMINISTRATORS_SID, EVERYONE_SID, PRINCIPAL_PRESETS, USERS_SID } from '../sids'
import { collectionForFile, collectionForPath } from './collection'
import { compilePolicy } from './compile'
import { decide } from './decide'
import { decideReference } from '../../testing/reference'
import { DEFAULT_MACHINE, type DecideOptions, type Decision, type FileFacts, type MachineSettings, type Principal } from './types'

let serial = 0
function rule(condition: Condition, opts: { action?: RuleAction; sid?: string; exceptions?: ExceptionEntry[]; id?: string; name?: string } = {}): Rule {
  const id = opts.id ?? `rule-${++serial}`
  const base = {
    id,
    name: opts.name ?? id,
    description: '',
    userOrGroupSid: opts.sid ?? EVERYONE_SID,
    action: opts.action ?? 'Allow',
    exceptions: opts.exceptions ?? [],
  }
  return ruleOfCondition(base, condition)
}
const path = (p: string): Condition => ({ kind: 'path', path: p })
const pub = (publisherName: string, productName = '*', binaryName = '*', low = '*', high = '*'): Condition => ({
  kind: 'publisher',
  publisherName,
  productName,
  binaryName,
  versionRange: { low, high },
})
const hash = (...data: string[]): Condition => ({ kind: 'hash', hashes: data.map((d) => ({ type: 'SHA256', data: d })) })

function policyOf(collections: Partial<Record<CollectionType, { mode?: EnforcementMode; rules: Rule[] }>>): Policy {
  return {
    version: '1',
    collections: Object.entries(collections).map(([type, c]) => ({
      type: type as CollectionType,
      enforcementMode: c!.mode ?? 'Enabled',
      rules: c!.rules,
    })),
  }
}
const exe = (rules: Rule[], mode: EnforcementMode = 'Enabled') => policyOf({ Exe: { mode, rules } })

const EVERYONE: Principal = { groups: [] }
const STANDARD: Principal = { groups: PRINCIPAL_PRESETS[1].sids }
const ADMIN: Principal = { groups: PRINCIPAL_PRESETS[2].sids }

const MS = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'
const signed = (p: string, binary: string, version: string, name = MS, product = 'MICROSOFT® WINDOWS® OPERATING SYSTEM'): FileFacts => ({
  path: p,
  publisher: { name, product, binary, version },
})

/** Runs all three evaluators, checks they agree, returns the explained decision. */
function check(policy: Policy, file: FileFacts, principal: Principal = EVERYONE, machine: MachineSettings = DEFAULT_MACHINE, options: DecideOptions = {}): Decision {
  const compiled = compilePolicy(policy, machine)
  const explained = decide(compiled, file, principal, { ...options, explain: true })
  const fast = decide(compiled, file, principal, { ...options, explain: false })
  const reference = decideReference(policy, file, principal, machine, options)
  const key = (d: Decision) => [d.collection, d.decision, d.matchingRuleId, d.matchingRuleName, d.mode, d.effect, d.eventId]
  expect(key(fast)).toEqual(key(explained))
  expect(key(reference)).toEqual(key(explained))
  expect(reference.explanation).toEqual(explained.explanation)
  return explained
}
const decisionOf = (...args: Parameters<typeof check>) => check(...args).decision
const allowAll = () => rule(path('*'), { id: 'allow-all' })

describe('section 2: which collection governs a file', () => {
  it.each([
    ['C:\\x\\a.exe', 'Exe'],
    ['C:\\x\\a.COM', 'Exe'],
    ['C:\\x\\a.dll', 'Dll'],
    ['C:\\x\\a.Ocx', 'Dll'],
    ['C:\\x\\a.msi', 'Msi'],
    ['C:\\x\\a.msp', 'Msi'],
    ['C:\\x\\a.mst', 'Msi'],
    ['C:\\x\\a.ps1', 'Script'],
    ['C:\\x\\a.bat', 'Script'],
    ['C:\\x\\a.cmd', 'Script'],
    ['C:\\x\\a.vbs', 'Script'],
    ['C:\\x\\a.js', 'Script'],
    ['C:\\x\\a.appx', 'Appx'],
    ['C:\\x\\a.msixbundle', 'Appx'],
  ])('%s is governed by %s', (p, type) => {
    expect(collectionForPath(p)).toBe(type)
  })

  it.each(['C:\\x\\a.txt', 'C:\\x\\a.hta', 'C:\\x\\a.wsf', 'C:\\x\\a.jar', 'C:\\x.exe\\readme', 'C:\\x\\exe'])('%s is not governed', (p) => {
    expect(collectionForPath(p)).toBeNull()
    const d = check(exe([rule(path('*'), { action: 'Deny' })]), { path: p })
    expect(d.collection).toBeNull()
    expect(d.effect).toBe('not-governed')
    expect(d.eventId).toBeNull()
  })

  it('a file naming a package is a packaged app whatever its path', () => {
    expect(collectionForFile({ path: 'Contoso.Notes', package: 'Contoso.Notes_1.0.0.0_x64__abc' })).toBe('Appx')
    expect(collectionForFile({ path: 'C:\\x\\a.exe', package: 'Contoso.Notes_1.0.0.0_x64__abc' })).toBe('Appx')
  })

  it('a Dll collection without rules is not active: DLLs are allowed even while Exe is enforced', () => {
    const p = policyOf({ Exe: { rules: [rule(path('%WINDIR%\\*'))] }, Dll: { mode: 'Enabled', rules: [] } })
    const d = check(p, { path: 'C:\\Users\\bob\\evil.dll' })
    expect(d.decision).toBe('AllowedByDefault')
    expect(d.effect).toBe('runs')
    // ...and a Dll collection with a rule is active.
    const q = policyOf({ Dll: { mode: 'Enabled', rules: [rule(path('%WINDIR%\\*'))] } })
    expect(check(q, { path: 'C:\\Users\\bob\\evil.dll' }).effect).toBe('blocked')
  })

  it.each([
    ['Exe', 'C:\\a\\x.exe', [8002, 8003, 8004]],
    ['Dll', 'C:\\a\\x.dll', [8002, 8003, 8004]],
    ['Msi', 'C:\\a\\x.msi', [8005, 8006, 8007]],
    ['Script', 'C:\\a\\x.ps1', [8005, 8006, 8007]],
    ['Appx', 'C:\\a\\x.appx', [8023, 8024, 8025]],
  ] as const)('%s events: allowed, audited, blocked', (type, p, ids) => {
    const allowed = policyOf({ [type]: { rules: [rule(path('C:\\A\\*'))] } })
    const blocked = policyOf({ [type]: { rules: [rule(path('C:\\B\\*'))] } })
    const audited = policyOf({ [type]: { mode: 'AuditOnly', rules: [rule(path('C:\\B\\*'))] } })
    expect(check(allowed, { path: p }).eventId).toBe(ids[0])
    expect(check(audited, { path: p }).eventId).toBe(ids[1])
    expect(check(blocked, { path: p }).eventId).toBe(ids[2])
  })

  it('packaged apps that run (not install) log 8020, 8021, 8022', () => {
    const app = { path: 'Contoso.Notes', package: 'Contoso.Notes_1.0.0.0_x64__abc', publisher: { name: 'CN=Contoso', product: 'Contoso.Notes', binary: '*', version: '1.0.0.0' } }
    const allow = rule(pub('CN=CONTOSO'))
    const other = rule(pub('CN=Fabrikam'))
    expect(check(policyOf({ Appx: { rules: [allow] } }), app).eventId).toBe(8020)
    expect(check(policyOf({ Appx: { mode: 'AuditOnly', rules: [other] } }), app).eventId).toBe(8021)
    expect(check(policyOf({ Appx: { rules: [other] } }), app).eventId).toBe(8022)
    expect(check(policyOf({ Appx: { rules: [other] } }), { ...app, packageInstall: true }).eventId).toBe(8025)
  })
})

describe('section 3: deciding one file for one user', () => {
  it('a missing collection allows everything by default, with no rule and no event', () => {
    const d = check(policyOf({ Msi: { rules: [rule(path('*'), { action: 'Deny' })] } }), { path: 'C:\\x\\a.exe' })
    expect(d).toMatchObject({ decision: 'AllowedByDefault', matchingRuleId: null, mode: null, effect: 'runs', eventId: null })
  })

  it('an empty collection allows everything by default, even when enforced', () => {
    const d = check(exe([], 'Enabled'), { path: 'C:\\x\\a.exe' })
    expect(d).toMatchObject({ decision: 'AllowedByDefault', matchingRuleId: null, mode: 'Enabled', effect: 'runs', eventId: null })
  })

  describe('packaged apps while Exe rules are enforced', () => {
    const app: FileFacts = { path: 'Contoso.Notes', package: 'Contoso.Notes_1.0.0.0_x64__abc', publisher: { name: 'CN=Contoso', product: 'Contoso.Notes', binary: '*', version: '1.0.0.0' } }
    it('Exe enforced with rules and no Appx rules: blocked with event 8027', () => {
      const d = check(exe([allowAll()], 'Enabled'), app)
      expect(d).toMatchObject({ collection: 'Appx', decision: 'DeniedByDefault', effect: 'blocked', eventId: 8027, matchingRuleId: null })
      expect(check(policyOf({ Exe: { rules: [allowAll()] }, Appx: { rules: [] } }), app).eventId).toBe(8027)
    })
    it('Exe "Not configured" with rules is enforced too', () => {
      expect(check(exe([allowAll()], 'NotConfigured'), app).eventId).toBe(8027)
    })
    it('(inferred) Exe in Audit only does not block packaged apps', () => {
      expect(check(exe([allowAll()], 'AuditOnly'), app)).toMatchObject({ decision: 'AllowedByDefault', effect: 'runs', eventId: null })
      expect(check(exe([allowAll()], 'Enabled'), app, EVERYONE, DEFAULT_MACHINE, { modeOverride: { Exe: 'AuditOnly' } }).eventId).toBeNull()
    })
    it('Exe without rules does not block packaged apps', () => {
      expect(check(exe([], 'Enabled'), app).decision).toBe('AllowedByDefault')
    })
    it('with Appx rules the packaged app is decided by them', () => {
      const p = policyOf({ Exe: { rules: [allowAll()] }, Appx: { rules: [rule(pub('CN=CONTOSO', 'CONTOSO.NOTES'))] } })
      expect(check(p, app)).toMatchObject({ decision: 'Allowed', eventId: 8020 })
    })
  })

  describe('rules apply to the user and its groups; Everyone always', () => {
    const adminsOnly = exe([rule(path('*'), { sid: ADMINISTRATORS_SID, id: 'admins' })])
    it('a rule for another group does not apply', () => {
      expect(decisionOf(adminsOnly, { path: 'C:\\x\\a.exe' }, STANDARD)).toBe('DeniedByDefault')
      expect(check(adminsOnly, { path: 'C:\\x\\a.exe' }, STANDARD).explanation.notApplicableToPrincipal).toBe(1)
    })
    it('a rule for one of the groups applies', () => {
      expect(check(adminsOnly, { path: 'C:\\x\\a.exe' }, ADMIN)).toMatchObject({ decision: 'Allowed', matchingRuleId: 'admins' })
    })
    it('a rule for the user SID applies', () => {
      const user = 'S-1-5-21-1-2-3-1001'
      const p = exe([rule(path('*'), { sid: user })])
      expect(decisionOf(p, { path: 'C:\\x\\a.exe' }, { user, groups: [] })).toBe('Allowed')
      expect(decisionOf(p, { path: 'C:\\x\\a.exe' }, { user: 'S-1-5-21-1-2-3-1002', groups: [] })).toBe('DeniedByDefault')
    })
    it('Everyone is in every token, even one listing no groups', () => {
      expect(decisionOf(exe([rule(path('*'), { action: 'Deny' }), allowAll()]), { path: 'C:\\x\\a.exe' }, { user: 'S-1-5-21-1-2-3-1001', groups: [] })).toBe('Denied')
    })
    it('SIDs compare case-insensitively', () => {
      expect(decisionOf(exe([rule(path('*'), { sid: 's-1-5-32-545' })]), { path: 'C:\\x\\a.exe' }, { groups: [USERS_SID] })).toBe('Allowed')
    })
    it('nested groups are not expanded: only the listed SIDs count', () => {
      expect(decisionOf(exe([rule(path('*'), { sid: USERS_SID })]), { path: 'C:\\x\\a.exe' }, { groups: [ADMINISTRATORS_SID] })).toBe('DeniedByDefault')
    })
  })

  it('a rule matches only when no exception matches', () => {
    const p = exe([rule(path('%WINDIR%\\*'), { id: 'win', exceptions: [path('%WINDIR%\\Temp\\*')] })])
    expect(decisionOf(p, { path: 'C:\\Windows\\notepad.exe' })).toBe('Allowed')
    const d = check(p, { path: 'C:\\Windows\\Temp\\x.exe' })
    expect(d.decision).toBe('DeniedByDefault')
    expect(d.explanation.excludedByException).toEqual([{ ruleId: 'win', name: 'win', action: 'Allow', exception: 'path %WINDIR%\\Temp\\*' }])
  })

  it('Deny wins over Allow whatever the order in the file', () => {
    const p = exe([rule(path('*'), { id: 'allow' }), rule(path('%OSDRIVE%\\Users\\*'), { action: 'Deny', id: 'deny' })])
    const d = check(p, { path: 'C:\\Users\\bob\\x.exe' })
    expect(d).toMatchObject({ decision: 'Denied', matchingRuleId: 'deny', effect: 'blocked', eventId: 8004 })
    expect(d.explanation.matched.map((m) => m.ruleId)).toEqual(['allow', 'deny'])
    expect(d.explanation.decidedBy).toContain('deny')
  })

  it('an exception on a Deny rule lets Allow rules decide (an exception never grants by itself)', () => {
    const p = exe([rule(path('*'), { action: 'Deny', exceptions: [path('%PROGRAMFILES%\\*')] }), rule(path('%PROGRAMFILES%\\*'), { id: 'pf' })])
    expect(check(p, { path: 'C:\\Program Files\\App\\a.exe' })).toMatchObject({ decision: 'Allowed', matchingRuleId: 'pf' })
    const q = exe([rule(path('C:\\Tools\\*'), { action: 'Deny', exceptions: [path('C:\\Tools\\ok.exe')] })])
    expect(decisionOf(q, { path: 'C:\\Tools\\ok.exe' })).toBe('DeniedByDefault')
  })

  it('several matching Allow rules: the first in document order is reported', () => {
    const p = exe([rule(path('C:\\Other\\*'), { id: 'a' }), rule(path('C:\\Tools\\*'), { id: 'b' }), rule(path('*'), { id: 'c' })])
    expect(check(p, { path: 'C:\\Tools\\t.exe' }).matchingRuleId).toBe('b')
    const q = exe([rule(path('*'), { id: 'd1', action: 'Deny' }), rule(path('C:\\Tools\\*'), { id: 'd2', action: 'Deny' })])
    expect(check(q, { path: 'C:\\Tools\\t.exe' }).matchingRuleId).toBe('d1')
  })

  it('a collection with only Deny rules is still an allow-list: unmatched files are DeniedByDefault', () => {
    const d = check(exe([rule(path('C:\\Bad\\*'), { action: 'Deny' })]), { path: 'C:\\Good\\a.exe' })
    expect(d).toMatchObject({ decision: 'DeniedByDefault', matchingRuleId: null, effect: 'blocked', eventId: 8004 })
  })

  describe('enforcement modes and the Application Identity service', () => {
    const p = (mode: EnforcementMode) => exe([rule(path('%WINDIR%\\*'))], mode)
    const bad = { path: 'C:\\Users\\bob\\x.exe' }
    const good = { path: 'C:\\Windows\\x.exe' }
    it('Enforce rules blocks DeniedByDefault files', () => {
      expect(check(p('Enabled'), bad)).toMatchObject({ effect: 'blocked', eventId: 8004, mode: 'Enabled' })
    })
    it('Not configured with rules is enforced', () => {
      expect(check(p('NotConfigured'), bad)).toMatchObject({ effect: 'blocked', eventId: 8004, mode: 'NotConfigured' })
    })
    it('Audit only lets the file run and logs "would have been prevented"', () => {
      expect(check(p('AuditOnly'), bad)).toMatchObject({ decision: 'DeniedByDefault', effect: 'audited', eventId: 8003 })
      const denied = exe([rule(path('*'), { action: 'Deny' })], 'AuditOnly')
      expect(check(denied, bad)).toMatchObject({ decision: 'Denied', effect: 'audited', eventId: 8003 })
    })
    it('allowed files log the allowed event in both modes', () => {
      expect(check(p('AuditOnly'), good)).toMatchObject({ effect: 'runs', eventId: 8002 })
      expect(check(p('Enabled'), good)).toMatchObject({ effect: 'runs', eventId: 8002 })
    })
    it('modeOverride simulates another mode without editing the policy', () => {
      expect(check(p('AuditOnly'), bad, EVERYONE, DEFAULT_MACHINE, { modeOverride: { Exe: 'Enabled' } })).toMatchObject({ effect: 'blocked', mode: 'Enabled' })
      expect(check(p('Enabled'), bad, EVERYONE, DEFAULT_MACHINE, { modeOverride: { Script: 'AuditOnly' } }).effect).toBe('blocked')
    })
    it('with AppIDSvc stopped nothing is enforced or logged, but the decision stays', () => {
      const stopped = { ...DEFAULT_MACHINE, appIdServiceRunning: false }
      expect(check(p('Enabled'), bad, EVERYONE, stopped)).toMatchObject({ decision: 'DeniedByDefault', effect: 'runs', eventId: null })
    })
  })
})

describe('section 4: path conditions', () => {
  const allows = (pattern: string, file: string, machine: MachineSettings = DEFAULT_MACHINE) =>
    decisionOf(exe([rule(path(pattern))]), { path: file }, EVERYONE, machine) === 'Allowed'

  it('is case-insensitive', () => {
    expect(allows('c:\\tools\\*', 'C:\\TOOLS\\A.EXE')).toBe(true)
    expect(allows('%windir%\\*', 'c:\\windows\\a.exe')).toBe(true)
  })
  it('* alone means any path', () => {
    expect(allows('*', '\\\\server\\share\\a.exe')).toBe(true)
    expect(allows('*', 'Z:\\a.exe')).toBe(true)
  })
  it('* matches backslashes: folder\\* covers every subfolder', () => {
    expect(allows('%PROGRAMFILES%\\App\\*', 'C:\\Program Files\\App\\bin\\x64\\a.exe')).toBe(true)
    expect(allows('%PROGRAMFILES%\\App\\*', 'C:\\Program Files\\Apps\\a.exe')).toBe(false)
  })
  it('* in the middle of a path', () => {
    expect(allows('%OSDRIVE%\\Users\\*\\AppData\\Local\\Programs\\*', 'C:\\Users\\bob\\AppData\\Local\\Programs\\Code\\code.exe')).toBe(true)
    expect(allows('%OSDRIVE%\\Users\\*\\AppData\\Local\\Programs\\*', 'C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe')).toBe(false)
    expect(allows('*\\chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe')).toBe(true)
    expect(allows('*\\chrome.exe', 'C:\\x\\notchrome.exe')).toBe(false)
    expect(allows('*\\doxy*.exe', 'D:\\bin\\doxygen.exe')).toBe(true)
    expect(allows('*.*', 'C:\\a.exe')).toBe(true)
  })
  it('? is a literal character, not a wildcard', () => {
    expect(allows('C:\\Tools\\a?.exe', 'C:\\Tools\\ab.exe')).toBe(false)
    expect(allows('C:\\Tools\\a?.exe', 'C:\\Tools\\a?.exe')).toBe(true)
  })
  it('a path without * is one file, anchored at both ends', () => {
    expect(allows('%WINDIR%\\regedit.exe', 'C:\\Windows\\regedit.exe')).toBe(true)
    expect(allows('%WINDIR%\\regedit.exe', 'C:\\Windows\\sub\\regedit.exe')).toBe(false)
    expect(allows('%WINDIR%\\regedit.exe', 'D:\\C\\Windows\\regedit.exe')).toBe(false)
    expect(allows('C:\\Windows\\*', 'D:\\C:\\Windows\\a.exe')).toBe(false)
  })
  it('a variable covers its folder only at a path boundary, but a pattern without \\ before * is a plain prefix', () => {
    expect(allows('%WINDIR%\\*', 'C:\\WindowsOld\\a.exe')).toBe(false)
    expect(allows('%WINDIR%\\System32*', 'C:\\Windows\\System32Extra\\a.exe')).toBe(true)
    expect(allows('%WINDIR%\\System32\\*', 'C:\\Windows\\System32Extra\\a.exe')).toBe(false)
  })
  it.each([
    ['%WINDIR%\\*', 'C:\\Windows\\notepad.exe'],
    ['%SYSTEM32%\\*', 'C:\\Windows\\System32\\cmd.exe'],
    ['%SYSTEM32%\\*', 'C:\\Windows\\SysWOW64\\cmd.exe'],
    ['%OSDRIVE%\\Tools\\*', 'C:\\Tools\\a.exe'],
    ['%PROGRAMFILES%\\*', 'C:\\Program Files\\a\\a.exe'],
    ['%PROGRAMFILES%\\*', 'C:\\Program Files (x86)\\a\\a.exe'],
    ['%REMOVABLE%\\*', 'D:\\setup.exe'],
    ['%HOT%\\*', 'E:\\tool.exe'],
    ['%WINDIR%\\System32\\*', 'C:\\Windows\\System32\\cmd.exe'],
    ['C:\\Windows\\*', 'C:\\Windows\\System32\\cmd.exe'],
  ])('%s covers %s', (pattern, file) => {
    expect(allows(pattern, file)).toBe(true)
  })
  it.each([
    ['%SYSTEM32%\\*', 'C:\\Windows\\notepad.exe'],
    ['%PROGRAMFILES%\\*', 'C:\\ProgramData\\a.exe'],
    ['%REMOVABLE%\\*', 'E:\\tool.exe'],
    ['%HOT%\\*', 'D:\\setup.exe'],
    ['%OSDRIVE%\\*', 'D:\\a.exe'],
  ])('%s does not cover %s', (pattern, file) => {
    expect(allows(pattern, file)).toBe(false)
  })
  it('the simulated machine decides where variables point', () => {
    const m: MachineSettings = { ...DEFAULT_MACHINE, windir: 'D:\\WINNT', system32: ['D:\\WINNT\\System32'], osDrive: 'D:', removableDrives: [], hotDrives: ['F:', 'G'] }
    expect(allows('%WINDIR%\\*', 'D:\\WINNT\\a.exe', m)).toBe(true)
    expect(allows('%WINDIR%\\*', 'C:\\Windows\\a.exe', m)).toBe(false)
    expect(allows('%SYSTEM32%\\*', 'C:\\Windows\\SysWOW64\\a.exe', m)).toBe(false)
    expect(allows('%OSDRIVE%\\*', 'D:\\x.exe', m)).toBe(true)
    expect(allows('%HOT%\\*', 'G:\\x.exe', m)).toBe(true)
    expect(allows('%REMOVABLE%\\*', 'D:\\x.exe', m)).toBe(false)
  })
  it('other %...% names are not expanded: they are literal text', () => {
    expect(allows('%USERPROFILE%\\*', 'C:\\Users\\bob\\a.exe')).toBe(false)
    expect(allows('%USERPROFILE%\\*', '%USERPROFILE%\\a.exe')).toBe(true)
  })
  it('a file path given in variable form (as events write it) matches both variable and literal rules', () => {
    expect(allows('%SYSTEM32%\\*', '%SYSTEM32%\\CMD.EXE')).toBe(true)
    expect(allows('%WINDIR%\\*', '%SYSTEM32%\\CMD.EXE')).toBe(true)
    expect(allows('C:\\Windows\\System32\\cmd.exe', '%SYSTEM32%\\CMD.EXE')).toBe(true)
    expect(allows('%OSDRIVE%\\Users\\*', '%OSDRIVE%\\USERS\\BOB\\X.EXE')).toBe(true)
    expect(allows('C:\\Users\\*', '%OSDRIVE%\\USERS\\BOB\\X.EXE')).toBe(true)
    expect(allows('%PROGRAMFILES%\\*', '%OSDRIVE%\\USERS\\BOB\\X.EXE')).toBe(false)
  })
  it('alternate data streams are matched as text', () => {
    expect(allows('%WINDIR%\\Tasks:*', 'C:\\Windows\\Tasks:evil.exe')).toBe(true)
    expect(allows('%WINDIR%\\Tasks\\*', 'C:\\Windows\\Tasks:evil.exe')).toBe(false)
  })
  it('short (8.3) names are literal text', () => {
    expect(allows('C:\\PROGRA~1\\*', 'C:\\Program Files\\a.exe')).toBe(false)
  })
  it('UNC paths and forward slashes', () => {
    expect(allows('\\\\server\\apps\\*', '\\\\SERVER\\Apps\\tool.exe')).toBe(true)
    expect(allows('\\\\server\\apps\\*', '\\\\other\\apps\\tool.exe')).toBe(false)
    expect(allows('C:\\Tools\\*', 'C:/Tools/a.exe')).toBe(true)
  })
})

describe('section 4: publisher conditions', () => {
  const allows = (c: Condition, file: FileFacts) => decisionOf(exe([rule(c)]), file) === 'Allowed'
  const cmd = signed('C:\\Windows\\System32\\cmd.exe', 'CMD.EXE', '10.0.19041.1')

  it('an unsigned file never matches, not even PublisherName="*"', () => {
    expect(allows(pub('*'), { path: 'C:\\a.exe' })).toBe(false)
    expect(allows(pub('*'), { path: 'C:\\a.exe', publisher: null })).toBe(false)
    expect(allows(pub('*'), cmd)).toBe(true)
    // A blank publisher name (a form left empty) is an unsigned file too.
    expect(allows(pub('*'), signed('C:\\a.exe', 'A.EXE', '1.0', ' '))).toBe(false)
  })
  it('PublisherName: whole value, case-insensitive; an embedded * is literal', () => {
    expect(allows(pub(MS.toLowerCase()), cmd)).toBe(true)
    expect(allows(pub('O=MICROSOFT CORPORATION'), cmd)).toBe(false)
    expect(allows(pub('O=MICROSOFT*'), cmd)).toBe(false)
    expect(allows(pub('O=MICROSOFT*'), signed('C:\\a.exe', 'A.EXE', '1', 'O=Microsoft*'))).toBe(true)
  })
  it('ProductName: * alone any, else whole value case-insensitive with * literal', () => {
    expect(allows(pub(MS, 'microsoft® windows® operating system'), cmd)).toBe(true)
    expect(allows(pub(MS, 'MICROSOFT®*'), cmd)).toBe(false)
    expect(allows(pub(MS, ''), cmd)).toBe(false)
    expect(allows(pub(MS, ''), signed('C:\\a.exe', 'A.EXE', '1', MS, ''))).toBe(true)
  })
  it('BinaryName: * or ? alone any; with text * and ? are wildcards', () => {
    expect(allows(pub(MS, '*', '*'), cmd)).toBe(true)
    expect(allows(pub(MS, '*', '?'), cmd)).toBe(true)
    expect(allows(pub(MS, '*', 'cmd.exe'), cmd)).toBe(true)
    expect(allows(pub(MS, '*', 'C*.EXE'), cmd)).toBe(true)
    expect(allows(pub(MS, '*', 'CM?.EXE'), cmd)).toBe(true)
    expect(allows(pub(MS, '*', 'C?.EXE'), cmd)).toBe(false)
    expect(allows(pub(MS, '*', 'POWERSHELL.EXE'), cmd)).toBe(false)
    expect(allows(pub(MS, '*', 'CMD'), cmd)).toBe(false)
  })
  it('versions: inclusive bounds, * unbounded, numeric part by part, missing parts are 0', () => {
    const v = (low: string, high: string, version: string) => allows(pub(MS, '*', '*', low, high), signed('C:\\a.exe', 'A.EXE', version))
    expect(v('10.0.2.0', '*', '10.0.2.0')).toBe(true) // inclusive low
    expect(v('*', '10.0.2.0', '10.0.2.0')).toBe(true) // inclusive high
    expect(v('10.0.2.0', '10.0.2.0', '10.0.2.1')).toBe(false) // exactly
    expect(v('10.0.10.0', '*', '10.0.2.0')).toBe(false) // 2 < 10 numerically
    expect(v('10.0.2.0', '*', '10.0.10.0')).toBe(true)
    expect(v('*', '9.9.9.9', '10.0.0.0')).toBe(false) // AaronLocker's "PowerShell v2" rule
    expect(v('*', '9.9.9.9', '2.0.0.0')).toBe(true)
    expect(v('10.0', '10.0', '10.0.0.0')).toBe(true) // missing parts are 0
    expect(v('10.0.0.1', '*', '10.0')).toBe(false)
    expect(v('*', '*', 'garbage')).toBe(true)
    expect(v('1.0.0.0', '*', '')).toBe(false) // no version resource = 0.0.0.0
    expect(v('0.0.0.0', '*', '')).toBe(true)
  })
  it('a packaged app is matched on the package publisher, name and version', () => {
    const app: FileFacts = { path: 'x', package: 'Microsoft.Bing_1.0_x64__8wekyb3d8bbwe', publisher: { name: 'CN=Microsoft Corporation, O=Microsoft Corporation, C=US', product: 'Microsoft.BingWeather', binary: '*', version: '4.53.0.0' } }
    const p = (c: Condition) => decisionOf(policyOf({ Appx: { rules: [rule(c)] } }), app)
    expect(p(pub('CN=MICROSOFT CORPORATION, O=MICROSOFT CORPORATION, C=US', 'microsoft.bingweather', '*', '4.0.0.0', '*'))).toBe('Allowed')
    expect(p(pub('*', 'Microsoft.Bing*', '*', '0.0.0.0', '*'))).toBe('DeniedByDefault') // documented literal semantics
  })
})

describe('section 4: hash conditions', () => {
  const H = '0x3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A'
  const allows = (c: Condition, hash: string | null | undefined) => decisionOf(exe([rule(c)]), { path: 'C:\\a.exe', hash }) === 'Allowed'
  it('compares case-insensitively, with or without 0x', () => {
    expect(allows(hash(H), H.toLowerCase())).toBe(true)
    expect(allows(hash(H), H.slice(2))).toBe(true)
    expect(allows(hash(H.toLowerCase().slice(2)), H)).toBe(true)
    expect(allows(hash(H), H.slice(0, -1) + 'B')).toBe(false)
  })
  it('matches if any FileHash of the condition matches', () => {
    expect(allows(hash('0x00', H), H)).toBe(true)
  })
  it('a file without a hash never matches', () => {
    expect(allows(hash(H), null)).toBe(false)
    expect(allows(hash(H), '')).toBe(false)
  })
})

describe('exceptions of every kind', () => {
  const file = signed('C:\\Windows\\System32\\mshta.exe', 'MSHTA.EXE', '11.0.1.0')
  const fileHashed = { ...file, hash: '0xABCDEF' }
  it.each([
    ['path', path('%SYSTEM32%\\mshta.exe')],
    ['publisher', pub(MS, '*', 'MSHTA.EXE')],
    ['hash', hash('0xabcdef')],
  ] as const)('a %s exception excludes the file from an Allow rule and from a Deny rule', (_kind, exception) => {
    expect(decisionOf(exe([rule(path('%WINDIR%\\*'), { exceptions: [exception] })]), fileHashed)).toBe('DeniedByDefault')
    expect(decisionOf(exe([allowAll(), rule(path('*'), { action: 'Deny', exceptions: [exception] })]), fileHashed)).toBe('Allowed')
  })
  it('a publisher exception with a version range only excludes versions in it', () => {
    const p = exe([rule(path('%WINDIR%\\*'), { exceptions: [pub(MS, '*', 'MSHTA.EXE', '*', '10.0.0.0')] })])
    expect(decisionOf(p, file)).toBe('Allowed')
    expect(decisionOf(p, { ...file, publisher: { ...file.publisher!, version: '9.0.0.0' } })).toBe('DeniedByDefault')
  })
  it('unknown elements among exceptions are ignored', () => {
    const p = exe([rule(path('%WINDIR%\\*'), { exceptions: [{ kind: 'unknown', name: 'Foo', xml: '<Foo/>' }] })])
    expect(decisionOf(p, file)).toBe('Allowed')
  })
})

describe('explanations', () => {
  it('say which collection, which rules matched, which were excluded and what decided', () => {
    const p = exe(
      [
        rule(path('%WINDIR%\\*'), { id: 'win', name: 'Windows', exceptions: [path('%SYSTEM32%\\mshta.exe')] }),
        rule(path('*'), { id: 'admins', name: 'Admins', sid: ADMINISTRATORS_SID }),
        rule(pub(MS, '*', 'MSHTA.EXE'), { id: 'deny', name: 'No mshta', action: 'Deny' }),
      ],
      'AuditOnly',
    )
    const d = check(p, signed('C:\\Windows\\System32\\mshta.exe', 'MSHTA.EXE', '11.0.0.0'), STANDARD)
    expect(d).toMatchObject({ decision: 'Denied', matchingRuleId: 'deny', matchingRuleName: 'No mshta', effect: 'audited', eventId: 8003 })
    expect(d.explanation.matched).toEqual([{ ruleId: 'deny', name: 'No mshta', action: 'Deny' }])
    expect(d.explanation.excludedByException.map((e) => e.ruleId)).toEqual(['win'])
    expect(d.explanation.notApplicableToPrincipal).toBe(1)
    expect(d.explanation.decidedBy).toBe('Deny rule "No mshta"')
    const text = d.explanation.steps.join('\n')
    expect(text).toContain('Executable Rules')
    expect(text).toContain('Audit only')
    expect(text).toContain('8003')
    expect(text).toContain('BUILTIN\\Users')
  })
  it('the fast path returns the same decision with an empty explanation', () => {
    const p = exe([allowAll()])
    const d = decide(compilePolicy(p), { path: 'C:\\a.exe' }, EVERYONE, { explain: false })
    expect(d.decision).toBe('Allowed')
    expect(d.explanation.steps).toEqual([])
  })
})

describe('malformed rules never match and never throw', () => {
  it('a rule without a condition, or with one of the wrong kind', () => {
    const noCondition: Rule = { kind: 'path', id: 'x', name: 'x', description: '', userOrGroupSid: EVERYONE_SID, action: 'Deny', exceptions: [] }
    const wrongKind = { ...noCondition, id: 'y', condition: pub('*') } as unknown as Rule
    expect(decisionOf(exe([noCondition, wrongKind, allowAll()]), signed('C:\\a.exe', 'A.EXE', '1.0'))).toBe('Allowed')
  })
  it('a version bound that is not a version matches nothing', () => {
    expect(decisionOf(exe([rule(pub('*', '*', '*', 'abc', '*'))]), signed('C:\\a.exe', 'A.EXE', '1.0'))).toBe('DeniedByDefault')
  })
  it('only the first collection of a type counts', () => {
    const p: Policy = { version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules: [allowAll()] }, { type: 'Exe', enforcementMode: 'Enabled', rules: [rule(path('*'), { action: 'Deny' })] }] }
    expect(decisionOf(p, { path: 'C:\\a.exe' })).toBe('Allowed')
  })
})
