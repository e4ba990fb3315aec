/**
 * Decides one file for one principal over a compiled policy (APPLOCKER.md section 3).
 *
 * The fast path (explain: false) looks up only the rules the indexes say can match; the
 * explaining path walks every rule of the collection with the compiled matchers so it can say
 * what happened to each. Both report the same decision and rule as decideReference.
 */
import type { CollectionType, EnforcementMode } from '../policy'
import { collectionForFile, isPackageInstall } from './collection'
import type { CompiledCollection, CompiledPolicy, CompiledRule, FileContext, PathEntry, PublisherEntry } from './compile'
import { ANY } from './compile'
import {
  effectiveMode,
  explain,
  hashKey,
  packagedAppsBlockedByExe,
  principalSids,
  toDecision,
  type Outcome,
  type RuleVerdict,
} from './outcome'
import { pathForms } from './paths'
import type { Decision, DecideOptions, FileFacts, Principal } from './types'
import { parseVersion, versionInRange } from './version'

const sidCache = new WeakMap<Principal, Set<string>>()

/** The principal's SIDs, cached per principal object (treat principals as immutable). */
function sidsOf(principal: Principal): Set<string> {
  let s = sidCache.get(principal)
  if (!s) {
    s = principalSids(principal)
    sidCache.set(principal, s)
  }
  return s
}

function fileContext(coll: CompiledCollection, policy: CompiledPolicy, file: FileFacts, allFacts: boolean): FileContext {
  const p = file.publisher
  return {
    forms: coll.needPaths || allFacts ? pathForms(file.path, policy.paths) : [],
    publisher:
      p && (coll.needPublisher || allFacts)
        ? { name: p.name.toUpperCase(), product: p.product.toUpperCase(), binary: p.binary.toUpperCase(), version: parseVersion(p.version) }
        : null,
    hash: coll.needHash || allFacts ? hashKey(file.hash) : null,
  }
}

// Fast-path state for the decision in progress (decide is synchronous and not re-entered).
let denyOrd = Infinity
let allowOrd = Infinity
let ctx: FileContext
let sids: Set<string>
let stamp: Uint32Array
let tick = 0

/** Whether a rule whose condition is not yet known could still change the outcome. */
function worthChecking(r: CompiledRule): boolean {
  if (stamp[r.ordinal] === tick) return false
  if (r.deny) return r.ordinal < denyOrd
  return denyOrd === Infinity && r.ordinal < allowOrd
}

/** Records a rule whose condition matched: unless an exception excludes the file, it counts. */
function conditionMatched(r: CompiledRule): void {
  stamp[r.ordinal] = tick
  for (const e of r.exceptions) if (e.test(ctx)) return
  if (r.deny) denyOrd = r.ordinal
  else allowOrd = r.ordinal
}

function visitPathEntries(entries: PathEntry[] | undefined, form: string): void {
  if (entries === undefined) return
  for (const e of entries) {
    const r = e.rule
    if (!worthChecking(r) || !sids.has(r.sid)) continue
    if (e.match(form)) conditionMatched(r)
  }
}

function visitPublisherEntries(entries: PublisherEntry[] | undefined): void {
  if (entries === undefined) return
  const p = ctx.publisher!
  for (const e of entries) {
    const r = e.rule
    if (!worthChecking(r) || !sids.has(r.sid)) continue
    if ((e.binary === null || e.binary(p.binary)) && versionInRange(p.version, e.range)) conditionMatched(r)
  }
}

function visitProducts(byProduct: Map<string, { exact: Map<string, PublisherEntry[]>; other: PublisherEntry[] }> | undefined): void {
  if (byProduct === undefined) return
  const p = ctx.publisher!
  for (const key of p.product === ANY ? [ANY] : [p.product, ANY]) {
    const bucket = byProduct.get(key)
    if (bucket === undefined) continue
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
    for (const form of ctx.forms) {
      visitPathEntries(coll.exactPaths.get(form), form)
      const b = form.lastIndexOf('\\')
      if (b >= 0) visitPathEntries(coll.lastSegment.get(form.slice(b + 1)), form)
      let node = coll.trie
      visitPathEntries(node.entries, form)
      let start = 0
      while (node.children !== null) {
        const i = form.indexOf('\\', start)
        if (i < 0) break
        const next = node.children.get(form.slice(start, i))
        if (next === undefined) break
        node = next
        if (node.entries.length > 0) visitPathEntries(node.entries, form)
        start = i + 1
      }
    }
  }
}

function verdict(r: CompiledRule, c: FileContext, s: Set<string>): RuleVerdict {
  if (!s.has(r.sid)) return { status: 'not-applicable' }
  if (r.test === null || !r.test(c)) return { status: 'no-match' }
  for (const e of r.exceptions) if (e.test(c)) return { status: 'excluded', exception: e.text }
  return { status: 'matched' }
}

/**
 * Decides a file for a principal: the collection, Test-AppLockerPolicy's PolicyDecision and
 * matching rule, the effect under the collection's mode and the machine's AppIDSvc state, the
 * event Windows would log, and (unless explain is false) an explanation.
 */
export function decide(compiled: CompiledPolicy, file: FileFacts, principal: Principal, options?: DecideOptions): Decision {
  const wantExplanation = options?.explain !== false
  const type = collectionForFile(file)
  const packageInstall = type === 'Appx' && isPackageInstall(file)
  const base = {
    packageInstall,
    appIdServiceRunning: compiled.machine.appIdServiceRunning,
    packagedAppsBlocked: false,
    rule: null,
  }
  if (type === null) {
    const o: Outcome = { ...base, collection: null, present: false, ruleCount: 0, mode: null, policyMode: null, decision: 'AllowedByDefault' }
    return toDecision(o, wantExplanation ? explain(o, file, principal, [], []) : undefined)
  }
  const coll = compiled.collections[type]
  const mode = coll ? effectiveMode(type, coll.mode, options) : null
  const ruleCount = coll ? coll.rules.length : 0
  const common = { ...base, collection: type, present: coll !== undefined, ruleCount, mode, policyMode: coll ? coll.mode : null }

  if (type === 'Appx' && ruleCount === 0) {
    const exe = compiled.collections.Exe
    const exeMode: EnforcementMode | null = exe ? effectiveMode('Exe' as CollectionType, exe.mode, options) : null
    if (packagedAppsBlockedByExe(exe ? exe.rules.length : 0, exeMode)) {
      const o: Outcome = { ...common, decision: 'DeniedByDefault', packagedAppsBlocked: true, exeMode }
      return toDecision(o, wantExplanation ? explain(o, file, principal, [], []) : undefined)
    }
  }
  if (!coll || ruleCount === 0) {
    const o: Outcome = { ...common, decision: 'AllowedByDefault' }
    return toDecision(o, wantExplanation ? explain(o, file, principal, [], []) : undefined)
  }

  if (!wantExplanation) {
    ctx = fileContext(coll, compiled, file, false)
    sids = sidsOf(principal)
    fastMatch(coll)
    const o: Outcome =
      denyOrd !== Infinity
        ? { ...common, decision: 'Denied', rule: coll.rules[denyOrd].rule }
        : allowOrd !== Infinity
          ? { ...common, decision: 'Allowed', rule: coll.rules[allowOrd].rule }
          : { ...common, decision: 'DeniedByDefault' }
    return toDecision(o)
  }

  const c = fileContext(coll, compiled, file, true)
  const s = principalSids(principal)
  const verdicts = coll.rules.map((r) => verdict(r, c, s))
  const deny = coll.rules.find((r, i) => r.deny && verdicts[i].status === 'matched')
  const allow = coll.rules.find((r, i) => !r.deny && verdicts[i].status === 'matched')
  const o: Outcome = deny
    ? { ...common, decision: 'Denied', rule: deny.rule }
    : allow
      ? { ...common, decision: 'Allowed', rule: allow.rule }
      : { ...common, decision: 'DeniedByDefault' }
  return toDecision(
    o,
    explain(
      o,
      file,
      principal,
      coll.rules.map((r) => r.rule),
      verdicts,
    ),
  )
}
