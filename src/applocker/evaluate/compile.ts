/**
 * Compiles a policy into indexes so that deciding a file costs about the same whatever the
 * number of rules:
 *
 * - rules are grouped by condition: all the path rules with the same (normalised) pattern form
 *   one group, all the hash rules naming one hash one group; a publisher rule is its own entry;
 * - hash rules: a map from the normalised hash to its group;
 * - publisher rules: a map by upper-cased publisher name (plus the `*` bucket), then by product
 *   name (plus `*`), then by file name (plus a bucket for `*` and wildcard file names);
 * - path rules are matched against the file's real path only: a pattern that starts with a
 *   variable (`%PROGRAMFILES%\*`) is also indexed once per location of that variable on the
 *   machine (`C:\PROGRAM FILES\*`, `C:\PROGRAM FILES (X86)\*`), which is exactly what matching it
 *   against the file's variable forms does (planPathPattern); the few patterns that could match a
 *   variable form otherwise (`%WIN*`) are matched against every form. Patterns without `*` sit in
 *   a trie of path segments (by file name at their folder's node); the others either in that trie
 *   at the node of the complete path segments of their literal prefix, or by one whole segment
 *   every matching path must contain (`*\CHROME.EXE`, `C:\USERS\*\APPDATA\LOCAL\APP12\*`),
 *   whichever is shared by fewer patterns; patterns with neither (`*`, `*.*`) sit in a small
 *   always-checked bucket.
 *
 * Every wildcard pattern is compiled once into a matcher. Exceptions are compiled too and only
 * checked for rules whose condition matched.
 *
 * Who the rules apply to is resolved per principal, lazily: each group keeps the list of its rules
 * that apply to the principal last asked about (its Deny and Allow rules apart, in document
 * order), keyed by a number that stands for the principal's set of SIDs (principalView).
 */
import type { CollectionType, Condition, EnforcementMode, Policy, Rule, RuleCollection } from '../policy'
import { normalizeSid } from '../sids'
import { upcase } from '../upcase'
import { compileStarGlob, compileWildcard, type StringMatcher } from './glob'
import { describeCondition, hashKey, ruleExceptions } from './outcome'
import { SegmentMap, segmentHash } from './segments'
import { formsOfRealInto, normalizePathText, planPathPattern, prepareMachine, type MachinePaths, type PathForms } from './paths'
import { DEFAULT_MACHINE, type Decision, type MachineSettings, type RuleRef } from './types'
import { compareVersions, compileRange, versionInRange, type CompiledRange } from './version'

/** The facts of one file, normalised once per decision. */
export interface FileContext {
  /**
   * The text the path index is walked on: the file's path itself when it is plain (printable ASCII
   * that normalisation leaves alone, perhaps lower case: `lower`), else its real path. Its segments
   * are found and hashed once per decision (decide.ts scanPath). '' when the collection has no path
   * conditions.
   */
  subject: string
  /** The subject has lower-case letters (the real path is its upper-cased copy). */
  lower: boolean
  /** The real path (realFilePath), made from the subject on first use (realOf): most decisions never need it. */
  real: string
  realReady: boolean
  /** Every form of the path, built on first use for the decision in progress (formsOf). */
  formsReady: boolean
  forms: PathForms
  machine: MachinePaths
  publisher: { name: string; product: string; binary: string; version: number[] | null } | null
  hash: string | null
}

/** The real path (realFilePath) of the file in hand: the subject, upper-cased when it has lower-case letters. */
export function realOf(f: FileContext): string {
  if (!f.realReady) {
    f.real = f.lower ? f.subject.toUpperCase() : f.subject
    f.realReady = true
  }
  return f.real
}

/** The file's path forms (real path first, then each variable form), built once per decision. */
export function formsOf(f: FileContext): string[] {
  if (!f.formsReady) {
    formsOfRealInto(realOf(f), f.machine, f.forms)
    f.formsReady = true
  }
  return f.forms.forms
}

export type ConditionTest = (f: FileContext) => boolean

/**
 * An exception of a rule, tested on its own only by the fast path's first tests and for the text of the
 * exception that excludes a listed rule (the exception index finds the others): its test and its text
 * are made on first use, not for every exception of every rule at compile time.
 */
export class CompiledException {
  private compiled: ConditionTest | null = null
  private described: string | null = null

  constructor(
    readonly condition: Condition,
    private readonly machine: MachinePaths,
  ) {}

  test(f: FileContext): boolean {
    return (this.compiled ??= compileCondition(this.condition, this.machine))(f)
  }

  get text(): string {
    return (this.described ??= describeCondition(this.condition))
  }
}

export interface CompiledRule {
  /** Position in the collection (document order). */
  ordinal: number
  rule: Rule
  deny: boolean
  /** Normalised UserOrGroupSid. */
  sid: string
  /** Index of sid in the collection's sids (for the per-principal view). */
  sidIndex: number
  /** Its exceptions (a rule's condition is only in the indexes: no rule is tested on its own). */
  exceptions: CompiledException[]
  /** describeCondition of the condition, filled the first time an explanation lists the rule. */
  conditionText: string | null
  /** The explanation's step for the rule when it matches (hitStep), filled the first time one lists it so. */
  matchedStep: string | null
  /** ruleRef(rule), filled on first use: explanations copy it (its fields read from one shape of object). */
  ref: RuleRef | null
  /** The fast path's decisions naming this rule, by decisionKey (decide.ts sharedDecision); filled on use. */
  decisions: Decision[] | null
  /** The rule index's groups that hold the rule (its path pattern's, its hashes'). */
  groups: RuleGroup[]
}

/**
 * Thresholds of the compiled engine. Tests lower them to take the ways they choose with small policies.
 * - bigExceptionGroup: an exception group shared by at least this many rules is big: the exception
 *   walk marks it matched instead of stamping its rules one by one, and what it excludes from a rule
 *   group is worked out once per combination of big groups that matched (RuleGroup.bigMemo).
 *   compilePolicy reads it.
 * - fastExceptionTests: the fast path tests the exceptions of this many rules itself in a decision;
 *   past that it walks the exception index once, as the explaining path does, and stamps answer.
 * - keptScan: a matched group's rules are tried one by one this many times; past that, its rules
 *   that the matched big exception groups leave are listed once per combination and tried instead.
 *   decide reads these two.
 */
export const compileTuning = { bigExceptionGroup: 32, fastExceptionTests: 8, keptScan: 16 }

/**
 * What a combination of matched big exception groups does to a rule group (for a view), worked out
 * on first need: how many of its rules they exclude and how many of them Allow (-1 until counted),
 * and the ordinals of its Deny and Allow rules they leave (null until listed).
 */
export interface BigCount {
  total: number
  allows: number
  keptDenies: Int32Array | null
  keptAllows: Int32Array | null
}

/**
 * Rules that share one condition (a path pattern, or a hash), in document order, with the ones
 * that apply to one principal (view: the number of the principal's set of SIDs, see selectView).
 * In the exception index, the rules that have the exception.
 */
export interface RuleGroup {
  rules: CompiledRule[]
  view: number
  /** The rules for the view's principal: all (and their ordinals), their Deny and Allow rules. */
  applicable: CompiledRule[]
  ordinals: Int32Array
  denies: CompiledRule[]
  allows: CompiledRule[]
  /**
   * The view's first Deny and first Allow ordinal (Infinity when none) and whether that rule has no
   * exception: the fast path decides most groups from these numbers without touching the lists.
   */
  firstDeny: number
  firstAllow: number
  firstDenyPlain: boolean
  firstAllowPlain: boolean
  /** Ordinals of the view's Deny and Allow rules that have exceptions. */
  exceptionDenies: Int32Array
  exceptionAllows: Int32Array
  /** Scratch: equals the collection's tick when the group matched the file in hand. */
  tick: number
  /** In the rule index: the group's number (CompiledCollection.ruleGroupOf); in the exception index: the number of a big group, else -1. */
  id: number
  /** In the rule index: the big exception groups (ids) of the group's rules (filled on first use), and what they do by combination (for bigMemoView). */
  bigRelevant: Set<number> | null
  bigMemo: Map<string, BigCount> | null
  bigMemoView: number
}

/** One way a path group is found: a pattern on the real path at one place of the index. */
export interface PathSlot {
  group: RuleGroup
  pattern: string
  match: StringMatcher
  /**
   * The slot's place in the index proves the match, so the matcher is not run: a folder and
   * everything under it (`A\B\*`, one `*`, at the end) at its trie node (every path that led there
   * matches), or a pattern without `*` found by its file name at its folder's node (the path is the
   * pattern, segment by segment).
   */
  proven: boolean
}

export interface TrieNode {
  /** Wildcard patterns whose literal prefix has this node's segments. */
  entries: PathSlot[]
  children: SegmentMap<TrieNode> | null
  /** Patterns without `*` in this folder, by their last segment (the file name). */
  exact: SegmentMap<PathSlot[]> | null
}

export interface PublisherEntry {
  rule: CompiledRule
  /** null: any file name. */
  binary: StringMatcher | null
  range: CompiledRange
  /** The range as version keys (see versionPosition): the entry matches a version at position p when lo <= p <= hi. */
  lo: number
  hi: number
}

/**
 * A publisher list's entries for one view packed in arrays (the explaining path scans whole
 * lists): Deny entries first, then Allow entries, each in document order.
 */
export interface PackedPublishers {
  view: number
  count: number
  denyCount: number
  ordinals: Int32Array
  lo: Int32Array
  hi: Int32Array
  /** The entries' file name matchers (null: any name); null when no entry needs one. */
  binaries: (StringMatcher | null)[] | null
}

/** Publisher entries of one bucket in document order, with the view's Deny and Allow entries apart (like RuleGroup). */
export interface PublisherList {
  entries: PublisherEntry[]
  view: number
  denies: PublisherEntry[]
  allows: PublisherEntry[]
  /** The file name is the list's key (a ProductBucket's exact list): every entry's file name matches. */
  exactName: boolean
  /** The entries for the last view the explaining path asked about (packPublishers). */
  packed: PackedPublishers | null
}

export interface ProductBucket {
  /** By upper-cased literal file name. */
  exact: Map<string, PublisherList>
  /** `*`, `?` and wildcard file names. */
  other: PublisherList
}

/**
 * Conditions indexed so that the ones a file can match are found without visiting the others
 * (see the top of this file). The rule index holds the rules' conditions; the exception index
 * holds their exceptions, each group or entry naming the rules that have the exception.
 */
export interface ConditionIndex {
  hasPaths: boolean
  trie: TrieNode
  /** Patterns keyed by a whole path segment every matching path contains. */
  segments: SegmentMap<PathSlot[]>
  /** segmentFilter[hash & (SEGMENT_FILTER_SIZE - 1)] is 1 when some key of `segments` has that segmentHash: most segments skip the map. */
  segmentFilter: Uint8Array
  /** Patterns matched against every form of the path (planPathPattern's generic ones). */
  generic: PathSlot[]
  hashes: Map<string, RuleGroup>
  /** publisher name (or `*`) -> product name (or `*`) -> bucket */
  publishers: Map<string, Map<string, ProductBucket>>
}

export interface CompiledCollection {
  type: CollectionType
  mode: EnforcementMode
  /** The Services extension's EnforcementMode (Exe, Dll), null when absent. */
  servicesMode: string | null
  rules: CompiledRule[]
  /** How many rules each (normalised) SID has: the explanation counts the rules for other principals without visiting them. */
  sidCounts: Map<string, number>
  /** How many rules apply to the view numbered applicableView (counted from sidCounts once per view). */
  applicableView: number
  applicableCount: number
  /** The distinct SIDs of the rules (CompiledRule.sidIndex). */
  sids: string[]
  /** sidApplies[i] is 1 when sids[i] is one of the view's principal's SIDs (view: sidView). */
  sidView: number
  sidApplies: Uint8Array
  needPaths: boolean
  needPublisher: boolean
  needHash: boolean
  index: ConditionIndex
  exceptionIndex: ConditionIndex
  /** Every group of both indexes (for resetting the scratch marks). */
  groups: RuleGroup[]
  /** Scratch marks by rule ordinal: equal to tick when an exception of the rule matches the file in hand (explaining path). */
  excludedStamp: Uint32Array
  tick: number
  /** Every version bound of the publisher conditions and exceptions, sorted, without equal ones (see versionPosition). */
  versionBounds: VersionBounds
  /** The fast path's DeniedByDefault decisions, by decisionKey; filled on use. */
  deniedByDefault: Decision[] | null
  /**
   * For the explaining path, by rule ordinal: the rule index group holding the rule (its id; -1 none,
   * -2 several: see CompiledRule.groups), whether it is a Deny rule, and its big exception groups
   * (ids bigIds[bigStart[o]..bigStart[o + 1]]); scratch marks equal to tick for the rule groups and
   * big exception groups that matched the file in hand.
   */
  ruleGroupOf: Int32Array
  ruleDeny: Uint8Array
  bigStart: Int32Array
  bigIds: Int32Array
  groupTick: Uint32Array
  bigTick: Uint32Array
}

/** Sorted distinct versions, each as `width` parts (missing parts 0) in one array: parts[i * width + k]. */
export interface VersionBounds {
  count: number
  width: number
  parts: Float64Array
}

export interface CompiledPolicy {
  machine: MachineSettings
  paths: MachinePaths
  /** The first collection of each type (a valid policy has at most one). */
  collections: Partial<Record<CollectionType, CompiledCollection>>
}

export const ANY = '*'

/** A path condition's test: its real-path patterns on the real path, and the generic one on every form. */
export function compilePathTest(path: string, machine: MachinePaths): ConditionTest {
  const p = normalizePathText(path)
  const plan = planPathPattern(p, machine)
  const real = plan.real.map(compileStarGlob)
  const generic = plan.generic ? compileStarGlob(p) : null
  if (generic === null && real.length === 1) {
    const m = real[0]
    return (f) => m(realOf(f))
  }
  return (f) => {
    for (const m of real) if (m(realOf(f))) return true
    if (generic !== null) for (const form of formsOf(f)) if (generic(form)) return true
    return false
  }
}

function compileCondition(c: Condition, machine: MachinePaths): ConditionTest {
  switch (c.kind) {
    case 'path':
      return compilePathTest(c.path, machine)
    case 'hash': {
      const set = new Set<string>()
      for (const h of c.hashes) {
        const k = hashKey(h.data)
        if (k !== null) set.add(k)
      }
      return (f) => f.hash !== null && set.has(f.hash)
    }
    case 'publisher': {
      const name = c.publisherName === ANY ? null : upcase(c.publisherName)
      const product = c.productName === ANY ? null : upcase(c.productName)
      const binary = binaryMatcher(c.binaryName)
      const range = compileRange(c.versionRange?.low, c.versionRange?.high)
      return (f) => {
        const p = f.publisher
        if (p === null) return false
        if (name !== null && p.name !== name) return false
        if (product !== null && p.product !== product) return false
        if (binary !== null && !binary(p.binary)) return false
        return versionInRange(p.version, range)
      }
    }
  }
}

/** File name field: `*` or `?` alone = any (null); otherwise `*` and `?` are wildcards. */
function binaryMatcher(binaryName: string): StringMatcher | null {
  if (binaryName === '*' || binaryName === '?') return null
  return compileWildcard(upcase(binaryName))
}

function newNode(): TrieNode {
  return { entries: [], children: null, exact: null }
}

const NO_ORDINALS = new Int32Array(0)

function newGroup(): RuleGroup {
  return {
    rules: [],
    view: 0,
    applicable: [],
    ordinals: NO_ORDINALS,
    denies: [],
    allows: [],
    firstDeny: Infinity,
    firstAllow: Infinity,
    firstDenyPlain: false,
    firstAllowPlain: false,
    exceptionDenies: NO_ORDINALS,
    exceptionAllows: NO_ORDINALS,
    tick: 0,
    id: -1,
    bigRelevant: null,
    bigMemo: null,
    bigMemoView: 0,
  }
}

/** The trie node for a list of segments, created when missing. */
function nodeAt(root: TrieNode, segments: readonly string[]): TrieNode {
  let node = root
  for (const seg of segments) {
    if (node.children === null) node.children = new SegmentMap()
    let next = node.children.get(seg)
    if (!next) {
      next = newNode()
      node.children.set(seg, next)
    }
    node = next
  }
  return node
}

export const SEGMENT_FILTER_SIZE = 4096

/** A wildcard path pattern waiting for its index slot (chosen once all patterns are known). */
interface PendingPath {
  slot: PathSlot
  /** Complete segments of the literal prefix (trie path); empty when the prefix has none. */
  prefixSegments: string[]
  /** Segments every matching path must contain as whole segments (from the text after the first `*`). */
  required: string[]
}

/** Where a real-path pattern goes: the trie's exact names for a pattern without `*`, else pending placement. */
function addSlot(ix: ConditionIndex, slot: PathSlot, pending: PendingPath[]): void {
  const p = slot.pattern
  const chunks = p.split('*')
  if (chunks.length === 1) {
    const segs = p.split('\\')
    const node = nodeAt(ix.trie, segs.slice(0, -1))
    if (node.exact === null) node.exact = new SegmentMap()
    slot.proven = true
    push(node.exact, segs[segs.length - 1], slot)
    return
  }
  const prefix = chunks[0]
  const b = prefix.lastIndexOf('\\')
  const prefixSegments = b >= 0 ? prefix.slice(0, b).split('\\') : []
  const required: string[] = []
  for (let i = 1; i < chunks.length; i++) {
    const parts = chunks[i].split('\\')
    // parts[0] follows a `*` and the last part precedes one (unless the chunk ends the pattern):
    // only the parts in between, and the final part of the final chunk, are whole segments.
    const lastComplete = i === chunks.length - 1 ? parts.length - 1 : parts.length - 2
    for (let k = 1; k <= lastComplete; k++) if (parts[k] !== '') required.push(parts[k])
  }
  pending.push({ slot, prefixSegments, required })
}

/** Adds a rule to the group of a path pattern (created and indexed on first use); returns the group. */
function addPath(ix: ConditionIndex, rule: CompiledRule, path: string, machine: MachinePaths, pending: PendingPath[], groups: Map<string, RuleGroup>, all: RuleGroup[]): RuleGroup {
  ix.hasPaths = true
  const p = normalizePathText(path)
  const known = groups.get(p)
  if (known) {
    if (known.rules[known.rules.length - 1] !== rule) known.rules.push(rule)
    return known
  }
  const group = newGroup()
  group.rules.push(rule)
  groups.set(p, group)
  all.push(group)
  const plan = planPathPattern(p, machine)
  if (plan.generic) ix.generic.push({ group, pattern: p, match: compileStarGlob(p), proven: false })
  for (const q of plan.real) addSlot(ix, { group, pattern: q, match: compileStarGlob(q), proven: false }, pending)
  return group
}

/** Adds a rule to the group of each hash (created on first use); pushes the groups to `into`. */
function addHashes(ix: ConditionIndex, rule: CompiledRule, c: Extract<Condition, { kind: 'hash' }>, all: RuleGroup[], into: RuleGroup[]): void {
  for (const h of c.hashes) {
    const k = hashKey(h.data)
    if (k === null) continue
    let g = ix.hashes.get(k)
    if (!g) {
      g = newGroup()
      ix.hashes.set(k, g)
      all.push(g)
    }
    if (g.rules[g.rules.length - 1] !== rule) g.rules.push(rule)
    if (!into.includes(g)) into.push(g)
  }
}

function newIndex(): ConditionIndex {
  return { hasPaths: false, trie: newNode(), segments: new SegmentMap(), segmentFilter: new Uint8Array(SEGMENT_FILTER_SIZE), generic: [], hashes: new Map(), publishers: new Map() }
}

/**
 * Puts each wildcard pattern where the fewest other patterns are: the trie node of its literal
 * prefix, or the bucket of one segment every matching path must contain (`*\CHROME.EXE`,
 * `C:\USERS\*\APPDATA\LOCAL\APP12\*`), or, with neither, the always-checked root.
 */
function placePaths(ix: ConditionIndex, pending: PendingPath[]): void {
  const prefixCount = new Map<string, number>()
  const segmentCount = new Map<string, number>()
  for (const p of pending) {
    if (p.prefixSegments.length > 0) {
      const k = p.prefixSegments.join('\\')
      prefixCount.set(k, (prefixCount.get(k) ?? 0) + 1)
    }
    for (const s of new Set(p.required)) segmentCount.set(s, (segmentCount.get(s) ?? 0) + 1)
  }
  for (const p of pending) {
    let best: string | null = null
    let bestCount = p.prefixSegments.length > 0 ? (prefixCount.get(p.prefixSegments.join('\\')) ?? 0) : Infinity
    for (const s of p.required) {
      const n = segmentCount.get(s) ?? 0
      if (n < bestCount || (n === bestCount && best !== null)) {
        best = s
        bestCount = n
      }
    }
    if (best !== null) {
      push(ix.segments, best, p.slot)
      ix.segmentFilter[segmentHash(best) & (SEGMENT_FILTER_SIZE - 1)] = 1
      continue
    }
    const e = p.slot
    // Placed at the node of all its prefix's segments: a path reaching that node starts with the prefix.
    e.proven = e.pattern.endsWith('\\*') && e.pattern.indexOf('*') === e.pattern.length - 1 && p.prefixSegments.length > 0
    nodeAt(ix.trie, p.prefixSegments).entries.push(e)
  }
}

function push<K, V>(map: { get(key: K): V[] | undefined; set(key: K, value: V[]): void }, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function addPublisher(ix: ConditionIndex, rule: CompiledRule, c: Extract<Condition, { kind: 'publisher' }>): void {
  const name = c.publisherName === ANY ? ANY : upcase(c.publisherName)
  const product = c.productName === ANY ? ANY : upcase(c.productName)
  let byProduct = ix.publishers.get(name)
  if (!byProduct) {
    byProduct = new Map()
    ix.publishers.set(name, byProduct)
  }
  let bucket = byProduct.get(product)
  if (!bucket) {
    bucket = { exact: new Map(), other: newPublisherList() }
    byProduct.set(product, bucket)
  }
  const binary = binaryMatcher(c.binaryName)
  const entry: PublisherEntry = { rule, binary, range: compileRange(c.versionRange?.low, c.versionRange?.high), lo: 0, hi: 0 }
  const upper = upcase(c.binaryName)
  if (binary !== null && !upper.includes('*') && !upper.includes('?')) {
    let list = bucket.exact.get(upper)
    if (!list) {
      list = newPublisherList()
      list.exactName = true
      bucket.exact.set(upper, list)
    }
    list.entries.push(entry)
  } else bucket.other.entries.push(entry)
}

function newPublisherList(): PublisherList {
  return { entries: [], view: 0, denies: [], allows: [], exactName: false, packed: null }
}

/** Every publisher list of an index. */
function publisherLists(ix: ConditionIndex): PublisherList[] {
  const out: PublisherList[] = []
  for (const byProduct of ix.publishers.values()) {
    for (const bucket of byProduct.values()) {
      out.push(bucket.other)
      for (const list of bucket.exact.values()) out.push(list)
    }
  }
  return out
}

/**
 * Versions as integers: with the collection's distinct version bounds sorted (b0 < b1 < ...), a
 * version equal to b_j is at position 2j+1 and one between b_(j-1) and b_j at 2j (0 below every
 * bound, 2m above them all, m bounds). A range is then [lo, hi]: 0 for an unbounded low, 2m for an
 * unbounded high, lo > hi for a range that matches nothing (invalid, or low above high).
 */
function keyVersions(coll: CompiledCollection): void {
  const lists = [...publisherLists(coll.index), ...publisherLists(coll.exceptionIndex)]
  const all: number[][] = []
  for (const list of lists) {
    for (const e of list.entries) {
      if (e.range.low !== null) all.push(e.range.low)
      if (e.range.high !== null) all.push(e.range.high)
    }
  }
  all.sort(compareVersions)
  const distinct: number[][] = []
  for (const v of all) if (distinct.length === 0 || compareVersions(distinct[distinct.length - 1], v) !== 0) distinct.push(v)
  let width = 1
  for (const v of distinct) width = Math.max(width, v.length)
  const parts = new Float64Array(distinct.length * width)
  distinct.forEach((v, i) => parts.set(v, i * width))
  const bounds: VersionBounds = { count: distinct.length, width, parts }
  coll.versionBounds = bounds
  const top = 2 * bounds.count
  for (const list of lists) {
    for (const e of list.entries) {
      const r = e.range
      if (r.invalid) {
        e.lo = 1
        e.hi = 0
      } else {
        e.lo = r.low === null ? 0 : versionPosition(bounds, r.low)
        e.hi = r.high === null ? top : versionPosition(bounds, r.high)
      }
    }
  }
}

/** The position of a version among sorted, distinct bounds (see keyVersions). */
export function versionPosition(bounds: VersionBounds, v: readonly number[]): number {
  const { width, parts } = bounds
  // Parts of v past the bounds' width make it greater than a bound its first parts equal, unless all 0.
  let tail = 0
  for (let k = width; k < v.length; k++) if (v[k] !== 0) tail = 1
  let a = 0
  let b = bounds.count
  while (a < b) {
    const m = (a + b) >>> 1
    const base = m * width
    let d = 0
    for (let k = 0; k < width; k++) {
      d = parts[base + k] - (k < v.length ? v[k] : 0)
      if (d !== 0) break
    }
    if (d === 0) d = -tail
    if (d === 0) return 2 * m + 1
    if (d < 0) a = m + 1
    else b = m
  }
  return 2 * a
}

/**
 * The list's entries whose rules apply to the collection's current view, packed (Deny entries
 * first), computed once per view.
 */
export function packPublishers(coll: CompiledCollection, list: PublisherList): PackedPublishers {
  const known = list.packed
  if (known !== null && known.view === coll.sidView) return known
  const ok = coll.sidApplies
  const picked: PublisherEntry[] = []
  for (const e of list.entries) if (ok[e.rule.sidIndex] === 1 && e.rule.deny) picked.push(e)
  const denyCount = picked.length
  for (const e of list.entries) if (ok[e.rule.sidIndex] === 1 && !e.rule.deny) picked.push(e)
  const n = picked.length
  const packed: PackedPublishers = {
    view: coll.sidView,
    count: n,
    denyCount,
    ordinals: new Int32Array(n),
    lo: new Int32Array(n),
    hi: new Int32Array(n),
    binaries: null,
  }
  for (let i = 0; i < n; i++) {
    const e = picked[i]
    packed.ordinals[i] = e.rule.ordinal
    packed.lo[i] = e.lo
    packed.hi[i] = e.hi
    if (!list.exactName && e.binary !== null) {
      if (packed.binaries === null) packed.binaries = new Array<StringMatcher | null>(n).fill(null)
      packed.binaries[i] = e.binary
    }
  }
  list.packed = packed
  return packed
}

/** The list's entries whose rules apply to the collection's current view, Deny and Allow apart, computed once per view. */
export function viewPublishers(coll: CompiledCollection, list: PublisherList): void {
  if (list.view === coll.sidView) return
  const ok = coll.sidApplies
  const denies: PublisherEntry[] = []
  const allows: PublisherEntry[] = []
  for (const e of list.entries) if (ok[e.rule.sidIndex] === 1) (e.rule.deny ? denies : allows).push(e)
  list.denies = denies
  list.allows = allows
  list.view = coll.sidView
}

function compileCollection(type: CollectionType, source: RuleCollection, machine: MachinePaths): CompiledCollection {
  const rules: readonly Rule[] = source.rules
  const coll: CompiledCollection = {
    type,
    mode: source.enforcementMode,
    servicesMode: source.extensions?.services?.enforcementMode ?? null,
    rules: [],
    sidCounts: new Map(),
    applicableView: 0,
    applicableCount: 0,
    sids: [],
    sidView: 0,
    sidApplies: new Uint8Array(0),
    needPaths: false,
    needPublisher: false,
    needHash: false,
    index: newIndex(),
    exceptionIndex: newIndex(),
    groups: [],
    excludedStamp: new Uint32Array(rules.length),
    tick: 0,
    versionBounds: { count: 0, width: 1, parts: new Float64Array(0) },
    deniedByDefault: null,
    ruleGroupOf: new Int32Array(rules.length),
    ruleDeny: new Uint8Array(rules.length),
    bigStart: new Int32Array(rules.length + 1),
    bigIds: NO_ORDINALS,
    groupTick: new Uint32Array(0),
    bigTick: new Uint32Array(0),
  }
  const note = (c: Condition) => {
    if (c.kind === 'path') coll.needPaths = true
    else if (c.kind === 'publisher') coll.needPublisher = true
    else coll.needHash = true
  }
  const pending: PendingPath[] = []
  const pathGroups = new Map<string, RuleGroup>()
  const exceptionPending: PendingPath[] = []
  const exceptionPathGroups = new Map<string, RuleGroup>()
  const sidIndexes = new Map<string, number>()
  /** Each rule's groups in the exception index. */
  const exceptionGroups: RuleGroup[][] = []
  rules.forEach((rule, ordinal) => {
    const c = rule.condition && rule.condition.kind === rule.kind ? rule.condition : null
    const exceptionConditions = ruleExceptions(rule)
    const exceptions = exceptionConditions.map((e) => {
      note(e)
      return new CompiledException(e, machine)
    })
    const sid = normalizeSid(rule.userOrGroupSid)
    let sidIndex = sidIndexes.get(sid)
    if (sidIndex === undefined) {
      sidIndex = coll.sids.length
      coll.sids.push(sid)
      sidIndexes.set(sid, sidIndex)
    }
    const cr: CompiledRule = {
      ordinal,
      rule,
      deny: rule.action === 'Deny',
      sid,
      sidIndex,
      exceptions,
      conditionText: null,
      matchedStep: null,
      ref: null,
      decisions: null,
      groups: [],
    }
    const ex = coll.exceptionIndex
    const own: RuleGroup[] = []
    for (const e of exceptionConditions) {
      if (e.kind === 'path') {
        const g = addPath(ex, cr, e.path, machine, exceptionPending, exceptionPathGroups, coll.groups)
        if (!own.includes(g)) own.push(g)
      } else if (e.kind === 'publisher') addPublisher(ex, cr, e)
      else addHashes(ex, cr, e, coll.groups, own)
    }
    exceptionGroups.push(own)
    coll.rules.push(cr)
    coll.sidCounts.set(cr.sid, (coll.sidCounts.get(cr.sid) ?? 0) + 1)
    if (!c) return
    note(c)
    if (c.kind === 'path') cr.groups.push(addPath(coll.index, cr, c.path, machine, pending, pathGroups, coll.groups))
    else if (c.kind === 'publisher') addPublisher(coll.index, cr, c)
    else addHashes(coll.index, cr, c, coll.groups, cr.groups)
  })
  let groupIds = 0
  let bigCount = 0
  const bigIds: number[] = []
  coll.rules.forEach((cr, ordinal) => {
    for (const g of cr.groups) if (g.id < 0) g.id = groupIds++
    coll.ruleGroupOf[ordinal] = cr.groups.length === 1 ? cr.groups[0].id : cr.groups.length === 0 ? -1 : -2
    coll.ruleDeny[ordinal] = cr.deny ? 1 : 0
    for (const g of exceptionGroups[ordinal]) {
      if (g.rules.length < compileTuning.bigExceptionGroup) continue
      if (g.id < 0) g.id = bigCount++
      bigIds.push(g.id)
    }
    coll.bigStart[ordinal + 1] = bigIds.length
  })
  coll.bigIds = Int32Array.from(bigIds)
  coll.groupTick = new Uint32Array(groupIds)
  coll.bigTick = new Uint32Array(bigCount)
  placePaths(coll.index, pending)
  placePaths(coll.exceptionIndex, exceptionPending)
  keyVersions(coll)
  coll.sidApplies = new Uint8Array(coll.sids.length)
  return coll
}

/**
 * Compiles a policy for a simulated machine. The result is reused for any number of decisions;
 * compile again when the policy or the machine changes.
 */
export function compilePolicy(policy: Policy, machine: MachineSettings = DEFAULT_MACHINE): CompiledPolicy {
  const paths = prepareMachine(machine)
  const collections: Partial<Record<CollectionType, CompiledCollection>> = {}
  for (const c of policy.collections) {
    if (c.type === null || collections[c.type]) continue
    collections[c.type] = compileCollection(c.type, c, paths)
  }
  return { machine, paths, collections }
}

/**
 * Points the collection's per-SID flags at a principal's view (a number that stands for the
 * principal's set of SIDs): sidApplies[i] says whether the rules for sids[i] apply.
 */
export function selectView(coll: CompiledCollection, view: number, sids: ReadonlySet<string>): void {
  if (coll.sidView === view) return
  for (let i = 0; i < coll.sids.length; i++) coll.sidApplies[i] = sids.has(coll.sids[i]) ? 1 : 0
  coll.sidView = view
}

/** The group's rules that apply to the collection's current view (selectView first), computed once per view. */
export function viewGroup(coll: CompiledCollection, g: RuleGroup): void {
  if (g.view === coll.sidView) return
  const ok = coll.sidApplies
  const applicable: CompiledRule[] = []
  const denies: CompiledRule[] = []
  const allows: CompiledRule[] = []
  const exceptionDenies: number[] = []
  const exceptionAllows: number[] = []
  for (const r of g.rules) {
    if (ok[r.sidIndex] !== 1) continue
    applicable.push(r)
    if (r.deny) denies.push(r)
    else allows.push(r)
    if (r.exceptions.length > 0) (r.deny ? exceptionDenies : exceptionAllows).push(r.ordinal)
  }
  g.applicable = applicable
  g.ordinals = Int32Array.from(applicable, (r) => r.ordinal)
  g.denies = denies
  g.allows = allows
  g.exceptionDenies = Int32Array.from(exceptionDenies)
  g.exceptionAllows = Int32Array.from(exceptionAllows)
  g.firstDeny = denies.length > 0 ? denies[0].ordinal : Infinity
  g.firstAllow = allows.length > 0 ? allows[0].ordinal : Infinity
  g.firstDenyPlain = denies.length > 0 && denies[0].exceptions.length === 0
  g.firstAllowPlain = allows.length > 0 && allows[0].exceptions.length === 0
  g.view = coll.sidView
}
