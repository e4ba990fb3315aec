/**
 * The AppLocker policy model (APPLOCKER.md section 1, reference/applocker-deep.md section 1.1).
 *
 * Plain, serialisable data (no classes, no Maps) so it can be stored in the browser, sent to a
 * Worker and compared structurally. Values are kept as the strings the XML holds (a version
 * "01.2.0.0" or a length "00123" survives a round trip). Anything the model does not know is kept
 * in `extra` so it is never silently lost: unknown attributes, unknown child elements (verbatim
 * XML), and known attributes whose value is invalid (so an invalid file can be opened, fixed in
 * the app, and written back without losing what the user has not fixed yet).
 */

export const COLLECTION_TYPES = ['Exe', 'Msi', 'Script', 'Dll', 'Appx'] as const
export type CollectionType = (typeof COLLECTION_TYPES)[number]

export const ENFORCEMENT_MODES = ['NotConfigured', 'Enabled', 'AuditOnly'] as const
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number]

export const RULE_ACTIONS = ['Allow', 'Deny'] as const
export type RuleAction = (typeof RULE_ACTIONS)[number]

/** An XML element the model does not know, kept verbatim (serialised XML of the whole element). */
export interface UnknownElement {
  kind: 'unknown'
  /** The element's name, for messages and display. */
  name: string
  /** The element as XML text, written back unchanged. */
  xml: string
  /**
   * Where it stood: the number of child elements of its parent before it in the file. Written back
   * at that place (at the end of the parent when absent or past the last child).
   */
  at?: number
}

/**
 * An XML comment (`text` is what stands between "<!--" and "-->") or processing instruction
 * (`text` is what stands between "<?" and "?>", target first), kept so export loses nothing.
 */
export interface XmlNote {
  kind: 'comment' | 'pi'
  text: string
}

/** A note inside an element: `path` locates the element, `at` is the number of its child elements before the note. */
export interface PlacedNote extends XmlNote {
  /**
   * The element inside the note's owner (policy, collection, extensions or rule): '' is the owner
   * itself, '0/2' the third child element of its first child element (elements counted in file order).
   */
  path: string
  at: number
}

/**
 * Comments and processing instructions of an element that the writer puts back where they stood.
 * Notes directly above a rule (or collection) belong to it: they move and are deleted with it.
 */
export interface Notes {
  /** Directly above the element, after the previous element (for the policy: before the root element). */
  before?: XmlNote[]
  /** Policy only: after the root element. */
  after?: XmlNote[]
  /** Inside the element, at their place (not inside child rules or collections, which hold their own). */
  inside?: PlacedNote[]
}

/** What the model does not understand about one element, kept so it survives a round trip. */
export interface Extra {
  /** Attributes the model does not know, in document order. */
  attributes?: Record<string, string>
  /** Child elements the model does not know, verbatim. */
  children?: UnknownElement[]
  /**
   * Raw values of known attributes whose value is not valid (e.g. Action="Block",
   * EnforcementMode="Enforced", Type="Executable"). The writer writes them back as they were
   * until the user picks a valid value.
   */
  invalid?: Record<string, string>
  /** Known attributes that were absent in the file (written back absent). */
  absent?: string[]
}

export interface FilePathCondition {
  kind: 'path'
  path: string
  extra?: Extra
}

export interface BinaryVersionRange {
  /** Inclusive lower bound "a.b.c.d" or "*" (unbounded). */
  low: string
  /** Inclusive upper bound "a.b.c.d" or "*" (unbounded). */
  high: string
  extra?: Extra
}

export interface FilePublisherCondition {
  kind: 'publisher'
  /** Signer subject as O=..., L=..., S=..., C=... or "*". */
  publisherName: string
  /** Product name ("*" = any; may be ""). For Appx: the package name. */
  productName: string
  /** Original file name ("*" = any; may be ""). For Appx: the package resource name. */
  binaryName: string
  /** Absent only in a malformed file (flagged by validation). */
  versionRange?: BinaryVersionRange
  extra?: Extra
}

export interface FileHash {
  /** SHA256 (what Windows writes), SHA256Flat or SHA1. */
  type: string
  /** "0x" + hex digits. */
  data: string
  sourceFileName?: string
  sourceFileLength?: string
  extra?: Extra
}

export interface FileHashCondition {
  kind: 'hash'
  hashes: FileHash[]
  extra?: Extra
}

export type Condition = FilePathCondition | FilePublisherCondition | FileHashCondition
export type ConditionKind = Condition['kind']

/** An entry under <Exceptions>: a condition of any kind, or an element AppLocker does not know. */
export type ExceptionEntry = Condition | UnknownElement

interface RuleBase {
  id: string
  name: string
  description: string
  userOrGroupSid: string
  action: RuleAction
  /** Exceptions in document order; a hash rule has none (schema). */
  exceptions: ExceptionEntry[]
  /** Whether the file had an <Exceptions> element (kept so an empty one round-trips). */
  hasExceptionsElement?: boolean
  /** Extra for the rule element; `conditionsExtra`/`exceptionsExtra` for its wrappers. */
  extra?: Extra
  conditionsExtra?: Extra
  exceptionsExtra?: Extra
  /** Further conditions under <Conditions> beyond the first (invalid: a rule has exactly one). */
  extraConditions?: Condition[]
  /** Comments directly above the rule and inside it. */
  notes?: Notes
}

export interface FilePathRule extends RuleBase {
  kind: 'path'
  /** Absent only in a malformed file (flagged by validation). */
  condition?: FilePathCondition
}

export interface FilePublisherRule extends RuleBase {
  kind: 'publisher'
  condition?: FilePublisherCondition
}

export interface FileHashRule extends RuleBase {
  kind: 'hash'
  condition?: FileHashCondition
}

export type Rule = FilePathRule | FilePublisherRule | FileHashRule
export type RuleKind = Rule['kind']

/** Services/@EnforcementMode values (schema). */
export type ServicesEnforcement = 'NotConfigured' | 'Enabled' | 'ServicesOnly'
/** SystemApps/@Allow values (schema). */
export type SystemAppsAllow = 'Enabled' | 'NotEnabled'

/**
 * RuleCollectionExtensions (Exe and Dll, Windows 10+). When either extension is used, both
 * ThresholdExtensions and RedstoneExtensions must be present (rule-collection-extensions.md).
 */
export interface RuleCollectionExtensions {
  /** Whether <ThresholdExtensions> is present; `services` is its <Services> child. */
  threshold: boolean
  services?: { enforcementMode: string; extra?: Extra }
  thresholdExtra?: Extra
  /** Whether <RedstoneExtensions> is present; `systemApps` is its <SystemApps> child. */
  redstone: boolean
  systemApps?: { allow: string; extra?: Extra }
  redstoneExtra?: Extra
  extra?: Extra
  notes?: Notes
}

export interface RuleCollection {
  /** null when the file's Type is not one of the five (raw value in extra.invalid.Type). */
  type: CollectionType | null
  /** The enforcement mode; an invalid value is kept in extra.invalid.EnforcementMode. */
  enforcementMode: EnforcementMode
  rules: Rule[]
  extensions?: RuleCollectionExtensions
  extra?: Extra
  /** Comments directly above the collection and inside it (between and after its rules). */
  notes?: Notes
}

export interface Policy {
  /** AppLockerPolicy/@Version, "1" in practice. */
  version: string
  /** Collections in document order (at most one per type in a valid policy). */
  collections: RuleCollection[]
  /** Root-level elements the model does not know (PolicyExtensions, ...), verbatim. */
  extra?: Extra
  /** Comments and processing instructions before, inside and after the root element. */
  notes?: Notes
}

/** Display names as the snap-in shows them. */
export const COLLECTION_LABELS: Record<CollectionType, string> = {
  Exe: 'Executable Rules',
  Msi: 'Windows Installer Rules',
  Script: 'Script Rules',
  Dll: 'DLL Rules',
  Appx: 'Packaged app Rules',
}

export const ENFORCEMENT_LABELS: Record<EnforcementMode, string> = {
  NotConfigured: 'Not configured',
  Enabled: 'Enforce rules',
  AuditOnly: 'Audit only',
}

export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  path: 'Path',
  publisher: 'Publisher',
  hash: 'File hash',
}

/** Rule element names in XML. */
export const RULE_ELEMENT: Record<RuleKind, string> = {
  path: 'FilePathRule',
  publisher: 'FilePublisherRule',
  hash: 'FileHashRule',
}

/** Condition element names in XML. */
export const CONDITION_ELEMENT: Record<ConditionKind, string> = {
  path: 'FilePathCondition',
  publisher: 'FilePublisherCondition',
  hash: 'FileHashCondition',
}

/** The order in which Windows (Get-AppLockerPolicy / the snap-in) writes collections. */
export const WINDOWS_COLLECTION_ORDER: readonly CollectionType[] = ['Appx', 'Dll', 'Exe', 'Msi', 'Script']

export function emptyPolicy(): Policy {
  return { version: '1', collections: [] }
}

export function emptyCollection(type: CollectionType): RuleCollection {
  return { type, enforcementMode: 'NotConfigured', rules: [] }
}

export function isCollectionType(value: string): value is CollectionType {
  return (COLLECTION_TYPES as readonly string[]).includes(value)
}

export function isEnforcementMode(value: string): value is EnforcementMode {
  return (ENFORCEMENT_MODES as readonly string[]).includes(value)
}

export function isRuleAction(value: string): value is RuleAction {
  return (RULE_ACTIONS as readonly string[]).includes(value)
}

/** The collection of a type, if the policy has one. */
export function findCollection(policy: Policy, type: CollectionType): RuleCollection | undefined {
  return policy.collections.find((c) => c.type === type)
}

export function ruleCount(policy: Policy): number {
  let n = 0
  for (const c of policy.collections) n += c.rules.length
  return n
}

/** Exceptions that are AppLocker conditions (unknown elements left out). */
export function exceptionConditions(rule: Rule): Condition[] {
  return rule.exceptions.filter((e): e is Condition => e.kind !== 'unknown')
}

/** A new random rule Id (GUID, lower case, as the snap-in writes). */
export function newRuleId(): string {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const b = new Uint8Array(16)
  for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * The EnforcementMode the file holds when it is not one Windows accepts (e.g. "Enforced"), kept
 * so the UI shows what the file says, marked invalid, until someone chooses a mode.
 */
export function invalidEnforcementMode(c: RuleCollection): string | undefined {
  const raw = c.extra?.invalid?.EnforcementMode
  if (raw !== undefined) return raw
  return isEnforcementMode(c.enforcementMode) ? undefined : String(c.enforcementMode)
}
