/**
 * Which rules earn their place: for each rule of the policy, how many files of an inventory it decided (it was the
 * deciding rule: the first matching Deny, else the first matching Allow, in document order), the rules that decided
 * none (candidates to remove, for this inventory and principal), and the broad path rules (Allow, with a wildcard)
 * that allow most files. Pure; works on the simulation's results (the app) or on plain decisions (the CLI).
 */
import { describeCondition } from '../generate'
import { COLLECTION_TYPES, type CollectionType, type Policy, type Rule, type RuleAction, type RuleKind } from '../policy'
import type { SimulationResults } from './results'

export interface RuleCoverage {
  collection: CollectionType
  id: string
  name: string
  kind: RuleKind
  action: RuleAction
  userOrGroupSid: string
  /** The condition in words (path, publisher \ product \ file \ version, or the hashes). */
  condition: string
  /** Files this rule decided. */
  files: number
}

export interface BroadPathRule extends RuleCoverage {
  /** The share (0 to 1) of the files its collection allowed that this rule allowed. */
  share: number
}

export interface CoverageReport {
  /** Files of the inventory. */
  files: number
  /** Files decided by a rule / by default (no rule: AllowedByDefault or DeniedByDefault). */
  decidedByRule: number
  decidedByDefault: number
  /** Every rule of the policy, in policy order, with the files it decided. */
  rules: RuleCoverage[]
  /** Rules that decided no file, in policy order. */
  unused: RuleCoverage[]
  /** Allow path rules with a wildcard that allowed files, most files first. */
  broadPathRules: BroadPathRule[]
}

/** One file's decision, as the CLI's test output or the simulation gives it. */
export interface DecidedFile {
  collection: CollectionType | null
  /** The deciding rule's Id; null when decided by default. */
  matchingRuleId: string | null
}

/** Files decided per rule: by collection, then by lower-case rule Id. */
type Counts = Map<CollectionType, Map<string, number>>

function count(counts: Counts, collection: CollectionType, id: string, n: number): void {
  let byId = counts.get(collection)
  if (byId === undefined) counts.set(collection, (byId = new Map()))
  const key = id.toLowerCase()
  byId.set(key, (byId.get(key) ?? 0) + n)
}

/** Coverage from per-file decisions. */
export function coverageFromDecisions(policy: Policy, decisions: Iterable<DecidedFile>): CoverageReport {
  const counts: Counts = new Map()
  let files = 0
  let byRule = 0
  let byDefault = 0
  for (const d of decisions) {
    files++
    if (d.collection === null) continue
    if (d.matchingRuleId === null) {
      byDefault++
      continue
    }
    byRule++
    count(counts, d.collection, d.matchingRuleId, 1)
  }
  return coverageReport(policy, { files, byRule, byDefault, counts })
}

/**
 * Coverage from the simulation's results (the rows of `results`): files are counted by deciding
 * rule number and collection in a typed array, then each deciding rule is named once (a key made
 * per file took about 90 ms of the page's thread for 100,000 files).
 */
export function coverageFromResults(policy: Policy, results: SimulationResults): CoverageReport {
  const C = COLLECTION_TYPES.length
  const perRule = new Int32Array(results.rules.length * C)
  let byRule = 0
  let byDefault = 0
  for (let i = 0; i < results.count; i++) {
    const c = results.collection[i]
    if (c < 0) continue
    const k = results.rule[i]
    if (k < 0) {
      byDefault++
      continue
    }
    byRule++
    perRule[k * C + c]++
  }
  const counts: Counts = new Map()
  for (let k = 0; k < results.rules.length; k++) {
    for (let c = 0; c < C; c++) {
      const n = perRule[k * C + c]
      if (n > 0) count(counts, COLLECTION_TYPES[c], results.rules[k].id, n)
    }
  }
  return coverageReport(policy, { files: results.count, byRule, byDefault, counts })
}

/**
 * A rule's line of the report. The condition's words are made when read (a list shows a few hundred
 * rules of a policy that may have 50,000); toJSON writes them out like the other fields.
 */
class CoverageLine implements RuleCoverage {
  readonly collection: CollectionType
  readonly id: string
  readonly name: string
  readonly kind: RuleKind
  readonly action: RuleAction
  readonly userOrGroupSid: string
  readonly files: number
  private text: string | null = null
  constructor(
    collection: CollectionType,
    private readonly rule: Rule,
    files: number,
  ) {
    this.collection = collection
    this.id = rule.id
    this.name = rule.name
    this.kind = rule.kind
    this.action = rule.action
    this.userOrGroupSid = rule.userOrGroupSid
    this.files = files
  }
  get condition(): string {
    return (this.text ??= this.rule.condition ? describeCondition(this.rule.condition) : '')
  }
  toJSON(): RuleCoverage {
    const { collection, id, name, kind, action, userOrGroupSid, condition, files } = this
    return { collection, id, name, kind, action, userOrGroupSid, condition, files }
  }
}

/** The report from the files counted per rule. */
function coverageReport(policy: Policy, tally: { files: number; byRule: number; byDefault: number; counts: Counts }): CoverageReport {
  const { files, byRule, byDefault, counts } = tally
  const rules: CoverageLine[] = []
  const allowedIn = new Map<CollectionType, number>()
  for (const c of policy.collections) {
    if (!c.type) continue
    const counted = counts.get(c.type)
    // A duplicated Id is credited once (to its first rule, which the engine reports).
    const credited = new Set<string>()
    for (const r of c.rules) {
      let n = 0
      if (counted !== undefined) {
        const key = r.id.toLowerCase()
        n = counted.get(key) ?? 0
        if (n > 0) {
          if (credited.has(key)) n = 0
          else credited.add(key)
        }
      }
      rules.push(new CoverageLine(c.type, r, n))
      if (r.action === 'Allow') allowedIn.set(c.type, (allowedIn.get(c.type) ?? 0) + n)
    }
  }
  const broadPathRules: BroadPathRule[] = rules
    .filter((r) => r.kind === 'path' && r.action === 'Allow' && r.files > 0 && r.condition.includes('*'))
    .map((r) => Object.assign(r.toJSON(), { share: r.files / Math.max(1, allowedIn.get(r.collection) ?? 0) }))
    .sort((a, b) => b.files - a.files)
  return { files, decidedByRule: byRule, decidedByDefault: byDefault, rules, unused: rules.filter((r) => r.files === 0), broadPathRules }
}
