/**
 * Model-level checks: what Windows (Set-AppLockerPolicy, the schema in reference/applocker-deep.md
 * section 1.1) would reject in a policy, plus warnings for things it keeps but that are odd.
 * Pure; never throws. Each diagnostic carries `ref` {collection, rule} so the UI can mark the rule;
 * the XML reader adds line/column using the `target` of validatePolicyTargets.
 */
import type { Diagnostic, Severity } from './diagnostics'
import {
  CONDITION_ELEMENT,
  RULE_ELEMENT,
  isCollectionType,
  isEnforcementMode,
  isRuleAction,
  type Condition,
  type Extra,
  type FileHash,
  type Policy,
  type Rule,
  type RuleCollection,
} from './policy'

/** Where in a rule/collection a problem sits (the reader maps this to an element position). */
export interface ValidationTarget {
  collection?: number
  rule?: number
  /** 'collection' (the RuleCollection element), 'rule', 'condition' (the rule's condition), 'exception' (index), 'extensions'. */
  part: 'policy' | 'collection' | 'rule' | 'condition' | 'exception' | 'extensions'
  index?: number
}

export interface TargetedDiagnostic {
  diagnostic: Diagnostic
  target: ValidationTarget
}

export const GUID_RE = /^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$/
export const SID_RE = /^S-1(?:-[0-9a-fA-F]+)+$/
export const VERSION_RE = /^\d{1,5}\.\d{1,5}\.\d{1,5}\.\d{1,5}$/
/** AppLockerPolicy/@Version is an xs:decimal (AppLocker.xsd PolicyVersionType): sign, digits, optional fraction. */
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/**
 * Elements the schema defines that the model does not edit; they are kept verbatim in `extra.children`
 * and are not "unknown" (AppLocker.xsd: PolicyExtensions after the RuleCollections; OriginDataRevocation
 * in RedstoneExtensions after SystemApps).
 */
export const SCHEMA_KEPT_ELEMENTS: Readonly<Record<string, 'policy' | 'redstone'>> = {
  PolicyExtensions: 'policy',
  OriginDataRevocation: 'redstone',
}

/** True for a namespace declaration (xmlns, xmlns:p): not an attribute in the schema's sense. */
export function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:')
}

/** The message for a default namespace on an AppLocker element (the schema has no targetNamespace). */
export function namespaceMessage(owner: string, uri: string): string {
  return `${owner} declares the XML namespace "${uri}". AppLocker's schema has no namespace (Windows writes a bare <AppLockerPolicy Version="1">), so Windows does not recognise elements in a namespace; remove xmlns="${uri}".`
}
const HASH_LENGTH: Record<string, number> = { SHA256: 64, SHA256Flat: 64, SHA1: 40 }
const HASH64_RE = /^0x[0-9A-Fa-f]{64}$/
const HASH40_RE = /^0x[0-9A-Fa-f]{40}$/
const HASH_ANY_RE = /^0x[0-9A-Fa-f]{40,64}$/

/** True when `v` is "*" or four dot-separated parts of 1-5 digits. */
export function isValidVersion(v: string): boolean {
  return v === '*' || VERSION_RE.test(v)
}

/** Numeric, part by part ("10.0.2" < "10.0.10"); missing parts are 0. `*` is not comparable here. -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0)
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length, 4); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** Schema pattern of UserOrGroupSid (SidType): `S-1(-[0-9a-fA-F]+)+`, at least 7 characters. */
export function isValidSid(sid: string): boolean {
  return sid.length >= 7 && SID_RE.test(sid)
}

/** `0x` + 64 hex digits (SHA256, SHA256Flat) or 40 (SHA1), as the schema's FileHash/@Data. */
export function isValidHashData(type: string, data: string): boolean {
  return (type.toUpperCase() === 'SHA1' ? HASH40_RE : HASH64_RE).test(data)
}

function describeRule(c: RuleCollection, rule: Rule): string {
  const name = rule.name ? `"${rule.name}"` : rule.id ? `with Id ${rule.id}` : '(unnamed)'
  return `${RULE_ELEMENT[rule.kind]} ${name}${c.type ? ` in the ${c.type} collection` : ''}`
}

function collectionLabel(c: RuleCollection): string {
  return c.type ?? (c.extra?.invalid?.Type !== undefined ? `"${c.extra.invalid.Type}"` : '(no Type)')
}

/** All problems, each with where it is. */
export function validatePolicyTargets(policy: Policy): TargetedDiagnostic[] {
  const out: TargetedDiagnostic[] = []
  const push = (severity: Severity, code: string, message: string, target: ValidationTarget) => {
    const diagnostic: Diagnostic = { severity, code, message }
    if (target.collection !== undefined) diagnostic.ref = target.rule !== undefined ? { collection: target.collection, rule: target.rule } : { collection: target.collection }
    out.push({ diagnostic, target })
  }

  const extraChecks = (extra: Extra | undefined, owner: string, target: ValidationTarget, keptHere?: 'policy' | 'redstone') => {
    if (!extra) return
    for (const child of extra.children ?? []) {
      if (keptHere && SCHEMA_KEPT_ELEMENTS[child.name] === keptHere) {
        push('info', 'schema-element-kept', `<${child.name}> inside ${owner} is part of the AppLocker schema but not editable here; it is kept exactly as it is.`, target)
      } else push('warning', 'unknown-element', `<${child.name}> inside ${owner} is not an AppLocker element; it is kept as is but Windows may reject or ignore it.`, target)
    }
    pushAttributeChecks(extra, owner, target, push)
    for (const name of extra.absent ?? []) {
      push('error', 'missing-attribute', `${owner} has no ${name} attribute, which Windows requires.`, target)
    }
  }

  if (!policy.extra?.absent?.includes('Version') && !DECIMAL_RE.test(policy.version.trim())) {
    push('error', 'invalid-version', `AppLockerPolicy Version "${policy.version}" is not a number (Windows writes Version="1").`, { part: 'policy' })
  }
  extraChecks(policy.extra, 'AppLockerPolicy', { part: 'policy' }, 'policy')

  const seenTypes = new Map<string, number>()
  const seenIds = new Map<string, { c: number; r: number }>()

  policy.collections.forEach((c, ci) => {
    const ct: ValidationTarget = { collection: ci, part: 'collection' }
    const label = collectionLabel(c)
    const invalidType = c.extra?.invalid?.Type
    if (c.type === null) {
      if (invalidType === 'ManagedInstaller') {
        push('warning', 'managed-installer-collection', 'The ManagedInstaller collection is used only by App Control managed-installer tagging; AppLocker does not evaluate it. It is kept as is.', ct)
      } else if (invalidType !== undefined) {
        const hint = /^exe/i.test(invalidType) ? ' (did you mean "Exe"?)' : /^(script|msi|dll|appx)/i.test(invalidType) ? ` (did you mean "${invalidType.slice(0, 1).toUpperCase()}${invalidType.slice(1).toLowerCase()}"?)` : ''
        push('error', 'unknown-collection-type', `RuleCollection Type "${invalidType}" is not one of Exe, Msi, Script, Dll, Appx${hint}.`, ct)
      }
    } else if (!isCollectionType(c.type)) {
      push('error', 'unknown-collection-type', `RuleCollection Type "${String(c.type)}" is not one of Exe, Msi, Script, Dll, Appx.`, ct)
    }
    const typeKey = c.type ?? invalidType
    if (typeKey !== undefined) {
      const first = seenTypes.get(typeKey)
      if (first !== undefined) push('error', 'duplicate-collection', `There is more than one ${typeKey} collection (Windows allows one of each type).`, ct)
      else seenTypes.set(typeKey, ci)
    }
    const invalidMode = c.extra?.invalid?.EnforcementMode
    if (invalidMode !== undefined) {
      push('error', 'invalid-enforcement-mode', `EnforcementMode "${invalidMode}" of the ${label} collection is not one of NotConfigured, Enabled (Enforce rules), AuditOnly.`, ct)
    } else if (!isEnforcementMode(c.enforcementMode)) {
      push('error', 'invalid-enforcement-mode', `EnforcementMode "${String(c.enforcementMode)}" of the ${label} collection is not one of NotConfigured, Enabled, AuditOnly.`, ct)
    }
    // An absent EnforcementMode is allowed by the schema (optional attribute): do not flag it.
    const cExtra = c.extra?.absent?.includes('EnforcementMode') ? { ...c.extra, absent: c.extra.absent.filter((a) => a !== 'EnforcementMode') } : c.extra
    extraChecks(cExtra, `the ${label} RuleCollection`, ct)

    c.rules.forEach((rule, ri) => {
      const rt: ValidationTarget = { collection: ci, rule: ri, part: 'rule' }
      const what = describeRule(c, rule)
      extraChecks(rule.extra, what, rt)
      if (!rule.extra?.absent?.includes('Id')) {
        if (!GUID_RE.test(rule.id)) {
          push('error', 'invalid-rule-id', `${what} has Id "${rule.id}", which is not a GUID (like 921cc481-6e17-4653-8f75-050b80acca20).`, rt)
        }
        const key = rule.id.toLowerCase()
        const first = seenIds.get(key)
        if (first) {
          const other = policy.collections[first.c]
          push('error', 'duplicate-rule-id', `${what} has the same Id ${rule.id} as ${describeRule(other, other.rules[first.r])}; rule Ids must be unique in the whole policy.`, rt)
        } else seenIds.set(key, { c: ci, r: ri })
      }
      if (!rule.extra?.absent?.includes('Name')) {
        if (rule.name.length === 0) push('error', 'empty-rule-name', `${what} has an empty Name.`, rt)
        else if (rule.name.length > 1024) push('error', 'rule-name-too-long', `${what} has a Name longer than 1024 characters.`, rt)
      }
      if (rule.description.length > 1024) push('error', 'description-too-long', `${what} has a Description longer than 1024 characters.`, rt)
      // SidType: pattern S-1(-[0-9a-fA-F]+)+ and minLength 7 (AppLocker.xsd), so "S-1-5" is refused.
      if (!rule.extra?.absent?.includes('UserOrGroupSid') && !isValidSid(rule.userOrGroupSid)) {
        const looksLikeName = /[A-Za-z\s\\]/.test(rule.userOrGroupSid.replace(/^S-1/, ''))
        push(
          'error',
          'invalid-sid',
          `${what} has UserOrGroupSid "${rule.userOrGroupSid}", which is not a SID (S-1-...)${SID_RE.test(rule.userOrGroupSid) ? ': the schema requires at least 7 characters (like S-1-1-0)' : ''}${looksLikeName ? '; it looks like a user or group name: use the SID of that account (e.g. S-1-5-32-545 for BUILTIN\\Users)' : ''}.`,
          rt,
        )
      }
      const invalidAction = rule.extra?.invalid?.Action
      if (invalidAction !== undefined) push('error', 'invalid-action', `${what} has Action "${invalidAction}"; it must be Allow or Deny.`, rt)
      else if (!rule.extra?.absent?.includes('Action') && !isRuleAction(rule.action)) push('error', 'invalid-action', `${what} has Action "${String(rule.action)}"; it must be Allow or Deny.`, rt)

      // The condition.
      const cond = rule.condition as Condition | undefined
      const condTarget: ValidationTarget = { collection: ci, rule: ri, part: 'condition' }
      const others = rule.extraConditions ?? []
      if (!cond) {
        const wrong = others.find((o) => o.kind !== rule.kind)
        if (wrong) {
          push('error', 'wrong-condition-kind', `${what} has a ${CONDITION_ELEMENT[wrong.kind]} but a ${RULE_ELEMENT[rule.kind]} needs a ${CONDITION_ELEMENT[rule.kind]}.`, rt)
        } else push('error', 'missing-condition', `${what} has no ${CONDITION_ELEMENT[rule.kind]} under Conditions.`, rt)
      } else {
        if (cond.kind !== rule.kind) {
          push('error', 'wrong-condition-kind', `${what} has a ${CONDITION_ELEMENT[cond.kind]} but a ${RULE_ELEMENT[rule.kind]} needs a ${CONDITION_ELEMENT[rule.kind]}.`, condTarget)
        }
        checkCondition(cond, `the condition of ${what}`, condTarget, push)
        if (others.length > 0 && others.every((o) => o.kind === rule.kind)) {
          push('error', 'several-conditions', `${what} has ${others.length + 1} conditions; a rule has exactly one (add the others as separate rules).`, rt)
        } else if (others.length > 0) {
          push('error', 'wrong-condition-kind', `${what} has other conditions beside its ${CONDITION_ELEMENT[rule.kind]}; a rule has exactly one condition, of its own kind.`, rt)
        }
      }
      extraChecks(rule.conditionsExtra, `the Conditions of ${what}`, rt)
      extraChecks(rule.exceptionsExtra, `the Exceptions of ${what}`, rt)

      if (rule.kind === 'hash' && (rule.exceptions.length > 0 || rule.hasExceptionsElement)) {
        push('error', 'hash-rule-exceptions', `${what} has Exceptions; file hash rules cannot have exceptions.`, rt)
      }
      rule.exceptions.forEach((e, ei) => {
        const et: ValidationTarget = { collection: ci, rule: ri, part: 'exception', index: ei }
        if (e.kind === 'unknown') {
          push('warning', 'unknown-element', `<${e.name}> in the Exceptions of ${what} is not an AppLocker condition (a template placeholder?); it is kept as is, but Windows will reject the policy until it is replaced.`, et)
        } else checkCondition(e, `exception ${ei + 1} of ${what}`, et, push)
      })
      if (c.type === 'Appx' && rule.kind !== 'publisher') {
        push('warning', 'appx-non-publisher', `${what}: packaged app rules can only use publisher conditions (Windows does not support unsigned packaged apps).`, rt)
      }
    })

    const ext = c.extensions
    if (ext) {
      const et: ValidationTarget = { collection: ci, part: 'extensions' }
      if (c.type !== 'Exe' && c.type !== 'Dll') {
        push('warning', 'extensions-wrong-collection', `RuleCollectionExtensions in the ${label} collection have no effect: they exist only for the Exe and Dll collections.`, et)
      }
      if (!ext.threshold && !ext.redstone) {
        push(
          'error',
          'extensions-incomplete',
          `RuleCollectionExtensions of the ${label} collection is empty; the schema requires ThresholdExtensions and RedstoneExtensions inside it (remove the element or add both).`,
          et,
        )
      } else if (ext.threshold !== ext.redstone) {
        push(
          'error',
          'extensions-incomplete',
          `RuleCollectionExtensions of the ${label} collection has ${ext.threshold ? 'ThresholdExtensions without RedstoneExtensions' : 'RedstoneExtensions without ThresholdExtensions'}; both must be present or the policy causes unexpected behaviour.`,
          et,
        )
      }
      if (ext.services && !ext.services.extra?.absent?.includes('EnforcementMode') && !['NotConfigured', 'Enabled', 'ServicesOnly'].includes(ext.services.enforcementMode)) {
        push('error', 'invalid-services-mode', `Services EnforcementMode "${ext.services.enforcementMode}" (${label} collection) is not one of NotConfigured, Enabled, ServicesOnly.`, et)
      }
      if (ext.systemApps && !ext.systemApps.extra?.absent?.includes('Allow') && !['Enabled', 'NotEnabled'].includes(ext.systemApps.allow)) {
        push('error', 'invalid-system-apps', `SystemApps Allow "${ext.systemApps.allow}" (${label} collection) is not Enabled or NotEnabled.`, et)
      }
      extraChecks(ext.extra, `RuleCollectionExtensions (${label})`, et)
      extraChecks(ext.thresholdExtra, `ThresholdExtensions (${label})`, et)
      extraChecks(ext.redstoneExtra, `RedstoneExtensions (${label})`, et, 'redstone')
      extraChecks(ext.services?.extra, `Services (${label})`, et)
      extraChecks(ext.systemApps?.extra, `SystemApps (${label})`, et)
    }
  })
  return out
}

type Push = (severity: Severity, code: string, message: string, target: ValidationTarget) => void

/**
 * Unknown attributes: a warning each. Namespace declarations are not schema attributes: a prefixed
 * one (xmlns:p) is harmless and kept silently; a default namespace (xmlns="uri") puts the element
 * in a namespace the schema does not have, so Windows does not recognise it (error).
 */
function pushAttributeChecks(extra: Extra | undefined, owner: string, target: ValidationTarget, push: Push) {
  const attributes = extra?.attributes
  if (!attributes) return
  for (const name of Object.keys(attributes)) {
    if (name === 'xmlns') {
      if (attributes[name] !== '') push('error', 'xml-namespace', namespaceMessage(owner, attributes[name]), target)
    } else if (!isNamespaceDeclaration(name)) {
      push('warning', 'unknown-attribute', `Attribute ${name} on ${owner} is not an AppLocker attribute; it is kept as is.`, target)
    }
  }
}

/** FileHash/@Type values of the schema, spelled exactly (SHA256, SHA256Flat, SHA1). */
export function isKnownHashType(type: string): boolean {
  return Object.hasOwn(HASH_LENGTH, type)
}

function checkHash(h: FileHash, owner: string, target: ValidationTarget, push: Push) {
  const absent = h.extra?.absent ?? []
  const len = isKnownHashType(h.type) ? HASH_LENGTH[h.type] : undefined
  if (len === undefined && !absent.includes('Type')) {
    push('error', 'invalid-hash-type', `${owner} has a FileHash of Type "${h.type}"; it must be SHA256 (what Windows writes), SHA256Flat or SHA1.`, target)
  }
  const re = len === 40 ? HASH40_RE : len === 64 ? HASH64_RE : HASH_ANY_RE
  if (!absent.includes('Data') && !re.test(h.data)) {
    push('error', 'invalid-hash-data', `${owner} has FileHash Data "${h.data.length > 80 ? h.data.slice(0, 77) + '...' : h.data}"; it must be 0x followed by ${len ?? 64} hexadecimal digits.`, target)
  }
  if (h.sourceFileLength !== undefined && !/^[+-]?\d+$/.test(h.sourceFileLength)) {
    push('error', 'invalid-source-file-length', `${owner} has SourceFileLength "${h.sourceFileLength}", which is not a whole number.`, target)
  }
}

function checkCondition(cond: Condition, owner: string, target: ValidationTarget, push: Push) {
  const extraOwner = `${CONDITION_ELEMENT[cond.kind]} (${owner})`
  const absent = cond.extra?.absent ?? []
  for (const name of absent) push('error', 'missing-attribute', `${extraOwner} has no ${name} attribute, which Windows requires.`, target)
  for (const child of cond.extra?.children ?? []) push('warning', 'unknown-element', `<${child.name}> inside ${extraOwner} is not an AppLocker element; it is kept as is.`, target)
  pushAttributeChecks(cond.extra, extraOwner, target, push)

  switch (cond.kind) {
    case 'path':
      if (cond.path.length === 0 && !absent.includes('Path')) push('error', 'empty-path', `${owner} has an empty Path.`, target)
      else if (cond.path.length > 32767) push('error', 'path-too-long', `${owner} has a Path longer than 32767 characters.`, target)
      break
    case 'publisher': {
      if (cond.publisherName.length === 0 && !absent.includes('PublisherName')) push('error', 'empty-publisher', `${owner} has an empty PublisherName (use * for any publisher).`, target)
      const vr = cond.versionRange
      if (!vr) {
        push('error', 'missing-version-range', `${owner} has no BinaryVersionRange (use LowSection="*" HighSection="*" for any version).`, target)
      } else {
        const vAbsent = vr.extra?.absent ?? []
        for (const name of vAbsent) push('error', 'missing-attribute', `BinaryVersionRange (${owner}) has no ${name} attribute, which Windows requires.`, target)
        for (const child of vr.extra?.children ?? []) push('warning', 'unknown-element', `<${child.name}> inside BinaryVersionRange (${owner}) is not an AppLocker element; it is kept as is.`, target)
        pushAttributeChecks(vr.extra, `BinaryVersionRange (${owner})`, target, push)
        const lowOk = vAbsent.includes('LowSection') || isValidVersion(vr.low)
        const highOk = vAbsent.includes('HighSection') || isValidVersion(vr.high)
        if (!lowOk) push('error', 'invalid-version-range', `${owner} has LowSection "${vr.low}"; a version is * or four numbers of 1 to 5 digits separated by dots (like 10.0.0.0).`, target)
        if (!highOk) push('error', 'invalid-version-range', `${owner} has HighSection "${vr.high}"; a version is * or four numbers of 1 to 5 digits separated by dots (like 10.0.0.0).`, target)
        if (lowOk && highOk && vr.low !== '*' && vr.high !== '*' && VERSION_RE.test(vr.low) && VERSION_RE.test(vr.high) && compareVersions(vr.low, vr.high) > 0) {
          push('error', 'invalid-version-range', `${owner} has LowSection ${vr.low} above HighSection ${vr.high}, so no version can match.`, target)
        }
      }
      break
    }
    case 'hash':
      if (cond.hashes.length === 0) push('error', 'empty-hash-condition', `${owner} has no FileHash.`, target)
      cond.hashes.forEach((h, i) => {
        const hOwner = cond.hashes.length > 1 ? `hash ${i + 1} of ${owner}` : owner
        for (const name of h.extra?.absent ?? []) push('error', 'missing-attribute', `FileHash (${hOwner}) has no ${name} attribute, which Windows requires.`, target)
        for (const child of h.extra?.children ?? []) push('warning', 'unknown-element', `<${child.name}> inside FileHash (${hOwner}) is not an AppLocker element; it is kept as is.`, target)
        pushAttributeChecks(h.extra, `FileHash (${hOwner})`, target, push)
        checkHash(h, hOwner, target, push)
      })
      break
  }
}

/** Model-level problems Windows would reject (errors) or that are odd (warnings), each with `ref`. */
export function validatePolicy(policy: Policy): Diagnostic[] {
  return validatePolicyTargets(policy).map((t) => t.diagnostic)
}
