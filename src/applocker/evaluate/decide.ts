/**
 * Decides one file for one principal over a compiled policy (APPLOCKER.md section 3).
 *
 * The fast path (explain: false) looks up only the rules the indexes say can match, and stops
 * looking once no other rule can change the outcome. The explaining path uses the same indexes
 * without stopping early, so it finds every applicable rule whose condition matches (the ones an
 * explanation names) and counts the others (per-SID rule counts), at a cost that does not grow
 * with the number of rules. Both report the same decision and rule as decideReference.
 */
import type { EnforcementMode } from '../policy'
import { upcase } from '../upcase'
import { collectionForFile, isPackageInstall, isPowerShellScript } from './collection'
import type { CompiledCollection, CompiledPolicy, CompiledRule, FileContext, PathEntry, PublisherEntry, TrieNode } from './compile'
import { ANY, segmentKey } from './compile'
import {
  effectiveMode,
  explain,
  hashKey,
  listedHitIndexes,
  nonUserProcessSid,
  packagedAppsBlockedByExe,
  principalSids,
  fastDecision,
  servicesEnforced,
  signerOf,
  toDecision,
  type Outcome,
  type RuleFindings,
} from './outcome'
import { pathFormsInto, type PathForms } from './paths'
import type { Decision, DecideOptions, FileFacts, Principal } from './types'
import { parseVersionInto, versionInRange } from './version'

interface PrincipalFacts {
  sids: Set<string>
  /** The non-user account (S-1-5-18/19/20) the principal is, or null. */
  nonUser: string | null
}
const principalCache = new WeakMap<Principal, PrincipalFacts>()

/** The principal's SIDs and account kind, cached per principal object (treat principals as immutable). */
function factsOf(principal: Principal): PrincipalFacts {
  let s = principalCache.get(principal)
  if (!s) {
    s = { sids: principalSids(principal), nonUser: nonUserProcessSid(principal) }
    principalCache.set(principal, s)
  }
  return s
}

// Fast-path state for the decision in progress (decide is synchronous and not re-entered).
let denyOrd = Infinity
let allowOrd = Infinity
const NO_FORMS: string[] = []
/** The fast path's file context, refilled for every decision (no allocation). */
const fastPublisher = { name: '', product: '', binary: '', version: null as number[] | null }
const ctx: FileContext = { forms: NO_FORMS, publisher: null, hash: null }
const fastVersion: number[] = []

const pf: PathForms = { forms: [], heads: [], tails: [] }

function fillFastContext(coll: CompiledCollection, policy: CompiledPolicy, file: FileFacts): void {
  if (coll.needPaths) {
    pathFormsInto(file.path, policy.paths, pf)
    ctx.forms = pf.forms
  } else ctx.forms = NO_FORMS
  const p = coll.needPublisher ? signerOf(file) : null
  if (p !== null) {
    fastPublisher.name = upcase(p.name)
    fastPublisher.product = upcase(p.product)
    fastPublisher.binary = upcase(p.binary)
    fastPublisher.version = parseVersionInto(p.version, fastVersion)
    ctx.publisher = fastPublisher
  } else ctx.publisher = null
  ctx.hash = coll.needHash ? hashKey(file.hash) : null
}
let sids: Set<string>
let stamp: Uint32Array
let tick = 0

/** Whether a rule whose condition is not yet known could still change the outcome. */
function worthChecking(r: CompiledRule): boolean {
  if (stamp[r.ordinal] === tick) return false
  if (r.deny) return r.ordinal < denyOrd
  return denyOrd === Infinity && r.ordinal < allowOrd
}

/**
 * The explaining path's mode: every applicable rule whose condition matches is recorded here
 * (with the exception that excluded it, or null), and denyOrd/allowOrd stay at Infinity so that
 * nothing is skipped.
 */
let collecting = false
const collected: CompiledRule[] = []
/** The exception that excluded collected[i], or null. */
const collectedException: (string | null)[] = []

/** Records a rule whose condition matched: unless an exception excludes the file, it counts. */
function conditionMatched(r: CompiledRule): void {
  stamp[r.ordinal] = tick
  for (const e of r.exceptions) {
    if (e.test(ctx)) {
      if (collecting) {
        collectedException[collected.length] = e.text
        collected.push(r)
      }
      return
    }
  }
  if (collecting) {
    collectedException[collected.length] = null
    collected.push(r)
  } else if (r.deny) denyOrd = r.ordinal
  else allowOrd = r.ordinal
}

/**
 * Visits groups of rules sharing one path pattern. Rules are in document order, so the scan
 * stops at the first rule that can no longer change the outcome, and the pattern is matched at
 * most once, only when some rule of the group could count.
 */
function visitPathEntries(entries: PathEntry[] | undefined, form: string): void {
  if (entries === undefined) return
  for (const e of entries) visitGroup(e, form, null)
}

function visitSegmentEntries(entries: PathEntry[] | undefined, forms: string[]): void {
  if (entries === undefined) return
  for (const e of entries) visitGroup(e, '', forms)
}

function visitGroup(e: PathEntry, form: string, forms: string[] | null): void {
  if (e.bySid === null) {
    scanGroup(e, e.rules, form, forms, false)
    return
  }
  for (const sid of sids) {
    const list = e.bySid.get(sid)
    if (list !== undefined && scanGroup(e, list, form, forms, true) === NO_MATCH) return
  }
}

const NO_MATCH = 0
const SCANNED = 1

/**
 * Scans rules of one pattern group (document order). Returns NO_MATCH when the pattern was
 * tried and does not match (no other list of the group needs scanning).
 */
function scanGroup(e: PathEntry, rules: CompiledRule[], form: string, forms: string[] | null, applicable: boolean): number {
  for (const r of rules) {
    if (r.ordinal >= denyOrd) return SCANNED
    if (stamp[r.ordinal] === tick) continue
    if (!r.deny && (denyOrd !== Infinity || r.ordinal >= allowOrd)) continue
    if (!applicable && !sids.has(r.sid)) continue
    if (e.matchedTick !== tick) {
      if (e.folder) {
        // Only visited at its trie node: the form matches.
      } else if (forms === null) {
        if (!e.match(form)) return NO_MATCH
      } else {
        let any = false
        for (const f of forms) {
          if (e.match(f)) {
            any = true
            break
          }
        }
        if (!any) return NO_MATCH
      }
      e.matchedTick = tick
    }
    conditionMatched(r)
  }
  return SCANNED
}

function visitPublisherEntries(entries: PublisherEntry[] | undefined): void {
  if (entries === undefined) return
  const p = ctx.publisher!
  for (const e of entries) {
    const r = e.rule
    if (r.ordinal >= denyOrd) return // entries are in document order
    if (!worthChecking(r) || !sids.has(r.sid)) continue
    if ((e.binary === null || e.binary(p.binary)) && versionInRange(p.version, e.range)) conditionMatched(r)
  }
}

function visitProducts(byProduct: Map<string, { exact: Map<string, PublisherEntry[]>; other: PublisherEntry[] }> | undefined): void {
  if (byProduct === undefined) return
  const p = ctx.publisher!
  let bucket = byProduct.get(p.product)
  if (bucket !== undefined) {
    visitPublisherEntries(bucket.exact.get(p.binary))
    visitPublisherEntries(bucket.other)
  }
  if (p.product === ANY) return
  bucket = byProduct.get(ANY)
  if (bucket !== undefined) {
    visitPublisherEntries(bucket.exact.get(p.binary))
    visitPublisherEntries(bucket.other)
  }
}

/** The first matching Deny and first matching Allow rule, by the indexes. */
function fastMatch(coll: CompiledCollection): void {
  denyOrd = Infinity
  allowOrd = Infinity
  stamp = coll.stamp
  if (++coll.tick >= 0xffffffff) {
    coll.stamp.fill(0)
    for (const g of coll.pathGroups) g.matchedTick = 0
    coll.tick = 1
  }
  tick = coll.tick

  if (ctx.hash !== null) {
    const list = coll.hashes.get(ctx.hash)
    if (list !== undefined) for (const r of list) if (worthChecking(r) && sids.has(r.sid)) conditionMatched(r)
  }
  if (ctx.publisher !== null && coll.publishers.size > 0) {
    const name = ctx.publisher.name
    visitProducts(coll.publishers.get(name))
    if (name !== ANY) visitProducts(coll.publishers.get(ANY))
  }
  if (coll.needPaths) {
    const forms = ctx.forms
    splitSegments(forms[0])
    const last = segCount - 1
    const heads = pf.heads
    const tails = pf.tails
    if (coll.segments.size > 0) {
      // The segments of every form are those of the real path (forms[0]) plus the variable each
      // other form starts with (the rest of a variable form is a tail of the real path); a
      // pattern found by one of them is tried on every form.
      const filter = coll.segmentFilter
      for (let i = 0; i < segCount; i++) {
        if (filter[segmentKey(segPath, segStart[i], segEnd(i))] === 1) visitSegmentEntries(coll.segments.get(seg(i)), forms)
      }
      for (const head of heads) if (filter[segmentKey(head, 0, head.length)] === 1) visitSegmentEntries(coll.segments.get(head), forms)
    }
    const root = coll.trie
    if (root.entries.length > 0) for (const form of forms) visitPathEntries(root.entries, form)
    if (root.children !== null || root.exact !== null) {
      walk(root, 0, last, forms[0])
      for (let k = 1; k < forms.length; k++) {
        const f = forms[k]
        const head = heads[k - 1]
        const tail = tails[k - 1]
        if (tail >= segCount) {
          // The form is the variable alone (the file is the variable's location itself).
          if (root.exact !== null) visitPathEntries(root.exact.get(head), f)
          continue
        }
        const node = root.children === null ? undefined : root.children.get(head)
        if (node === undefined) continue
        if (node.entries.length > 0) visitPathEntries(node.entries, f)
        walk(node, tail, last, f)
      }
    }
  }
}

// The real path's segments: boundaries found once, each segment's text sliced only when needed
// and then reused (a string hashes once for all the map lookups that use it).
let segPath = ''
let segCount = 0
let segGeneration = 0
const segStart: number[] = []
const segText: string[] = []
const segSeen: number[] = []

function splitSegments(real: string): void {
  segPath = real
  segCount = 0
  segGeneration++
  let start = 0
  for (;;) {
    segStart[segCount++] = start
    const i = real.indexOf('\\', start)
    if (i < 0) break
    start = i + 1
  }
}

function segEnd(i: number): number {
  return i + 1 < segCount ? segStart[i + 1] - 1 : segPath.length
}

function seg(i: number): string {
  if (segSeen[i] !== segGeneration) {
    segText[i] = segPath.slice(segStart[i], segEnd(i))
    segSeen[i] = segGeneration
  }
  return segText[i]
}

/**
 * Descends the trie along the segments from..last-1 (those followed by a backslash), visiting
 * each node's wildcard patterns, then the exact patterns named by the last segment.
 */
function walk(node: TrieNode, from: number, last: number, form: string): void {
  for (let i = from; i < last; i++) {
    if (node.children === null) return
    const next = node.children.get(seg(i))
    if (next === undefined) return
    node = next
    if (node.entries.length > 0) visitPathEntries(node.entries, form)
  }
  if (node.exact !== null) visitPathEntries(node.exact.get(seg(last)), form)
}

/**
 * Decides a file for a principal: the collection, Test-AppLockerPolicy's PolicyDecision and
 * matching rule, the effect under the collection's mode, the machine's AppIDSvc state and the
 * kind of process, the event Windows would log, and (unless explain is false) an explanation.
 */
export function decide(compiled: CompiledPolicy, file: FileFacts, principal: Principal, options?: DecideOptions): Decision {
  if (options?.explain !== false) return decideExplained(compiled, file, principal, options)
  const type = collectionForFile(file)
  if (type === null) return fastDecision(null, 'AllowedByDefault', null, null, false, false, false, false)
  const pf = factsOf(principal)
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
  fillFastContext(coll, compiled, file)
  sids = pf.sids
  fastMatch(coll)
  if (denyOrd !== Infinity) return fastDecision(type, 'Denied', coll.rules[denyOrd].rule, mode, packageInstall, enforced, false, powershell)
  if (allowOrd !== Infinity) return fastDecision(type, 'Allowed', coll.rules[allowOrd].rule, mode, packageInstall, enforced, false, powershell)
  return fastDecision(type, 'DeniedByDefault', null, mode, packageInstall, enforced, false, powershell)
}

function packagedAppsBlocked(compiled: CompiledPolicy, options: DecideOptions | undefined): boolean {
  const exe = compiled.collections.Exe
  const exeMode: EnforcementMode | null = exe ? effectiveMode('Exe', exe.mode, options) : null
  return packagedAppsBlockedByExe(exe ? exe.rules.length : 0, exeMode)
}

/**
 * Every applicable rule whose condition matches the file, by the indexes (no early stop), and
 * the count of rules for other principals (from the per-SID counts).
 */
function findRules(coll: CompiledCollection, compiled: CompiledPolicy, file: FileFacts, s: Set<string>): RuleFindings {
  fillFastContext(coll, compiled, file)
  sids = s
  collected.length = 0
  collecting = true
  try {
    fastMatch(coll)
  } finally {
    collecting = false
  }
  let applicable = 0
  for (const sid of s) applicable += coll.sidCounts.get(sid) ?? 0
  const n = collected.length
  const order: number[] = new Array<number>(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => collected[a].ordinal - collected[b].ordinal)
  let matchedTotal = 0
  let allowTotal = 0
  for (let i = 0; i < n; i++) {
    if (collectedException[i] !== null) continue
    matchedTotal++
    if (!collected[i].deny) allowTotal++
  }
  const listed = listedHitIndexes(
    n,
    (k) => collected[order[k]].deny,
    (k) => collectedException[order[k]] === null,
  )
  const hits: RuleFindings['hits'] = listed.map((k) => {
    const exception = collectedException[order[k]]
    return { rule: collected[order[k]].rule, verdict: exception === null ? { status: 'matched' as const } : { status: 'excluded' as const, exception } }
  })
  collected.length = 0
  collectedException.length = 0
  return { notApplicable: coll.rules.length - applicable, hits, matchedTotal, allowTotal, excludedTotal: n - matchedTotal }
}

function decideExplained(compiled: CompiledPolicy, file: FileFacts, principal: Principal, options?: DecideOptions): Decision {
  const type = collectionForFile(file)
  const packageInstall = type === 'Appx' && isPackageInstall(file)
  const pf = factsOf(principal)
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
  const common = {
    ...base,
    collection: type,
    present: coll !== undefined,
    ruleCount,
    mode,
    policyMode: coll ? coll.mode : null,
    servicesMode: coll ? coll.servicesMode : null,
  }

  if (!coll || ruleCount === 0) {
    if (type === 'Appx' && packagedAppsBlocked(compiled, options)) {
      const exe = compiled.collections.Exe
      const o: Outcome = { ...common, decision: 'DeniedByDefault', packagedAppsBlocked: true, exeMode: exe ? effectiveMode('Exe', exe.mode, options) : null }
      return toDecision(o, explain(o, file, principal))
    }
    const o: Outcome = { ...common, decision: 'AllowedByDefault' }
    return toDecision(o, explain(o, file, principal))
  }

  const findings = findRules(coll, compiled, file, pf.sids)
  // The listed hits always include the first matching Deny, else the first matching Allow.
  const deny = findings.hits.find((h) => h.rule.action === 'Deny' && h.verdict.status === 'matched')
  const allow = findings.hits.find((h) => h.rule.action !== 'Deny' && h.verdict.status === 'matched')
  const o: Outcome = deny
    ? { ...common, decision: 'Denied', rule: deny.rule }
    : allow
      ? { ...common, decision: 'Allowed', rule: allow.rule }
      : { ...common, decision: 'DeniedByDefault' }
  return toDecision(o, explain(o, file, principal, findings))
}
