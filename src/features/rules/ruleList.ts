/**
 * The rule list's data: one row per rule with display strings computed once, filtering, sorting
 * and multi-selection (click, Ctrl+click, Shift+click). Pure TypeScript, unit-tested.
 */
import type { Diagnostic } from '../../applocker/diagnostics'
import type { Condition, Rule, RuleAction, RuleKind } from '../../applocker/policy'
import { RULE_KIND_LABELS, exceptionConditions } from '../../applocker/policy'
import { sidDisplayName } from '../../applocker/sids'
import { EMPTY_SELECTION, type Selection } from './viewStore'

export interface RuleRow {
  /** Index of the rule in its collection (what the core's ops take). */
  index: number
  /** Stable key for selection: the Id in lower case, or "#index" for a rule without Id. */
  key: string
  rule: Rule
  action: RuleAction
  sid: string
  user: string
  name: string
  kind: RuleKind
  kindLabel: string
  condition: string
  exceptions: number
  errors: string[]
  warnings: string[]
  /** Lower-case text the filter box searches. */
  haystack: string
}

function versionText(low: string, high: string): string {
  if (low === '*' && high === '*') return 'any version'
  if (high === '*') return `${low} and above`
  if (low === '*') return `${high} and below`
  if (low === high) return `version ${low}`
  return `${low} to ${high}`
}

/** A one-line summary of a condition, as the snap-in's list shows it. */
export function conditionSummary(c: Condition | undefined): string {
  if (!c) return '(no condition)'
  switch (c.kind) {
    case 'path':
      return c.path
    case 'publisher': {
      const v = c.versionRange ? versionText(c.versionRange.low, c.versionRange.high) : 'no version range'
      return `${c.publisherName} / ${c.productName || '(empty)'} / ${c.binaryName || '(empty)'} / ${v}`
    }
    case 'hash': {
      const names = c.hashes.map((h) => h.sourceFileName || `${h.data.slice(0, 18)}...`)
      return names.length === 1 ? `${names[0]} (${c.hashes[0].type})` : `${names.length} files: ${names.join(', ')}`
    }
  }
}

export function rowKey(rule: Rule, index: number): string {
  return rule.id ? rule.id.toLowerCase() : `#${index}`
}

export interface RuleProblems {
  errors: string[]
  warnings: string[]
}

/**
 * Validation messages by rule object. Keyed by identity, not index, so messages computed for an
 * older version of the policy still land on the right rules (edits share unchanged rule objects).
 */
export function ruleProblems(rules: readonly Rule[], diagnostics: readonly Diagnostic[], collectionIndex: number): Map<Rule, RuleProblems> {
  const out = new Map<Rule, RuleProblems>()
  for (const d of diagnostics) {
    if (!d.ref || d.ref.collection !== collectionIndex || d.ref.rule === undefined || d.severity === 'info') continue
    const rule = rules[d.ref.rule]
    if (!rule) continue
    let p = out.get(rule)
    if (!p) out.set(rule, (p = { errors: [], warnings: [] }))
    ;(d.severity === 'error' ? p.errors : p.warnings).push(d.message)
  }
  return out
}

type RowBase = Omit<RuleRow, 'index' | 'key' | 'rule' | 'errors' | 'warnings'>

// Display strings per rule object, computed when first shown, filtered or sorted (not for all
// 50,000 rows when a policy opens); after an edit only the changed rules are computed again.
const baseCache = new WeakMap<Rule, RowBase>()

function rowBase(rule: Rule): RowBase {
  let b = baseCache.get(rule)
  if (b) return b
  const user = sidDisplayName(rule.userOrGroupSid)
  const condition = conditionSummary(rule.condition)
  const kindLabel = RULE_KIND_LABELS[rule.kind]
  b = {
    action: rule.action,
    sid: rule.userOrGroupSid,
    user,
    name: rule.name,
    kind: rule.kind,
    kindLabel,
    condition,
    exceptions: exceptionConditions(rule).length,
    haystack: `${rule.action}\n${user}\n${rule.userOrGroupSid}\n${rule.name}\n${rule.description}\n${kindLabel}\n${condition}\n${rule.id}`.toLowerCase(),
  }
  baseCache.set(rule, b)
  return b
}

const NO_PROBLEMS: RuleProblems = { errors: [], warnings: [] }

/** A row whose display strings are computed on first use. */
class Row implements RuleRow {
  readonly errors: string[]
  readonly warnings: string[]
  constructor(
    readonly index: number,
    readonly key: string,
    readonly rule: Rule,
    p: RuleProblems,
  ) {
    this.errors = p.errors
    this.warnings = p.warnings
  }
  get action() {
    return this.rule.action
  }
  get sid() {
    return this.rule.userOrGroupSid
  }
  get name() {
    return this.rule.name
  }
  get kind() {
    return this.rule.kind
  }
  get user() {
    return rowBase(this.rule).user
  }
  get kindLabel() {
    return rowBase(this.rule).kindLabel
  }
  get condition() {
    return rowBase(this.rule).condition
  }
  get exceptions() {
    return rowBase(this.rule).exceptions
  }
  get haystack() {
    return rowBase(this.rule).haystack
  }
}

/** Rows of one collection, with the validation messages of its rules. */
export function buildRows(rules: readonly Rule[], problems: ReadonlyMap<Rule, RuleProblems> = new Map()): RuleRow[] {
  return rules.map((rule, index) => new Row(index, rule.id ? rule.id.toLowerCase() : `#${index}`, rule, problems.get(rule) ?? NO_PROBLEMS))
}

export interface RowFilter {
  text: string
  kind: RuleKind | 'all'
  action: RuleAction | 'all'
  /** A SID (compared case-insensitively) or 'all'. */
  sid: string
}

export const NO_FILTER: RowFilter = { text: '', kind: 'all', action: 'all', sid: 'all' }

/** Rows that pass every filter; the text filter needs every word somewhere in the row. */
export function filterRows(rows: readonly RuleRow[], f: RowFilter): RuleRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean)
  const sid = f.sid === 'all' ? null : f.sid.toUpperCase()
  if (!words.length && f.kind === 'all' && f.action === 'all' && sid === null) return rows as RuleRow[]
  return rows.filter(
    (r) =>
      (f.kind === 'all' || r.kind === f.kind) &&
      (f.action === 'all' || r.action === f.action) &&
      (sid === null || r.sid.toUpperCase() === sid) &&
      words.every((w) => r.haystack.includes(w)),
  )
}

export const SORT_KEYS = ['action', 'user', 'name', 'condition', 'exceptions'] as const
export type SortKey = (typeof SORT_KEYS)[number]
export interface Sort {
  key: SortKey
  direction: 'ascending' | 'descending'
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

// Lower-case sort keys per row text, cached: comparing plain strings is several times faster than
// a collator on 50,000 rows.
const lowerCache = new Map<string, string>()
function lower(s: string): string {
  let l = lowerCache.get(s)
  if (l === undefined) {
    if (lowerCache.size > 200_000) lowerCache.clear()
    l = s.toLowerCase()
    lowerCache.set(s, l)
  }
  return l
}
function cmpText(a: string, b: string): number {
  const x = lower(a)
  const y = lower(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** A stable sort (ties keep collection order). `null` keeps collection order. */
export function sortRows(rows: readonly RuleRow[], sort: Sort | null): RuleRow[] {
  if (!sort) return rows as RuleRow[]
  const sign = sort.direction === 'ascending' ? 1 : -1
  const key = sort.key
  const cmp =
    key === 'exceptions'
      ? (a: RuleRow, b: RuleRow) => a.exceptions - b.exceptions
      : key === 'condition'
        ? (a: RuleRow, b: RuleRow) => cmpText(a.kindLabel, b.kindLabel) || cmpText(a.condition, b.condition)
        : (a: RuleRow, b: RuleRow) => cmpText(a[key], b[key])
  return [...rows].sort((a, b) => sign * cmp(a, b) || a.index - b.index)
}

/** The distinct users/groups of a collection, for the "User or group" filter, sorted by name. */
export function distinctUsers(rows: readonly RuleRow[]): { sid: string; name: string }[] {
  // The same SID is mostly written the same way: look at each spelling once (50,000 rows, a few SIDs).
  const spellings = new Set<string>()
  for (const r of rows) spellings.add(r.sid)
  const seen = new Map<string, { sid: string; name: string }>()
  for (const sid of spellings) {
    const k = sid.toUpperCase()
    if (!seen.has(k)) seen.set(k, { sid, name: sidDisplayName(sid) })
  }
  return [...seen.values()].sort((a, b) => collator.compare(a.name, b.name))
}

// ---------------------------------------------------------------------------------------------
// Selection
// ---------------------------------------------------------------------------------------------

// The selection's type and its empty value live with the view's store (viewStore.ts), which the shell loads.
export { EMPTY_SELECTION, type Selection }

/**
 * A click on a row: plain click selects only it; Ctrl/Cmd toggles it; Shift selects the range from
 * the anchor in the order rows are shown (Ctrl+Shift adds the range). `order` is the visible keys.
 */
export function clickSelect(sel: Selection, key: string, order: readonly string[], mods: { shift?: boolean; ctrl?: boolean }): Selection {
  if (mods.shift && sel.anchor !== null) {
    const a = order.indexOf(sel.anchor)
    const b = order.indexOf(key)
    if (a >= 0 && b >= 0) {
      const [from, to] = a < b ? [a, b] : [b, a]
      const keys = new Set(mods.ctrl ? sel.keys : [])
      for (let i = from; i <= to; i++) keys.add(order[i])
      return { keys, anchor: sel.anchor }
    }
  }
  if (mods.ctrl) return toggleSelect(sel, key)
  return { keys: new Set([key]), anchor: key }
}

/** The row's checkbox: adds or removes the row, keeps the rest. */
export function toggleSelect(sel: Selection, key: string): Selection {
  const keys = new Set(sel.keys)
  if (keys.has(key)) keys.delete(key)
  else keys.add(key)
  return { keys, anchor: key }
}

/**
 * Keeps only keys still present in `order` (the rows' keys, after an edit, a filter change or an
 * undo). Same object when nothing changed. Nothing is looked up for an empty selection: a set of
 * 20,000 fresh keys costs the first drawing of an imported policy about 15 ms.
 */
export function pruneSelection(sel: Selection, order: readonly string[]): Selection {
  if (sel.keys.size === 0 && sel.anchor === null) return sel
  const present = new Set(order)
  let changed = false
  const keys = new Set<string>()
  for (const k of sel.keys) {
    if (present.has(k)) keys.add(k)
    else changed = true
  }
  const anchor = sel.anchor !== null && present.has(sel.anchor) ? sel.anchor : null
  if (!changed && anchor === sel.anchor) return sel
  return { keys, anchor }
}

/** Collection indices of the selected rows, ascending. */
export function selectedIndices(rows: readonly RuleRow[], sel: Selection): number[] {
  if (sel.keys.size === 0) return []
  return rows.filter((r) => sel.keys.has(r.key)).map((r) => r.index)
}

/**
 * Where a rule opened for editing is now, after whatever happened to the policy meanwhile (undo,
 * redo, another tab's save): the same rule object if it is still there, else the one rule with its
 * Id (another tab's copy of it). -1 when it is gone or its Id is no longer unique, so a save never
 * lands on a different rule.
 */
export function findEditedRule(rules: readonly Rule[], rule: Rule): number {
  const same = rules.indexOf(rule)
  if (same >= 0) return same
  if (!rule.id) return -1
  const id = rule.id.toLowerCase()
  let found = -1
  for (let i = 0; i < rules.length; i++) {
    if (rules[i].id.toLowerCase() !== id) continue
    if (found >= 0) return -1
    found = i
  }
  return found
}
