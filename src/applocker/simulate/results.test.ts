import { describe, expect, it } from 'vitest'
import type { CollectionType, EnforcementMode } from '../policy'
import type { Decision, Effect, PolicyDecision } from '../evaluate/types'
import { COLLECTION_TYPES } from '../policy'
import { prng } from '../../testing/prng'
import {
  EFFECTS,
  POLICY_DECISIONS,
  ResultsBuilder,
  emptyResults,
  compareResults,
  csvField,
  filterRows,
  impactSentence,
  resultRow,
  resultsToCsv,
  summarize,
  type SimRow,
  type SimulationResults,
} from './results'

function decision(
  collection: CollectionType | null,
  d: PolicyDecision,
  effect: Effect,
  rule: { id: string; name: string } | null = null,
  mode: EnforcementMode | null = 'AuditOnly',
  eventId: number | null = null,
): Decision {
  return {
    collection,
    decision: d,
    matchingRuleId: rule?.id ?? null,
    matchingRuleName: rule?.name ?? null,
    mode,
    effect,
    eventId,
    explanation: { steps: [], matched: [], excludedByException: [], matchedCount: 0, excludedCount: 0, notApplicableToPrincipal: 0, decidedBy: null },
  }
}

const allowWin = { id: 'a61c8b2c-a319-4cd0-9690-d2177cad7b51', name: '(Default Rule) All files located in the Windows folder' }
const denyMshta = { id: 'deny-1', name: 'No mshta, "really"' }

const rows: SimRow[] = [
  { path: 'C:\\Windows\\System32\\cmd.exe' },
  { path: 'C:\\Users\\bob\\Downloads\\setup.exe', user: 'S-1-5-21-1-2-3-1001', event: { id: 8003, policyName: 'EXE', ruleId: null, ruleName: null } },
  { path: 'C:\\Windows\\System32\\mshta.exe', publisher: { name: 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'MSHTA.EXE', version: '10.0.1.0' } },
  { path: 'C:\\Users\\bob\\run.ps1' },
  { path: 'C:\\Users\\bob\\notes.txt' },
]

/** An Exe collection in Audit only, a Script collection enforced, and a text file nobody governs. */
function build(): ResultsBuilder {
  const b = new ResultsBuilder(rows.length)
  b.set(0, decision('Exe', 'Allowed', 'runs', allowWin, 'AuditOnly', 8002), decision('Exe', 'Allowed', 'runs', allowWin, 'Enabled', 8002), decision('Exe', 'Allowed', 'runs', allowWin, 'AuditOnly', 8002))
  b.set(1, decision('Exe', 'DeniedByDefault', 'audited', null, 'AuditOnly', 8003), decision('Exe', 'DeniedByDefault', 'blocked', null, 'Enabled', 8004), decision('Exe', 'DeniedByDefault', 'audited', null, 'AuditOnly', 8003))
  b.set(2, decision('Exe', 'Denied', 'audited', denyMshta, 'AuditOnly', 8003), decision('Exe', 'Denied', 'blocked', denyMshta, 'Enabled', 8004), decision('Exe', 'Denied', 'audited', denyMshta, 'AuditOnly', 8003))
  b.set(3, decision('Script', 'DeniedByDefault', 'blocked', null, 'Enabled', 8007), decision('Script', 'DeniedByDefault', 'blocked', null, 'Enabled', 8007), decision('Script', 'DeniedByDefault', 'audited', null, 'AuditOnly', 8006))
  const ng = decision(null, 'AllowedByDefault', 'not-governed', null, null, null)
  b.set(4, ng, ng, ng)
  return b
}

describe('ResultsBuilder and resultRow', () => {
  it('keeps every column of a decision and deduplicates deciding rules', () => {
    const b = build()
    b.set(0, decision('Exe', 'Allowed', 'runs', allowWin), decision('Exe', 'Allowed', 'runs', allowWin), decision('Exe', 'Allowed', 'runs', allowWin))
    const r = b.results
    expect(r.rules).toEqual([allowWin, denyMshta])
    expect(resultRow(r, 2)).toEqual({
      collection: 'Exe',
      decision: 'Denied',
      effect: 'audited',
      enforceEffect: 'blocked',
      auditEffect: 'audited',
      eventId: 8003,
      rule: denyMshta,
    })
    expect(resultRow(r, 4)).toMatchObject({ collection: null, effect: 'not-governed', eventId: null, rule: null })
  })
})

/** summarize as it was first written: named fields incremented row by row (the reference). */
function tally(r: SimulationResults, rows?: number[]) {
  const zero = () => Object.fromEntries(EFFECTS.map((e) => [e, 0])) as Record<Effect, number>
  const zeroD = () => Object.fromEntries(POLICY_DECISIONS.map((d) => [d, 0])) as Record<PolicyDecision, number>
  const per = COLLECTION_TYPES.map((collection) => ({ collection, total: 0, effects: zero(), decisions: zeroD(), ifEnforced: zero(), ifAuditOnly: zero() }))
  const all = { total: 0, effects: zero(), decisions: zeroD(), notGoverned: 0, collections: [] as typeof per }
  for (const i of rows ?? Array.from({ length: r.count }, (_, k) => k)) {
    all.total++
    all.effects[EFFECTS[r.effect[i]]]++
    const c = r.collection[i]
    if (c < 0) {
      all.notGoverned++
      continue
    }
    all.decisions[POLICY_DECISIONS[r.decision[i]]]++
    const s = per[c]
    s.total++
    s.effects[EFFECTS[r.effect[i]]]++
    s.decisions[POLICY_DECISIONS[r.decision[i]]]++
    s.ifEnforced[EFFECTS[r.enforceEffect[i]]]++
    s.ifAuditOnly[EFFECTS[r.auditEffect[i]]]++
  }
  all.collections = per.filter((s) => s.total > 0)
  return all
}

describe('summarize', () => {
  it('counts effects and decisions per collection and the Enforce / Audit-only what-ifs', () => {
    const s = summarize(build().results)
    expect(s.total).toBe(5)
    expect(s.notGoverned).toBe(1)
    expect(s.effects).toEqual({ runs: 1, blocked: 1, audited: 2, 'not-governed': 1, 'constrained-language': 0 })
    expect(s.decisions).toEqual({ Allowed: 1, AllowedByDefault: 0, Denied: 1, DeniedByDefault: 2 })
    expect(s.collections.map((c) => c.collection)).toEqual(['Exe', 'Script'])
    const exe = s.collections[0]
    expect(exe.total).toBe(3)
    expect(exe.ifEnforced).toEqual({ runs: 1, blocked: 2, audited: 0, 'not-governed': 0, 'constrained-language': 0 })
    expect(exe.ifAuditOnly).toEqual({ runs: 1, blocked: 0, audited: 2, 'not-governed': 0, 'constrained-language': 0 })
    expect(impactSentence(exe, 'Executable Rules', 'AuditOnly')).toBe('Switching Executable Rules to Enforce rules would block 2 files.')
    const script = s.collections[1]
    expect(impactSentence(script, 'Script Rules', 'Enabled')).toMatch(/^Script Rules block 1 file; switching to Audit only/)
  })

  it('counts as a row-by-row tally of named fields does, on random results and subsets', () => {
    const random = prng(13)
    const int = (n: number) => Math.floor(random() * n)
    for (let round = 0; round < 20; round++) {
      const count = int(400)
      const r = emptyResults(count)
      for (let i = 0; i < count; i++) {
        r.collection[i] = int(COLLECTION_TYPES.length + 1) - 1
        r.decision[i] = int(POLICY_DECISIONS.length)
        r.effect[i] = int(EFFECTS.length)
        r.enforceEffect[i] = int(EFFECTS.length)
        r.auditEffect[i] = int(EFFECTS.length)
      }
      const subset = round % 2 ? Array.from({ length: int(count + 1) }, () => int(count)) : undefined
      expect(summarize(r, subset)).toEqual(tally(r, subset))
    }
  })

  it('summarizes a subset of rows', () => {
    const s = summarize(build().results, [1, 3])
    expect(s.total).toBe(2)
    expect(s.effects.blocked).toBe(1)
    expect(s.effects.audited).toBe(1)
  })
})

describe('filterRows', () => {
  const r = build().results
  it('filters by effect, decision, collection, rule and text', () => {
    expect(Array.from(filterRows(r, rows, {}))).toEqual([0, 1, 2, 3, 4])
    expect(Array.from(filterRows(r, rows, { effects: ['audited'] }))).toEqual([1, 2])
    expect(Array.from(filterRows(r, rows, { decisions: ['DeniedByDefault'] }))).toEqual([1, 3])
    expect(Array.from(filterRows(r, rows, { collections: ['Script', 'none'] }))).toEqual([3, 4])
    expect(Array.from(filterRows(r, rows, { rule: 1 }))).toEqual([2])
    expect(Array.from(filterRows(r, rows, { rule: -1, collections: ['Exe'] }))).toEqual([1])
    expect(Array.from(filterRows(r, rows, { text: 'USERS\\BOB' }))).toEqual([1, 3, 4])
  })
})

describe('compareResults', () => {
  it('lists the rows whose decision, effect or deciding rule changes', () => {
    const before = build().results
    const b = build()
    // The mshta Deny rule removed: now allowed by the Windows rule.
    b.set(2, decision('Exe', 'Allowed', 'runs', allowWin), decision('Exe', 'Allowed', 'runs', allowWin), decision('Exe', 'Allowed', 'runs', allowWin))
    const after = b.results
    const changes = compareResults(before, after)
    expect(changes.map((c) => c.index)).toEqual([2])
    expect(changes[0].before.decision).toBe('Denied')
    expect(changes[0].after.decision).toBe('Allowed')
    expect(changes[0].after.rule).toEqual(allowWin)
    expect(compareResults(after, after)).toEqual([])
  })
})

describe('CSV export', () => {
  it('quotes fields with commas and quotes and neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('=cmd|calc')).toBe("'=cmd|calc")
  })

  it('writes one line per row with the inventory columns first', () => {
    const csv = resultsToCsv(rows, build().results)
    const lines = csv.trimEnd().split('\r\n')
    expect(lines).toHaveLength(6)
    expect(lines[0]).toBe('Path,Publisher,ProductName,BinaryName,Version,Hash,User,Collection,PolicyDecision,Effect,EventId,MatchingRuleId,MatchingRule,IfEnforced,IfAuditOnly,LoggedEventId,LoggedRule')
    expect(lines[2]).toBe('C:\\Users\\bob\\Downloads\\setup.exe,,,,,,S-1-5-21-1-2-3-1001,Exe,DeniedByDefault,audited,8003,,,blocked,audited,8003,')
    expect(lines[3]).toBe(
      'C:\\Windows\\System32\\mshta.exe,"O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US",MICROSOFT® WINDOWS® OPERATING SYSTEM,MSHTA.EXE,10.0.1.0,,,Exe,Denied,audited,8003,deny-1,"No mshta, ""really""",blocked,audited,,',
    )
    expect(lines[5]).toBe('C:\\Users\\bob\\notes.txt,,,,,,,,AllowedByDefault,not-governed,,,,not-governed,not-governed,,')
    expect(resultsToCsv(rows, build().results, [3]).trimEnd().split('\r\n')).toHaveLength(2)
  })
})
