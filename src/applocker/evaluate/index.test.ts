/**
 * The compiled indexes (compile.ts): path patterns matched on the real path only (planPathPattern),
 * the path trie and segment buckets, per-principal rule groups and the exception index. Every
 * decision is checked against the reference evaluator (which walks every rule and builds every
 * form of the path) on both the fast and the explaining path.
 */
import { describe, expect, it } from 'vitest'
import type { Condition, ExceptionEntry, Policy, Rule, RuleAction } from '../policy'
import { ruleOfCondition } from '../ops'
import { EVERYONE_SID, USERS_SID } from '../sids'
import { collectionForPath } from './collection'
import { compilePolicy, versionPosition } from './compile'
import { decide } from './decide'
import { planPathPattern, prepareMachine, realFilePath } from './paths'
import { decideReference } from '../../testing/reference'
import { DEFAULT_MACHINE, type Decision, type FileFacts, type MachineSettings, type Principal } from './types'
import { compareVersions, parseVersion } from './version'

const M = prepareMachine(DEFAULT_MACHINE)

describe('planPathPattern: which patterns are matched on the real path alone', () => {
  it('a leading variable followed by a backslash is replaced by each of its locations (and kept as written)', () => {
    expect(planPathPattern('%PROGRAMFILES%\\*', M)).toEqual({ real: ['%PROGRAMFILES%\\*', 'C:\\PROGRAM FILES\\*', 'C:\\PROGRAM FILES (X86)\\*'], generic: false })
    expect(planPathPattern('%SYSTEM32%\\CMD.EXE', M)).toEqual({ real: ['%SYSTEM32%\\CMD.EXE', 'C:\\WINDOWS\\SYSTEM32\\CMD.EXE', 'C:\\WINDOWS\\SYSWOW64\\CMD.EXE'], generic: false })
    expect(planPathPattern('%WINDIR%\\TEMP\\*', M)).toEqual({ real: ['%WINDIR%\\TEMP\\*', 'C:\\WINDOWS\\TEMP\\*'], generic: false })
    expect(planPathPattern('%OSDRIVE%\\USERS\\*\\APPDATA\\*', M)).toEqual({ real: ['%OSDRIVE%\\USERS\\*\\APPDATA\\*', 'C:\\USERS\\*\\APPDATA\\*'], generic: false })
    expect(planPathPattern('%WINDIR%', M)).toEqual({ real: ['%WINDIR%', 'C:\\WINDOWS'], generic: false })
    // A backslash right after the variable keeps the boundary: %WINDIR%\SYSTEM32* is C:\WINDOWS\SYSTEM32*.
    expect(planPathPattern('%WINDIR%\\SYSTEM32*', M)).toEqual({ real: ['%WINDIR%\\SYSTEM32*', 'C:\\WINDOWS\\SYSTEM32*'], generic: false })
  })

  it('a variable with no location on the machine stays as written', () => {
    const noUsb = prepareMachine({ ...DEFAULT_MACHINE, hotDrives: [] })
    expect(planPathPattern('%HOT%\\*', noUsb)).toEqual({ real: ['%HOT%\\*'], generic: false })
  })

  it('paths with no variable, UNC paths and `*` patterns whose pieces cannot fall inside a variable are real-path only', () => {
    expect(planPathPattern('C:\\TOOLS\\*', M)).toEqual({ real: ['C:\\TOOLS\\*'], generic: false })
    expect(planPathPattern('\\\\SRV\\SHARE\\*', M)).toEqual({ real: ['\\\\SRV\\SHARE\\*'], generic: false })
    expect(planPathPattern('%USERPROFILE%\\*', M)).toEqual({ real: ['%USERPROFILE%\\*'], generic: false })
    for (const p of ['*', '*.*', '*\\CHROME.EXE', '*\\APP\\*', '*.EXE']) expect(planPathPattern(p, M)).toEqual({ real: [p], generic: false })
  })

  it('patterns that may match a variable form otherwise are matched against every form', () => {
    for (const p of ['%WINDIR%*', '%WIN*', '*DIR%\\X.EXE', '*WINDIR*', '*%\\*', '%WINDIR%X.EXE', '%', '*OSDRIVE*']) expect(planPathPattern(p, M).generic).toBe(true)
    // A location that is itself a wildcard cannot be substituted.
    const odd = prepareMachine({ ...DEFAULT_MACHINE, windir: 'C:\\Win*' })
    expect(planPathPattern('%WINDIR%\\*', odd).generic).toBe(true)
  })
})

let serial = 0
function rule(condition: Condition, opts: { action?: RuleAction; sid?: string; exceptions?: ExceptionEntry[]; name?: string } = {}): Rule {
  const id = `r${++serial}`
  return ruleOfCondition({ id, name: opts.name ?? id, description: '', userOrGroupSid: opts.sid ?? EVERYONE_SID, action: opts.action ?? 'Allow', exceptions: opts.exceptions ?? [] }, condition)
}
const path = (p: string): Condition => ({ kind: 'path', path: p })
const exe = (rules: Rule[]): Policy => ({ version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules }] })
const USER = 'S-1-5-21-1-2-3-1001'
const BOB: Principal = { user: USER, groups: [USERS_SID] }
const ALICE: Principal = { user: 'S-1-5-21-1-2-3-1002', groups: [USERS_SID] }

/** Decides on both engine paths and checks both against the reference evaluator. */
function check(policy: Policy, file: FileFacts, principal: Principal = BOB, machine: MachineSettings = DEFAULT_MACHINE): Decision {
  const compiled = compilePolicy(policy, machine)
  const fast = decide(compiled, file, principal, { explain: false })
  const explained = decide(compiled, file, principal)
  const ref = decideReference(policy, file, principal, machine)
  expect(explained).toEqual(ref)
  expect({ ...fast, explanation: null }).toEqual({ ...ref, explanation: null })
  return explained
}

describe('the path index finds every rule whose pattern matches, through any variable', () => {
  const rules = [
    rule(path('%OSDRIVE%\\Tools\\*'), { name: 'osdrive' }),
    rule(path('%WINDIR%\\Temp\\*'), { name: 'windir', action: 'Deny' }),
    rule(path('%SYSTEM32%\\cmd.exe'), { name: 'system32' }),
    rule(path('%PROGRAMFILES%\\Contoso\\*'), { name: 'programfiles' }),
    rule(path('%OSDRIVE%\\Users\\*\\AppData\\Local\\App\\*'), { name: 'star in the middle' }),
    rule(path('D:\\Portable\\*'), { name: 'no variable' }),
    rule(path('\\\\fileserver\\apps\\*'), { name: 'unc' }),
    rule(path('%OSDRIVE%\\Café\\*'), { name: 'non-ascii' }),
    rule(path('%OSDRIVE%\\Straße\\*'), { name: 'sharp s' }),
  ]
  const policy = exe(rules)
  const cases: [string, string | null][] = [
    ['C:\\Tools\\a.exe', 'osdrive'],
    ['%OSDRIVE%\\TOOLS\\A.EXE', 'osdrive'],
    ['c:\\windows\\temp\\x.exe', 'windir'],
    ['C:\\Windows\\System32\\CMD.EXE', 'system32'],
    ['C:\\Windows\\SysWOW64\\cmd.exe', 'system32'],
    ['%SYSTEM32%\\cmd.exe', 'system32'],
    ['C:\\Windows\\System32\\sub\\cmd.exe', null],
    ['C:\\Program Files (x86)\\Contoso\\app.exe', 'programfiles'],
    ['C:\\Program Files\\Contoso\\bin\\app.exe', 'programfiles'],
    ['C:\\Program Files\\Contoso2\\app.exe', null],
    ['C:\\Users\\bob\\AppData\\Local\\App\\x.exe', 'star in the middle'],
    ['C:\\Users\\bob\\Deep\\AppData\\Local\\App\\x.exe', 'star in the middle'],
    ['C:\\Users\\bob\\AppData\\Roaming\\App\\x.exe', null],
    ['d:\\portable\\x.exe', 'no variable'],
    ['%REMOVABLE%\\Portable\\x.exe', 'no variable'],
    ['\\\\FILESERVER\\Apps\\x.exe', 'unc'],
    ['\\\\?\\UNC\\fileserver\\apps\\x.exe', 'unc'],
    ['C:\\CAFÉ\\x.exe', 'non-ascii'],
    ['c:\\café\\x.exe', 'non-ascii'],
    ['C:\\STRAßE\\x.exe', 'sharp s'],
    ['C:\\STRASSE\\x.exe', null],
    ['C:\\Windows\\..\\Tools\\x.exe', 'osdrive'],
  ]
  for (const [p, name] of cases) {
    it(`${p} -> ${name ?? 'no rule'}`, () => {
      expect(check(policy, { path: p }).matchingRuleName).toBe(name)
    })
  }

  it('a machine with other locations: %PROGRAMFILES% on D:, no USB drive', () => {
    const machine: MachineSettings = { ...DEFAULT_MACHINE, programFiles: ['D:\\Apps'], hotDrives: [] }
    const p = exe([rule(path('%PROGRAMFILES%\\*'), { name: 'pf' }), rule(path('%HOT%\\*'), { name: 'hot' })])
    expect(check(p, { path: 'D:\\Apps\\x.exe' }, BOB, machine).matchingRuleName).toBe('pf')
    expect(check(p, { path: 'C:\\Program Files\\x.exe' }, BOB, machine).matchingRuleName).toBe(null)
    expect(check(p, { path: '%HOT%\\x.exe' }, BOB, machine).matchingRuleName).toBe('hot')
  })

  it('patterns matched against every form (%WIN*, *DIR%\\*) still match through the variable', () => {
    const p = exe([rule(path('%WIN*'), { name: 'win' }), rule(path('*DIR%\\x.exe'), { name: 'dir' })])
    expect(check(p, { path: 'C:\\Windows\\y.exe' }).matchingRuleName).toBe('win')
    expect(check(p, { path: 'C:\\Windows\\x.exe' }).matchingRuleName).toBe('win')
    expect(check(exe([rule(path('*DIR%\\x.exe'), { name: 'dir' })]), { path: 'C:\\Windows\\x.exe' }).matchingRuleName).toBe('dir')
    expect(check(exe([rule(path('*DIR%\\x.exe'), { name: 'dir' })]), { path: 'C:\\Tools\\x.exe' }).matchingRuleName).toBe(null)
  })
})

describe('one scan of a path serves the decisions that follow for the same path', () => {
  it('a collection without path rules in between does not spoil the scan the next decision reuses', () => {
    const publisherOnly: Policy = {
      version: '1',
      collections: [{ type: 'Dll', enforcementMode: 'Enabled', rules: [rule({ kind: 'publisher', publisherName: 'O=CONTOSO', productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } })] }],
    }
    const withPaths = exe([rule(path('%OSDRIVE%\\Tools\\*'), { name: 'tools' })])
    const a = compilePolicy(publisherOnly)
    const b = compilePolicy(withPaths)
    const dll = { path: 'C:\\Tools\\a.exe', collection: 'Dll' as const }
    const exeFile = { path: 'C:\\Tools\\a.exe' }
    for (let i = 0; i < 2; i++) {
      expect(decide(a, dll, BOB, { explain: false }).decision).toBe('DeniedByDefault')
      expect(decide(b, exeFile, BOB, { explain: false }).matchingRuleName).toBe('tools')
      expect(decide(a, exeFile, BOB, { explain: false }).decision).toBe('AllowedByDefault')
      expect(decide(b, exeFile, BOB).matchingRuleName).toBe('tools')
    }
  })
})

describe('per-principal rule groups', () => {
  it('a rule for Everyone applies to every principal; a rule for a user only to that user', () => {
    const policy = exe([
      rule(path('%OSDRIVE%\\Tools\\*'), { name: 'bob only', sid: USER, action: 'Deny' }),
      rule(path('%OSDRIVE%\\Tools\\*'), { name: 'everyone', sid: EVERYONE_SID }),
    ])
    const compiled = compilePolicy(policy)
    const file = { path: 'C:\\Tools\\a.exe' }
    // The same compiled policy, principals alternating: each sees its own rules of the shared group.
    for (let i = 0; i < 3; i++) {
      expect(decide(compiled, file, BOB, { explain: false }).matchingRuleName).toBe('bob only')
      expect(decide(compiled, file, ALICE, { explain: false }).matchingRuleName).toBe('everyone')
      expect(decide(compiled, file, { groups: [] }, { explain: false }).matchingRuleName).toBe('everyone')
    }
    expect(check(policy, file, BOB).explanation.matchedCount).toBe(2)
    const alice = check(policy, file, ALICE).explanation
    expect(alice.matchedCount).toBe(1)
    expect(alice.notApplicableToPrincipal).toBe(1)
  })

  it('SIDs are compared normalised (lower-case s-1-1-0 is Everyone)', () => {
    const policy = exe([rule(path('*'), { name: 'all', sid: 's-1-1-0' })])
    expect(check(policy, { path: 'C:\\x.exe' }, ALICE).matchingRuleName).toBe('all')
  })
})

describe('the exception index', () => {
  const pub = (publisherName: string): ExceptionEntry => ({ kind: 'publisher', publisherName, productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } })
  const MS = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'
  const policy = exe([
    rule(path('%PROGRAMFILES%\\*'), { name: 'pf except system32 path', exceptions: [{ kind: 'path', path: '%SYSTEM32%\\*' }] }),
    rule(path('%WINDIR%\\*'), { name: 'windir except system32', exceptions: [{ kind: 'path', path: '%SYSTEM32%\\*' }] }),
    rule(path('%WINDIR%\\*'), { name: 'windir except microsoft', exceptions: [pub(MS)] }),
    rule(path('%WINDIR%\\*'), { name: 'windir except hash', exceptions: [{ kind: 'hash', hashes: [{ type: 'SHA256', data: '0xAB12' }] }] }),
    rule(path('%WINDIR%\\*'), { name: 'windir except temp, for bob', sid: USER, exceptions: [{ kind: 'path', path: '%WINDIR%\\Temp\\*' }] }),
    rule(path('%WINDIR%\\*'), { name: 'windir except x', action: 'Deny', exceptions: [{ kind: 'path', path: '*\\x.exe' }, { kind: 'path', path: '%WINDIR%\\Temp\\*' }] }),
  ])

  it('only exceptions that match the file exclude, counted for the principal', () => {
    const d = check(policy, { path: 'C:\\Windows\\System32\\a.exe' })
    expect(d.matchingRuleName).toBe('windir except x')
    expect(d.decision).toBe('Denied')
    expect(d.explanation.matchedCount).toBe(4)
    expect(d.explanation.excludedCount).toBe(1)
    expect(d.explanation.excludedByException.map((e) => [e.name, e.exception])).toEqual([['windir except system32', 'path %SYSTEM32%\\*']])
  })

  it('publisher and hash exceptions', () => {
    const d = check(policy, { path: 'C:\\Windows\\x.exe', hash: 'ab12', publisher: { name: MS, product: 'P', binary: 'X.EXE', version: '1.0' } })
    expect(d.explanation.excludedByException.map((e) => e.name)).toEqual(['windir except microsoft', 'windir except hash', 'windir except x'])
    expect(d.matchingRuleName).toBe('windir except system32')
  })

  it("a rule for another principal is not counted, even when its exception matches; the first matching exception is named", () => {
    const file = { path: 'C:\\Windows\\Temp\\x.exe' }
    const bob = check(policy, file, BOB).explanation
    const alice = check(policy, file, ALICE).explanation
    expect(bob.excludedCount).toBe(alice.excludedCount + 1)
    expect(alice.excludedByException.find((e) => e.name === 'windir except x')?.exception).toBe('path *\\x.exe')
  })

  it('many rules with one exception each: counts match the reference', () => {
    const rules: Rule[] = []
    for (let i = 0; i < 300; i++) {
      rules.push(rule(path(i % 2 ? '%WINDIR%\\*' : 'C:\\Windows\\*'), { action: i % 7 === 0 ? 'Deny' : 'Allow', sid: i % 3 ? EVERYONE_SID : USER, exceptions: i % 5 ? [{ kind: 'path', path: i % 2 ? '%SYSTEM32%\\*' : '*\\A.EXE' }] : [] }))
    }
    const p = exe(rules)
    for (const f of ['C:\\Windows\\System32\\a.exe', 'C:\\Windows\\a.exe', 'C:\\Windows\\b.exe']) {
      check(p, { path: f }, BOB)
      check(p, { path: f }, ALICE)
    }
  })
})

describe('realFilePath', () => {
  it('normalises, expands a leading variable to its first location and canonicalises', () => {
    expect(realFilePath('%programfiles%\\a\\..\\b.exe', M)).toBe('C:\\PROGRAM FILES\\B.EXE')
    expect(realFilePath('"c:/tools/x.exe"', M)).toBe('C:\\TOOLS\\X.EXE')
    expect(realFilePath('\\\\srv\\share\\é.exe', M)).toBe('\\\\SRV\\SHARE\\É.EXE')
    // The one-scan shortcut and the full rules give the same real path.
    expect(realFilePath('c:\\x y\\z.exe', M)).toBe('C:\\X Y\\Z.EXE')
    expect(realFilePath('C:\\A\\B.EXE', M)).toBe('C:\\A\\B.EXE')
    expect(realFilePath('c:\\a\\.\\b.exe', M)).toBe('C:\\A\\B.EXE')
    expect(realFilePath('c:\\a\\\\b.exe', M)).toBe('C:\\A\\B.EXE')
    expect(realFilePath('c:\\a\\b.exe. ', M)).toBe('C:\\A\\B.EXE')
    expect(realFilePath(' c:\\a\\b.exe', M)).toBe('C:\\A\\B.EXE')
    expect(realFilePath('\\\\?\\c:\\a\\..\\b.exe', M)).toBe('C:\\A\\..\\B.EXE')
    expect(realFilePath('\\\\srv\\share\\b.exe', M)).toBe('\\\\SRV\\SHARE\\B.EXE')
  })
})

describe('collectionForPath: the plain-extension shortcut and the full rules agree', () => {
  const cases: [string, string | null][] = [
    ['C:\\x\\a.EXE', 'Exe'],
    ['a.exe.', 'Exe'],
    ['a.exe "', 'Exe'],
    ['f.exe:abcdefghijklm', 'Exe'],
    ['f.txt:e.exe', 'Exe'],
    ['C:x.exe', 'Exe'],
    ['.exe', 'Exe'],
    ['a.MsIxBundle', 'Appx'],
    ['a.Ps1', 'Script'],
    ['a.vb\u017f', 'Script'], // LATIN SMALL LETTER LONG S upper-cases to S
    ['C:\\dir.exe\\file', null],
    ['a.e-xe', null],
    ['a.exex', null],
    ['a.abcdefghijklmnop', null],
    ['noextension', null],
    ['', null],
  ]
  for (const [p, type] of cases) it(JSON.stringify(p), () => expect(collectionForPath(p)).toBe(type))
})

describe('versionPosition: versions as integer positions among sorted bounds', () => {
  it('orders every version as compareVersions does against every bound, whatever the number of parts', () => {
    const texts = ['0', '0.0.0.1', '1', '1.0', '1.0.0.0.0', '1.0.0.0.1', '1.2', '1.2.3.4', '2.0.0.0', '10.0', '10.0.0.0.0.7', '65536.1', '4294967296']
    const bounds = texts.slice(1, -1).map((t) => parseVersion(t)!)
    bounds.sort(compareVersions)
    const distinct = bounds.filter((v, i) => i === 0 || compareVersions(bounds[i - 1], v) !== 0)
    const width = Math.max(...distinct.map((v) => v.length))
    const parts = new Float64Array(distinct.length * width)
    distinct.forEach((v, i) => parts.set(v, i * width))
    const vb = { count: distinct.length, width, parts }
    for (const t of texts) {
      const v = parseVersion(t)!
      const pos = versionPosition(vb, v)
      distinct.forEach((b, j) => {
        const c = compareVersions(v, b)
        const key = 2 * j + 1
        expect(Math.sign(pos - key), `${t} vs ${b.join('.')}`).toBe(Math.sign(c))
      })
    }
  })
})
