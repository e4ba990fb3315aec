/**
 * Every user command on a policy as a small pure function `(Policy, args) -> Policy`
 * (DESIGN.md, "every user command is one small, named action"). The store applies them and records
 * undo history. Inputs are never mutated; unchanged collections and rules are shared with the input.
 *
 * Rule positions are indices into `RuleCollection.rules` of the collection of the given type.
 * Out-of-range or repeated indices are ignored (never an exception).
 */
import type {
  CollectionType,
  Condition,
  EnforcementMode,
  FileHashCondition,
  FilePathRule,
  FilePublisherCondition,
  Policy,
  Rule,
  RuleAction,
  RuleCollection,
  RuleCollectionExtensions,
  RuleKind,
  ServicesEnforcement,
  SystemAppsAllow,
} from './policy'
import { emptyCollection, newRuleId } from './policy'

// ---------------------------------------------------------------------------------------------
// Identity helpers shared by defaults, merge, diff and lint
// ---------------------------------------------------------------------------------------------

/** A string equal for two conditions that match exactly the same files (case-insensitive). */
export function conditionKey(condition: Condition): string {
  switch (condition.kind) {
    case 'path':
      return `path|${condition.path.toLowerCase()}`
    case 'publisher': {
      const v = condition.versionRange
      return [
        'publisher',
        condition.publisherName.toLowerCase(),
        condition.productName.toLowerCase(),
        condition.binaryName.toLowerCase(),
        v ? v.low : '',
        v ? v.high : '',
      ].join('|')
    }
    case 'hash':
      return `hash|${condition.hashes
        .map((h) => `${h.type.toLowerCase()}:${h.data.toLowerCase()}`)
        .sort()
        .join(',')}`
  }
}

/** Condition + exceptions + user/group + action: two rules with equal keys behave identically. */
export function ruleBehaviourKey(rule: Rule): string {
  const cond = rule.condition ? conditionKey(rule.condition) : '(none)'
  const exc = rule.exceptions
    .map((e) => (e.kind === 'unknown' ? `unknown|${e.xml}` : conditionKey(e)))
    .sort()
    .join(';')
  return `${rule.action}|${rule.userOrGroupSid.toUpperCase()}|${cond}|${exc}`
}

/** Which rule kinds a collection may hold: Appx holds publisher rules only. */
export function ruleKindAllowedIn(kind: RuleKind, type: CollectionType): boolean {
  return type !== 'Appx' || kind === 'publisher'
}

/** Whether a hash rule may carry exceptions: never (schema). Path and publisher rules may. */
export function ruleKindHasExceptions(kind: RuleKind): boolean {
  return kind !== 'hash'
}

// ---------------------------------------------------------------------------------------------
// Internal plumbing
// ---------------------------------------------------------------------------------------------

function collectionIndex(policy: Policy, type: CollectionType): number {
  return policy.collections.findIndex((c) => c.type === type)
}

/** Replaces the collection of `type` (creating it if needed) with `f(collection)`. */
function withCollection(
  policy: Policy,
  type: CollectionType,
  f: (c: RuleCollection) => RuleCollection,
): Policy {
  const i = collectionIndex(policy, type)
  if (i < 0) return { ...policy, collections: [...policy.collections, f(emptyCollection(type))] }
  const before = policy.collections[i]
  const after = f(before)
  if (after === before) return policy
  return { ...policy, collections: policy.collections.map((c, j) => (j === i ? after : c)) }
}

/** Valid, unique indices in ascending order. */
function normaliseIndices(indices: readonly number[], length: number): number[] {
  return [...new Set(indices)]
    .filter((i) => Number.isInteger(i) && i >= 0 && i < length)
    .sort((a, b) => a - b)
}

function allIds(policy: Policy): Set<string> {
  const ids = new Set<string>()
  for (const c of policy.collections) for (const r of c.rules) ids.add(r.id.toLowerCase())
  return ids
}

function freshId(taken: Set<string>): string {
  let id = newRuleId()
  while (taken.has(id.toLowerCase())) id = newRuleId()
  taken.add(id.toLowerCase())
  return id
}

/**
 * A copy of a rule with a new Id (deep enough that editing the copy never touches the original).
 * The comments directly above the rule stay with the original only (they are not duplicated).
 */
function cloneRule(rule: Rule, id: string, name = rule.name): Rule {
  const copy = structuredClone({ ...rule, id, name })
  if (copy.notes?.before) {
    const { before: _, ...rest } = copy.notes
    if (rest.inside) copy.notes = rest
    else delete copy.notes
  }
  return copy
}

// ---------------------------------------------------------------------------------------------
// Collections and enforcement
// ---------------------------------------------------------------------------------------------

/** Adds an empty NotConfigured collection of `type` when the policy has none. */
export function ensureCollection(policy: Policy, type: CollectionType): Policy {
  return collectionIndex(policy, type) >= 0 ? policy : withCollection(policy, type, (c) => c)
}

/**
 * Gives the collection at `index` (one whose Type attribute was not one of the five, e.g.
 * Type="Executable") a valid type. When the policy already has a collection of that type, the rules
 * move into it (at its end) and the unknown collection goes away, so there is one per type.
 */
export function setCollectionType(policy: Policy, index: number, type: CollectionType): Policy {
  const c = policy.collections[index]
  if (!c || c.type === type) return policy
  const fixed: RuleCollection = { ...c, type, extra: withoutInvalid(c.extra, 'Type') }
  const existing = policy.collections.findIndex((x, i) => i !== index && x.type === type)
  if (existing < 0) return { ...policy, collections: policy.collections.map((x, i) => (i === index ? fixed : x)) }
  return {
    ...policy,
    collections: policy.collections
      .map((x, i) => (i === existing ? { ...x, rules: [...x.rules, ...fixed.rules] } : x))
      .filter((_, i) => i !== index),
  }
}

/** "Configure rule enforcement": Not configured / Enforce rules / Audit only. */
export function setEnforcementMode(policy: Policy, type: CollectionType, mode: EnforcementMode): Policy {
  return withCollection(policy, type, (c) => {
    if (c.enforcementMode === mode && !c.extra?.invalid?.EnforcementMode) return c
    return { ...c, enforcementMode: mode, extra: withoutInvalid(c.extra, 'EnforcementMode') }
  })
}

/** The raw invalid value of an attribute is dropped once the user picks a valid one. */
function withoutInvalid<T extends { invalid?: Record<string, string>; absent?: string[] }>(
  extra: T | undefined,
  attribute: string,
): T | undefined {
  if (!extra) return extra
  const hasInvalid = extra.invalid && attribute in extra.invalid
  const hasAbsent = extra.absent?.includes(attribute)
  if (!hasInvalid && !hasAbsent) return extra
  const next: T = { ...extra }
  if (hasInvalid) {
    const inv = { ...extra.invalid }
    delete inv[attribute]
    if (Object.keys(inv).length) next.invalid = inv
    else delete next.invalid
  }
  if (hasAbsent) {
    const absent = extra.absent!.filter((a) => a !== attribute)
    if (absent.length) next.absent = absent
    else delete next.absent
  }
  return next
}

/**
 * Services and SystemApps extensions of the Exe or Dll collection ("Rule collection extensions").
 * Windows requires ThresholdExtensions and RedstoneExtensions together, so both wrappers are always
 * written when either value is set. `null` for a value leaves its element out; null/null removes the
 * extensions (wrappers holding elements the model does not know, e.g. OriginDataRevocation, are kept).
 */
export function setExtensions(
  policy: Policy,
  type: 'Exe' | 'Dll',
  value: { services: ServicesEnforcement | null; systemApps: SystemAppsAllow | null },
): Policy {
  return withCollection(policy, type, (c) => {
    const old = c.extensions
    const next: RuleCollectionExtensions = {
      ...old,
      threshold: true,
      redstone: true,
      services: value.services === null ? undefined : { ...old?.services, enforcementMode: value.services },
      systemApps: value.systemApps === null ? undefined : { ...old?.systemApps, allow: value.systemApps },
    }
    if (next.services === undefined) delete next.services
    if (next.systemApps === undefined) delete next.systemApps
    if (value.services === null && value.systemApps === null) {
      const keepsUnknown = Boolean(
        old?.extra?.children?.length ||
        old?.thresholdExtra?.children?.length ||
        old?.redstoneExtra?.children?.length,
      )
      if (!keepsUnknown) {
        if (!old) return c
        const rest = { ...c }
        delete rest.extensions
        return rest
      }
    }
    return { ...c, extensions: next }
  })
}

/** The Services / SystemApps values of a collection, null when absent or not a valid value. */
export function getExtensions(
  policy: Policy,
  type: 'Exe' | 'Dll',
): { services: ServicesEnforcement | null; systemApps: SystemAppsAllow | null } {
  const ext = policy.collections.find((c) => c.type === type)?.extensions
  const s = ext?.services?.enforcementMode
  const a = ext?.systemApps?.allow
  return {
    services: s === 'NotConfigured' || s === 'Enabled' || s === 'ServicesOnly' ? s : null,
    systemApps: a === 'Enabled' || a === 'NotEnabled' ? a : null,
  }
}

/**
 * The DLL rule collection is "enabled" in this model when the policy has a Dll collection that holds
 * rules or is configured (APPLOCKER.md section 2: Windows exports an empty Dll collection even when the
 * collection is off, and treats a Dll collection as active when it has rules).
 */
export function isDllCollectionEnabled(policy: Policy): boolean {
  const c = policy.collections.find((x) => x.type === 'Dll')
  return Boolean(c && (c.rules.length > 0 || c.enforcementMode !== 'NotConfigured'))
}

/**
 * What disabling the DLL collection would discard, as a sentence for a confirmation dialog, or null
 * when nothing is lost.
 */
export function dllDisableWarning(policy: Policy): string | null {
  const c = policy.collections.find((x) => x.type === 'Dll')
  const n = c?.rules.length ?? 0
  if (n === 0) return null
  return `Turning off the DLL rule collection removes its ${n} rule${n === 1 ? '' : 's'}: a Dll collection that holds rules is enforced by Windows, so the rules cannot be kept while the collection is off.`
}

/**
 * "Enable the DLL rule collection". Enabling makes sure a Dll collection exists (empty, Not
 * configured, exactly as Windows exports it). Disabling empties it and sets it to Not configured:
 * AppLocker's XML has no separate "off" switch, and a Dll collection holding rules is enforced, so the
 * rules are removed (the UI asks first using `dllDisableWarning`, and undo brings them back).
 */
export function setDllCollectionEnabled(policy: Policy, enabled: boolean): Policy {
  if (enabled) return ensureCollection(policy, 'Dll')
  if (collectionIndex(policy, 'Dll') < 0) return policy
  return withCollection(policy, 'Dll', (c) =>
    c.rules.length === 0 && c.enforcementMode === 'NotConfigured'
      ? c
      : {
          ...c,
          rules: [],
          enforcementMode: 'NotConfigured',
          extra: withoutInvalid(c.extra, 'EnforcementMode'),
        },
  )
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** Appends a rule (creating the collection if needed). A rule whose Id is already used gets a new Id. */
export function addRule(policy: Policy, type: CollectionType, rule: Rule): Policy {
  return addRules(policy, [{ collection: type, rule }])
}

/**
 * Adds rules at the end of their collections, in order (collections the policy lacks are added, in the
 * order they first come): what addRule one rule after the other gives, an Id already taken (or empty)
 * renewed, in one pass over the policy rather than one per rule (3,000 rules into a 10,000-rule policy
 * took seconds that way).
 */
export function addRules(policy: Policy, additions: readonly { collection: CollectionType; rule: Rule }[]): Policy {
  if (additions.length === 0) return policy
  const taken = allIds(policy)
  const byType = new Map<CollectionType, Rule[]>()
  for (const { collection, rule } of additions) {
    const id = rule.id.toLowerCase()
    let toAdd = rule
    if (rule.id === '' || taken.has(id)) toAdd = { ...rule, id: freshId(taken) }
    else taken.add(id)
    const list = byType.get(collection)
    if (list) list.push(toAdd)
    else byType.set(collection, [toAdd])
  }
  let next = policy
  for (const [type, rules] of byType) next = withCollection(next, type, (c) => ({ ...c, rules: [...c.rules, ...rules] }))
  return next
}

/** Replaces the rule at `index`. Does nothing when the index is out of range. */
export function updateRule(policy: Policy, type: CollectionType, index: number, rule: Rule): Policy {
  const c = policy.collections.find((x) => x.type === type)
  if (!c || index < 0 || index >= c.rules.length || c.rules[index] === rule) return policy
  return withCollection(policy, type, (col) => ({
    ...col,
    rules: col.rules.map((r, i) => (i === index ? rule : r)),
  }))
}

export function deleteRules(policy: Policy, type: CollectionType, indices: readonly number[]): Policy {
  const c = policy.collections.find((x) => x.type === type)
  if (!c) return policy
  const drop = new Set(normaliseIndices(indices, c.rules.length))
  if (drop.size === 0) return policy
  return withCollection(policy, type, (col) => ({ ...col, rules: col.rules.filter((_, i) => !drop.has(i)) }))
}

/** Copies of the chosen rules with new Ids and names ending in " (copy)", appended to the collection. */
export function duplicateRules(policy: Policy, type: CollectionType, indices: readonly number[]): Policy {
  const c = policy.collections.find((x) => x.type === type)
  if (!c) return policy
  const chosen = normaliseIndices(indices, c.rules.length)
  if (chosen.length === 0) return policy
  const taken = allIds(policy)
  const copies = chosen.map((i) => cloneRule(c.rules[i], freshId(taken), `${c.rules[i].name} (copy)`))
  return withCollection(policy, type, (col) => ({ ...col, rules: [...col.rules, ...copies] }))
}

/**
 * Which of the chosen rules can go to collection `to`: Appx takes publisher rules only
 * (APPLOCKER.md section 1). The UI can use this to explain why some rules stayed where they were.
 */
export function placeableIndices(
  policy: Policy,
  from: CollectionType,
  indices: readonly number[],
  to: CollectionType,
): number[] {
  const c = policy.collections.find((x) => x.type === from)
  if (!c) return []
  return normaliseIndices(indices, c.rules.length).filter((i) => ruleKindAllowedIn(c.rules[i].kind, to))
}

/**
 * Moves rules to another collection (same Ids: a move keeps the rule's identity). Rules that the
 * target cannot hold (non-publisher rules into Appx) stay where they are; see `placeableIndices`.
 */
export function moveRules(
  policy: Policy,
  from: CollectionType,
  indices: readonly number[],
  to: CollectionType,
): Policy {
  if (from === to) return policy
  const movable = placeableIndices(policy, from, indices, to)
  if (movable.length === 0) return policy
  const source = policy.collections.find((x) => x.type === from)!
  const moving = movable.map((i) => source.rules[i])
  const removed = deleteRules(policy, from, movable)
  return withCollection(removed, to, (col) => ({ ...col, rules: [...col.rules, ...moving] }))
}

/** Copies rules into another collection (or the same one) with new Ids, names unchanged. */
export function copyRules(
  policy: Policy,
  from: CollectionType,
  indices: readonly number[],
  to: CollectionType,
): Policy {
  const copyable = placeableIndices(policy, from, indices, to)
  if (copyable.length === 0) return policy
  const source = policy.collections.find((x) => x.type === from)!
  const taken = allIds(policy)
  const copies = copyable.map((i) => cloneRule(source.rules[i], freshId(taken)))
  return withCollection(policy, to, (col) => ({ ...col, rules: [...col.rules, ...copies] }))
}

function mapRules(
  policy: Policy,
  type: CollectionType,
  indices: readonly number[],
  f: (r: Rule) => Rule,
): Policy {
  const c = policy.collections.find((x) => x.type === type)
  if (!c) return policy
  const chosen = new Set(normaliseIndices(indices, c.rules.length))
  let changed = false
  const rules = c.rules.map((r, i) => {
    if (!chosen.has(i)) return r
    const n = f(r)
    if (n !== r) changed = true
    return n
  })
  return changed ? withCollection(policy, type, (col) => ({ ...col, rules })) : policy
}

/**
 * New GUIDs for the chosen rules: how a malformed Id ("1", "{...}") or an Id used twice is fixed.
 * Merge de-duplicates by Id, so a rule copied by hand into another policy may also want a new one.
 */
export function renewRuleIds(policy: Policy, type: CollectionType, indices: readonly number[]): Policy {
  const taken = allIds(policy)
  return mapRules(policy, type, indices, (r) => ({ ...r, id: freshId(taken) }))
}

/** Bulk change of Allow/Deny on a selection. */
export function setRulesAction(
  policy: Policy,
  type: CollectionType,
  indices: readonly number[],
  action: RuleAction,
): Policy {
  return mapRules(policy, type, indices, (r) =>
    r.action === action && !r.extra?.invalid?.Action
      ? r
      : { ...r, action, extra: withoutInvalid(r.extra, 'Action') },
  )
}

/** Bulk change of the user or group (a SID string) on a selection. */
export function setRulesUser(
  policy: Policy,
  type: CollectionType,
  indices: readonly number[],
  sid: string,
): Policy {
  return mapRules(policy, type, indices, (r) =>
    r.userOrGroupSid === sid && !r.extra?.invalid?.UserOrGroupSid
      ? r
      : { ...r, userOrGroupSid: sid, extra: withoutInvalid(r.extra, 'UserOrGroupSid') },
  )
}

// ---------------------------------------------------------------------------------------------
// Default rule names (reference/applocker-deep.md section 5.4: names Windows' wizard generates)
// ---------------------------------------------------------------------------------------------

/** The O= value of a signer subject ("CN=x, O=Microsoft Corporation, L=..." -> "Microsoft Corporation"). */
export function organisationOf(publisherName: string): string {
  const m = /(?:^|,)\s*O=("(?:[^"]|"")*"|[^,]*)/i.exec(publisherName)
  if (!m) return publisherName
  const v = m[1].trim()
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v
}

/** "8.0.1.0 exactly", "18.0.0.0 and above", "4.25.0.0 and below"; null for any version. */
function versionPhrase(low: string, high: string): string | null {
  if (low === '*' && high === '*') return null
  if (high === '*') return `${low} and above`
  if (low === '*') return `${high} and below`
  if (low === high) return `${low} exactly`
  // The wizard cannot make a bounded range; this wording is ours.
  return `${low} to ${high}`
}

function publisherRuleName(c: FilePublisherCondition, collection?: CollectionType): string {
  const publisher = collection === 'Appx' ? organisationOf(c.publisherName) : c.publisherName
  if (c.publisherName === '*') return collection === 'Appx' ? 'All signed packaged apps' : 'All signed files'
  const anyProduct = c.productName === '*'
  const anyBinary = c.binaryName === '*' || c.binaryName === '?'
  const version = c.versionRange ? versionPhrase(c.versionRange.low, c.versionRange.high) : null
  if (anyProduct && anyBinary && !version) return `Signed by ${publisher}`
  if (anyBinary && !version) return `${c.productName}, from ${publisher}`
  if (collection === 'Appx') return `${c.productName}, version ${version ?? '*'}, from ${publisher}`
  const head = version ? `${c.binaryName}, version ${version}` : c.binaryName
  return anyProduct ? `${head}, from ${publisher}` : `${head}, in ${c.productName}, from ${publisher}`
}

/**
 * A sensible default rule name, as the snap-in makes one (deep reference section 5.4): a path rule
 * is named by its path; a publisher rule "Signed by <publisher>", "<PRODUCT>, from <publisher>",
 * "<FILE>, in <PRODUCT>, from <publisher>" or "<FILE>, version <v> exactly|and above|and below, in
 * <PRODUCT>, from <publisher>" (packaged apps use the publisher's O= value); a hash rule by its file
 * name, several files comma-separated and cut after three with "...". Windows' names do not mention
 * the action, so `action` is accepted for callers' convenience and does not change the name.
 * Names for "any publisher" ("All signed files") and bounded version ranges are ours (inferred).
 */
export function defaultRuleName(
  condition: Condition,
  _action?: RuleAction,
  collection?: CollectionType,
): string {
  switch (condition.kind) {
    case 'path':
      return fitRuleName(condition.path)
    case 'publisher':
      return fitRuleName(publisherRuleName(condition, collection))
    case 'hash':
      return fitRuleName(hashRuleName(condition))
  }
}

/** Longest rule Name the schema allows (XSD: Name length 1..1024; reference/applocker-deep.md 1.1, 10.3). */
export const MAX_RULE_NAME_LENGTH = 1024
const CUT_MARK = '[...]'

/**
 * A rule name the schema accepts: at most 1,024 characters, a longer one cut to 1,024 ending in
 * "[...]" (as AaronLockerV2's RuleItem::ToXml cuts Name and Description), never in the middle of a
 * surrogate pair.
 */
export function fitRuleName(name: string): string {
  if (name.length <= MAX_RULE_NAME_LENGTH) return name
  let end = MAX_RULE_NAME_LENGTH - CUT_MARK.length
  const last = name.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return name.slice(0, end) + CUT_MARK
}

/**
 * A hash rule's name: the distinct names of the files hashed (an installer's two FileHash entries, the
 * flat hash and the SIP digest, name one file), comma-separated and cut after three with "..." as the
 * wizard names them (§5.4: "crashreporter.exe, dumpFFStore.exe, js.exe...").
 */
export function hashRuleName(condition: FileHashCondition): string {
  const seen = new Set<string>()
  const names: string[] = []
  for (const h of condition.hashes) {
    const name = h.sourceFileName || h.data
    const key = name.toUpperCase()
    if (seen.has(key)) continue
    seen.add(key)
    names.push(name)
  }
  if (names.length === 0) return 'File hash rule'
  return names.length > 3 ? `${names.slice(0, 3).join(', ')}...` : names.join(', ')
}


/** The rule of the condition's own kind with the given fields: the one place a Condition is paired with its RuleKind. */
export function ruleOfCondition(base: Omit<FilePathRule, 'kind' | 'condition'>, condition: Condition): Rule {
  switch (condition.kind) {
    case 'path':
      return { ...base, kind: 'path', condition }
    case 'publisher':
      return { ...base, kind: 'publisher', condition }
    case 'hash':
      return { ...base, kind: 'hash', condition }
  }
}
