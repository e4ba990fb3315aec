/**
 * Compiles a policy into indexes so that deciding a file costs about the same whatever the
 * number of rules:
 *
 * - hash rules: a map from the normalised hash to the rules;
 * - publisher rules: a map by upper-cased publisher name (plus the `*` bucket), then by product
 *   name (plus `*`), then by file name (plus a bucket for `*` and wildcard file names);
 * - path rules: patterns without `*` in a map; patterns with a literal prefix in a trie keyed by
 *   the prefix's complete path segments; patterns that start with `*` by their last path segment
 *   when it is literal (`*\CHROME.EXE`), or in a small always-checked bucket (`*`, `*.*`).
 *
 * Every wildcard pattern is compiled once into a matcher. Exceptions are compiled too and only
 * checked for rules whose condition matched.
 */
import type { CollectionType, Condition, EnforcementMode, Policy, Rule } from '../policy'
import { normalizeSid } from '../sids'
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

export interface PathEntry {
  rule: CompiledRule
  match: StringMatcher
}

export interface TrieNode {
  entries: PathEntry[]
  children: Map<string, TrieNode> | null
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
  rules: CompiledRule[]
  needPaths: boolean
  needPublisher: boolean
  needHash: boolean
  exactPaths: Map<string, PathEntry[]>
  trie: TrieNode
  lastSegment: Map<string, PathEntry[]>
  hashes: Map<string, CompiledRule[]>
  /** publisher name (or `*`) -> product name (or `*`) -> bucket */
  publishers: Map<string, Map<string, ProductBucket>>
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
      const name = c.publisherName === ANY ? null : c.publisherName.toUpperCase()
      const product = c.productName === ANY ? null : c.productName.toUpperCase()
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
  return compileWildcard(binaryName.toUpperCase())
}

function newNode(): TrieNode {
  return { entries: [], children: null }
}

function addPath(coll: CompiledCollection, rule: CompiledRule, path: string): void {
  const p = normalizePathText(path)
  const star = p.indexOf('*')
  const entry: PathEntry = { rule, match: compileStarGlob(p) }
  if (star < 0) {
    push(coll.exactPaths, p, entry)
    return
  }
  const prefix = p.slice(0, star)
  if (prefix === '') {
    const suffix = p.slice(p.lastIndexOf('*') + 1)
    const b = suffix.lastIndexOf('\\')
    if (b >= 0) push(coll.lastSegment, suffix.slice(b + 1), entry)
    else coll.trie.entries.push(entry)
    return
  }
  const b = prefix.lastIndexOf('\\')
  let node = coll.trie
  if (b >= 0) {
    for (const seg of prefix.slice(0, b).split('\\')) {
      if (node.children === null) node.children = new Map()
      let next = node.children.get(seg)
      if (!next) {
        next = newNode()
        node.children.set(seg, next)
      }
      node = next
    }
  }
  node.entries.push(entry)
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function addPublisher(coll: CompiledCollection, rule: CompiledRule, c: Extract<Condition, { kind: 'publisher' }>): void {
  const name = c.publisherName === ANY ? ANY : c.publisherName.toUpperCase()
  const product = c.productName === ANY ? ANY : c.productName.toUpperCase()
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
  const upper = c.binaryName.toUpperCase()
  if (binary !== null && !upper.includes('*') && !upper.includes('?')) push(bucket.exact, upper, entry)
  else bucket.other.push(entry)
}

function compileCollection(type: CollectionType, mode: EnforcementMode, rules: readonly Rule[]): CompiledCollection {
  const coll: CompiledCollection = {
    type,
    mode,
    rules: [],
    needPaths: false,
    needPublisher: false,
    needHash: false,
    exactPaths: new Map(),
    trie: newNode(),
    lastSegment: new Map(),
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
    if (!c) return
    note(c)
    if (c.kind === 'path') addPath(coll, cr, c.path)
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
    collections[c.type] = compileCollection(c.type, c.enforcementMode, c.rules)
  }
  return { machine, paths: prepareMachine(machine), collections }
}
