/**
 * Decides one file for one principal over a compiled policy (APPLOCKER.md section 3).
 *
 * The fast path (explain: false) looks up only the rules the indexes say can match, and stops
 * looking once no other rule can change the outcome. The explaining path uses the same indexes
 * without stopping early, so it finds every applicable rule whose condition matches (the ones an
 * explanation names) and counts the others (per-SID rule counts), at a cost that does not grow
 * with the number of rules. Both report the same decision and rule as decideReference.
 */
import type { CollectionType, EnforcementMode, Rule } from '../policy'
import { upcase } from '../upcase'
import { collectionForFile, isPackageInstall, isPowerShellScript } from './collection'
import type { BigCount, CompiledCollection, CompiledPolicy, CompiledRule, ConditionIndex, FileContext, PackedPublishers, PathSlot, ProductBucket, PublisherEntry, PublisherList, RuleGroup, TrieNode } from './compile'
import { ANY, compileTuning, formsOf, packPublishers, realOf, SEGMENT_FILTER_SIZE, selectView, versionPosition, viewGroup, viewPublishers } from './compile'
import {
  describeCondition,
  describePrincipal,
  mappedDriveStep,
  principalForCollection,
  effectiveMode,
  explain,
  hashKey,
  hitStep,
  EXPLAIN_LISTED,
  nonUserProcessSid,
  packagedAppsBlockedByExe,
  principalSids,
  ruleRef,
  fastDecision,
  servicesEnforced,
  signerOf,
  toDecision,
  type Outcome,
  type RuleFindings,
  type RuleVerdict,
} from './outcome'
import { newPathScan, realFilePath, resolveMappedDrive, scanPlainPath, scanSegments } from './paths'
import type { Decision, DecideOptions, FileFacts, Principal } from './types'
import { parseVersionInto, versionInRange } from './version'

interface PrincipalFacts {
  sids: Set<string>
  /** A number standing for this set of SIDs: principals with the same SIDs share it (see selectView). */
  view: number
  /** The non-user account (S-1-5-18/19/20) the principal is, or null. */
  nonUser: string | null
  /** The SIDs as explanations name them (describePrincipal), filled on first use. */
  text: string | null
}
const principalCache = new WeakMap<Principal, PrincipalFacts>()
/** View numbers by the sorted SIDs they stand for (bounded: a fresh number past the limit is still correct). */
const viewNumbers = new Map<string, number>()
let lastView = 0

/** The principal's SIDs, view and account kind, cached per principal object (treat principals as immutable). */
let lastPrincipal: Principal | null = null
let lastFacts: PrincipalFacts | null = null

function factsOf(principal: Principal): PrincipalFacts {
  if (principal === lastPrincipal) return lastFacts!
  let s = principalCache.get(principal)
  if (!s) {
    const sids = principalSids(principal)
    const key = [...sids].sort().join(' ')
    let view = viewNumbers.get(key)
    if (view === undefined) {
      view = ++lastView
      if (viewNumbers.size >= 1000) viewNumbers.clear()
      viewNumbers.set(key, view)
    }
    s = { sids, view, nonUser: nonUserProcessSid(principal), text: null }
    principalCache.set(principal, s)
  }
  lastPrincipal = principal
  lastFacts = s
  return s
}

/**
 * Publisher and product names upper-cased, by the text as given: an inventory names a few dozen
 * signers and products many times over, so each is upper-cased once, and the index lookups that
 * follow reuse one string (hashed once) instead of a fresh copy per file. Bounded: emptied when full.
 */
const signerText = new Map<string, string>()

function upcaseSigner(text: string): string {
  let u = signerText.get(text)
  if (u === undefined) {
    u = upcase(text)
    if (signerText.size >= 4096) signerText.clear()
    signerText.set(text, u)
  }
  return u
}

/** The file context, refilled for every decision (no allocation). */
const ctxPublisher = { name: '', product: '', binary: '', version: null as number[] | null }
const ctxVersion: number[] = []
const ctx: FileContext = { subject: '', lower: false, real: '', realReady: true, formsReady: false, forms: { forms: [], heads: [], tails: [] }, machine: { prefixes: [], locations: {} as FileContext['machine']['locations'] }, publisher: null, hash: null }

function fillContext(coll: CompiledCollection, policy: CompiledPolicy, file: FileFacts): void {
  ctx.machine = policy.paths
  ctx.formsReady = false
  // Without path conditions the index has no paths to walk: `scan` is left as it is (it may describe
  // this path for the next decision, scanPath).
  if (coll.needPaths) preparePath(file.path, policy)
  else {
    ctx.subject = ctx.real = ''
    ctx.lower = false
    ctx.realReady = true
  }
  const p = coll.needPublisher ? signerOf(file) : null
  if (p !== null) {
    ctxPublisher.name = upcaseSigner(p.name)
    ctxPublisher.product = upcaseSigner(p.product)
    ctxPublisher.binary = upcase(p.binary)
    ctxPublisher.version = parseVersionInto(p.version, ctxVersion)
    ctx.publisher = ctxPublisher
  } else ctx.publisher = null
  ctx.hash = coll.needHash ? hashKey(file.hash) : null
}

/**
 * The path's subject and segments in one scan: a plain path is used as it is (upper-cased only if
 * a matcher needs the text, realOf), any other is normalised first (realFilePath).
 */
function preparePath(path: string, policy: CompiledPolicy): void {
  if (path.charCodeAt(0) !== 37 && scanPath(path)) {
    ctx.subject = path
    ctx.lower = scan.lower
    ctx.realReady = false
    return
  }
  const real = realFilePath(path, policy.paths)
  scanSegments(real, scan)
  scanned = null
  ctx.subject = ctx.real = real
  ctx.lower = false
  ctx.realReady = true
}

// State of the decision in progress (decide is synchronous and not re-entered).
/** Ordinal of the first matching Deny and Allow rule (no exception excluding the file) found so far. */
let denyOrd = Infinity
let allowOrd = Infinity
let current: CompiledCollection
let tick = 0
/**
 * The explaining path's mode: nothing is skipped, every group that matches is recorded in
 * `matchedGroups`, and every matching publisher rule that applies is counted at once (pubHits).
 */
let collecting = false
const matchedGroups: RuleGroup[] = []
let matchedGroupCount = 0
const NO_GROUP = null as unknown as RuleGroup
/** Publisher rules that apply and match (collecting): how many, how many Allow, how many of both an exception excludes. */
let pubHits = 0
let pubAllows = 0
let pubExcluded = 0
let pubExcludedAllows = 0
/** The file's version as a position among the collection's version bounds (versionPosition); -1 when it is not a version. */
let versionPos = 0
/**
 * While explaining, the exception index is walked first: `scanningExceptions` is true, and every
 * rule for the principal with an exception that matches the file is stamped (excludedStamp[ordinal]
 * = tick), except those of big exception groups, which are marked as groups (bigTick; see
 * exceptionGroupMatched).
 */
let scanningExceptions = false

/**
 * An exception group that matched: a big one (compileTuning.bigExceptionGroup rules or more) is only marked,
 * its rules being counted per rule group (bigCount); the others stamp the rules they exclude.
 */
function exceptionGroupMatched(g: RuleGroup): void {
  g.tick = tick
  if (g.id >= 0) {
    current.bigTick[g.id] = tick
    matchedBig[matchedBigCount++] = g.id
    return
  }
  viewGroup(current, g)
  const owners = g.ordinals
  for (let i = 0; i < owners.length; i++) stampExcluded(owners[i])
}

/** Big exception groups (ids) that matched the file in hand (explaining path). */
const matchedBig: number[] = []
let matchedBigCount = 0
/** Ordinals stamped for the file in hand (explaining path), each once. */
const stamped: number[] = []
let stampedCount = 0

function stampExcluded(ord: number): void {
  const stamp = current.excludedStamp
  if (stamp[ord] === tick) return
  stamp[ord] = tick
  stamped[stampedCount++] = ord
}

/** Whether one of the rule's big exception groups matched the file in hand (explaining path). */
function bigExcluded(ord: number): boolean {
  const c = current
  const end = c.bigStart[ord + 1]
  for (let i = c.bigStart[ord]; i < end; i++) if (c.bigTick[c.bigIds[i]] === tick) return true
  return false
}

/** Whether an exception of the rule (by ordinal) excludes the file in hand (explaining path, after the exception walk). */
function excludedOrdinal(ord: number): boolean {
  return current.excludedStamp[ord] === tick || bigExcluded(ord)
}

/**
 * What the big exception groups that matched do to a rule group (for the view): one entry per
 * combination of the big groups that bear on the group, remembered (null when none bears on it).
 */
function bigEntry(g: RuleGroup): BigCount | null {
  if (matchedBigCount === 0 || g.exceptionDenies.length + g.exceptionAllows.length === 0) return null
  const c = current
  let relevant = g.bigRelevant
  if (relevant === null) {
    relevant = new Set()
    for (const r of g.rules) for (let i = c.bigStart[r.ordinal]; i < c.bigStart[r.ordinal + 1]; i++) relevant.add(c.bigIds[i])
    g.bigRelevant = relevant
  }
  if (relevant.size === 0) return null
  let key = ''
  for (let i = 0; i < matchedBigCount; i++) {
    const id = matchedBig[i]
    if (relevant.has(id)) key = key === '' ? `${id}` : `${key},${id}`
  }
  if (key === '') return null
  if (g.bigMemo === null || g.bigMemoView !== c.sidView || g.bigMemo.size >= 256) {
    g.bigMemo = new Map()
    g.bigMemoView = c.sidView
  }
  let n = g.bigMemo.get(key)
  if (n === undefined) {
    n = { total: -1, allows: -1, keptDenies: null, keptAllows: null }
    g.bigMemo.set(key, n)
  }
  return n
}

/**
 * How many of a matched rule group's rules (for the view) the big exception groups that matched
 * exclude, and how many of them Allow: counted once per combination (bigEntry), null when none bears on it.
 */
function bigCount(g: RuleGroup): BigCount | null {
  const n = bigEntry(g)
  if (n === null || n.total >= 0) return n
  let total = 0
  let allows = 0
  const denies = g.exceptionDenies
  for (let i = 0; i < denies.length; i++) if (bigExcluded(denies[i])) total++
  const allowing = g.exceptionAllows
  for (let i = 0; i < allowing.length; i++) {
    if (bigExcluded(allowing[i])) {
      total++
      allows++
    }
  }
  n.total = total
  n.allows = allows
  return n
}

/** Ordinals of the rules of `list` no big exception group that matched excludes (list: the group's Deny or Allow rules for the view). */
function keptBy(list: CompiledRule[]): Int32Array {
  let n = 0
  for (const r of list) if (!bigExcluded(r.ordinal)) n++
  const kept = new Int32Array(n)
  n = 0
  for (const r of list) if (!bigExcluded(r.ordinal)) kept[n++] = r.ordinal
  return kept
}

/**
 * The ordinal of the first rule of a matched group's Deny (or Allow) rules for the view, before
 * `below`, that no exception excludes; Infinity when there is none. The first compileTuning.keptScan
 * rules are tried one by one; past them, the rules the big exception groups that matched leave are
 * listed once per combination (bigEntry) and tried instead, so a group of thousands of rules that
 * one shared exception excludes costs a lookup, not a pass over the thousands.
 */
function firstKept(g: RuleGroup, deny: boolean, below: number): number {
  const list = deny ? g.denies : g.allows
  const n = list.length
  const scan = Math.min(n, compileTuning.keptScan)
  for (let i = 0; i < scan; i++) {
    const r = list[i]
    if (r.ordinal >= below) return Infinity
    if (r.exceptions.length === 0 || !excluded(r)) return r.ordinal
  }
  if (scan === n) return Infinity
  // Every rule so far had an exception that excludes the file: the exception index answers from here
  // on (stamps and big groups), over the rules the matched big groups leave.
  if (!collecting && !exceptionsStamped) stampExceptions()
  const entry = bigEntry(g)
  const stamp = current.excludedStamp
  if (entry === null) {
    for (let i = scan; i < n; i++) {
      const ord = list[i].ordinal
      if (ord >= below) return Infinity
      if (stamp[ord] !== tick) return ord
    }
    return Infinity
  }
  let kept = deny ? entry.keptDenies : entry.keptAllows
  if (kept === null) {
    kept = keptBy(list)
    if (deny) entry.keptDenies = kept
    else entry.keptAllows = kept
  }
  for (let i = 0; i < kept.length; i++) {
    const ord = kept[i]
    if (ord >= below) return Infinity
    if (stamp[ord] !== tick) return ord
  }
  return Infinity
}

/** The first of the rule's exceptions that excludes the file in hand, or null. */
function excludingException(r: CompiledRule): string | null {
  for (const e of r.exceptions) if (e.test(ctx)) return e.text
  return null
}

/**
 * The fast path tests a rule's exceptions itself, for the first compileTuning.fastExceptionTests
 * rules with exceptions of a decision; past that (many matching rules, each with an exception that
 * may exclude the file) it walks the exception index once, as the explaining path does, and the
 * stamps answer: the cost then grows with the exceptions that match, not with the rules times their
 * exceptions.
 */
let exceptionTests = 0
let exceptionsStamped = false

function excluded(r: CompiledRule): boolean {
  if (collecting || exceptionsStamped) return excludedOrdinal(r.ordinal)
  if (++exceptionTests > compileTuning.fastExceptionTests) {
    stampExceptions()
    return excludedOrdinal(r.ordinal)
  }
  for (const e of r.exceptions) if (e.test(ctx)) return true
  return false
}

/** The exception walk of the explaining path, for the fast path (see excluded). */
function stampExceptions(): void {
  matchedBigCount = 0
  stampedCount = 0
  setVersionPosition(current)
  walkExceptions(current)
  exceptionsStamped = true
}

/** The file's version as a position among the collection's version bounds (versionPos), for the exception walk and the publisher scans. */
function setVersionPosition(coll: CompiledCollection): void {
  const version = ctx.publisher === null ? null : ctx.publisher.version
  versionPos = version === null ? -1 : versionPosition(coll.versionBounds, version)
}

/** Walks the collection's exception index: rules an exception excludes are stamped, big exception groups marked. */
function walkExceptions(c: CompiledCollection): void {
  scanningExceptions = true
  try {
    walkIndex(c.exceptionIndex)
  } finally {
    scanningExceptions = false
  }
}

/** Whether a matching group could still change the outcome (always, when explaining). */
function groupMatters(g: RuleGroup): boolean {
  if (g.firstDeny < denyOrd) return true
  if (collecting) return g.firstDeny !== Infinity || g.firstAllow !== Infinity
  return denyOrd === Infinity && g.firstAllow < allowOrd
}

/** A group whose condition matched: its first Deny and Allow rules that no exception excludes. */
function groupMatched(g: RuleGroup): void {
  g.tick = tick
  if (collecting) matchedGroups[matchedGroupCount++] = g
  else if (g.firstDenyPlain && g.firstDeny < denyOrd) {
    denyOrd = g.firstDeny
    return
  } else if (g.firstDeny >= denyOrd && g.firstAllowPlain) {
    if (denyOrd === Infinity && g.firstAllow < allowOrd) allowOrd = g.firstAllow
    return
  }
  const d = firstKept(g, true, denyOrd)
  if (d < denyOrd) denyOrd = d
  if (denyOrd !== Infinity && !collecting) return
  const a = firstKept(g, false, allowOrd)
  if (a < allowOrd) allowOrd = a
}

/** Visits path slots found for the real path: each group is matched once, only if it could matter. */
function visitSlots(slots: PathSlot[] | undefined): void {
  if (slots === undefined) return
  for (const s of slots) {
    const g = s.group
    if (g.tick === tick) continue
    if (scanningExceptions) {
      if (s.proven || s.match(realOf(ctx))) exceptionGroupMatched(g)
      continue
    }
    viewGroup(current, g)
    if (!groupMatters(g)) continue
    if (s.proven || s.match(realOf(ctx))) groupMatched(g)
  }
}

function visitGeneric(slots: PathSlot[]): void {
  for (const s of slots) {
    const g = s.group
    if (g.tick === tick) continue
    if (!scanningExceptions) {
      viewGroup(current, g)
      if (!groupMatters(g)) continue
    }
    for (const form of formsOf(ctx)) {
      if (s.match(form)) {
        if (scanningExceptions) exceptionGroupMatched(g)
        else groupMatched(g)
        break
      }
    }
  }
}

function publisherMatches(e: PublisherEntry): boolean {
  const p = ctx.publisher!
  return (e.binary === null || e.binary(p.binary)) && versionInRange(p.version, e.range)
}

/**
 * Visits a publisher list: the first matching Deny entry for the principal (document order), and
 * the first matching Allow entry while no Deny is known; when explaining, every matching entry.
 */
function visitPublishers(list: PublisherList | undefined): void {
  if (list === undefined) return
  if (scanningExceptions || collecting) {
    scanPublishers(packPublishers(current, list))
    return
  }
  viewPublishers(current, list)
  denyOrd = firstMatching(list.denies, denyOrd)
  if (denyOrd !== Infinity) return
  allowOrd = firstMatching(list.allows, allowOrd)
}

/** The ordinal of the first entry (document order) below `below` that matches and no exception excludes, else `below`. */
function firstMatching(entries: PublisherEntry[], below: number): number {
  for (const e of entries) {
    const r = e.rule
    if (r.ordinal >= below) break
    if (publisherMatches(e) && (r.exceptions.length === 0 || !excluded(r))) return r.ordinal
  }
  return below
}

/**
 * The explaining path's visit of a publisher list (its entries for the principal): while scanning
 * exceptions, stamps the rules an entry excludes; else counts the matching entries, finds the first
 * Deny and Allow no exception excludes, and offers each to the listed hits.
 */
function scanPublishers(pk: PackedPublishers): void {
  const n = pk.count
  if (n === 0) return
  const lo = pk.lo
  const hi = pk.hi
  const ords = pk.ordinals
  const bins = pk.binaries
  const binary = ctx.publisher!.binary
  const pos = versionPos
  const top = 2 * current.versionBounds.count
  const stamp = current.excludedStamp
  const bigStart = current.bigStart
  const deniesEnd = pk.denyCount
  for (let i = 0; i < n; i++) {
    if (pos >= 0 ? lo[i] > pos || hi[i] < pos : lo[i] !== 0 || hi[i] !== top) continue
    if (bins !== null) {
      const b = bins[i]
      if (b !== null && !b(binary)) continue
    }
    const ord = ords[i]
    if (scanningExceptions) {
      stampExcluded(ord)
      continue
    }
    const deny = i < deniesEnd
    pubHits++
    if (!deny) pubAllows++
    if (stamp[ord] === tick || (bigStart[ord] !== bigStart[ord + 1] && bigExcluded(ord))) {
      pubExcluded++
      if (!deny) pubExcludedAllows++
    } else if (deny) {
      if (ord < denyOrd) denyOrd = ord
    } else if (ord < allowOrd) allowOrd = ord
    offerFirst(ord)
  }
}

function visitProducts(byProduct: Map<string, ProductBucket> | undefined): void {
  if (byProduct === undefined) return
  const p = ctx.publisher!
  let bucket = byProduct.get(p.product)
  if (bucket !== undefined) {
    visitPublishers(bucket.exact.get(p.binary))
    visitPublishers(bucket.other)
  }
  if (p.product === ANY) return
  bucket = byProduct.get(ANY)
  if (bucket !== undefined) {
    visitPublishers(bucket.exact.get(p.binary))
    visitPublishers(bucket.other)
  }
}

/**
 * The first matching Deny and first matching Allow rule, by the rule index. When explaining, the
 * exception index is walked first (rules an exception excludes are stamped), and every group and
 * publisher rule that matches is recorded.
 */
function match(c: CompiledCollection, view: number, sids: ReadonlySet<string>): void {
  current = c
  denyOrd = Infinity
  allowOrd = Infinity
  selectView(c, view, sids)
  if (++c.tick >= 0x3fffffff) {
    for (const g of c.groups) g.tick = 0
    c.excludedStamp.fill(0)
    c.groupTick.fill(0)
    c.bigTick.fill(0)
    c.tick = 1
  }
  tick = c.tick
  exceptionTests = 0
  exceptionsStamped = false
  if (collecting) walkExceptions(c)
  walkIndex(c.index)
}

function walkIndex(ix: ConditionIndex): void {
  if (ctx.hash !== null && ix.hashes.size > 0) {
    const g = ix.hashes.get(ctx.hash)
    if (g !== undefined && g.tick !== tick) {
      if (scanningExceptions) exceptionGroupMatched(g)
      else {
        viewGroup(current, g)
        if (groupMatters(g)) groupMatched(g)
      }
    }
  }
  if (ctx.publisher !== null && ix.publishers.size > 0) {
    const name = ctx.publisher.name
    visitProducts(ix.publishers.get(name))
    if (name !== ANY) visitProducts(ix.publishers.get(ANY))
  }
  if (ix.hasPaths) {
    const count = scan.count
    if (ix.segments.size > 0) {
      const filter = ix.segmentFilter
      const hashes = scan.hashes
      for (let i = 0; i < count; i++) {
        const h = hashes[i]
        if (filter[h & (SEGMENT_FILTER_SIZE - 1)] === 1) visitSlots(ix.segments.find(ctx.subject, scan.starts[i], segEnd(i), h))
      }
    }
    if (ix.generic.length > 0) visitGeneric(ix.generic)
    const root = ix.trie
    if (root.entries.length > 0) visitSlots(root.entries)
    if (root.children !== null || root.exact !== null) walk(root, count - 1)
  }
}

/** The segments of the file in hand's subject (preparePath). */
const scan = newPathScan()
/** The path `scan` describes as scanPlainPath saw it (null: none, or a real path), and whether it is plain. */
let scanned: string | null = null
let scannedPlain = false

/** scanPlainPath of the path into `scan`, once per path (decide scans before it knows the collection). */
function scanPath(path: string): boolean {
  if (scanned !== path) {
    scannedPlain = scanPlainPath(path, scan)
    scanned = path
  }
  return scannedPlain
}

function segEnd(i: number): number {
  return i + 1 < scan.count ? scan.starts[i + 1] - 1 : ctx.subject.length
}

/**
 * Descends the trie along the segments 0..last-1 (those followed by a backslash), visiting
 * each node's wildcard patterns, then the exact patterns named by the last segment.
 */
function walk(node: TrieNode, last: number): void {
  const subject = ctx.subject
  const starts = scan.starts
  const hashes = scan.hashes
  for (let i = 0; i < last; i++) {
    if (node.children === null) return
    const next = node.children.find(subject, starts[i], starts[i + 1] - 1, hashes[i])
    if (next === undefined) return
    node = next
    if (node.entries.length > 0) visitSlots(node.entries)
  }
  if (node.exact !== null) visitSlots(node.exact.find(subject, starts[last], subject.length, hashes[last]))
}

/**
 * Decides a file for a principal: the collection, Test-AppLockerPolicy's PolicyDecision and
 * matching rule, the effect under the collection's mode, the machine's AppIDSvc state and the
 * kind of process, the event Windows would log, and (unless explain is false) an explanation.
 */
export function decide(compiled: CompiledPolicy, file: FileFacts, principal: Principal, options?: DecideOptions): Decision {
  const mapped = compiled.machine.mappedDrives
  let given: string | null = null
  if (mapped !== undefined && mapped.length > 0) {
    // A file on a mapped or SUBST drive is matched by the path the drive stands for.
    const path = resolveMappedDrive(file.path, mapped)
    if (path !== null) {
      given = file.path
      file = { ...file, path }
    }
  }
  if (options?.explain !== false) {
    const d = decideExplained(compiled, file, principal, options)
    if (given !== null) d.explanation.steps.unshift(mappedDriveStep(given, file.path))
    return d
  }
  const type = collectionForFile(file, scanPath(file.path) ? scan : null)
  if (type === null) return fastDecision(null, 'AllowedByDefault', null, null, false, false, false, false)
  const effective = principalForCollection(principal, type)
  const pf = factsOf(effective)
  const coll = compiled.collections[type]
  const enforced = compiled.machine.appIdServiceRunning && (pf.nonUser === null || servicesEnforced(type, coll === undefined ? null : coll.servicesMode))
  const packageInstall = type === 'Appx' && isPackageInstall(file)
  const powershell = type === 'Script' && isPowerShellScript(file.path)
  const mode = coll === undefined ? null : options?.modeOverride === undefined ? coll.mode : effectiveMode(type, coll.mode, options)
  if (coll === undefined || coll.rules.length === 0) {
    if (type === 'Appx' && packagedAppsBlocked(compiled, options)) {
      return fastDecision(type, 'DeniedByDefault', null, mode, packageInstall, enforced, true, false)
    }
    return fastDecision(type, 'AllowedByDefault', null, mode, packageInstall, enforced, false, false)
  }
  fillContext(coll, compiled, file)
  const key = decisionKey(mode, packageInstall, enforced, powershell)
  if (effective !== principal) {
    // Unelevated, Administrators is a deny-only group outside Executable rules: a Deny rule for it still
    // applies (first, with every group), an Allow rule does not (then, without it).
    const full = factsOf(principal)
    match(coll, full.view, full.sids)
    if (denyOrd !== Infinity) {
      const r = coll.rules[denyOrd]
      return sharedDecision(key, (r.decisions ??= []), type, 'Denied', r.rule, mode, packageInstall, enforced, powershell)
    }
  }
  match(coll, pf.view, pf.sids)
  if (denyOrd !== Infinity) {
    const r = coll.rules[denyOrd]
    return sharedDecision(key, (r.decisions ??= []), type, 'Denied', r.rule, mode, packageInstall, enforced, powershell)
  }
  if (allowOrd !== Infinity) {
    const r = coll.rules[allowOrd]
    return sharedDecision(key, (r.decisions ??= []), type, 'Allowed', r.rule, mode, packageInstall, enforced, powershell)
  }
  return sharedDecision(key, (coll.deniedByDefault ??= []), type, 'DeniedByDefault', null, mode, packageInstall, enforced, powershell)
}

/**
 * The fast path's decision is a function of the deciding rule (or the default), the mode and three
 * flags: each is made once, frozen, and shared by every file it decides (no object per file). A mode
 * outside the three (an override with another value) gets key -1: made per call, as before.
 */
function decisionKey(mode: EnforcementMode | null, packageInstall: boolean, enforced: boolean, powershell: boolean): number {
  const m = mode === 'Enabled' ? 0 : mode === 'AuditOnly' ? 1 : mode === 'NotConfigured' ? 2 : mode === null ? 3 : -1
  return m < 0 ? -1 : (m << 3) | (packageInstall ? 4 : 0) | (enforced ? 2 : 0) | (powershell ? 1 : 0)
}

function sharedDecision(
  key: number,
  made: Decision[],
  type: CollectionType,
  decision: 'Denied' | 'Allowed' | 'DeniedByDefault',
  rule: Rule | null,
  mode: EnforcementMode | null,
  packageInstall: boolean,
  enforced: boolean,
  powershell: boolean,
): Decision {
  if (key < 0) return fastDecision(type, decision, rule, mode, packageInstall, enforced, false, powershell)
  const known = made[key]
  if (known !== undefined) return known
  return (made[key] = Object.freeze(fastDecision(type, decision, rule, mode, packageInstall, enforced, false, powershell)))
}

function packagedAppsBlocked(compiled: CompiledPolicy, options: DecideOptions | undefined): boolean {
  const exe = compiled.collections.Exe
  const exeMode: EnforcementMode | null = exe ? effectiveMode('Exe', exe.mode, options) : null
  return packagedAppsBlockedByExe(exe ? exe.rules.length : 0, exeMode)
}

/**
 * Every applicable rule whose condition matches the file, by the indexes (no early stop): the
 * groups that match are found once, and what they hold is counted from their per-principal lists;
 * publisher entries are scanned in packed arrays; the rules an exception excludes are counted from
 * the stamps and, for big exception groups, per rule group and combination (bigCount); only the
 * listed rules get their verdict spelled out. Rules for other principals are counted from the
 * per-SID counts.
 */
function findRules(coll: CompiledCollection, compiled: CompiledPolicy, file: FileFacts, pf: PrincipalFacts): RuleFindings {
  fillContext(coll, compiled, file)
  matchedGroupCount = 0
  matchedBigCount = 0
  stampedCount = 0
  pubHits = 0
  pubAllows = 0
  pubExcluded = 0
  pubExcludedAllows = 0
  firstCount = 0
  setVersionPosition(coll)
  collecting = true
  try {
    match(coll, pf.view, pf.sids)
  } finally {
    collecting = false
  }
  if (coll.applicableView !== pf.view) {
    let n = 0
    for (const sid of pf.sids) n += coll.sidCounts.get(sid) ?? 0
    coll.applicableCount = n
    coll.applicableView = pf.view
  }
  const applicable = coll.applicableCount
  let hitTotal = pubHits
  let allowHits = pubAllows
  for (let i = 0; i < matchedGroupCount; i++) {
    const g = matchedGroups[i]
    hitTotal += g.applicable.length
    allowHits += g.allows.length
  }
  // The hits an exception excludes: publisher ones were counted as found; in the matched groups,
  // those of big exception groups by combination (bigCount), then the other stamped ones.
  let excludedTotal = pubExcluded
  let excludedAllows = pubExcludedAllows
  for (let i = 0; i < matchedGroupCount; i++) {
    const c = bigCount(matchedGroups[i])
    if (c !== null) {
      excludedTotal += c.total
      excludedAllows += c.allows
    }
  }
  const rules = coll.rules
  const groupOf = coll.ruleGroupOf
  const groupTick = coll.groupTick
  for (let i = 0; i < matchedGroupCount; i++) groupTick[matchedGroups[i].id] = tick
  for (let i = 0; i < stampedCount; i++) {
    const o = stamped[i]
    const gid = groupOf[o]
    const hit = gid >= 0 ? groupTick[gid] === tick : gid === -2 && rules[o].groups.some((g) => g.tick === tick)
    if (!hit || bigExcluded(o)) continue
    excludedTotal++
    if (coll.ruleDeny[o] === 0) excludedAllows++
  }
  // The hits an explanation lists: the first EXPLAIN_LISTED in document order (from the first ones
  // of each group), the first matching Deny and, when before it, the first matching Allow.
  for (let i = 0; i < matchedGroupCount; i++) {
    const a = matchedGroups[i].ordinals
    for (let k = 0; k < a.length; k++) if (!offerFirst(a[k])) break
  }
  // In document order: the first ones, then the first matching Allow (when before the Deny) and Deny.
  let count = firstCount
  const lastFirst = count > 0 ? firstOrdinals[count - 1] : -1
  for (let i = 0; i < count; i++) candidates[i] = firstOrdinals[i]
  if (allowOrd !== Infinity && allowOrd > lastFirst && allowOrd < denyOrd) candidates[count++] = allowOrd
  if (denyOrd !== Infinity && denyOrd > lastFirst) candidates[count++] = denyOrd
  // An exception excludes a hit exactly when the exception index stamped it: only those are tested
  // again, for the text of the first exception that excludes the file.
  for (let k = 0; k < count; k++) {
    const ord = candidates[k]
    exceptionTexts[k] = excludedOrdinal(ord) ? excludingException(rules[ord]) : null
  }
  // The listed ones: listedHitIndexes (written out here on the candidates, without allocating).
  let listedCount = 0
  let firstDeny = -1
  let firstAllow = -1
  for (let i = 0; i < count; i++) {
    if (exceptionTexts[i] === null) {
      if (rules[candidates[i]].deny) {
        if (firstDeny < 0) firstDeny = i
      } else if (firstAllow < 0) firstAllow = i
    }
    if (i < EXPLAIN_LISTED) listedIndexes[listedCount++] = i
    else if (i === firstDeny || (i === firstAllow && firstDeny < 0)) listedIndexes[listedCount++] = i
    if (i >= EXPLAIN_LISTED && firstDeny >= 0) break
  }
  // The hits are read by explain() at once and not kept: their objects are reused (only each rule
  // reference, which the explanation hands out, is new).
  const hits: RuleFindings['hits'] = new Array(listedCount)
  for (let j = 0; j < listedCount; j++) {
    const k = listedIndexes[j]
    const exception = exceptionTexts[k]
    const r = rules[candidates[k]]
    if (r.conditionText === null) r.conditionText = r.rule.condition ? describeCondition(r.rule.condition) : 'no condition'
    if (r.ref === null) r.ref = ruleRef(r.rule)
    const t = r.ref
    const h = hitPool[j]
    h.rule = r.rule
    h.condition = r.conditionText
    h.ref = { ruleId: t.ruleId, name: t.name, action: t.action }
    if (exception !== null) {
      h.verdict = { status: 'excluded' as const, exception }
      h.step = undefined
    } else {
      if (r.matchedStep === null) r.matchedStep = hitStep(r.rule, MATCHED, r.conditionText)
      h.verdict = MATCHED
      h.step = r.matchedStep
    }
    hits[j] = h
  }
  // Not keeping the groups (nor so the compiled policy) alive.
  for (let i = 0; i < matchedGroupCount; i++) matchedGroups[i] = NO_GROUP
  matchedGroupCount = 0
  const matchedTotal = hitTotal - excludedTotal
  return { notApplicable: coll.rules.length - applicable, hits, matchedTotal, allowTotal: allowHits - excludedAllows, excludedTotal }
}

/** The ordinals of the first EXPLAIN_LISTED hits found so far, in order (firstOrdinals[0..firstCount)). */
const firstOrdinals = new Int32Array(EXPLAIN_LISTED)
let firstCount = 0
/** The listed hits' candidates (ordinals) and the text of the exception that excludes each (null: none). */
const candidates = new Int32Array(EXPLAIN_LISTED + 2)
const exceptionTexts: (string | null)[] = []
/** Which candidates are listed (listedHitIndexes), and the hit objects findRules hands to explain(). */
const listedIndexes = new Int32Array(EXPLAIN_LISTED + 2)
type Hit = RuleFindings['hits'][number]
const hitPool: Hit[] = Array.from({ length: EXPLAIN_LISTED + 2 }, (): Hit => ({ rule: null as unknown as Rule, verdict: { status: 'matched' }, condition: undefined, step: undefined, ref: undefined }))
const MATCHED: RuleVerdict = Object.freeze({ status: 'matched' as const })

/** Keeps a hit's ordinal if it is among the first EXPLAIN_LISTED so far; false when it comes after all of them (and there are EXPLAIN_LISTED). */
function offerFirst(ord: number): boolean {
  let i = firstCount
  if (i === EXPLAIN_LISTED) {
    if (ord > firstOrdinals[i - 1]) return false
    i--
  } else firstCount++
  while (i > 0 && firstOrdinals[i - 1] > ord) {
    firstOrdinals[i] = firstOrdinals[i - 1]
    i--
  }
  firstOrdinals[i] = ord
  return true
}

function decideExplained(compiled: CompiledPolicy, file: FileFacts, principal: Principal, options?: DecideOptions): Decision {
  const type = collectionForFile(file)
  const packageInstall = type === 'Appx' && isPackageInstall(file)
  const effective = principalForCollection(principal, type)
  let pf = factsOf(effective)
  const base = {
    packageInstall,
    appIdServiceRunning: compiled.machine.appIdServiceRunning,
    packagedAppsBlocked: false,
    rule: null,
    powershell: type === 'Script' && isPowerShellScript(file.path),
    nonUserSid: pf.nonUser,
  }
  if (type === null) {
    const o: Outcome = { ...base, collection: null, present: false, ruleCount: 0, mode: null, policyMode: null, decision: 'AllowedByDefault' }
    return toDecision(o, explain(o, file, principal))
  }
  const coll = compiled.collections[type]
  const mode = coll ? effectiveMode(type, coll.mode, options) : null
  const ruleCount = coll ? coll.rules.length : 0
  if (!coll || ruleCount === 0) {
    const common = {
      ...base,
      collection: type,
      present: coll !== undefined,
      ruleCount,
      mode,
      policyMode: coll ? coll.mode : null,
      servicesMode: coll ? coll.servicesMode : null,
    }
    if (type === 'Appx' && packagedAppsBlocked(compiled, options)) {
      const exe = compiled.collections.Exe
      const o: Outcome = { ...common, decision: 'DeniedByDefault', packagedAppsBlocked: true, exeMode: exe ? effectiveMode('Exe', exe.mode, options) : null }
      return toDecision(o, explain(o, file, principal))
    }
    const o: Outcome = { ...common, decision: 'AllowedByDefault' }
    return toDecision(o, explain(o, file, principal))
  }

  let findings: RuleFindings | null = null
  let used = effective
  if (effective !== principal) {
    // Unelevated, Administrators is a deny-only group outside Executable rules: the rules are first
    // found with every group, and that answer stands when a Deny rule matches; else without the group.
    const full = factsOf(principal)
    const f = findRules(coll, compiled, file, full)
    if (f.hits.some((h) => h.verdict.status === 'matched' && (h.ref ?? h.rule).action === 'Deny')) {
      findings = f
      used = principal
      pf = full
    }
  }
  findings ??= findRules(coll, compiled, file, pf)
  // The listed hits always include the first matching Deny, else the first matching Allow.
  let deny: Rule | null = null
  let allow: Rule | null = null
  for (const h of findings.hits) {
    if (h.verdict.status !== 'matched') continue
    if ((h.ref ?? h.rule).action === 'Deny') {
      deny = h.rule
      break
    }
    if (allow === null) allow = h.rule
  }
  const o: Outcome = {
    packageInstall,
    appIdServiceRunning: compiled.machine.appIdServiceRunning,
    packagedAppsBlocked: false,
    rule: deny ?? allow,
    powershell: base.powershell,
    nonUserSid: pf.nonUser,
    collection: type,
    present: true,
    ruleCount,
    mode,
    policyMode: coll.mode,
    servicesMode: coll.servicesMode,
    decision: deny !== null ? 'Denied' : allow !== null ? 'Allowed' : 'DeniedByDefault',
  }
  if (pf.text === null) pf.text = describePrincipal(used)
  return toDecision(o, explain(o, file, principal, findings, pf.text))
}
