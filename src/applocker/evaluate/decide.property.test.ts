/**
 * Property tests: over generated policies, machines, principals and files, the compiled engine
 * (fast path and explaining path) always agrees with the reference evaluator that walks every
 * rule: same decision, same matching rule (first matching Deny, else first matching Allow, in
 * document order), mode, effect, event, and the same explanation.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CollectionType, Condition, EnforcementMode, Policy, Rule, RuleCollection } from '../policy'
import { generatePolicy } from '../../testing/generate'
import { compilePolicy, compileTuning } from './compile'
import { decide } from './decide'
import { decisionOutcome } from './decisionOutcome'
import { decideReference } from '../../testing/reference'
import { generateFiles, samplePrincipals } from '../../testing/files'
import { DEFAULT_MACHINE, type FileFacts, type MachineSettings, type Principal } from './types'

const SEGMENTS = ['Windows', 'System32', 'SysWOW64', 'Program Files', 'Program Files (x86)', 'Users', 'bob', 'AppData', 'Temp', 'Tools', 'App', 'a.exe', 'b.dll', 'c.ps1', 'x.msi', 'p.appx', 'n.txt', 'Tasks:x.exe', 'a?.exe', '..', '.', '', 'Straße', 'STRASSE', 'x.scr', 'y.cpl', 'm.psm1', 'evil.exe:x', 'f.txt:e.exe', 'a.exe::$DATA', '\u{10428}.exe', '\u{10400}.EXE']
const ROOTS = ['C:', 'D:', 'E:', 'F:', '\\\\srv\\share', '%WINDIR%', '%SYSTEM32%', '%OSDRIVE%', '%PROGRAMFILES%', '%HOT%', '%REMOVABLE%', '%USERPROFILE%']
const PUBLISHERS = ['O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', 'o=microsoft corporation, l=redmond, s=washington, c=us', 'O=CONTOSO, C=US', 'O=M*', 'CN=Contoso', 'O=Große GmbH', 'O=GROSSE GMBH', 'O=GROßE GMBH']
const PRODUCTS = ['WINDOWS', 'windows', 'TOOLS', '', 'W*']
const BINARIES = ['A.EXE', 'a.exe', 'B.DLL', 'CMD.EXE', 'A?.EXE', 'A*', '*.EXE', 'C*D.EXE']
const VERSIONS = ['0.0.0.0', '1.0', '1.0.0.0', '1.0.0.1', '2', '10.0.2.0', '10.0.10.0', '', 'x.y']
const HASHES = ['0xAA11', 'aa11', '0xBB22', '0XCC33', 'dd44']
const SIDS = ['S-1-1-0', 'S-1-5-32-544', 'S-1-5-32-545', 's-1-5-11', 'S-1-5-21-1-2-3-1001', 'S-1-3-0', 'S-1-5-18', 's-1-5-19', 'S-1-5-20']

const pathText = fc
  .tuple(fc.constantFrom(...ROOTS, ''), fc.array(fc.oneof(fc.constantFrom(...SEGMENTS), fc.constant('*')), { maxLength: 4 }), fc.boolean())
  .map(([root, segs, lower]) => {
    const p = [root, ...segs].join('\\')
    return lower ? p.toLowerCase() : p
  })
const pattern = fc.oneof(pathText, fc.constantFrom('*', '*.*', '*\\a.exe', '*\\App\\*', '%OSDRIVE%\\Users\\*\\AppData\\*', '%WINDIR%\\System32*', 'C:\\Windows*'))
const version = fc.constantFrom(...VERSIONS, '*')
const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: pattern.map((p): Condition => ({ kind: 'path', path: p })) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        publisherName: fc.constantFrom(...PUBLISHERS, '*'),
        productName: fc.constantFrom(...PRODUCTS, '*'),
        binaryName: fc.constantFrom(...BINARIES, '*', '?'),
        range: fc.option(fc.tuple(version, version), { nil: undefined }),
      })
      .map(({ range, ...c }): Condition => ({ kind: 'publisher', ...c, versionRange: range ? { low: range[0], high: range[1] } : undefined })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...HASHES), { minLength: 1, maxLength: 3 })
      .map((hs): Condition => ({ kind: 'hash', hashes: hs.map((data) => ({ type: 'SHA256', data })) })),
  },
)
const rule = fc
  .record({
    condition,
    sid: fc.constantFrom(...SIDS),
    action: fc.constantFrom('Allow' as const, 'Deny' as const),
    exceptions: fc.array(condition, { maxLength: 2 }),
    dropCondition: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ condition: c, sid, action, exceptions, dropCondition }): Omit<Rule, 'id' | 'name'> => {
    const base = { description: '', userOrGroupSid: sid, action, exceptions: c.kind === 'hash' ? [] : exceptions }
    if (dropCondition === 0) return { ...base, kind: 'path' } // malformed: no condition
    if (c.kind === 'path') return { ...base, kind: 'path', condition: c }
    if (c.kind === 'publisher') return { ...base, kind: 'publisher', condition: c }
    return { ...base, kind: 'hash', condition: c }
  })
const TYPES: CollectionType[] = ['Exe', 'Dll', 'Msi', 'Script', 'Appx']
const mode = fc.constantFrom<EnforcementMode>('Enabled', 'AuditOnly', 'NotConfigured')
const policy: fc.Arbitrary<Policy> = fc
  .array(
    fc.record({
      type: fc.constantFrom(...TYPES),
      mode,
      rules: fc.array(rule, { maxLength: 8 }),
      services: fc.option(fc.constantFrom('Enabled', 'NotConfigured', 'ServicesOnly'), { nil: undefined }),
    }),
    { maxLength: 6 },
  )
  .map((cs) => {
    let n = 0
    const collections: RuleCollection[] = cs.map((c) => ({
      type: c.type,
      enforcementMode: c.mode,
      ...(c.services ? { extensions: { threshold: true, services: { enforcementMode: c.services }, redstone: true } } : {}),
      rules: c.rules.map((r) => {
        n++
        return { ...r, id: `r${n}`, name: `rule ${n}` } as Rule
      }),
    }))
    return { version: '1', collections }
  })
const file: fc.Arbitrary<FileFacts> = fc.record({
  path: fc.oneof(pathText, fc.constantFrom('%SYSTEM32%\\CMD.EXE', '%OSDRIVE%\\USERS\\BOB\\A.EXE', 'C:/Tools/a.exe', '%HOT%\\x.exe')),
  publisher: fc.option(
    fc.record({
      name: fc.constantFrom(...PUBLISHERS),
      product: fc.constantFrom(...PRODUCTS, '*'),
      binary: fc.constantFrom(...BINARIES, 'CMD.EXE', 'CMDD.EXE', 'AB.EXE'),
      version: fc.constantFrom(...VERSIONS),
    }),
    { nil: undefined },
  ),
  hash: fc.option(fc.constantFrom(...HASHES, ''), { nil: undefined }),
  package: fc.option(fc.constantFrom('Contoso.Notes_1.0.0.0_x64__abc', ''), { nil: undefined, freq: 4 }),
  packageInstall: fc.option(fc.boolean(), { nil: undefined }),
  pe: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
})
const principal: fc.Arbitrary<Principal> = fc.record(
  {
    user: fc.option(fc.constantFrom(...SIDS), { nil: undefined }),
    groups: fc.subarray(SIDS),
    // An administrator running unelevated (UAC): Administrators counts for Executable rules only.
    elevated: fc.constantFrom(true, false),
  },
  { requiredKeys: ['groups'] },
)
const machine: fc.Arbitrary<MachineSettings> = fc.record({
  windir: fc.constantFrom('C:\\Windows', 'D:\\WINNT\\'),
  system32: fc.constantFrom(['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64'], ['D:\\WINNT\\System32']),
  programFiles: fc.constantFrom(['C:\\Program Files', 'C:\\Program Files (x86)'], []),
  osDrive: fc.constantFrom('C:', 'd'),
  removableDrives: fc.constantFrom(['D:'], [], ['E:', 'F']),
  hotDrives: fc.constantFrom(['E:'], []),
  appIdServiceRunning: fc.boolean(),
})
const override = fc.option(fc.dictionary(fc.constantFrom(...TYPES), mode), { nil: undefined })

const key = decisionOutcome

describe('compiled decide agrees with decideReference', () => {
  it('on generated policies, machines, principals and files', () => {
    fc.assert(
      fc.property(policy, machine, principal, fc.array(file, { minLength: 1, maxLength: 8 }), override, (p, m, who, files, modeOverride) => {
        const compiled = compilePolicy(p, m)
        for (const f of files) {
          const options = { modeOverride: modeOverride as Partial<Record<CollectionType, EnforcementMode>> | undefined }
          const ref = decideReference(p, f, who, m, options)
          const fast = decide(compiled, f, who, { ...options, explain: false })
          const full = decide(compiled, f, who, options)
          expect(key(fast)).toEqual(key(ref))
          expect(key(full)).toEqual(key(ref))
          expect(full.explanation).toEqual(ref.explanation)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('on files derived from a large generated policy (rules really match)', () => {
    const p = generatePolicy(600, 3)
    const compiled = compilePolicy(p)
    const files = generateFiles(p, 400, 11)
    for (const who of samplePrincipals()) {
      for (const f of files) {
        expect(key(decide(compiled, f, who, { explain: false }))).toEqual(key(decideReference(p, f, who, DEFAULT_MACHINE, { explain: false })))
      }
      // The explaining path (indexes, no early stop) names the same rules as the reference's walk over every rule.
      for (const f of files.slice(0, 60)) expect(decide(compiled, f, who).explanation).toEqual(decideReference(p, f, who).explanation)
    }
    // The inventory is not trivial: every decision kind occurs.
    const kinds = new Set(files.map((f) => decide(compiled, f, samplePrincipals()[3], { explain: false }).decision))
    expect([...kinds].sort()).toEqual(['Allowed', 'AllowedByDefault', 'Denied', 'DeniedByDefault'])
  })

  it('explanations of files matched by large groups (rules without exceptions counted in bulk) equal the reference', () => {
    // 5,000 rules: each `%ROOT%\\*` pattern is shared by dozens of rules, indexed by SID.
    const p = generatePolicy(5_000, 8)
    const compiled = compilePolicy(p)
    const files = generateFiles(p, 100, 5)
    let many = 0
    for (const who of [{ user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545', 'S-1-5-11', 'S-1-5-4'] }, samplePrincipals()[3]]) {
      for (const f of files) {
        const e = decide(compiled, f, who).explanation
        if (e.matchedCount + e.excludedCount > 25) many++
        expect(e).toEqual(decideReference(p, f, who).explanation)
      }
    }
    expect(many).toBeGreaterThan(3)
  }, 120_000)

  it('with every exception group taken as big (excluded rules counted per combination of matched exception groups)', () => {
    const saved = compileTuning.bigExceptionGroup
    compileTuning.bigExceptionGroup = 1
    try {
      fc.assert(
        fc.property(policy, machine, principal, fc.array(file, { minLength: 1, maxLength: 8 }), (p, m, who, files) => {
          const compiled = compilePolicy(p, m)
          for (const f of files) expect(decide(compiled, f, who)).toEqual(decideReference(p, f, who, m))
        }),
        { numRuns: 300 },
      )
      const p = generatePolicy(3_000, 9)
      const compiled = compilePolicy(p)
      const who = { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545', 'S-1-5-11', 'S-1-5-4'] }
      let excluded = 0
      for (const f of generateFiles(p, 150, 4)) {
        const d = decide(compiled, f, who)
        excluded += d.explanation.excludedCount
        expect(d).toEqual(decideReference(p, f, who))
      }
      expect(excluded).toBeGreaterThan(10)
    } finally {
      compileTuning.bigExceptionGroup = saved
    }
  }, 120_000)

  it('exceptions shared by many rules (big exception groups at the default size) count as the reference does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ sid: fc.constantFrom(...SIDS), action: fc.constantFrom('Allow' as const, 'Deny' as const), p: fc.constantFrom('%OSDRIVE%\\Users\\*', '*\\a.exe', 'C:\\Users\\bob\\a.exe', '*'), ex: fc.constantFrom(0, 1, 2, 3) }), { minLength: 40, maxLength: 120 }),
        principal,
        fc.constantFrom('C:\\Users\\bob\\AppData\\a.exe', '%OSDRIVE%\\USERS\\BOB\\A.EXE', 'C:\\Users\\bob\\Temp\\a.exe', 'C:\\Temp\\b.exe'),
        (rules, who, path) => {
          const exceptions: Condition[][] = [[], [{ kind: 'path', path: '*\\TEMP\\*' }], [{ kind: 'path', path: '*\\APPDATA\\*' }, { kind: 'path', path: '*\\TEMP\\*' }], [{ kind: 'path', path: '%OSDRIVE%\\Users\\*' }]]
          const p: Policy = {
            version: '1',
            collections: [
              {
                type: 'Exe',
                enforcementMode: 'Enabled',
                rules: rules.map((r, i): Rule => ({ kind: 'path', id: `r${i}`, name: `r${i}`, description: '', userOrGroupSid: r.sid, action: r.action, exceptions: exceptions[r.ex], condition: { kind: 'path', path: r.p } })),
              },
            ],
          }
          const compiled = compilePolicy(p)
          // Decided twice: the second time the counts come from the remembered combination.
          for (let k = 0; k < 2; k++) expect(decide(compiled, { path }, who)).toEqual(decideReference(p, { path }, who))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('long runs of rules an exception excludes (the fast path turns to the exception index; kept rules listed per combination)', () => {
    // Exceptions: none, shared ones (big groups at the default size of 32 when many rules have them),
    // one of the rule's own (small), a publisher and a hash exception.
    const shared: Condition[] = [
      { kind: 'path', path: '*\\TEMP\\*' },
      { kind: 'path', path: '%OSDRIVE%\\Users\\*' },
      { kind: 'publisher', publisherName: 'O=CONTOSO, C=US', productName: '*', binaryName: '*', versionRange: { low: '1.0.0.0', high: '*' } },
      { kind: 'hash', hashes: [{ type: 'SHA256', data: '0xAA11' }] },
    ]
    const run = (tuning: typeof compileTuning) => {
      const saved = { ...compileTuning }
      Object.assign(compileTuning, tuning)
      try {
        fc.assert(
          fc.property(
            fc.array(
              fc.record({
                sid: fc.constantFrom('S-1-1-0', 'S-1-5-32-545', 'S-1-5-32-544'),
                action: fc.constantFrom('Allow' as const, 'Allow' as const, 'Deny' as const),
                p: fc.constantFrom('%OSDRIVE%\\*', '*', '*\\a.exe'),
                // Most rules have an exception that excludes most files; a few have none.
                ex: fc.subarray([0, 1, 2, 3], { minLength: 1 }),
                plain: fc.integer({ min: 0, max: 40 }),
                own: fc.constantFrom(null, 'C:\\Users\\bob\\*', 'C:\\Temp\\*', '*\\b.exe'),
              }),
              { minLength: 20, maxLength: 150 },
            ),
            fc.array(
              fc.record({
                path: fc.constantFrom('C:\\Users\\bob\\Temp\\a.exe', 'C:\\Users\\bob\\a.exe', 'C:\\Temp\\a.exe', 'C:\\Tools\\a.exe', 'C:\\Tools\\b.exe'),
                publisher: fc.option(fc.record({ name: fc.constantFrom('O=CONTOSO, C=US', 'O=CONTOSO, C=US', 'O=FABRIKAM'), product: fc.constant('P'), binary: fc.constant('A.EXE'), version: fc.constantFrom('0.9.0.0', '2.0.0.0', '2.0.0.0') }), { nil: undefined, freq: 5 }),
                hash: fc.option(fc.constantFrom('0xAA11', '0xAA11', '0xBB22'), { nil: undefined, freq: 5 }),
              }),
              { minLength: 1, maxLength: 6 },
            ),
            fc.constantFrom<Principal>({ user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545'] }, { user: 'S-1-5-21-1-2-3-500', groups: ['S-1-5-32-544', 'S-1-5-32-545'] }),
            (rules, files, who) => {
              const p: Policy = {
                version: '1',
                collections: [
                  {
                    type: 'Exe',
                    enforcementMode: 'Enabled',
                    rules: rules.map((r, i): Rule => ({
                      kind: 'path',
                      id: `r${i}`,
                      name: `r${i}`,
                      description: '',
                      userOrGroupSid: r.sid,
                      action: r.action,
                      exceptions: r.plain === 0 ? [] : [...r.ex.map((k) => shared[k]), ...(r.own ? [{ kind: 'path' as const, path: r.own }] : [])],
                      condition: { kind: 'path', path: r.p },
                    })),
                  },
                ],
              }
              const compiled = compilePolicy(p)
              // Each file twice: the second time the kept rules come from the remembered combination.
              for (const f of [...files, ...files]) {
                const ref = decideReference(p, f, who)
                expect(key(decide(compiled, f, who, { explain: false }))).toEqual(key(ref))
                expect(decide(compiled, f, who)).toEqual(ref)
              }
            },
          ),
          { numRuns: 150 },
        )
      } finally {
        Object.assign(compileTuning, saved)
      }
    }
    run({ ...compileTuning })
    run({ bigExceptionGroup: 2, fastExceptionTests: 0, keptScan: 1 })
    run({ bigExceptionGroup: 32, fastExceptionTests: 2, keptScan: 0 })
  }, 120_000)

  it('many rules sharing one pattern, prefix or segment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ sid: fc.constantFrom(...SIDS), action: fc.constantFrom('Allow' as const, 'Deny' as const), p: fc.constantFrom('%OSDRIVE%\\Users\\*\\AppData\\*', '%OSDRIVE%\\Users\\*', '*\\a.exe', 'C:\\Users\\bob\\a.exe'), ex: fc.boolean() }), { minLength: 9, maxLength: 40 }),
        principal,
        fc.constantFrom('C:\\Users\\bob\\AppData\\a.exe', '%OSDRIVE%\\USERS\\BOB\\A.EXE', 'C:\\Users\\bob\\Temp\\a.exe'),
        (rules, who, path) => {
          const p: Policy = {
            version: '1',
            collections: [
              {
                type: 'Exe',
                enforcementMode: 'Enabled',
                rules: rules.map((r, i): Rule => ({ kind: 'path', id: `r${i}`, name: `r${i}`, description: '', userOrGroupSid: r.sid, action: r.action, exceptions: r.ex ? [{ kind: 'path', path: '*\\TEMP\\*' }] : [], condition: { kind: 'path', path: r.p } })),
              },
            ],
          }
          const ref = decideReference(p, { path }, who)
          expect(key(decide(compilePolicy(p), { path }, who, { explain: false }))).toEqual(key(ref))
          expect(decide(compilePolicy(p), { path }, who).explanation).toEqual(ref.explanation)
        },
      ),
      { numRuns: 300 },
    )
  })
})
