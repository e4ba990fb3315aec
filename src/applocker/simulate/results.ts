/**
 * The results of simulating a policy over an inventory of files, kept column by column in typed
 * arrays so 100,000 rows cost a few megabytes and move between a Worker and the page without
 * copying (transferable buffers). Summaries, comparison and CSV export work on this form.
 */
import { csvField } from '../csv'
import { COLLECTION_TYPES, type CollectionType } from '../policy'
import type { Decision, Effect, PolicyDecision } from '../evaluate/types'
import type { InventoryFile } from '../inventory/types'

/** Index order of the effect columns (new values only ever appended). */
export const EFFECTS: readonly Effect[] = ['runs', 'blocked', 'audited', 'not-governed', 'constrained-language']
export const POLICY_DECISIONS: readonly PolicyDecision[] = ['Allowed', 'AllowedByDefault', 'Denied', 'DeniedByDefault']

/** Words a person reads for each effect. */
export const EFFECT_LABELS: Record<Effect, string> = {
  runs: 'Runs',
  blocked: 'Blocked',
  audited: 'Runs, logged as "would have been prevented"',
  'not-governed': 'Not governed by AppLocker',
  'constrained-language': 'Runs in Constrained Language Mode',
}

/** One row of an inventory: a file, the user (events) and its line in the inventory file. */
export type SimRow = InventoryFile

/** A rule that decided at least one file. */
export interface DecidingRule {
  id: string
  name: string
}

export interface SimulationResults {
  count: number
  /** Index in COLLECTION_TYPES, -1 when no collection governs the file. */
  collection: Int8Array
  /** Index in POLICY_DECISIONS. */
  decision: Uint8Array
  /** Index in EFFECTS, under the policy's own modes. */
  effect: Uint8Array
  /** Index in EFFECTS if the file's collection were set to Enforce rules. */
  enforceEffect: Uint8Array
  /** Index in EFFECTS if the file's collection were set to Audit only. */
  auditEffect: Uint8Array
  /** Index in `rules` of the deciding rule, -1 when decided by default. */
  rule: Int32Array
  /** Event ID Windows would log, 0 when none. */
  eventId: Uint16Array
  rules: DecidingRule[]
}

export function emptyResults(count: number): SimulationResults {
  return {
    count,
    collection: new Int8Array(count).fill(-1),
    decision: new Uint8Array(count),
    effect: new Uint8Array(count),
    enforceEffect: new Uint8Array(count),
    auditEffect: new Uint8Array(count),
    rule: new Int32Array(count).fill(-1),
    eventId: new Uint16Array(count),
    rules: [],
  }
}

/** The buffers of a result set, to transfer it to or from a Worker. */
export function resultBuffers(r: SimulationResults): ArrayBuffer[] {
  return [r.collection, r.decision, r.effect, r.enforceEffect, r.auditEffect, r.rule, r.eventId].map((a) => a.buffer as ArrayBuffer)
}

/** Fills a results set row by row; keeps the table of deciding rules deduplicated. */
export class ResultsBuilder {
  readonly results: SimulationResults
  private readonly ruleIndex = new Map<string, number>()

  constructor(count: number) {
    this.results = emptyResults(count)
  }

  /**
   * Records row `i`: `d` is the decision under the policy's modes, `enforced` and `audited` the
   * decisions with the file's collection overridden to Enforce rules / Audit only.
   */
  set(i: number, d: Decision, enforced: Decision, audited: Decision): void {
    const r = this.results
    r.collection[i] = d.collection === null ? -1 : COLLECTION_TYPES.indexOf(d.collection)
    r.decision[i] = POLICY_DECISIONS.indexOf(d.decision)
    r.effect[i] = EFFECTS.indexOf(d.effect)
    r.enforceEffect[i] = EFFECTS.indexOf(enforced.effect)
    r.auditEffect[i] = EFFECTS.indexOf(audited.effect)
    r.eventId[i] = d.eventId ?? 0
    if (d.matchingRuleId === null) r.rule[i] = -1
    else {
      const key = `${d.collection}\u0000${d.matchingRuleId}\u0000${d.matchingRuleName ?? ''}`
      let k = this.ruleIndex.get(key)
      if (k === undefined) {
        k = r.rules.length
        r.rules.push({ id: d.matchingRuleId, name: d.matchingRuleName ?? d.matchingRuleId })
        this.ruleIndex.set(key, k)
      }
      r.rule[i] = k
    }
  }
}

/** Row `i` of a results set in words. */
export interface ResultRow {
  collection: CollectionType | null
  decision: PolicyDecision
  effect: Effect
  enforceEffect: Effect
  auditEffect: Effect
  eventId: number | null
  rule: DecidingRule | null
}

export function resultRow(r: SimulationResults, i: number): ResultRow {
  const c = r.collection[i]
  const k = r.rule[i]
  return {
    collection: c < 0 ? null : COLLECTION_TYPES[c],
    decision: POLICY_DECISIONS[r.decision[i]],
    effect: EFFECTS[r.effect[i]],
    enforceEffect: EFFECTS[r.enforceEffect[i]],
    auditEffect: EFFECTS[r.auditEffect[i]],
    eventId: r.eventId[i] === 0 ? null : r.eventId[i],
    rule: k < 0 ? null : r.rules[k],
  }
}

// ---------------------------------------------------------------------------------------------
// Summaries

export type EffectCounts = Record<Effect, number>

export interface CollectionSummary {
  collection: CollectionType
  total: number
  /** Under the policy's own modes. */
  effects: EffectCounts
  decisions: Record<PolicyDecision, number>
  /** If this collection were set to Enforce rules / Audit only (other collections unchanged). */
  ifEnforced: EffectCounts
  ifAuditOnly: EffectCounts
}

export interface SimulationSummary {
  total: number
  effects: EffectCounts
  decisions: Record<PolicyDecision, number>
  /** Files of a type AppLocker does not govern. */
  notGoverned: number
  /** One entry per collection that governs at least one file of the inventory, in COLLECTION_TYPES order. */
  collections: CollectionSummary[]
}

function zeroDecisions(): Record<PolicyDecision, number> {
  return { Allowed: 0, AllowedByDefault: 0, Denied: 0, DeniedByDefault: 0 }
}

/**
 * Counts per effect and decision, overall and per collection, with the Enforce / Audit-only what-ifs.
 * Counted by column index into small typed arrays, then named: 100,000 rows cost about a
 * millisecond (incrementing named fields row by row took 25-35 ms of the page's thread).
 */
export function summarize(r: SimulationResults, rows?: ArrayLike<number>): SimulationSummary {
  const E = EFFECTS.length
  const D = POLICY_DECISIONS.length
  const C = COLLECTION_TYPES.length
  // Per collection: its total, then effects, decisions, Enforce effects and Audit-only effects.
  const stride = 1 + E + D + E + E
  const per = new Int32Array(C * stride)
  const effects = new Int32Array(E)
  let notGoverned = 0
  const n = rows ? rows.length : r.count
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j] : j
    effects[r.effect[i]]++
    const c = r.collection[i]
    if (c < 0) {
      notGoverned++
      continue
    }
    const at = c * stride
    per[at]++
    per[at + 1 + r.effect[i]]++
    per[at + 1 + E + r.decision[i]]++
    per[at + 1 + E + D + r.enforceEffect[i]]++
    per[at + 1 + E + D + E + r.auditEffect[i]]++
  }
  const named = <K extends string>(keys: readonly K[], from: Int32Array | number[], offset: number): Record<K, number> => {
    const out = {} as Record<K, number>
    keys.forEach((k, x) => (out[k] = from[offset + x]))
    return out
  }
  const all: SimulationSummary = { total: n, effects: named(EFFECTS, effects, 0), decisions: zeroDecisions(), notGoverned, collections: [] }
  COLLECTION_TYPES.forEach((collection, c) => {
    const at = c * stride
    if (per[at] === 0) return
    const s: CollectionSummary = {
      collection,
      total: per[at],
      effects: named(EFFECTS, per, at + 1),
      decisions: named(POLICY_DECISIONS, per, at + 1 + E),
      ifEnforced: named(EFFECTS, per, at + 1 + E + D),
      ifAuditOnly: named(EFFECTS, per, at + 1 + E + D + E),
    }
    for (const d of POLICY_DECISIONS) all.decisions[d] += s.decisions[d]
    all.collections.push(s)
  })
  return all
}

/**
 * The sentence a person wants from the Enforce vs Audit-only comparison, for a collection whose
 * current mode is `mode`: "Switching Script Rules to Enforce rules would block 37 files."
 */
export function impactSentence(s: CollectionSummary, label: string, mode: 'Enabled' | 'AuditOnly' | 'NotConfigured' | null): string {
  const files = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'file' : 'files'}`
  // PowerShell scripts the policy does not allow still run, in Constrained Language Mode (script-rules-in-applocker).
  const clm = (n: number) => (n === 0 ? '' : ` (and ${n.toLocaleString('en-US')} PowerShell ${n === 1 ? 'script' : 'scripts'} would run only in Constrained Language Mode)`)
  if (mode === 'AuditOnly') {
    const n = s.ifEnforced.blocked
    const c = clm(s.ifEnforced['constrained-language'])
    return n === 0 ? `Switching ${label} to Enforce rules would block no file of this inventory${c}.` : `Switching ${label} to Enforce rules would block ${files(n)}${c}.`
  }
  const blocked = s.effects.blocked
  const c = s.effects['constrained-language']
  const restricted = c === 0 ? '' : `; ${c.toLocaleString('en-US')} PowerShell ${c === 1 ? 'script runs' : 'scripts run'} only in Constrained Language Mode`
  if (blocked === 0) return `${label} block no file of this inventory${restricted}; Audit only would log ${files(s.ifAuditOnly.audited)}.`
  return `${label} block ${files(blocked)}${restricted}; switching to Audit only would let them run and log them as "would have been prevented".`
}

// ---------------------------------------------------------------------------------------------
// Filtering

export interface ResultFilter {
  /** Effects to keep (empty: all). */
  effects?: readonly Effect[]
  /** Decisions to keep (empty: all). */
  decisions?: readonly PolicyDecision[]
  /** Collections to keep; 'none' keeps files no collection governs (empty: all). */
  collections?: readonly (CollectionType | 'none')[]
  /** Index in `rules`, or -1 for "decided by default" (undefined: all). */
  rule?: number
  /** Case-insensitive text the path must contain. */
  text?: string
}

/** Indices of the rows that pass the filter, in inventory order. */
export function filterRows(r: SimulationResults, rows: readonly SimRow[], f: ResultFilter): Int32Array {
  const effects = f.effects?.length ? new Set(f.effects.map((e) => EFFECTS.indexOf(e))) : null
  const decisions = f.decisions?.length ? new Set(f.decisions.map((d) => POLICY_DECISIONS.indexOf(d))) : null
  const collections = f.collections?.length ? new Set(f.collections.map((c) => (c === 'none' ? -1 : COLLECTION_TYPES.indexOf(c)))) : null
  const text = f.text?.trim().toLowerCase() || null
  const out = new Int32Array(r.count)
  let n = 0
  for (let i = 0; i < r.count; i++) {
    if (effects && !effects.has(r.effect[i])) continue
    if (collections && !collections.has(r.collection[i])) continue
    if (decisions && (r.collection[i] < 0 || !decisions.has(r.decision[i]))) continue
    if (f.rule !== undefined && r.rule[i] !== f.rule) continue
    if (text && !rows[i].path.toLowerCase().includes(text)) continue
    out[n++] = i
  }
  return out.slice(0, n)
}

// ---------------------------------------------------------------------------------------------
// Comparison of two result sets over the same inventory

export interface DecisionChange {
  /** Row index in the inventory. */
  index: number
  before: ResultRow
  after: ResultRow
}

/**
 * The rows whose decision, effect or deciding rule differs between `before` (e.g. the policy before
 * the latest edits, or another policy file) and `after` (the current policy).
 */
export function compareResults(before: SimulationResults, after: SimulationResults): DecisionChange[] {
  const n = Math.min(before.count, after.count)
  const out: DecisionChange[] = []
  for (let i = 0; i < n; i++) {
    const ruleBefore = before.rule[i] < 0 ? null : before.rules[before.rule[i]]
    const ruleAfter = after.rule[i] < 0 ? null : after.rules[after.rule[i]]
    const sameRule = (ruleBefore?.id ?? null) === (ruleAfter?.id ?? null)
    if (before.decision[i] === after.decision[i] && before.effect[i] === after.effect[i] && before.collection[i] === after.collection[i] && sameRule) continue
    out.push({ index: i, before: resultRow(before, i), after: resultRow(after, i) })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// CSV export

// One CSV writer for the app and the CLI (csv.ts): formula-like cells are neutralised there.
export { csvField }

export const RESULTS_CSV_HEADER = [
  'Path',
  'Publisher',
  'ProductName',
  'BinaryName',
  'Version',
  'Hash',
  'User',
  'Collection',
  'PolicyDecision',
  'Effect',
  'EventId',
  'MatchingRuleId',
  'MatchingRule',
  'IfEnforced',
  'IfAuditOnly',
  'LoggedEventId',
  'LoggedRule',
] as const

/**
 * The results as CSV (CRLF line ends, the first columns in the inventory CSV format so the file can
 * be loaded again; for events, the last two columns say what Windows logged). `users[i]` is the principal's user SID shown for row i, when there is one.
 */
export function resultsToCsv(rows: readonly SimRow[], r: SimulationResults, indices?: ArrayLike<number>, users?: (i: number) => string): string {
  return RESULTS_CSV_HEADER.join(',') + '\r\n' + resultsCsvLines(rows, r, 0, resultsCsvCount(rows, r, indices), indices, users)
}

/** How many lines (besides the header) resultsToCsv writes. */
export function resultsCsvCount(rows: readonly SimRow[], r: SimulationResults, indices?: ArrayLike<number>): number {
  return indices ? indices.length : Math.min(rows.length, r.count)
}

/**
 * Lines `from` to `to` (exclusive) of resultsToCsv after its header, each ending in CRLF: a large export
 * is written a slice at a time, the page answering in between (src/lib/resultsCsv.ts).
 */
export function resultsCsvLines(rows: readonly SimRow[], r: SimulationResults, from: number, to: number, indices?: ArrayLike<number>, users?: (i: number) => string): string {
  const lines: string[] = []
  for (let j = from; j < to; j++) {
    const i = indices ? indices[j] : j
    const f = rows[i]
    const x = resultRow(r, i)
    lines.push(
      [
        f.path,
        f.publisher?.name ?? '',
        f.publisher?.product ?? '',
        f.publisher?.binary ?? '',
        f.publisher?.version ?? '',
        f.hash ?? '',
        users ? users(i) : (f.user ?? ''),
        x.collection ?? '',
        x.decision,
        x.effect,
        x.eventId === null ? '' : String(x.eventId),
        x.rule?.id ?? '',
        x.rule?.name ?? '',
        x.enforceEffect,
        x.auditEffect,
        f.event ? String(f.event.id) : '',
        f.event ? (f.event.ruleName ?? '') : '',
      ]
        .map(csvField)
        .join(','),
    )
  }
  return lines.length ? lines.join('\r\n') + '\r\n' : ''
}
