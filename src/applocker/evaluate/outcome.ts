/**
 * What both evaluators (compiled and reference) share: the principal's SIDs, the mode and
 * effect rules of APPLOCKER.md section 3, the choices marked (inferred) there (one function
 * each), and the wording of explanations.
 */
import {
  COLLECTION_LABELS,
  ENFORCEMENT_LABELS,
  exceptionConditions,
  type CollectionType,
  type Condition,
  type EnforcementMode,
  type Rule,
} from '../policy'
import { EVERYONE_SID, normalizeSid, sidDisplayName } from '../sids'
import { upcase } from '../upcase'
import { EVENT_PACKAGED_APPS_BLOCKED, collectionReason, eventIdFor, fileExtension, isEnforcingMode } from './collection'
import type { Decision, DecideOptions, Effect, Explanation, FileFacts, PolicyDecision, Principal, PublisherFacts, RuleRef } from './types'

/** The SIDs a principal's token holds, normalised: the user, every group, and always Everyone. */
export function principalSids(principal: Principal): Set<string> {
  const s = new Set<string>([EVERYONE_SID])
  if (principal.user) s.add(normalizeSid(principal.user))
  for (const g of principal.groups) if (g) s.add(normalizeSid(g))
  return s
}

/** The first step of an explanation for a file on a mapped or SUBST drive (MachineSettings.mappedDrives). */
export function mappedDriveStep(given: string, resolved: string): string {
  return `${given.slice(0, 2).toUpperCase()} is a mapped or SUBST drive for ${resolved.slice(0, resolved.length - (given.length - 2))}: Windows matches "${given}" as "${resolved}", the path the drive stands for.`
}

const ADMINISTRATORS_SID = 'S-1-5-32-544'
const unelevated = new WeakMap<Principal, Principal>()

/**
 * The principal a collection's Allow rules are checked for: the principal itself, except for an
 * administrator running unelevated (Principal.elevated false), whom Windows counts in
 * Administrators for Executable rules only; for the other collections Administrators is left out of
 * the groups (the user SID stays what it is). There the group is deny-only (inferred from how an
 * access check reads a UAC-filtered token): decide checks Deny rules with every group first.
 * The same object for the same principal (decide caches what it derives from a principal by identity).
 */
export function principalForCollection(principal: Principal, type: CollectionType | null): Principal {
  if (principal.elevated !== false || type === 'Exe' || type === null) return principal
  let p = unelevated.get(principal)
  if (p === undefined) {
    const groups = principal.groups.filter((g) => normalizeSid(g) !== ADMINISTRATORS_SID)
    p = groups.length === principal.groups.length ? principal : { ...principal, groups }
    unelevated.set(principal, p)
  }
  return p
}

/**
 * The signer facts the engine uses: null for an unsigned file (no publisher, or a blank
 * publisher name, as a form left empty gives). Missing fields read as ''.
 */
export function signerOf(file: FileFacts): PublisherFacts | null {
  const p = file.publisher
  if (!p || typeof p.name !== 'string' || p.name.trim() === '') return null
  if (typeof p.product === 'string' && typeof p.binary === 'string' && typeof p.version === 'string') return p
  return { name: p.name, product: p.product ?? '', binary: p.binary ?? '', version: p.version ?? '' }
}

/** Hash text as the engine compares it: without `0x`, upper case; null when empty. */
export function hashKey(text: string | null | undefined): string | null {
  if (!text) return null
  let t = text.trim()
  if (t.startsWith('0x') || t.startsWith('0X')) t = t.slice(2)
  return t === '' ? null : upcase(t)
}

/** The mode a collection is evaluated in: the override when one is given, else the policy's. */
export function effectiveMode(type: CollectionType, policyMode: EnforcementMode, options?: DecideOptions): EnforcementMode {
  return options?.modeOverride?.[type] ?? policyMode
}

/**
 * Whether packaged apps are blocked because the Exe collection has rules and is enforced while
 * the Appx collection has none (event 8027). **(inferred)** Exe in Audit only does not block
 * them: the event text says "while Exe rules are being enforced" (open question 9 of the deep reference).
 */
export function packagedAppsBlockedByExe(exeRuleCount: number, exeMode: EnforcementMode | null): boolean {
  return exeRuleCount > 0 && exeMode !== null && isEnforcingMode(exeMode)
}

/**
 * The accounts whose processes are not "in a user's context": SYSTEM, LOCAL SERVICE and NETWORK
 * SERVICE. "By default, AppLocker policy only applies to code launched in a user's context. On
 * Windows 10, Windows 11, and Windows Server 2016 or later, you can apply AppLocker policy to
 * non-user processes, including those running as SYSTEM" (applocker-overview.md,
 * rule-collection-extensions.md).
 */
export const NON_USER_ACCOUNTS: Readonly<Record<string, string>> = Object.freeze({
  'S-1-5-18': 'SYSTEM',
  'S-1-5-19': 'LOCAL SERVICE',
  'S-1-5-20': 'NETWORK SERVICE',
})

/**
 * The non-user account a principal runs as (its user SID is S-1-5-18, -19 or -20), null for a
 * user's process. **(inferred)** A principal given without a user but with one of these SIDs among
 * its groups is taken as that account too (a token never holds them as a mere group).
 */
export function nonUserProcessSid(principal: Principal): string | null {
  if (principal.user) {
    const u = normalizeSid(principal.user)
    return Object.prototype.hasOwnProperty.call(NON_USER_ACCOUNTS, u) ? u : null
  }
  for (const g of principal.groups) {
    const n = g ? normalizeSid(g) : ''
    if (Object.prototype.hasOwnProperty.call(NON_USER_ACCOUNTS, n)) return n
  }
  return null
}

/**
 * Whether a collection governs non-user processes: "To apply AppLocker policy to non-user
 * processes, set <Services EnforcementMode="Enabled"/> in the <ThresholdExtensions> section"
 * (rule-collection-extensions.md), which exists for the Exe and DLL collections only ("Rule
 * collection extensions are optional features that only apply to the EXE and DLL rule
 * collections"). **(inferred)** `ServicesOnly`, in the schema and New-AppLockerPolicy
 * -ServiceEnforcement but undocumented, is read as services enforcement too.
 */
export function servicesEnforced(type: CollectionType, servicesMode: string | null | undefined): boolean {
  return (type === 'Exe' || type === 'Dll') && (servicesMode === 'Enabled' || servicesMode === 'ServicesOnly')
}

/** One rule's fate for one file, for explanations. */
export type RuleVerdict =
  | { status: 'not-applicable' }
  | { status: 'no-match' }
  | { status: 'matched' }
  | { status: 'excluded'; exception: string }

/** Everything a decision is built from. */
export interface Outcome {
  collection: CollectionType | null
  /** The policy's collection exists (with or without rules). */
  present: boolean
  ruleCount: number
  mode: EnforcementMode | null
  policyMode: EnforcementMode | null
  decision: PolicyDecision
  rule: Rule | null
  packageInstall: boolean
  appIdServiceRunning: boolean
  /** 8027 case. */
  packagedAppsBlocked: boolean
  exeMode?: EnforcementMode | null
  /** The file is a PowerShell script (.ps1): blocked means Constrained Language Mode. */
  powershell?: boolean
  /** The non-user account (S-1-5-18/19/20) the process runs as, null or absent for a user's process. */
  nonUserSid?: string | null
  /** The collection's Services extension value (Exe, Dll), for explanations. */
  servicesMode?: string | null
}

/** Whether the outcome's process is one the collection does not govern (a non-user process without services enforcement). */
export function processExempt(o: Outcome): boolean {
  return o.collection !== null && o.nonUserSid != null && !servicesEnforced(o.collection, o.servicesMode)
}

export function effectOf(o: Outcome): { effect: Effect; eventId: number | null } {
  const d = toDecision(o)
  return { effect: d.effect, eventId: d.eventId }
}

/** The fast path's explanation, shared by every such decision and frozen all the way down. */
const EMPTY_EXPLANATION: Explanation = Object.freeze({
  steps: Object.freeze([]) as unknown as string[],
  matched: Object.freeze([]) as unknown as Explanation['matched'],
  excludedByException: Object.freeze([]) as unknown as Explanation['excludedByException'],
  matchedCount: 0,
  excludedCount: 0,
  notApplicableToPrincipal: 0,
  decidedBy: null,
}) as Explanation

export function ruleRef(rule: Rule): RuleRef {
  return { ruleId: rule.id, name: rule.name, action: rule.action }
}

/** A Decision from an outcome, with its explanation (none on the fast path). */
export function toDecision(o: Outcome, explanation: Explanation = EMPTY_EXPLANATION): Decision {
  return fastDecision(
    o.collection,
    o.decision,
    o.rule,
    o.mode,
    o.packageInstall,
    o.appIdServiceRunning && !processExempt(o),
    o.packagedAppsBlocked,
    o.powershell === true,
    explanation,
  )
}

/**
 * Builds a Decision without intermediate objects (the bulk path). `enforced` is false when
 * nothing is enforced or logged for this file: AppIDSvc stopped, or a non-user process the
 * collection does not govern.
 */
export function fastDecision(
  collection: CollectionType | null,
  decision: PolicyDecision,
  rule: Rule | null,
  mode: EnforcementMode | null,
  packageInstall: boolean,
  enforced: boolean,
  packagedAppsBlocked: boolean,
  powershell: boolean,
  explanation: Explanation = EMPTY_EXPLANATION,
): Decision {
  let effect: Effect
  let eventId: number | null
  if (collection === null) {
    effect = 'not-governed'
    eventId = null
  } else if (!enforced) {
    // AppIDSvc stopped, or a non-user process the collection does not govern: nothing is enforced or logged.
    effect = 'runs'
    eventId = null
  } else if (packagedAppsBlocked) {
    effect = 'blocked'
    eventId = EVENT_PACKAGED_APPS_BLOCKED
  } else if (decision === 'AllowedByDefault') {
    effect = 'runs'
    eventId = null
  } else if (decision === 'Allowed') {
    effect = 'runs'
    eventId = eventIdFor(collection, 'allowed', packageInstall)
  } else if (isEnforcingMode(mode ?? 'NotConfigured')) {
    // "In the case of PowerShell, 'blocked' scripts will still run, but only in Constrained
    // Language Mode" (script-rules-in-applocker.md): same decision, same event 8007.
    effect = powershell ? 'constrained-language' : 'blocked'
    eventId = eventIdFor(collection, 'blocked', packageInstall)
  } else {
    effect = 'audited'
    eventId = eventIdFor(collection, 'audited', packageInstall)
  }
  return {
    collection,
    decision,
    matchingRuleId: rule === null ? null : rule.id,
    matchingRuleName: rule === null ? null : rule.name,
    mode,
    effect,
    eventId,
    explanation,
  }
}

/** A condition in words, e.g. `path %WINDIR%\Temp\*`. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'path':
      return `path ${c.path}`
    case 'publisher': {
      const r = c.versionRange
      const version = !r || (r.low.trim() === '*' && r.high.trim() === '*')
        ? 'any version'
        : r.low.trim() === '*'
          ? `version ${r.high} and below`
          : r.high.trim() === '*'
            ? `version ${r.low} and above`
            : r.low === r.high
              ? `version ${r.low} exactly`
              : `versions ${r.low} to ${r.high}`
      return `publisher ${c.publisherName === '*' ? 'any' : `"${c.publisherName}"`}, product ${c.productName === '*' ? 'any' : `"${c.productName}"`}, file name ${c.binaryName === '*' || c.binaryName === '?' ? 'any' : `"${c.binaryName}"`}, ${version}`
    }
    case 'hash': {
      const list = c.hashes.map((h) => `${h.data}${h.sourceFileName ? ` (${h.sourceFileName})` : ''}`)
      return `file hash ${list.join(' or ')}`
    }
  }
}

const KIND_WORDS: Record<CollectionType, string> = {
  Exe: 'an executable file',
  Dll: 'a DLL file',
  Msi: 'a Windows Installer file',
  Script: 'a script file',
  Appx: 'a packaged app',
}

/**
 * How many matching rules an explanation spells out: the first ones in document order, and always
 * the deciding rule (the first matching Deny, else the first matching Allow); the others are
 * counted. A file can match hundreds of rules of a large policy; an explanation that names them
 * all would cost far more than the decision (issue 13: at most 10x a decision, at any size).
 */
export const EXPLAIN_LISTED = 20

/** What the rules of the collection did for one file: enough to explain a decision. */
export interface RuleFindings {
  /** How many rules of the collection are for other users or groups. */
  notApplicable: number
  /**
   * Applicable rules whose condition matched the file, in document order, with whether an
   * exception excluded it (`matched` or `excluded` verdicts only): the first EXPLAIN_LISTED of
   * them and the deciding rule. Every other applicable rule does not match.
   */
  hits: {
    rule: Rule
    verdict: RuleVerdict
    /** describeCondition of the rule's condition, when known. */
    condition?: string
    /** The step that lists the hit (hitStep), when known. */
    step?: string
    /** ruleRef(rule), when known (a fresh object: the explanation hands it out). */
    ref?: RuleRef
  }[]
  /** Applicable rules that matched (no exception), in all. */
  matchedTotal: number
  /** Matching Allow rules, in all. */
  allowTotal: number
  /** Applicable rules an exception excluded, in all. */
  excludedTotal: number
}

export const NO_FINDINGS: RuleFindings = Object.freeze({ notApplicable: 0, hits: Object.freeze([]) as unknown as RuleFindings['hits'], matchedTotal: 0, allowTotal: 0, excludedTotal: 0 }) as RuleFindings

/**
 * Which hits an explanation lists, given every hit's action and verdict in document order: the
 * first EXPLAIN_LISTED, plus the first matching Deny and the first matching Allow when later.
 */
export function listedHitIndexes(count: number, isDeny: (i: number) => boolean, isMatched: (i: number) => boolean): number[] {
  const out: number[] = []
  let deny = -1
  let allow = -1
  for (let i = 0; i < count; i++) {
    if (isMatched(i)) {
      if (isDeny(i)) {
        if (deny < 0) deny = i
      } else if (allow < 0) allow = i
    }
    if (i < EXPLAIN_LISTED) out.push(i)
    else if (i === deny || (i === allow && deny < 0)) out.push(i)
    if (i >= EXPLAIN_LISTED && deny >= 0) break
  }
  return out
}

/** Findings from one verdict per rule (rules and verdicts in document order). */
export function findingsFromVerdicts(rules: readonly Rule[], verdicts: readonly RuleVerdict[]): RuleFindings {
  let notApplicable = 0
  let matchedTotal = 0
  let allowTotal = 0
  let excludedTotal = 0
  const all: { rule: Rule; verdict: RuleVerdict }[] = []
  for (let i = 0; i < rules.length; i++) {
    const v = verdicts[i]
    if (v.status === 'not-applicable') notApplicable++
    else if (v.status === 'matched' || v.status === 'excluded') {
      all.push({ rule: rules[i], verdict: v })
      if (v.status === 'excluded') excludedTotal++
      else {
        matchedTotal++
        if (rules[i].action !== 'Deny') allowTotal++
      }
    }
  }
  const listed = listedHitIndexes(
    all.length,
    (i) => all[i].rule.action === 'Deny',
    (i) => all[i].verdict.status === 'matched',
  )
  return { notApplicable, hits: listed.map((i) => all[i]), matchedTotal, allowTotal, excludedTotal }
}

/** The step that lists a hit (a `matched` or `excluded` verdict); condition: describeCondition of its condition, when known. */
export function hitStep(r: Rule, verdict: RuleVerdict, condition?: string): string {
  const cond = condition ?? (r.condition ? describeCondition(r.condition) : 'no condition')
  return verdict.status === 'excluded'
    ? `${r.action} rule "${r.name}" matches ${cond}, but its exception (${verdict.exception}) excludes this file.`
    : `${r.action} rule "${r.name}" matches: ${cond}.`
}

// The last text of the two steps that are the same for every file of a collection and principal
// (a run of explanations builds each once).
let lastCollection = { label: '', ruleCount: -1, mode: null as EnforcementMode | null, policyMode: null as EnforcementMode | null, text: '' }
let lastApplies = { ruleCount: -1, notApplicable: -1, sids: '', text: '' }

function collectionStep(label: string, ruleCount: number, mode: EnforcementMode | null, policyMode: EnforcementMode | null): string {
  const m = lastCollection
  if (m.label === label && m.ruleCount === ruleCount && m.mode === mode && m.policyMode === policyMode) return m.text
  const modeText = mode ? ENFORCEMENT_LABELS[mode] : ''
  const overridden = mode !== policyMode && policyMode ? ` (simulated; the policy says ${ENFORCEMENT_LABELS[policyMode]})` : ''
  const text = `The ${label} collection has ${plural(ruleCount, 'rule')}; its enforcement mode is ${modeText}${overridden}.`
  lastCollection = { label, ruleCount, mode, policyMode, text }
  return text
}

function appliesStep(ruleCount: number, notApplicable: number, sids: string): string {
  const m = lastApplies
  if (m.ruleCount === ruleCount && m.notApplicable === notApplicable && m.sids === sids) return m.text
  const applicable = ruleCount - notApplicable
  const text = `${plural(applicable, 'rule')} of ${ruleCount} apply to this principal (${sids}); ${plural(notApplicable, 'rule')} ${notApplicable === 1 ? 'is' : 'are'} for other users or groups.`
  lastApplies = { ruleCount, notApplicable, sids, text }
  return text
}

/** Builds the explanation from what the collection's rules did (see RuleFindings). */
export function explain(o: Outcome, file: FileFacts, principal: Principal, findings: RuleFindings = NO_FINDINGS, principalText?: string): Explanation {
  const steps: string[] = []
  const matched: RuleRef[] = []
  const excludedByException: (RuleRef & { exception: string })[] = []
  const notApplicable = findings.notApplicable
  const name = file.package ? file.package : file.path

  if (o.collection === null) {
    const ext = fileExtension(file.path)
    steps.push(
      file.pe === false && ext !== ''
        ? `"${name}" is not a portable executable (PE) file, so Windows can neither start nor load it as a program (${ext}): no rule collection applies, so AppLocker neither allows nor blocks it.`
        : `"${name}" has a file type AppLocker does not govern (${ext || 'no extension'}): no rule collection applies, so AppLocker neither allows nor blocks it.`,
    )
    return { steps, matched, excludedByException, matchedCount: 0, excludedCount: 0, notApplicableToPrincipal: 0, decidedBy: null }
  }
  const label = COLLECTION_LABELS[o.collection]
  const ext = fileExtension(file.path)
  const reason = collectionReason(file, o.collection)
  steps.push(
    o.collection === 'Appx'
      ? `"${name}" is a packaged app${o.packageInstall ? ' being installed' : ''}, so the ${label} (Appx) collection decides.`
      : reason !== null
        ? `"${name}" is ${KIND_WORDS[o.collection]}${ext ? ` (${ext})` : ''}: ${reason}. So the ${label} (${o.collection}) collection decides.`
        : `"${name}" is ${KIND_WORDS[o.collection]} (${ext}), so the ${label} (${o.collection}) collection decides.`,
  )

  for (const h of findings.hits) {
    if (h.verdict.status === 'matched') matched.push(h.ref ?? ruleRef(h.rule))
    else if (h.verdict.status === 'excluded') {
      const ref = h.ref ?? ruleRef(h.rule)
      excludedByException.push({ ruleId: ref.ruleId, name: ref.name, action: ref.action, exception: h.verdict.exception })
    }
  }

  let decidedBy: string
  if (o.packagedAppsBlocked) {
    steps.push(
      `The Executable Rules collection has rules and is enforced (${ENFORCEMENT_LABELS[o.exeMode ?? 'NotConfigured']}), and there are no packaged app rules: Windows blocks every packaged app (event 8027).`,
    )
    decidedBy = 'Executable rules are enforced and there are no packaged app rules'
  } else if (!o.present || o.ruleCount === 0) {
    steps.push(
      !o.present
        ? `The policy has no ${label} collection, so every file of this type is allowed by default (AllowedByDefault).`
        : `The ${label} collection has no rules, so every file of this type is allowed by default (AllowedByDefault)${o.collection === 'Dll' ? '; a DLL collection without rules is not active' : ''}.`,
    )
    decidedBy = o.present ? 'the collection has no rules' : 'the policy has no such collection'
  } else {
    steps.push(collectionStep(label, o.ruleCount, o.mode, o.policyMode))
    const effective = principalForCollection(principal, o.collection)
    if (effective !== principal) {
      steps.push(
        `The user is an administrator running unelevated (UAC): Windows counts them in Administrators for Executable rules, but for ${label} only when the program runs elevated ("Run as administrator"). Here the group counts for Deny rules only: an Allow rule for Administrators does not apply.`,
      )
    }
    const sids = principalText ?? describePrincipal(effective)
    const applicable = o.ruleCount - notApplicable
    steps.push(appliesStep(o.ruleCount, notApplicable, sids))
    for (const h of findings.hits) {
      if (h.step !== undefined) steps.push(h.step)
      else if (h.verdict.status === 'matched' || h.verdict.status === 'excluded') steps.push(hitStep(h.rule, h.verdict, h.condition))
    }
    const unlisted = findings.matchedTotal + findings.excludedTotal - findings.hits.length
    if (unlisted > 0)
      steps.push(
        `${plural(unlisted, 'more applicable rule')} ${unlisted === 1 ? 'matches' : 'match'} the file (not listed here; in all ${findings.matchedTotal} match and ${findings.excludedTotal} more are excluded by an exception).`,
      )
    const rest = applicable - findings.matchedTotal - findings.excludedTotal
    if (findings.hits.length > 0 && rest > 0) steps.push(`The other ${plural(rest, 'applicable rule')} ${rest === 1 ? 'does' : 'do'} not match the file.`)
    if (o.decision === 'Denied' && o.rule) {
      const allows = findings.allowTotal
      steps.push(
        `Deny rule "${o.rule.name}" matches, and Deny always wins${allows ? ` (the ${plural(allows, 'matching Allow rule')} cannot override it)` : ''}: Denied.`,
      )
      decidedBy = `Deny rule "${o.rule.name}"`
    } else if (o.decision === 'Allowed' && o.rule) {
      steps.push(`Allow rule "${o.rule.name}" matches and no Deny rule does: Allowed.`)
      decidedBy = `Allow rule "${o.rule.name}"`
    } else {
      steps.push(
        matched.length === 0 && excludedByException.length === 0
          ? 'No applicable rule matches the file, and only files an Allow rule matches may run: DeniedByDefault (implicit deny).'
          : 'No applicable Allow rule matches the file (exceptions excluded it), so it is denied by default: DeniedByDefault (implicit deny).',
      )
      decidedBy = 'no rule allowed the file (implicit deny)'
    }
  }

  const { effect, eventId } = effectOf(o)
  const account = o.nonUserSid ? `${NON_USER_ACCOUNTS[o.nonUserSid]} (${o.nonUserSid})` : ''
  if (!o.appIdServiceRunning) {
    steps.push('The Application Identity service (AppIDSvc) is not running on the simulated machine: nothing is enforced or logged, and the file runs.')
  } else if (processExempt(o)) {
    steps.push(
      o.collection === 'Exe' || o.collection === 'Dll'
        ? `The file runs as ${account}, a non-user process: AppLocker applies only to code started in a user's context unless the ${label} collection's Services extension is enforced (RuleCollectionExtensions, <Services EnforcementMode="Enabled"/>), which this policy does not do. Nothing is enforced or logged, and the file runs.`
        : `The file runs as ${account}, a non-user process: AppLocker applies only to code started in a user's context, and only the Executable and DLL collections can be extended to non-user processes (Services extension). Nothing is enforced or logged, and the file runs.`,
    )
  } else {
    if (o.nonUserSid && o.collection !== null)
      steps.push(`The file runs as ${account}, a non-user process; the ${label} collection's Services extension is enforced (${o.servicesMode}), so its rules apply to it.`)
    if (effect === 'blocked') {
      steps.push(
        o.packagedAppsBlocked
          ? `The packaged app is blocked; Windows logs event ${eventId}.`
          : `The collection is enforced (${o.mode === 'NotConfigured' ? '"Not configured" with rules is enforced' : 'Enforce rules'}): the file is blocked, and Windows logs event ${eventId} ("was prevented from running").`,
      )
    } else if (effect === 'constrained-language') {
      steps.push(
        `The collection is enforced (${o.mode === 'NotConfigured' ? '"Not configured" with rules is enforced' : 'Enforce rules'}) and the file is a PowerShell script: Windows logs event ${eventId} ("was prevented from running"), but PowerShell still runs it, in Constrained Language Mode ("In the case of PowerShell, 'blocked' scripts will still run, but only in Constrained Language Mode").`,
      )
    } else if (effect === 'audited') {
      steps.push(`The collection is in Audit only mode: the file runs, and Windows logs event ${eventId} ("would have been prevented from running if the AppLocker policy were enforced").`)
    } else if (eventId !== null) {
      steps.push(`The file runs; Windows logs event ${eventId} ("was allowed to run").`)
    } else {
      steps.push('The file runs; Windows logs no AppLocker event for it.')
    }
  }
  return { steps, matched, excludedByException, matchedCount: findings.matchedTotal, excludedCount: findings.excludedTotal, notApplicableToPrincipal: notApplicable, decidedBy }
}

/** The principal's SIDs as explanations name them (`Everyone (S-1-1-0), ...`). */
export function describePrincipal(principal: Principal): string {
  return [...principalSids(principal)].map(sidDisplayName).join(', ')
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** The exception conditions of a rule that AppLocker knows (unknown elements are ignored). */
export function ruleExceptions(rule: Rule): Condition[] {
  return exceptionConditions(rule)
}
