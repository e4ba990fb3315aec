/**
 * Compiles a policy into indexes so that deciding a file costs about the same whatever the
 * number of rules:
 *
 * - hash rules: a map from the normalised hash to the rules;
 * - publisher rules: a map by upper-cased publisher name (plus the `*` bucket), then by product
 *   name (plus `*`), then by file name (plus a bucket for `*` and wildcard file names);
 * - path rules: patterns without `*` in a trie of path segments (by file name at their folder's
 *   node); the others either in that trie at the node of the complete
 *   path segments of their literal prefix, or by one whole segment every matching path must
 *   contain (`*\CHROME.EXE`, `%OSDRIVE%\USERS\*\APPDATA\LOCAL\APP12\*`), whichever is shared
 *   by fewer patterns; patterns with neither (`*`, `*.*`) sit in a small always-checked bucket.
 *
 * Every wildcard pattern is compiled once into a matcher. Exceptions are compiled too and only
 * checked for rules whose condition matched.
 */
import type { CollectionType, Condition, EnforcementMode, Policy, Rule, RuleCollection } from '../policy'
import { normalizeSid } from '../sids'
import { upcase } from '../upcase'
import { compileStarGlob, compileWildcard, type StringMatcher } from './glob'
import { describeCondition, hashKey, ruleExceptions } from './outcome'
import { normalizePathText, prepareMachine, type MachinePaths } from './paths'
import { DEFAULT_MACHINE, type MachineSettings } from './types'
import { compileRange, versionInRange, type CompiledRange } from './version'

/** The facts of one file, normalised once per decision. */
export interface FileContext {
  /** Every form of the path (see pathForms); empty when the collection has no path conditions. */
  forms: string[]
  publisher: { name: string; product: string; binary: string; version: number[] | null } | null
  hash: string | null
}

export type ConditionTest = (f: FileContext) => boolean

export interface CompiledRule {
  /** Position in the collection (document order). */
  ordinal: number
  rule: Rule
  deny: boolean
  /** Normalised UserOrGroupSid. */
  sid: string
  /** The condition's test; null when the rule can never match (no condition, or one of the wrong kind). */
  test: ConditionTest | null
  exceptions: { test: ConditionTest; text: string }[]
}

/** All the rules of a collection with the same (normalised) path pattern, in document order. */
export interface PathEntry {
  pattern: string
  match: StringMatcher
  rules: CompiledRule[]
  /** For large groups: the same rules by SID (each list in document order), so only the principal's are scanned. */
  bySid: Map<string, CompiledRule[]> | null
  /** Fast-path scratch: equals the collection's tick when the pattern matched the current file. */
  matchedTick: number
  /**
   * The pattern is a folder and everything under it (`A\B\*`, one `*`, at the end): at its trie
   * node every form that led there matches, so the matcher is not run.
   */
  folder: boolean
}

/** Groups with more rules than this are also indexed by SID. */
const GROUP_SID_INDEX_MIN = 8

export interface TrieNode {
  /** Wildcard patterns whose literal prefix has this node's segments. */
  entries: PathEntry[]
  children: Map<string, TrieNode> | null
  /** Patterns without `*` in this folder, by their last segment (the file name). */
  exact: Map<string, PathEntry[]> | null
}

export interface PublisherEntry {
  rule: CompiledRule
  /** null: any file name. */
  binary: StringMatcher | null
  range: CompiledRange
}

export interface ProductBucket {
  /** By upper-cased literal file name. */
  exact: Map<string, PublisherEntry[]>
  /** `*`, `?` and wildcard file names. */
  other: PublisherEntry[]
}

export interface CompiledCollection {
  type: CollectionType
  mode: EnforcementMode
  /** The Services extension's EnforcementMode (Exe, Dll), null when absent. */
  servicesMode: string | null
  rules: CompiledRule[]
  /** How many rules each (normalised) SID has: the explanation counts the rules for other principals without visiting them. */
  sidCounts: Map<string, number>
  needPaths: boolean
  needPublisher: boolean
  needHash: boolean
  trie: TrieNode
  /** Patterns keyed by a whole path segment every matching path contains. */
  segments: Map<string, PathEntry[]>
  /** segmentFilter[segmentKey(s)] is 1 when some key of `segments` has that key: most segments skip the map. */
  segmentFilter: Uint8Array
  hashes: Map<string, CompiledRule[]>
  /** publisher name (or `*`) -> product name (or `*`) -> bucket */
  publishers: Map<string, Map<string, ProductBucket>>
  /** Every path pattern group (for resetting the scratch marks). */
  pathGroups: PathEntry[]
  /** Scratch marks for the fast path: stamp[ordinal] === tick when the rule was handled for this file. */
  stamp: Uint32Array
  tick: number
}

export interface CompiledPolicy {
  machine: MachineSettings
  paths: MachinePaths
  /** The first collection of each type (a valid policy has at most one). */
  collections: Partial<Record<CollectionType, CompiledCollection>>
}

export const ANY = '*'

function compileCondition(c: Condition): ConditionTest {
  switch (c.kind) {
    case 'path': {
      const m = compileStarGlob(normalizePathText(c.path))
      return (f) => {
        for (const form of f.forms) if (m(form)) return true
        return false
      }
    }
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

/** The trie node for a list of segments, created when missing. */
function nodeAt(root: TrieNode, segments: readonly string[]): TrieNode {
  let node = root
  for (const seg of segments) {
    if (node.children === null) node.children = new Map()
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

/** A cheap fingerprint of text[start, end) (length, first and last character) for the segment filter. */
export function segmentKey(text: string, start: number, end: number): number {
  const n = end - start
  if (n <= 0) return 0
  return (n * 961 + text.charCodeAt(start) * 31 + text.charCodeAt(end - 1)) & (SEGMENT_FILTER_SIZE - 1)
}

/** A wildcard path pattern waiting for its index slot (chosen once all patterns are known). */
interface PendingPath {
  entry: PathEntry
  /** Complete segments of the literal prefix (trie path); empty when the prefix has none. */
  prefixSegments: string[]
  /** Segments every matching path must contain as whole segments (from the text after the first `*`). */
  required: string[]
}

function addPath(coll: CompiledCollection, rule: CompiledRule, path: string, pending: PendingPath[], groups: Map<string, PathEntry>): void {
  const p = normalizePathText(path)
  const known = groups.get(p)
  if (known) {
    known.rules.push(rule)
    return
  }
  const entry: PathEntry = { pattern: p, rules: [rule], match: compileStarGlob(p), bySid: null, matchedTick: 0, folder: false }
  groups.set(p, entry)
  const chunks = p.split('*')
  if (chunks.length === 1) {
    const segs = p.split('\\')
    const node = nodeAt(coll.trie, segs.slice(0, -1))
    if (node.exact === null) node.exact = new Map()
    push(node.exact, segs[segs.length - 1], entry)
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
  pending.push({ entry, prefixSegments, required })
}

/**
 * Puts each wildcard pattern where the fewest other patterns are: the trie node of its literal
 * prefix, or the bucket of one segment every matching path must contain (`*\CHROME.EXE`,
 * `%OSDRIVE%\USERS\*\APPDATA\LOCAL\APP12\*`), or, with neither, the always-checked root.
 */
function placePaths(coll: CompiledCollection, pending: PendingPath[]): void {
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
      push(coll.segments, best, p.entry)
      coll.segmentFilter[segmentKey(best, 0, best.length)] = 1
      continue
    }
    const e = p.entry
    // Placed at the node of all its prefix's segments: a form reaching that node starts with the prefix.
    e.folder = e.pattern.endsWith('\\*') && e.pattern.indexOf('*') === e.pattern.length - 1 && p.prefixSegments.length > 0
    nodeAt(coll.trie, p.prefixSegments).entries.push(e)
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function addPublisher(coll: CompiledCollection, rule: CompiledRule, c: Extract<Condition, { kind: 'publisher' }>): void {
  const name = c.publisherName === ANY ? ANY : upcase(c.publisherName)
  const product = c.productName === ANY ? ANY : upcase(c.productName)
  let byProduct = coll.publishers.get(name)
  if (!byProduct) {
    byProduct = new Map()
    coll.publishers.set(name, byProduct)
  }
  let bucket = byProduct.get(product)
  if (!bucket) {
    bucket = { exact: new Map(), other: [] }
    byProduct.set(product, bucket)
  }
  const binary = binaryMatcher(c.binaryName)
  const entry: PublisherEntry = { rule, binary, range: compileRange(c.versionRange?.low, c.versionRange?.high) }
  const upper = upcase(c.binaryName)
  if (binary !== null && !upper.includes('*') && !upper.includes('?')) push(bucket.exact, upper, entry)
  else bucket.other.push(entry)
}

function compileCollection(type: CollectionType, source: RuleCollection): CompiledCollection {
  const rules: readonly Rule[] = source.rules
  const coll: CompiledCollection = {
    type,
    mode: source.enforcementMode,
    servicesMode: source.extensions?.services?.enforcementMode ?? null,
    rules: [],
    sidCounts: new Map(),
    needPaths: false,
    needPublisher: false,
    needHash: false,
    trie: newNode(),
    segments: new Map(),
    segmentFilter: new Uint8Array(SEGMENT_FILTER_SIZE),
    pathGroups: [],
    hashes: new Map(),
    publishers: new Map(),
    stamp: new Uint32Array(rules.length),
    tick: 0,
  }
  const note = (c: Condition) => {
    if (c.kind === 'path') coll.needPaths = true
    else if (c.kind === 'publisher') coll.needPublisher = true
    else coll.needHash = true
  }
  const pending: PendingPath[] = []
  const groups = new Map<string, PathEntry>()
  rules.forEach((rule, ordinal) => {
    const c = rule.condition && rule.condition.kind === rule.kind ? rule.condition : null
    const exceptions = ruleExceptions(rule).map((e) => {
      note(e)
      return { test: compileCondition(e), text: describeCondition(e) }
    })
    const cr: CompiledRule = {
      ordinal,
      rule,
      deny: rule.action === 'Deny',
      sid: normalizeSid(rule.userOrGroupSid),
      test: c ? compileCondition(c) : null,
      exceptions,
    }
    coll.rules.push(cr)
    coll.sidCounts.set(cr.sid, (coll.sidCounts.get(cr.sid) ?? 0) + 1)
    if (!c) return
    note(c)
    if (c.kind === 'path') addPath(coll, cr, c.path, pending, groups)
    else if (c.kind === 'publisher') addPublisher(coll, cr, c)
    else {
      for (const h of c.hashes) {
        const k = hashKey(h.data)
        if (k === null) continue
        const list = coll.hashes.get(k)
        if (!list) coll.hashes.set(k, [cr])
        else if (list[list.length - 1] !== cr) list.push(cr)
      }
    }
  })
  placePaths(coll, pending)
  for (const g of groups.values()) {
    coll.pathGroups.push(g)
    if (g.rules.length <= GROUP_SID_INDEX_MIN) continue
    g.bySid = new Map()
    for (const r of g.rules) push(g.bySid, r.sid, r)
  }
  return coll
}

/**
 * Compiles a policy for a simulated machine. The result is reused for any number of decisions;
 * compile again when the policy or the machine changes.
 */
export function compilePolicy(policy: Policy, machine: MachineSettings = DEFAULT_MACHINE): CompiledPolicy {
  const collections: Partial<Record<CollectionType, CompiledCollection>> = {}
  for (const c of policy.collections) {
    if (c.type === null || collections[c.type]) continue
    collections[c.type] = compileCollection(c.type, c)
  }
  return { machine, paths: prepareMachine(machine), collections }
}
