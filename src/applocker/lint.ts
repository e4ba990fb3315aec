/**
 * "Review policy": mistakes that lock people out or leave holes, found before the policy is
 * deployed (reference/applocker-deep.md section 11). Each check is a small function over one
 * collection or the whole policy; `reviewPolicy` runs them all. Lists (user-writable folders,
 * bypass binaries) live in lint-data.ts.
 *
 * Path coverage here is a static approximation of the engine (APPLOCKER.md section 4): path
 * variables expand to the default machine (C:\Windows, both Program Files and System32/SysWOW64),
 * `*` matches any run of characters, comparison ignores case.
 */
import type {
  CollectionType,
  Condition,
  FilePublisherCondition,
  Policy,
  Rule,
  RuleCollection,
} from './policy'
import { COLLECTION_LABELS, ENFORCEMENT_LABELS } from './policy'
import { ruleBehaviourKey, ruleKindAllowedIn } from './ops'
import { compareVersions, sidProblem, unknownPathVariables, validatePolicy } from './validate'
import { compileStarGlob, type StringMatcher } from './evaluate/glob'
import { domainRid, normalizeSid } from './sids'
import { equalsIgnoreCase, upcase } from './upcase'
import {
  ADMIN_DOMAIN_RIDS,
  ADMIN_SIDS,
  ALL_USERS_SIDS,
  BYPASS_BINARIES,
  BYPASS_BY_NAME,
  KNOWN_SID_PATTERNS,
  MOJIBAKE_PATTERNS,
  NEVER_IN_TOKEN_SIDS,
  USER_WRITABLE_LOCATIONS,
} from './lint-data'

export type FindingSeverity = 'error' | 'warning' | 'info'

export interface Finding {
  /** Stable machine-readable code, e.g. "user-writable-path". */
  code: string
  severity: FindingSeverity
  /** The collection concerned (null for a collection whose Type is unknown, or the whole policy). */
  collection: CollectionType | null
  /** Index in Policy.collections, when a collection is concerned. */
  collectionIndex?: number
  ruleIndex?: number
  ruleId?: string
  ruleName?: string
  /** What is wrong, in a sentence. */
  message: string
  /** How to fix it, in a sentence. */
  fix: string
  /** The full list behind a shortened message (folders, programs), when there is one. */
  details?: string[]
}

/** The checks, for a legend or a filter in the UI. */
export const LINT_CHECKS: readonly { code: string; title: string }[] = [
  { code: 'user-writable-path', title: 'Allow rule covers folders standard users can write to' },
  { code: 'bypass-binary-allowed', title: 'Known bypass binaries are allowed' },
  { code: 'bypass-binary-rule', title: 'Rule explicitly allows a known bypass binary' },
  { code: 'exe-no-admin-rule', title: 'Executable rules enforced without a rule for Administrators' },
  { code: 'exe-no-appx-rules', title: 'Executable rules enforced without Packaged app rules' },
  { code: 'dll-missing-defaults', title: 'DLL rules without the Windows and Program Files rules' },
  { code: 'deny-only-collection', title: 'Collection holds only Deny rules' },
  { code: 'deny-path-rule', title: 'Deny path rule (easy to evade)' },
  { code: 'duplicate-rule', title: 'Duplicate rule' },
  { code: 'duplicate-id', title: 'Rule Id used more than once' },
  { code: 'shadowed-rule', title: 'Allow rule fully covered by another Allow rule' },
  { code: 'denied-allow-rule', title: 'Allow rule fully covered by a Deny rule' },
  { code: 'malformed-sid', title: 'User or group is not a SID' },
  { code: 'unknown-sid', title: 'Unknown SID' },
  { code: 'nobody-sid', title: 'Rule for a SID no user has' },
  { code: 'hash-no-file-name', title: 'File hash without a file name' },
  { code: 'not-configured-with-rules', title: 'Not configured collection with rules (enforced)' },
  { code: 'extension-partner-missing', title: 'ThresholdExtensions and RedstoneExtensions not together' },
  { code: 'extension-wrong-collection', title: 'Rule collection extensions outside Exe and Dll' },
  { code: 'services-without-systemapps', title: 'Services enforced without SystemApps' },
  { code: 'question-mark-path', title: '"?" in a path' },
  { code: 'unknown-path-variable', title: 'Environment variable AppLocker does not expand' },
  { code: 'folder-without-star', title: 'Folder path without "\\*"' },
  { code: 'mojibake', title: 'Garbled characters in publisher names' },
  { code: 'publisher-any', title: 'Allow rule for every signed file' },
  { code: 'publisher-literal-star', title: '"*" inside a publisher or product name' },
  { code: 'version-range-inverted', title: 'Lowest version above highest version' },
  { code: 'appx-non-publisher', title: 'Packaged app rule that is not a publisher rule' },
  { code: 'short-name-path', title: 'Short 8.3 name in a path' },
  { code: 'deny-applies-to-admins', title: 'Deny rules for all users also block administrators' },
  { code: 'unknown-exception', title: 'Placeholder or unknown element in Exceptions' },
  { code: 'control-character', title: 'Character an XML file cannot hold' },
  { code: 'invalid-rule-id', title: 'Rule Id is not a GUID' },
  { code: 'invalid-enforcement-mode', title: 'Enforcement mode Windows does not know' },
]

// ---------------------------------------------------------------------------------------------
// Path matching (static approximation)
// ---------------------------------------------------------------------------------------------

const VARIABLE_EXPANSIONS: Record<string, readonly string[]> = {
  '%WINDIR%': ['C:\\WINDOWS'],
  '%SYSTEM32%': ['C:\\WINDOWS\\SYSTEM32', 'C:\\WINDOWS\\SYSWOW64'],
  '%OSDRIVE%': ['C:'],
  '%PROGRAMFILES%': ['C:\\PROGRAM FILES', 'C:\\PROGRAM FILES (X86)'],
  '%REMOVABLE%': ['%REMOVABLE%'],
  '%HOT%': ['%HOT%'],
}

/** Upper-cased forms of a path or pattern with its leading AppLocker variable expanded. */
export function expandPath(path: string): string[] {
  const cached = expandCache.get(path)
  if (cached) return cached
  const forms = expandUncached(path)
  if (expandCache.size > 200_000) expandCache.clear()
  expandCache.set(path, forms)
  return forms
}

/** Caches of expanded paths and compiled patterns, emptied at the start of each review. */
const expandCache = new Map<string, string[]>()

function expandUncached(path: string): string[] {
  // Windows upper-cases one UTF-16 unit at a time (../upcase.ts): `ß` never becomes `SS`.
  const up = upcase(path)
  const m = /^%[A-Z0-9]+%/.exec(up)
  const exp = m ? VARIABLE_EXPANSIONS[m[0]] : undefined
  if (!m || !exp) return [up]
  return exp.map((e) => e + up.slice(m[0].length))
}

/** The engine's `*` matcher (evaluate/glob.ts), one per upper-case pattern. */
const matcherCache = new Map<string, StringMatcher>()
function globMatcher(upperPattern: string): StringMatcher {
  let m = matcherCache.get(upperPattern)
  if (!m) {
    m = compileStarGlob(upperPattern)
    if (matcherCache.size > 200_000) matcherCache.clear()
    matcherCache.set(upperPattern, m)
  }
  return m
}

/** Whether a path pattern matches a concrete path (both may use AppLocker variables). */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const forms = expandPath(pattern)
  const targets = expandPath(path)
  return forms.some((f) => targets.some((t) => globMatcher(f)(t)))
}

/**
 * Whether every path `inner` matches is also matched by `outer` (sufficient test: `outer`'s glob
 * matches `inner`'s text, where a `*` of `inner` can only be consumed by a `*` of `outer`).
 */
export function pathPatternCovers(outer: string, inner: string): boolean {
  const outs = expandPath(outer)
  return expandPath(inner).every((i) => outs.some((o) => globMatcher(o)(i)))
}

function versionAtMost(a: string, b: string): boolean {
  // a <= b where "*" as a lower bound is -infinity and as an upper bound +infinity (caller decides).
  return compareVersions(a, b) <= 0
}

function publisherCovers(outer: FilePublisherCondition, inner: FilePublisherCondition): boolean {
  const field = (o: string, i: string) => o === '*' || equalsIgnoreCase(o, i)
  if (!field(outer.publisherName, inner.publisherName)) return false
  if (!field(outer.productName, inner.productName)) return false
  if (!(
    outer.binaryName === '*' ||
    outer.binaryName === '?' ||
    equalsIgnoreCase(outer.binaryName, inner.binaryName)
  ))
    return false
  const o = outer.versionRange
  const i = inner.versionRange
  if (!o || !i) return false
  const lowOk = o.low === '*' || (i.low !== '*' && versionAtMost(o.low, i.low))
  const highOk = o.high === '*' || (i.high !== '*' && versionAtMost(i.high, o.high))
  return lowOk && highOk
}

/** Whether condition `outer` matches every file `inner` matches (conservative: false when unsure). */
export function conditionCovers(outer: Condition, inner: Condition): boolean {
  if (outer.kind === 'path') {
    if (outer.path.trim() === '*') return true
    return inner.kind === 'path' && pathPatternCovers(outer.path, inner.path)
  }
  if (outer.kind === 'publisher') return inner.kind === 'publisher' && publisherCovers(outer, inner)
  if (inner.kind !== 'hash') return false
  const have = new Set(outer.hashes.map((h) => h.data.toLowerCase()))
  return inner.hashes.length > 0 && inner.hashes.every((h) => have.has(h.data.toLowerCase()))
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Administrators (and SYSTEM): rules for them do not open anything to standard users. */
export function isAdminSid(sid: string): boolean {
  const s = normalizeSid(sid)
  if (ADMIN_SIDS.includes(s)) return true
  const rid = domainRid(s)
  return rid !== null && ADMIN_DOMAIN_RIDS.includes(rid)
}

function appliesToStandardUsers(sid: string): boolean {
  const s = normalizeSid(sid)
  return !isAdminSid(s) && !NEVER_IN_TOKEN_SIDS.includes(s)
}

/** Rules are enforced: Enabled, or Not configured with rules (working-with-applocker-rules.md). */
function isEnforcing(c: RuleCollection): boolean {
  return c.enforcementMode === 'Enabled' || (c.enforcementMode === 'NotConfigured' && c.rules.length > 0)
}

const PROBE_NAME: Record<CollectionType, string> = {
  Exe: 'probe.exe',
  Dll: 'probe.dll',
  Script: 'probe.ps1',
  Msi: 'probe.msi',
  Appx: 'probe.appx',
}

interface CompiledPattern {
  /** One expanded form of the pattern. */
  form: string
  /** Literal text before the first "*": a cheap pre-test (the whole form when it has no "*"). */
  prefix: string
  exact: boolean
  /** Compiled on first use: most patterns are rejected by the prefix alone. */
  match?: StringMatcher
}

function compilePattern(pattern: string): CompiledPattern[] {
  return expandPath(pattern).map((form) => {
    const star = form.indexOf('*')
    return { form, prefix: star === -1 ? form : form.slice(0, star), exact: star === -1 }
  })
}

function anyMatches(patterns: readonly CompiledPattern[], forms: readonly string[]): boolean {
  for (const p of patterns) {
    for (const t of forms) {
      if (!t.startsWith(p.prefix)) continue
      if (p.exact) {
        if (t.length === p.form.length) return true
        continue
      }
      p.match ??= globMatcher(p.form)
      if (p.match(t)) return true
    }
  }
  return false
}

/** A path rule's condition and path exceptions, compiled once per rule object. */
const compiledRules = new WeakMap<Rule, { cond: CompiledPattern[]; exc: CompiledPattern[] }>()
function compiledPathRule(rule: Rule): { cond: CompiledPattern[]; exc: CompiledPattern[] } {
  let c = compiledRules.get(rule)
  if (!c) {
    c = {
      cond: rule.condition?.kind === 'path' ? compilePattern(rule.condition.path) : [],
      exc: rule.exceptions.flatMap((e) => (e.kind === 'path' ? compilePattern(e.path) : [])),
    }
    compiledRules.set(rule, c)
  }
  return c
}

/** Whether a path rule matches a concrete path and none of its path exceptions does. */
function pathRuleMatches(rule: Rule, path: string): boolean {
  if (rule.condition?.kind !== 'path') return false
  const c = compiledPathRule(rule)
  const forms = expandPath(path)
  return anyMatches(c.cond, forms) && !anyMatches(c.exc, forms)
}

interface Ctx {
  policy: Policy
  c: RuleCollection
  ci: number
  type: CollectionType
  out: Finding[]
  /** ruleBehaviourKey of every rule, computed once per collection. */
  behaviour?: string[]
}

function behaviourKeys(ctx: Ctx): string[] {
  if (!ctx.behaviour) ctx.behaviour = ctx.c.rules.map(ruleBehaviourKey)
  return ctx.behaviour
}

function ruleFinding(
  ctx: Ctx,
  i: number,
  code: string,
  severity: FindingSeverity,
  message: string,
  fix: string,
  details?: string[],
): void {
  const r = ctx.c.rules[i]
  const f: Finding = {
    code,
    severity,
    collection: ctx.type,
    collectionIndex: ctx.ci,
    ruleIndex: i,
    ruleId: r.id,
    ruleName: r.name,
    message,
    fix,
  }
  if (details) f.details = details
  ctx.out.push(f)
}

function collectionFinding(
  ctx: Ctx,
  code: string,
  severity: FindingSeverity,
  message: string,
  fix: string,
): void {
  ctx.out.push({ code, severity, collection: ctx.type, collectionIndex: ctx.ci, message, fix })
}

function listSome(items: string[], max = 4): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`
}

/** Memoised "is this path denied to this rule's users by a Deny path rule of the collection". */
function makeDeniedFor(c: RuleCollection): (sid: string, path: string) => boolean {
  const denies = c.rules.filter((r) => r.action === 'Deny' && r.condition?.kind === 'path')
  const memo = new Map<string, boolean>()
  return (sid, path) => {
    const key = `${normalizeSid(sid)}|${path}`
    let v = memo.get(key)
    if (v === undefined) {
      v = denies.some((d) => {
        const ds = normalizeSid(d.userOrGroupSid)
        return (ds === normalizeSid(sid) || ALL_USERS_SIDS.includes(ds)) && pathRuleMatches(d, path)
      })
      memo.set(key, v)
    }
    return v
  }
}

/** Deny rules (any kind) that name a file: publisher BinaryName or the last segment of a path. */
function deniedBinaryNames(c: RuleCollection): Set<string> {
  const names = new Set<string>()
  for (const r of c.rules) {
    if (r.action !== 'Deny' || !r.condition || !ALL_USERS_SIDS.includes(normalizeSid(r.userOrGroupSid))) continue
    if (r.condition.kind === 'publisher') names.add(r.condition.binaryName.toLowerCase())
    if (r.condition.kind === 'hash')
      for (const h of r.condition.hashes) if (h.sourceFileName) names.add(h.sourceFileName.toLowerCase())
  }
  return names
}

// ---------------------------------------------------------------------------------------------
// Checks over one collection
// ---------------------------------------------------------------------------------------------

/** Allow path rules that let standard users run files from folders they can write to. */
function checkUserWritable(ctx: Ctx): void {
  if (ctx.type === 'Appx') return
  const deniedFor = makeDeniedFor(ctx.c)
  const defaultProbes = USER_WRITABLE_LOCATIONS.map((loc) => ({
    folder: loc.folder,
    path: `${loc.folder}\\${PROBE_NAME[ctx.type]}`,
  }))
  ctx.c.rules.forEach((r, i) => {
    if (r.action !== 'Allow' || r.condition?.kind !== 'path' || !appliesToStandardUsers(r.userOrGroupSid))
      return
    const last = r.condition.path.split('\\').pop() ?? ''
    // A rule naming files ("*\\chrome.exe") is probed with that name too.
    const extra = last.includes('.') && last !== '*.*' ? last.replace(/\*/g, 'x') : null
    const open: string[] = []
    for (const probe of defaultProbes) {
      const hit = (p: string) => pathRuleMatches(r, p) && !deniedFor(r.userOrGroupSid, p)
      if (hit(probe.path) || (extra !== null && hit(`${probe.folder}\\${extra}`))) open.push(probe.folder)
    }
    if (open.length === 0) return
    ruleFinding(
      ctx,
      i,
      'user-writable-path',
      'warning',
      `Allows files in ${open.length} folder${open.length === 1 ? '' : 's'} standard users can write to: ${listSome(open)}. A user can copy any program there and run it.`,
      `Add exceptions for these folders (e.g. ${open[0]}\\*), or narrow the rule's path.`,
      open,
    )
  })
}

/** Bypass binaries a broad Allow rule lets standard users run (Exe), and rules that name one. */
function checkBypassBinaries(ctx: Ctx): void {
  if (ctx.type !== 'Exe') return
  const deniedFor = makeDeniedFor(ctx.c)
  const deniedNames = deniedBinaryNames(ctx.c)
  ctx.c.rules.forEach((r, i) => {
    if (r.action !== 'Allow' || !r.condition || !appliesToStandardUsers(r.userOrGroupSid)) return
    // Rules that name a bypass binary explicitly.
    let named: string | null = null
    if (r.condition.kind === 'path') named = r.condition.path.split('\\').pop()?.toLowerCase() ?? null
    if (r.condition.kind === 'publisher') named = r.condition.binaryName.toLowerCase()
    if (r.condition.kind === 'hash')
      named =
        r.condition.hashes
          .map((h) => h.sourceFileName?.toLowerCase())
          .find((n) => n && BYPASS_BY_NAME.has(n)) ?? null
    const b = named ? BYPASS_BY_NAME.get(named) : undefined
    if (b) {
      ruleFinding(
        ctx,
        i,
        'bypass-binary-rule',
        'warning',
        `Allows ${b.name}, which ${b.why}: it defeats application control.`,
        `Remove this rule or limit it to administrators, unless ${b.name} is truly needed.`,
      )
      return
    }
    if (r.condition.kind !== 'path') return
    const allowed: string[] = []
    for (const bin of BYPASS_BINARIES) {
      if (bin.locations.length === 0 || deniedNames.has(bin.name.toLowerCase())) continue
      if (
        r.exceptions.some(
          (e) => e.kind === 'publisher' && e.binaryName.toLowerCase() === bin.name.toLowerCase(),
        )
      )
        continue
      if (bin.locations.some((p) => pathRuleMatches(r, p) && !deniedFor(r.userOrGroupSid, p)))
        allowed.push(bin.name)
    }
    if (allowed.length === 0) return
    ruleFinding(
      ctx,
      i,
      'bypass-binary-allowed',
      'warning',
      `Lets standard users run ${allowed.length} known bypass program${allowed.length === 1 ? '' : 's'} (${listSome(allowed, 6)}) that can run arbitrary code.`,
      'Add Deny rules (publisher rules by file name are the most robust) or exceptions for these programs, as the NSA and Microsoft block lists do.',
      allowed,
    )
  })
}

function checkExeAdmin(ctx: Ctx): void {
  if (ctx.type !== 'Exe' || !isEnforcing(ctx.c) || ctx.c.rules.length === 0) return
  const ok = ctx.c.rules.some(
    (r) =>
      r.action === 'Allow' &&
      (normalizeSid(r.userOrGroupSid) === 'S-1-5-32-544' ||
        (normalizeSid(r.userOrGroupSid) === 'S-1-1-0' &&
          r.condition?.kind === 'path' &&
          r.condition.path.trim() === '*')),
  )
  if (ok) return
  collectionFinding(
    ctx,
    'exe-no-admin-rule',
    'error',
    `Executable rules are enforced (${ENFORCEMENT_LABELS[ctx.c.enforcementMode]}) but no rule allows BUILTIN\\Administrators: administrators could be locked out of tools they need to repair the machine.`,
    'Add the default rule "(Default Rule) All files" for BUILTIN\\Administrators (S-1-5-32-544), path *.',
  )
}

function checkExeAppx(ctx: Ctx): void {
  if (ctx.type !== 'Exe' || !isEnforcing(ctx.c) || ctx.c.rules.length === 0) return
  const appx = ctx.policy.collections.find((c) => c.type === 'Appx')
  if (appx && appx.rules.length > 0) return
  collectionFinding(
    ctx,
    'exe-no-appx-rules',
    'warning',
    'Executable rules are enforced and there are no Packaged app rules: Windows then blocks every packaged app (Start menu, Settings, Store apps; event 8027).',
    'Add the default Packaged app rule "(Default Rule) All signed packaged apps" (Create Default Rules in Packaged app Rules).',
  )
}

function checkDllDefaults(ctx: Ctx): void {
  if (ctx.type !== 'Dll' || ctx.c.rules.length === 0) return
  const allowsForUsers = (r: Rule) =>
    r.action === 'Allow' && ALL_USERS_SIDS.includes(normalizeSid(r.userOrGroupSid))
  const coversPath = (p: string) => ctx.c.rules.some((r) => allowsForUsers(r) && pathRuleMatches(r, p))
  const anySigned = ctx.c.rules.some(
    (r) => allowsForUsers(r) && r.condition?.kind === 'publisher' && r.condition.publisherName === '*',
  )
  const microsoftWindows = ctx.c.rules.some(
    (r) =>
      allowsForUsers(r) &&
      r.condition?.kind === 'publisher' &&
      /MICROSOFT CORPORATION/i.test(r.condition.publisherName) &&
      (r.condition.productName === '*' || /WINDOWS/i.test(r.condition.productName)) &&
      r.condition.binaryName === '*',
  )
  const missing: string[] = []
  if (!(coversPath('%SYSTEM32%\\kernel32.dll') || anySigned || microsoftWindows))
    missing.push('Windows folder (%WINDIR%\\*)')
  if (!(coversPath('%PROGRAMFILES%\\Vendor\\probe.dll') || anySigned))
    missing.push('Program Files folder (%PROGRAMFILES%\\*)')
  if (missing.length === 0) return
  const enforcing = isEnforcing(ctx.c)
  collectionFinding(
    ctx,
    'dll-missing-defaults',
    enforcing ? 'error' : 'warning',
    `DLL rules are ${enforcing ? 'enforced' : 'audited'} but nothing allows DLLs in the ${missing.join(' or the ')} for all users: Windows itself ${enforcing ? 'will fail to start programs' : 'would fail once enforced'}.`,
    'Add the default DLL rules (Create Default Rules in DLL Rules).',
  )
}

function checkDenyOnly(ctx: Ctx): void {
  const rules = ctx.c.rules
  if (rules.length === 0 || rules.some((r) => r.action === 'Allow')) return
  if (ctx.c.enforcementMode === 'AuditOnly' && !ctx.c.extra?.invalid?.EnforcementMode) {
    // Microsoft's managed-installer policy (applocker-deep.md 1.4 Example C): an audit-only collection
    // of Deny rules logs every other file as "would have been blocked".
    collectionFinding(
      ctx,
      'deny-only-collection',
      'warning',
      `${COLLECTION_LABELS[ctx.type]} hold only Deny rules in Audit only mode: every file no rule allows is logged as "would have been blocked", so the audit log fills with warnings, and enforcing this collection would block all ${ctx.type} files.`,
      'Add Allow rules (e.g. the default rules) before enforcing, or an Allow * rule if a block list is intended.',
    )
    return
  }
  if (!isEnforcing(ctx.c)) return
  collectionFinding(
    ctx,
    'deny-only-collection',
    'error',
    `${COLLECTION_LABELS[ctx.type]} hold only Deny rules: once a collection has rules, every file no rule allows is blocked, so this blocks all ${ctx.type} files.`,
    'Add Allow rules (e.g. the default rules), or an Allow * rule if a block list is intended.',
  )
}

function checkDenyPath(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    if (r.action !== 'Deny' || r.condition?.kind !== 'path') return
    const last = r.condition.path.split('\\').pop() ?? ''
    const namesFile = !last.includes('*') && last.includes('.')
    ruleFinding(
      ctx,
      i,
      'deny-path-rule',
      namesFile ? 'warning' : 'info',
      namesFile
        ? `Denies ${last} by its path: a user can copy or rename the file and run it from another folder.`
        : 'Deny path rules are less effective than other rules: a user can copy files to a location the rule does not cover.',
      namesFile
        ? 'Use a publisher rule (by original file name) or a file hash rule for the Deny.'
        : 'Prefer excluding the folder from Allow rules with exceptions.',
    )
  })
}

/** Deny rules for Everyone / Users / Authenticated Users / Interactive: administrators are in those groups too. */
function checkDenyForAll(ctx: Ctx): void {
  const hit = ctx.c.rules.filter((r) => r.action === 'Deny' && ALL_USERS_SIDS.includes(normalizeSid(r.userOrGroupSid)))
  if (hit.length === 0) return
  ctx.out.push({
    code: 'deny-applies-to-admins',
    severity: 'info',
    collection: ctx.type,
    collectionIndex: ctx.ci,
    message: `${hit.length} Deny rule${hit.length === 1 ? ' applies' : 's apply'} to Everyone, Users, Authenticated Users or Interactive, which include administrators: administrators are blocked by ${hit.length === 1 ? 'it' : 'them'} too (Deny is checked before Allow).`,
    fix: 'If administrators must keep access, target a group they are not in, or accept that the Deny applies to everyone.',
    details: hit.map((r) => r.name || r.id),
  })
}

function checkDuplicates(ctx: Ctx): void {
  const seen = new Map<string, number>()
  const keys = behaviourKeys(ctx)
  ctx.c.rules.forEach((_r, i) => {
    const k = keys[i]
    const first = seen.get(k)
    if (first === undefined) {
      seen.set(k, i)
      return
    }
    ruleFinding(
      ctx,
      i,
      'duplicate-rule',
      'warning',
      `Same condition, exceptions, user and action as rule "${ctx.c.rules[first].name}" (#${first + 1}).`,
      'Delete one of the two rules.',
    )
  })
}

/** Allow rules covered by another Allow rule for the same SID, or by a Deny for the same SID/Everyone. */
function checkShadowed(ctx: Ctx): void {
  const rules = ctx.c.rules
  // Candidate covering rules are found through indexes, so a policy with 50,000 rules is not
  // checked pair by pair: path rules with one trailing "*" by their expanded literal prefix, other
  // star-free paths by their text, publisher rules by publisher|product (with "*" buckets), hash
  // rules by each hash. Only paths with a "*" elsewhere are compared with every path rule.
  type Entry = { i: number; r: Rule }
  const prefixIndex = new Map<string, Entry[]>()
  const exactPaths = new Map<string, Entry[]>()
  const complexPaths: Entry[] = []
  const publishers = new Map<string, Entry[]>()
  const hashes = new Map<string, Entry[]>()
  const add = (m: Map<string, Entry[]>, k: string, e: Entry) => {
    const list = m.get(k)
    if (list) list.push(e)
    else m.set(k, [e])
  }
  rules.forEach((r, i) => {
    if (!r.condition || r.exceptions.length > 0) return
    const e = { i, r }
    const c = r.condition
    if (c.kind === 'path') {
      const p = c.path.trim()
      const star = p.indexOf('*')
      if (star === -1) for (const f of expandPath(p)) add(exactPaths, f, e)
      else if (star === p.length - 1) for (const f of expandPath(p.slice(0, -1))) add(prefixIndex, f, e)
      else complexPaths.push(e)
    } else if (c.kind === 'publisher') {
      add(publishers, `${upcase(c.publisherName)}|${upcase(c.productName)}`, e)
    } else {
      for (const h of c.hashes) add(hashes, h.data.toLowerCase(), e)
    }
  })
  const prefixLengths = [...new Set([...prefixIndex.keys()].map((k) => k.length))]
    .filter((n) => n > 0)
    .sort((a, b) => a - b)
  const candidatesFor = (r: Rule): Entry[] => {
    const c = r.condition!
    const out: Entry[] = [...(prefixIndex.get('') ?? [])]
    if (c.kind === 'path') {
      for (const form of expandPath(c.path)) {
        for (const n of prefixLengths) {
          if (n > form.length) break
          const hit = prefixIndex.get(form.slice(0, n))
          if (hit) out.push(...hit)
        }
        const exact = exactPaths.get(form)
        if (exact) out.push(...exact)
      }
      out.push(...complexPaths)
    } else if (c.kind === 'publisher') {
      const pub = upcase(c.publisherName)
      const prod = upcase(c.productName)
      for (const k of new Set([`${pub}|${prod}`, `${pub}|*`, `*|${prod}`, '*|*'])) {
        const hit = publishers.get(k)
        if (hit) out.push(...hit)
      }
    } else if (c.hashes.length > 0) {
      out.push(...(hashes.get(c.hashes[0].data.toLowerCase()) ?? []))
    }
    return out
  }
  const behaviour = behaviourKeys(ctx)
  rules.forEach((a, i) => {
    if (a.action !== 'Allow' || !a.condition) return
    const cond = a.condition
    const sid = normalizeSid(a.userOrGroupSid)
    let shadow: Entry | undefined
    let deny: Entry | undefined
    for (const e of candidatesFor(a)) {
      const b = e.r
      if (e.i === i || !b.condition || behaviour[e.i] === behaviour[i]) continue
      const bs = normalizeSid(b.userOrGroupSid)
      if (
        b.action === 'Deny' &&
        !deny &&
        (bs === sid || bs === 'S-1-1-0') &&
        conditionCovers(b.condition, cond)
      )
        deny = e
      if (b.action === 'Allow' && !shadow && bs === sid && conditionCovers(b.condition, cond)) {
        // Two rules covering each other (equal conditions, different names): report the later one only.
        if (e.i > i && conditionCovers(cond, b.condition)) continue
        shadow = e
      }
      if (deny) break
    }
    if (deny) {
      ruleFinding(
        ctx,
        i,
        'denied-allow-rule',
        'warning',
        `Never allows anything: every file it matches is denied by rule "${deny.r.name}" (#${deny.i + 1}), and Deny always wins.`,
        'Delete this rule, or narrow the Deny rule.',
      )
    } else if (shadow) {
      ruleFinding(
        ctx,
        i,
        'shadowed-rule',
        'info',
        `Redundant: rule "${shadow.r.name}" (#${shadow.i + 1}) already allows every file this rule matches for the same user or group.`,
        'Delete this rule unless it documents an intent.',
      )
    }
  })
}

function checkSids(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    const sid = r.extra?.invalid?.UserOrGroupSid ?? r.userOrGroupSid
    if (sidProblem(sid) !== null) {
      ruleFinding(
        ctx,
        i,
        'malformed-sid',
        'error',
        `"${sid}" is not a SID: UserOrGroupSid must be a SID such as S-1-1-0, never an account or group name. Windows refuses the policy.`,
        'Pick the user or group again, or enter its SID (Get-LocalGroup / Get-ADGroup show it).',
      )
      return
    }
    const s = normalizeSid(sid)
    if (NEVER_IN_TOKEN_SIDS.includes(s)) {
      ruleFinding(
        ctx,
        i,
        'nobody-sid',
        'info',
        `${s} (CREATOR OWNER/GROUP) is never in a user's token: this rule applies to nobody (AaronLocker uses it for placeholder rules).`,
        'Delete the rule or give it the intended user or group.',
      )
    } else if (!KNOWN_SID_PATTERNS.some((p) => p.test(s))) {
      ruleFinding(
        ctx,
        i,
        'unknown-sid',
        'info',
        `${sid} is not a well-known SID or a domain/Entra ID account SID: check it names the intended user or group.`,
        'Verify the SID on a domain-joined machine.',
      )
    }
  })
}

function checkHashNames(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    if (r.condition?.kind !== 'hash') return
    const missing = r.condition.hashes.filter((h) => !h.sourceFileName).length
    if (missing === 0) return
    ruleFinding(
      ctx,
      i,
      'hash-no-file-name',
      'info',
      `${missing} file hash${missing === 1 ? ' has' : 'es have'} no SourceFileName: nobody can tell later which file the hash is for.`,
      'Add the file name (SourceFileName) and size when you know them.',
    )
  })
}

function checkNotConfigured(ctx: Ctx): void {
  if (
    ctx.c.enforcementMode !== 'NotConfigured' ||
    ctx.c.rules.length === 0 ||
    ctx.c.extra?.invalid?.EnforcementMode
  )
    return
  collectionFinding(
    ctx,
    'not-configured-with-rules',
    'warning',
    `${COLLECTION_LABELS[ctx.type]} are "Not configured" but hold ${ctx.c.rules.length} rule${ctx.c.rules.length === 1 ? '' : 's'}: Windows enforces them as if "Enforce rules" were set.`,
    'Set the enforcement mode explicitly: Audit only to test, Enforce rules when ready.',
  )
}

function checkExtensions(ctx: Ctx): void {
  const e = ctx.c.extensions
  if (!e) return
  if (ctx.type !== 'Exe' && ctx.type !== 'Dll') {
    collectionFinding(
      ctx,
      'extension-wrong-collection',
      'warning',
      `${COLLECTION_LABELS[ctx.type]} carry rule collection extensions, which only Exe and Dll collections support.`,
      'Remove the RuleCollectionExtensions element from this collection.',
    )
    return
  }
  if (e.threshold !== e.redstone) {
    collectionFinding(
      ctx,
      'extension-partner-missing',
      'error',
      `${e.threshold ? 'ThresholdExtensions' : 'RedstoneExtensions'} is present without ${e.threshold ? 'RedstoneExtensions' : 'ThresholdExtensions'}: Microsoft requires both, or the policy "will cause unexpected behavior".`,
      'Set the Services and SystemApps options again (both elements are written together).',
    )
  }
  if (
    e.services?.enforcementMode &&
    e.services.enforcementMode !== 'NotConfigured' &&
    e.systemApps?.allow !== 'Enabled'
  ) {
    collectionFinding(
      ctx,
      'services-without-systemapps',
      'info',
      'Services and SYSTEM processes are under these rules but SystemApps is not allowed: Windows system components not covered by a rule may be blocked.',
      'Set SystemApps to Enabled unless you allow-list system code yourself.',
    )
  }
}

function checkPaths(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    const paths: string[] = []
    if (r.condition?.kind === 'path') paths.push(r.condition.path)
    for (const e of r.exceptions) if (e.kind === 'path') paths.push(e.path)
    const unknown = [...new Set(paths.flatMap(unknownPathVariables))]
    if (unknown.length) {
      ruleFinding(
        ctx,
        i,
        'unknown-path-variable',
        'error',
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is an environment variable' : 'are environment variables'} AppLocker does not expand: the text is compared literally, so the ${r.condition?.kind === 'path' && unknownPathVariables(r.condition.path).length ? 'rule never matches' : 'exception never matches'}.`,
        'Use AppLocker path variables (%WINDIR%, %SYSTEM32%, %OSDRIVE%, %PROGRAMFILES%, %REMOVABLE%, %HOT%) or *, e.g. %OSDRIVE%\\Users\\*\\AppData\\...',
      )
    }
    const shortNames = [...new Set(paths.flatMap((p) => p.split('\\').filter((seg) => /~\d/.test(seg))))]
    if (shortNames.length) {
      ruleFinding(
        ctx,
        i,
        'short-name-path',
        'warning',
        `${shortNames.join(', ')} ${shortNames.length === 1 ? 'is a short 8.3 name' : 'are short 8.3 names'}: AppLocker compares the file's long path, so this part of the rule does not match what it seems to name.`,
        'Write the long folder or file name (e.g. %PROGRAMFILES%\\... instead of PROGRA~1).',
      )
    }
    if (paths.some((p) => p.includes('?'))) {
      ruleFinding(
        ctx,
        i,
        'question-mark-path',
        'warning',
        '"?" is not a wildcard in AppLocker paths: it only matches a literal "?" character.',
        'Use * instead of ?.',
      )
    }
    if (r.condition?.kind === 'path') {
      const p = r.condition.path.trim()
      const last = p.split('\\').pop() ?? ''
      if (
        p !== '' &&
        !p.includes('*') &&
        !last.includes('.') &&
        !last.includes(':') &&
        !/^%[A-Z0-9]+%$/i.test(last)
      ) {
        ruleFinding(
          ctx,
          i,
          'folder-without-star',
          'warning',
          `"${p}" looks like a folder: without "\\*" the rule matches only a file with exactly that name, nothing inside the folder.`,
          `Write ${p.replace(/\\$/, '')}\\* to cover the folder and its subfolders.`,
        )
      }
    }
  })
}

function publisherConditions(r: Rule): FilePublisherCondition[] {
  const out: FilePublisherCondition[] = []
  if (r.condition?.kind === 'publisher') out.push(r.condition)
  for (const e of r.exceptions) if (e.kind === 'publisher') out.push(e)
  return out
}

function checkPublishers(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    const conds = publisherConditions(r)
    const texts = conds.flatMap((c) => [c.publisherName, c.productName, c.binaryName])
    if (texts.some((t) => MOJIBAKE_PATTERNS.some((p) => p.test(t)))) {
      ruleFinding(
        ctx,
        i,
        'mojibake',
        'warning',
        'A publisher, product or file name contains garbled characters (such as "Ã" or "â€"): the file was probably saved in the wrong encoding, and the rule will not match the real name.',
        'Retype the name (e.g. "MICROSOFT® WINDOWS® OPERATING SYSTEM") or re-read it from the file.',
      )
    }
    if (
      conds.some(
        (c) =>
          (c.publisherName !== '*' && c.publisherName.includes('*')) ||
          (c.productName !== '*' && c.productName.includes('*')),
      )
    ) {
      ruleFinding(
        ctx,
        i,
        'publisher-literal-star',
        'warning',
        'A publisher or product name contains "*" with other text: AppLocker treats that "*" as a literal character, not a wildcard.',
        'Use "*" alone to mean any, or the exact name.',
      )
    }
    for (const c of conds) {
      const v = c.versionRange
      if (
        v &&
        v.low !== '*' &&
        v.high !== '*' &&
        /^[\d.]+$/.test(v.low) &&
        /^[\d.]+$/.test(v.high) &&
        compareVersions(v.low, v.high) > 0
      ) {
        ruleFinding(
          ctx,
          i,
          'version-range-inverted',
          'error',
          `The lowest version ${v.low} is above the highest version ${v.high}: the ${c === r.condition ? 'rule' : 'exception'} matches no file.`,
          'Swap the two versions, or use "And above" / "And below".',
        )
        break
      }
    }
    if (
      r.action === 'Allow' &&
      r.condition?.kind === 'publisher' &&
      r.condition.publisherName === '*' &&
      (ctx.type === 'Exe' || ctx.type === 'Dll' || ctx.type === 'Script') &&
      appliesToStandardUsers(r.userOrGroupSid)
    ) {
      ruleFinding(
        ctx,
        i,
        'publisher-any',
        'warning',
        'Allows every signed file from any publisher: anyone can buy a code-signing certificate, and many signed programs can run arbitrary code.',
        'Name the publishers you trust, or add Deny rules for risky signed programs.',
      )
    }
    if (!ruleKindAllowedIn(r.kind, ctx.type)) {
      ruleFinding(
        ctx,
        i,
        'appx-non-publisher',
        'error',
        'Packaged app rules can only be publisher rules: Windows does not support unsigned packaged apps.',
        'Delete this rule or move it to another collection.',
      )
    }
  })
}

const COLLECTION_CHECKS: ((ctx: Ctx) => void)[] = [
  checkNotConfigured,
  checkExeAdmin,
  checkExeAppx,
  checkDllDefaults,
  checkDenyOnly,
  checkExtensions,
  checkUserWritable,
  checkBypassBinaries,
  checkDenyPath,
  checkDenyForAll,
  checkDuplicates,
  checkShadowed,
  checkSids,
  checkHashNames,
  checkPaths,
  checkPublishers,
]

// ---------------------------------------------------------------------------------------------
// Policy-wide checks
// ---------------------------------------------------------------------------------------------

function checkDuplicateIds(policy: Policy, out: Finding[]): void {
  const first = new Map<string, { ci: number; i: number }>()
  policy.collections.forEach((c, ci) =>
    c.rules.forEach((r, i) => {
      const k = r.id.toLowerCase()
      const f = first.get(k)
      if (!f) {
        first.set(k, { ci, i })
        return
      }
      const other = policy.collections[f.ci]
      out.push({
        code: 'duplicate-id',
        severity: 'error',
        collection: c.type,
        collectionIndex: ci,
        ruleIndex: i,
        ruleId: r.id,
        ruleName: r.name,
        message: `Rule Id ${r.id} is also used by "${other.rules[f.i].name}"${other === c ? '' : ` in ${other.type ?? 'another collection'}`}: Ids must be unique in the whole policy, and Windows refuses the file.`,
        fix: 'Give one of the rules a new Id (Duplicate creates a copy with a new Id).',
      })
    }),
  )
}

/** Validator codes a Review check already reports in its own words (validate.ts -> the check's code). */
const REVIEWED_ELSEWHERE = new Set(['invalid-sid', 'duplicate-rule-id', 'unknown-path-variable', 'appx-non-publisher', 'extensions-incomplete'])

const SCHEMA_FIXES: Record<string, string> = {
  'unknown-exception': 'Edit the rule: remove the placeholder on the Exceptions page, or replace it with real exceptions.',
  'control-character': 'Edit the rule and type the value again without the control character.',
  'invalid-enforcement-mode': 'Choose the mode again with "Configure rule enforcement".',
  'invalid-rule-id': 'Select the rule and use "New Id".',
}

/**
 * Everything the one validator (validate.ts) says Windows refuses, as findings: Review policy and
 * `cli lint` count the same errors as the import dialog and the export guard.
 */
function checkSchema(policy: Policy, out: Finding[]): void {
  for (const d of validatePolicy(policy)) {
    if (d.severity !== 'error' || REVIEWED_ELSEWHERE.has(d.code)) continue
    // The version-range check reports inverted ranges in its own words; other bad bounds are the validator's.
    if (d.code === 'invalid-version-range' && / is above the highest version /.test(d.message)) continue
    const ci = d.ref?.collection
    const c = ci !== undefined ? policy.collections[ci] : undefined
    const r = c && d.ref?.rule !== undefined ? c.rules[d.ref.rule] : undefined
    const f: Finding = {
      code: d.code,
      severity: 'error',
      collection: c?.type ?? null,
      message: `${d.message} Windows refuses the policy.`,
      fix: SCHEMA_FIXES[d.code] ?? 'Correct the value (Edit rule, or the collection\'s settings); the import dialog and Export list the same problem.',
    }
    if (ci !== undefined) f.collectionIndex = ci
    if (r) Object.assign(f, { ruleIndex: d.ref!.rule, ruleId: r.id, ruleName: r.name })
    out.push(f)
  }
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 }

/** Runs every check; findings sorted by severity, then collection, then rule order. */
export function reviewPolicy(policy: Policy): Finding[] {
  expandCache.clear()
  matcherCache.clear()
  const out: Finding[] = []
  policy.collections.forEach((c, ci) => {
    if (c.type === null) return
    const ctx: Ctx = { policy, c, ci, type: c.type, out }
    for (const check of COLLECTION_CHECKS) check(ctx)
  })
  checkDuplicateIds(policy, out)
  checkSchema(policy, out)
  return out
    .map((f, n) => ({ f, n }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] ||
        (a.f.collectionIndex ?? -1) - (b.f.collectionIndex ?? -1) ||
        (a.f.ruleIndex ?? -1) - (b.f.ruleIndex ?? -1) ||
        a.n - b.n,
    )
    .map((x) => x.f)
}

/** Counts per severity, for a summary badge (findings, or the reader's diagnostics). */
export function findingCounts(findings: readonly { severity: FindingSeverity }[]): Record<FindingSeverity, number> {
  const c = { error: 0, warning: 0, info: 0 }
  for (const f of findings) c[f.severity]++
  return c
}
