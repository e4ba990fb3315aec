/**
 * The one answer to "will Windows accept this?" (Set-AppLockerPolicy, the schema in
 * reference/applocker-deep.md section 1.1), plus warnings for things it keeps but that are odd.
 * Field by field (sidProblem, pathPatternProblems, versionRangeProblems, textProblems...), rule by
 * rule (ruleProblems: what the rule form shows at its fields) and for a whole policy
 * (validatePolicy: what the import lists, the export guard warns about, Review policy counts as
 * errors and `cli lint` exits 1 on). Pure; never throws. Each diagnostic carries `ref`
 * {collection, rule} so the UI can mark the rule; the XML reader adds line/column using the
 * `target` of validatePolicyTargets.
 */
import { quoteValue, type Diagnostic, type Severity } from './diagnostics'
import { PATH_VARIABLES } from './evaluate/paths'
import { compareVersions as compareParsedVersions, parseVersion } from './evaluate/version'
import { checkXml } from './xml/wellformed'
import {
  CONDITION_ELEMENT,
  RULE_ELEMENT,
  isCollectionType,
  invalidEnforcementMode,
  isEnforcementMode,
  isRuleAction,
  type CollectionType,
  type Condition,
  type Extra,
  type Policy,
  type Rule,
  type RuleCollection,
  type UnknownElement,
} from './policy'

/** Where in a rule/collection a problem sits (the reader maps this to an element position). */
export interface ValidationTarget {
  collection?: number
  rule?: number
  /** 'collection' (the RuleCollection element), 'rule', 'condition' (the rule's condition), 'exception' (index), 'extensions'. */
  part: 'policy' | 'collection' | 'rule' | 'condition' | 'exception' | 'extensions'
  index?: number
  /**
   * A problem inside an element kept verbatim (SCHEMA_KEPT_ELEMENTS): its index in the owner's
   * `extra.children` (the policy's for 'policy', the RedstoneExtensions' for 'extensions').
   */
  child?: number
}

export interface TargetedDiagnostic {
  diagnostic: Diagnostic
  target: ValidationTarget
}

export const GUID_RE = /^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$/
/** The schema's SidType pattern (AppLocker.xsd): hex digits allowed, upper-case S. */
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

// ---------------------------------------------------------------------------------------------
// One value at a time: what Windows accepts in each field. The rule form, the import, the export
// guard, Review policy and the CLI all ask these functions (through ruleProblems/validatePolicy).
// ---------------------------------------------------------------------------------------------

/** A problem with one value: an error makes Windows refuse the policy (or the rule never work). */
export interface FieldProblem {
  severity: 'error' | 'warning'
  code: string
  message: string
}

/** True when `v` is "*" or four dot-separated parts of 1-5 digits. */
export function isValidVersion(v: string): boolean {
  return v === '*' || VERSION_RE.test(v)
}

/**
 * Numeric, part by part ("10.0.2" < "10.0.10"); missing parts are 0. -1, 0 or 1. The engine's
 * comparison (evaluate/version.ts); text that is not a version counts as 0.0.0.0 here.
 */
export function compareVersions(a: string, b: string): number {
  const d = compareParsedVersions(parseVersion(a) ?? [0], parseVersion(b) ?? [0])
  return d < 0 ? -1 : d > 0 ? 1 : 0
}

/** Largest sub-authority and identifier authority a SID can hold (32 and 48 bits). */
const MAX_SUB_AUTHORITY = 4294967295
const MAX_SUB_AUTHORITIES = 15

/**
 * Why a UserOrGroupSid is not one Windows accepts, or null. The schema's SidType
 * (`S-1(-[0-9a-fA-F]+)+`, at least 7 characters, upper-case S) and what Windows then converts
 * to a SID: decimal parts, at most 15 sub-authorities of 32 bits (so `S-1-5-21-abc`, which the
 * schema's pattern lets through, is refused too).
 */
export function sidProblem(sid: string): string | null {
  // A policy names few distinct SIDs, thousands of times: remember the verdicts.
  const known = sidVerdicts.get(sid)
  if (known !== undefined) return known
  const verdict = sidProblemUncached(sid)
  if (sidVerdicts.size > 10_000) sidVerdicts.clear()
  if (sid.length <= 200) sidVerdicts.set(sid, verdict)
  return verdict
}

const sidVerdicts = new Map<string, string | null>()

function sidProblemUncached(sid: string): string | null {
  const shown = quoteValue(sid)
  const looksLikeName = /[A-Za-z\s\\]/.test(sid.replace(/^S-1/, '')) && !/^S-1(?:-[0-9a-fA-F]+)+$/.test(sid)
  const base = `${shown} is not a SID: a SID looks like S-1-5-32-544 (S-1 followed by dash-separated numbers)`
  if (!SID_RE.test(sid)) {
    return `${base}${looksLikeName ? '; it looks like a user or group name: pick it from the list or use the SID of that account (e.g. S-1-5-32-545 for BUILTIN\\Users)' : ''}.`
  }
  if (sid.length < 7) return `${base}: the schema requires at least 7 characters (like S-1-1-0).`
  const parts = sid.split('-').slice(2)
  const hex = parts.find((x) => !/^\d+$/.test(x))
  if (hex !== undefined) return `${base}; "${hex.length > 40 ? hex.slice(0, 40) + '...' : hex}" is not a decimal number, so Windows cannot convert it to a SID.`
  if (parts.length - 1 > MAX_SUB_AUTHORITIES) return `${base}; it has ${parts.length - 1} sub-authorities and a SID holds at most ${MAX_SUB_AUTHORITIES}.`
  if (Number(parts[0]) > 2 ** 48 - 1 || parts.slice(1).some((x) => Number(x) > MAX_SUB_AUTHORITY))
    return `${base}; a part is larger than Windows allows (${MAX_SUB_AUTHORITY.toLocaleString('en-US')} for a sub-authority).`
  return null
}

/** A SID Windows accepts in UserOrGroupSid (see sidProblem). For a principal someone types, normalise first (sids.ts normalizeSid). */
export function isValidSid(sid: string): boolean {
  return sidProblem(sid) === null
}

/** FileHash/@Type values of the schema, spelled exactly (SHA256, SHA256Flat, SHA1). */
export function isKnownHashType(type: string): boolean {
  return Object.hasOwn(HASH_LENGTH, type)
}

/** `0x` + 64 hex digits (SHA256, SHA256Flat) or 40 (SHA1), as the schema's FileHash/@Data. */
export function isValidHashData(type: string, data: string): boolean {
  return (type.toUpperCase() === 'SHA1' ? HASH40_RE : HASH64_RE).test(data)
}

/**
 * Characters XML 1.0 cannot hold (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; lone
 * surrogates): a policy holding one is not well-formed, so Windows refuses it.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** Bidirectional overrides and isolates, and zero-width characters: the text is not what it looks like. */
const INVISIBLE_CHAR_RE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]/
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_SPECIAL_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]/

const CHAR_NAMES: Record<number, string> = {
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x061c: 'ARABIC LETTER MARK',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
}

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * Characters a value must not (error) or should not (warning) hold: control characters XML cannot
 * carry, and invisible or direction-changing characters that make a name or path read differently
 * from what Windows compares. `label` names the value ("The name", "The path").
 */
export function textProblems(value: string, label: string): FieldProblem[] {
  // Most values hold none of these characters: one scan, then the details only when needed.
  if (!ANY_SPECIAL_CHAR_RE.test(value)) return []
  const out: FieldProblem[] = []
  const bad = FORBIDDEN_CHAR_RE.exec(value)
  if (bad) {
    out.push({
      severity: 'error',
      code: 'control-character',
      message: `${label} contains the character ${codePoint(bad[0])} at position ${bad.index + 1}, which an XML file cannot hold: Windows refuses the policy. Remove it.`,
    })
  }
  const hidden = INVISIBLE_CHAR_RE.exec(value)
  if (hidden) {
    const cp = hidden[0].charCodeAt(0)
    out.push({
      severity: 'warning',
      code: 'invisible-character',
      message: `${label} contains ${codePoint(hidden[0])} ${CHAR_NAMES[cp] ?? ''} at position ${hidden.index + 1}, an invisible character: what you see is not what Windows compares. Retype it without that character.`,
    })
  }
  return out
}

/** AppLocker's own path variables without the % signs (the engine's PATH_VARIABLES, APPLOCKER.md section 4). */
export const APPLOCKER_PATH_VARIABLES: readonly string[] = PATH_VARIABLES.map((v) => v.slice(1, -1))

const KNOWN_PATH_VARIABLES: ReadonlySet<string> = new Set(APPLOCKER_PATH_VARIABLES)
const PATH_VARIABLE_RE = /%([^%\\]+)%/g

/** The %NAME% tokens of a path that are not AppLocker path variables (e.g. %USERPROFILE%). */
export function unknownPathVariables(path: string): string[] {
  const out: string[] = []
  if (path.indexOf('%') === -1) return out
  PATH_VARIABLE_RE.lastIndex = 0
  for (let m = PATH_VARIABLE_RE.exec(path); m !== null; m = PATH_VARIABLE_RE.exec(path)) {
    const name = m[1]
    // Most paths spell the variables in capitals already: no upper-casing then.
    if (!KNOWN_PATH_VARIABLES.has(name) && !KNOWN_PATH_VARIABLES.has(name.toUpperCase()) && !out.includes(m[0])) out.push(m[0])
  }
  return out
}

/**
 * Problems of a path condition pattern. Errors: empty, too long, a character XML cannot hold,
 * variables AppLocker does not expand (the text is compared literally: the rule never matches).
 * Warnings: `?` (a literal character, not a wildcard, in AppLocker paths), invisible characters.
 */
/**
 * Error codes of rules Windows accepts but that never match as written (a variable AppLocker does
 * not expand): errors to the editor and Review policy, but not a reason Windows refuses the policy,
 * so Export and the command line name them apart from the refusals.
 */
const NEVER_MATCHES: ReadonlySet<string> = new Set(['unknown-path-variable'])

/** Whether an error is a refusal by Windows (true) or a rule that only never matches (false). */
export const refusedByWindows = (d: { severity: string; code: string }): boolean => d.severity === 'error' && !NEVER_MATCHES.has(d.code)

export function pathPatternProblems(path: string): FieldProblem[] {
  if (path.trim() === '') return [{ severity: 'error', code: 'empty-path', message: 'Enter a path, e.g. %PROGRAMFILES%\\Contoso\\*.' }]
  const out: FieldProblem[] = []
  if (path.length > 32767) out.push({ severity: 'error', code: 'path-too-long', message: 'The path is longer than 32,767 characters.' })
  const unknown = unknownPathVariables(path)
  if (unknown.length) {
    const shown = unknown.length > 5 ? [...unknown.slice(0, 5).map((u) => quoteValue(u, 60).slice(1, -1)), `and ${unknown.length - 5} more`] : unknown.map((u) => quoteValue(u, 60).slice(1, -1))
    out.push({
      severity: 'error',
      code: 'unknown-path-variable',
      message: `${shown.join(', ')} ${unknown.length === 1 ? 'is not an AppLocker path variable' : 'are not AppLocker path variables'}: AppLocker only knows %WINDIR%, %SYSTEM32%, %OSDRIVE%, %PROGRAMFILES%, %REMOVABLE% and %HOT%, and compares anything else as literal text, so it would never match.`,
    })
  }
  out.push(...textProblems(path, 'The path'))
  if (path.includes('?'))
    out.push({ severity: 'warning', code: 'question-mark-path', message: '"?" is not a wildcard in AppLocker paths: it only matches a literal "?". Use * instead.' })
  return out
}

export function isValidPathPattern(path: string): boolean {
  return !pathPatternProblems(path).some((p) => p.severity === 'error')
}

/** Why a version bound is not one Windows accepts ("*" or a.b.c.d with 1-5 digits each), or null. */
export function versionProblem(v: string): string | null {
  return isValidVersion(v) ? null : `${quoteValue(v, 60)} is not a version: use * or four numbers of 1 to 5 digits separated by dots, e.g. 10.0.0.0.`
}

/** Problems of a version range: invalid bounds and Low above High (matches no file). */
export function versionRangeProblems(low: string, high: string): FieldProblem[] {
  const out: FieldProblem[] = []
  const lp = versionProblem(low)
  const hp = versionProblem(high)
  if (lp) out.push({ severity: 'error', code: 'invalid-version-range', message: lp })
  if (hp) out.push({ severity: 'error', code: 'invalid-version-range', message: hp })
  if (!lp && !hp && low !== '*' && high !== '*' && compareVersions(low, high) > 0)
    out.push({ severity: 'error', code: 'invalid-version-range', message: `The lowest version ${low} is above the highest version ${high}: the rule would match no file.` })
  return out
}

/** A problem of one value of a rule, with the field it is in ("userOrGroupSid", "condition.path", "exceptions.2.hashes.0.data"...). */
export interface RuleProblem extends FieldProblem {
  field: string
}

const NONE: readonly string[] = []
const NO_PROBLEMS: readonly RuleProblem[] = []

/** Each problem of `problems` at `field` (no closure per call: this runs for every value of every rule). */
function addAt(out: RuleProblem[], problems: readonly FieldProblem[], field: string) {
  for (const p of problems) out.push({ ...p, field })
}

/** textProblems of a value at `field`; most values hold no special character (one regular-expression test). */
function addTextProblems(out: RuleProblem[], value: string, label: string, field: string) {
  if (ANY_SPECIAL_CHAR_RE.test(value)) addAt(out, textProblems(value, label), field)
}

function conditionProblems(cond: Condition, prefix: string, out: RuleProblem[] = []): RuleProblem[] {
  const absent = cond.extra?.absent ?? NONE
  switch (cond.kind) {
    case 'path':
      if (!(absent.includes('Path') && cond.path === '')) addAt(out, pathPatternProblems(cond.path), `${prefix}path`)
      break
    case 'publisher': {
      if (cond.publisherName.length === 0 && !absent.includes('PublisherName'))
        out.push({ field: `${prefix}publisherName`, severity: 'error', code: 'empty-publisher', message: 'The publisher is empty: enter the signer (O=..., L=..., S=..., C=...) or * for any publisher.' })
      addTextProblems(out, cond.publisherName, 'The publisher', `${prefix}publisherName`)
      addTextProblems(out, cond.productName, 'The product name', `${prefix}productName`)
      addTextProblems(out, cond.binaryName, 'The file name', `${prefix}binaryName`)
      const vr = cond.versionRange
      if (!vr) {
        out.push({ field: `${prefix}versionRange`, severity: 'error', code: 'missing-version-range', message: 'There is no version range (BinaryVersionRange): use * to * for any version.' })
      } else {
        const vAbsent = vr.extra?.absent ?? NONE
        const lp = vAbsent.includes('LowSection') ? null : versionProblem(vr.low)
        const hp = vAbsent.includes('HighSection') ? null : versionProblem(vr.high)
        if (lp) out.push({ field: `${prefix}versionRange.low`, severity: 'error', code: 'invalid-version-range', message: `Lowest version (LowSection): ${lp}` })
        if (hp) out.push({ field: `${prefix}versionRange.high`, severity: 'error', code: 'invalid-version-range', message: `Highest version (HighSection): ${hp}` })
        // Both bounds valid: only two numbers can be in the wrong order ("*" is unbounded).
        if (!lp && !hp && !vAbsent.length && vr.low !== '*' && vr.high !== '*') {
          addAt(out, versionRangeProblems(vr.low, vr.high), `${prefix}versionRange.high`)
        }
      }
      break
    }
    case 'hash':
      if (cond.hashes.length === 0) out.push({ field: `${prefix}hashes`, severity: 'error', code: 'empty-hash-condition', message: 'Add at least one file hash.' })
      for (let i = 0; i < cond.hashes.length; i++) {
        const h = cond.hashes[i]
        const hAbsent = h.extra?.absent ?? NONE
        const len = isKnownHashType(h.type) ? HASH_LENGTH[h.type] : undefined
        if (len === undefined && !hAbsent.includes('Type'))
          out.push({ field: `${prefix}hashes.${i}.type`, severity: 'error', code: 'invalid-hash-type', message: `${quoteValue(h.type, 60)} is not a hash type AppLocker knows: use SHA256 (what Windows writes), SHA256Flat or SHA1.` })
        const re = len === 40 ? HASH40_RE : len === 64 ? HASH64_RE : HASH_ANY_RE
        if (!hAbsent.includes('Data') && !re.test(h.data)) {
          const has0x = /^0x/i.test(h.data)
          out.push({
            field: `${prefix}hashes.${i}.data`,
            severity: 'error',
            code: 'invalid-hash-data',
            message: `A ${len === 40 ? 'SHA1' : len === 64 ? h.type : 'file'} hash is 0x followed by ${len ?? 64} hexadecimal digits; ${h.data === '' ? 'this one is empty' : `${quoteValue(h.data, 80)} has ${has0x ? h.data.length - 2 : h.data.length} characters${has0x ? ' after 0x' : ' and no 0x prefix'}`}.`,
          })
        }
        if (h.sourceFileLength !== undefined && !/^[+-]?\d+$/.test(h.sourceFileLength))
          out.push({ field: `${prefix}hashes.${i}.sourceFileLength`, severity: 'error', code: 'invalid-source-file-length', message: `The file length is a number of bytes, e.g. 493256; ${quoteValue(h.sourceFileLength, 60)} is not a whole number.` })
        if (h.sourceFileName !== undefined) addTextProblems(out, h.sourceFileName, 'The file name', `${prefix}hashes.${i}.sourceFileName`)
      }
      break
  }
  return out
}

/**
 * Every value of one rule Windows would refuse (errors) or that looks wrong (warnings), as it sits
 * in a collection of `type` (null: a collection whose Type is not valid). The one per-rule check:
 * the rule form shows these at its fields, validatePolicy reports them with the rule's location.
 * Policy-wide checks (duplicate Ids) and unknown XML are validatePolicy's.
 */
export function ruleProblems(rule: Rule, type: CollectionType | null): RuleProblem[] {
  const out: RuleProblem[] = []
  const absent = rule.extra?.absent ?? NONE
  if (!absent.includes('Id') && !isGuid(rule.id))
    out.push({ field: 'id', severity: 'error', code: 'invalid-rule-id', message: `The Id ${quoteValue(rule.id, 60)} is not a GUID (like 921cc481-6e17-4653-8f75-050b80acca20).` })
  if (!absent.includes('Name')) {
    if (rule.name.length === 0) out.push({ field: 'name', severity: 'error', code: 'empty-rule-name', message: 'The name is empty.' })
    else if (rule.name.length > 1024) out.push({ field: 'name', severity: 'error', code: 'rule-name-too-long', message: `The name is longer than 1,024 characters (${rule.name.length.toLocaleString('en-US')}).` })
  }
  addTextProblems(out, rule.name, 'The name', 'name')
  if (rule.description.length > 1024)
    out.push({ field: 'description', severity: 'error', code: 'description-too-long', message: `The description is longer than 1,024 characters (${rule.description.length.toLocaleString('en-US')}).` })
  addTextProblems(out, rule.description, 'The description', 'description')
  const invalidSid = rule.extra?.invalid?.UserOrGroupSid
  if (!absent.includes('UserOrGroupSid')) {
    const p = sidProblem(invalidSid ?? rule.userOrGroupSid)
    if (p) out.push({ field: 'userOrGroupSid', severity: 'error', code: 'invalid-sid', message: p })
  }
  const invalidAction = rule.extra?.invalid?.Action
  if (invalidAction !== undefined) out.push({ field: 'action', severity: 'error', code: 'invalid-action', message: `The action ${quoteValue(invalidAction, 60)} is not Allow or Deny.` })
  else if (!absent.includes('Action') && !isRuleAction(rule.action))
    out.push({ field: 'action', severity: 'error', code: 'invalid-action', message: `The action ${quoteValue(String(rule.action), 60)} is not Allow or Deny.` })

  const cond = rule.condition as Condition | undefined
  const others = rule.extraConditions ?? []
  if (!cond) {
    const wrong = others.find((o) => o.kind !== rule.kind)
    if (wrong) out.push({ field: 'condition', severity: 'error', code: 'wrong-condition-kind', message: `It has a ${CONDITION_ELEMENT[wrong.kind]} but a ${RULE_ELEMENT[rule.kind]} needs a ${CONDITION_ELEMENT[rule.kind]}.` })
    else out.push({ field: 'condition', severity: 'error', code: 'missing-condition', message: `It has no ${CONDITION_ELEMENT[rule.kind]} under Conditions.` })
  } else {
    if (cond.kind !== rule.kind)
      out.push({ field: 'condition', severity: 'error', code: 'wrong-condition-kind', message: `It has a ${CONDITION_ELEMENT[cond.kind]} but a ${RULE_ELEMENT[rule.kind]} needs a ${CONDITION_ELEMENT[rule.kind]}.` })
    conditionProblems(cond, 'condition.', out)
    if (others.length > 0 && others.every((o) => o.kind === rule.kind))
      out.push({ field: 'condition', severity: 'error', code: 'several-conditions', message: `It has ${others.length + 1} conditions; a rule has exactly one (add the others as separate rules).` })
    else if (others.length > 0)
      out.push({ field: 'condition', severity: 'error', code: 'wrong-condition-kind', message: `It has other conditions beside its ${CONDITION_ELEMENT[rule.kind]}; a rule has exactly one condition, of its own kind.` })
  }
  if (rule.kind === 'hash' && (rule.exceptions.length > 0 || rule.hasExceptionsElement))
    out.push({ field: 'exceptions', severity: 'error', code: 'hash-rule-exceptions', message: 'It has Exceptions; file hash rules cannot have exceptions.' })
  for (let i = 0; i < rule.exceptions.length; i++) {
    const e = rule.exceptions[i]
    if (e.kind === 'unknown') {
      out.push({
        field: `exceptions.${i}`,
        severity: 'error',
        code: 'unknown-exception',
        message: `<${quoteValue(e.name, 80).slice(1, -1)}> in the Exceptions is not an AppLocker condition (a template placeholder?): Windows refuses the policy until it is removed or replaced by real exceptions.`,
      })
    } else conditionProblems(e, `exceptions.${i}.`, out)
  }
  if (type === 'Appx' && rule.kind !== 'publisher')
    out.push({ field: 'kind', severity: 'error', code: 'appx-non-publisher', message: 'Packaged app rules can only use a publisher condition (Windows does not support unsigned packaged apps).' })
  return out
}

const SIGNED_INTEGER_RE = /^[+-]?\d+$/

/**
 * Whether ruleProblems(rule, type) is certainly empty, without building anything: the common case
 * of a policy's rules, checked first so that validatePolicy builds no list, label or field path for
 * a rule with nothing to say. Conservative: anything unusual (an `extra`, an exception that is not a
 * condition, a second condition...) answers false, and ruleProblems decides. Mirrors ruleProblems
 * and conditionProblems check by check (validate.test.ts compares the two on many rules).
 */
export function ruleIsClean(rule: Rule, type: CollectionType | null): boolean {
  return ruleIsCleanWith(rule, type, isGuid(rule.id))
}

/** ruleIsClean, told whether the rule's Id is a GUID. */
function ruleIsCleanWith(rule: Rule, type: CollectionType | null, idIsGuid: boolean): boolean {
  if (rule.extra !== undefined || rule.extraConditions !== undefined || !idIsGuid) return false
  const name = rule.name
  if (name.length === 0 || name.length > 1024 || ANY_SPECIAL_CHAR_RE.test(name)) return false
  if (rule.description.length > 1024 || (rule.description.length !== 0 && ANY_SPECIAL_CHAR_RE.test(rule.description))) return false
  if (sidProblem(rule.userOrGroupSid) !== null) return false
  if (rule.action !== 'Allow' && rule.action !== 'Deny') return false
  const cond = rule.condition as Condition | undefined
  if (!cond || cond.kind !== rule.kind || !conditionIsClean(cond)) return false
  const exceptions = rule.exceptions
  if (rule.kind === 'hash' && (exceptions.length > 0 || rule.hasExceptionsElement)) return false
  for (let i = 0; i < exceptions.length; i++) {
    const e = exceptions[i]
    if (e.kind === 'unknown' || !conditionIsClean(e)) return false
  }
  return type !== 'Appx' || rule.kind === 'publisher'
}

/**
 * True when every %NAME% of a path is an AppLocker variable spelled in capitals (what paths hold):
 * then unknownPathVariables finds nothing. False when it cannot tell without it (any other name,
 * "%%", a backslash between the signs), and unknownPathVariables decides.
 */
function pathVariablesKnown(path: string): boolean {
  for (let p = path.indexOf('%'); p !== -1; ) {
    const q = path.indexOf('%', p + 1)
    if (q === -1) return true
    const len = q - p - 1
    let known = false
    for (let v = 0; v < APPLOCKER_PATH_VARIABLES.length && !known; v++) {
      const name = APPLOCKER_PATH_VARIABLES[v]
      known = name.length === len && path.startsWith(name, p + 1)
    }
    if (!known) return false
    p = path.indexOf('%', q + 1)
  }
  return true
}

/** Whether conditionProblems(cond) is certainly empty (see ruleIsClean). */
function conditionIsClean(cond: Condition): boolean {
  if (cond.extra !== undefined) return false
  switch (cond.kind) {
    case 'path': {
      const path = cond.path
      if (path.length === 0 || path.length > 32767 || path.trim() === '') return false
      if (path.indexOf('%') !== -1 && !pathVariablesKnown(path) && unknownPathVariables(path).length !== 0) return false
      return !ANY_SPECIAL_CHAR_RE.test(path) && path.indexOf('?') === -1
    }
    case 'publisher': {
      if (cond.publisherName.length === 0 || ANY_SPECIAL_CHAR_RE.test(cond.publisherName)) return false
      if (ANY_SPECIAL_CHAR_RE.test(cond.productName) || ANY_SPECIAL_CHAR_RE.test(cond.binaryName)) return false
      const vr = cond.versionRange
      if (!vr || vr.extra !== undefined || !isValidVersion(vr.low) || !isValidVersion(vr.high)) return false
      return vr.low === '*' || vr.high === '*' || compareVersions(vr.low, vr.high) <= 0
    }
    case 'hash': {
      const hashes = cond.hashes
      if (hashes.length === 0) return false
      for (let i = 0; i < hashes.length; i++) {
        const h = hashes[i]
        if (h.extra !== undefined || !isKnownHashType(h.type)) return false
        if (!(HASH_LENGTH[h.type] === 40 ? HASH40_RE : HASH64_RE).test(h.data)) return false
        if (h.sourceFileLength !== undefined && !SIGNED_INTEGER_RE.test(h.sourceFileLength)) return false
        if (h.sourceFileName !== undefined && ANY_SPECIAL_CHAR_RE.test(h.sourceFileName)) return false
      }
      return true
    }
  }
  return false
}

/** GUID_RE without a regular expression (it runs for every rule): 8-4-4-4-12 hexadecimal digits. */
function isGuid(s: string): boolean {
  if (s.length !== 36) return false
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i)
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false
    } else if (!((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102))) return false
  }
  return true
}

function describeRule(c: RuleCollection, rule: Rule): string {
  const name = rule.name ? quoteValue(rule.name, 120) : rule.id ? `with Id ${quoteValue(rule.id, 60).slice(1, -1)}` : '(unnamed)'
  return `${RULE_ELEMENT[rule.kind]} ${name}${c.type ? ` in the ${c.type} collection` : ''}`
}

function collectionLabel(c: RuleCollection): string {
  return c.type ?? (c.extra?.invalid?.Type !== undefined ? `"${c.extra.invalid.Type}"` : '(no Type)')
}

/** ASCII lower case, without a new string when there is no capital (rule Ids usually are lower-case GUIDs). */
function lowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c >= 65 && c <= 90) || c > 127) return s.toLowerCase()
  }
  return s
}

/** The 128 bits of a GUID's 32 hexadecimal digits (guidBits fills it). */
const GUID_WORDS = new Int32Array(4)

/** isGuid, and its digits as four 32-bit words in GUID_WORDS (upper and lower case alike). */
function guidBits(s: string): boolean {
  if (s.length !== 36) return false
  let w = 0
  let digits = 0
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i)
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false
      continue
    }
    let d: number
    if (c >= 48 && c <= 57) d = c - 48
    else if ((c | 32) >= 97 && (c | 32) <= 102) d = (c | 32) - 87
    else return false
    w = (w << 4) | d
    // Every 8 digits make a word.
    if ((++digits & 7) === 0) {
      GUID_WORDS[(digits >> 3) - 1] = w
      w = 0
    }
  }
  return true
}

/**
 * Rule Ids that are GUIDs (nearly all), kept as 128-bit numbers: no string is hashed or kept per
 * rule. The digits of each rule's GUID are stored by rule number (in document order, so written one
 * after the other), and an open-addressing table holds each distinct GUID's hash and first rule.
 * The hash is seeded per table, so a crafted file cannot choose colliding Ids.
 */
class GuidIds {
  /** Per slot: the GUID's hash, and its first rule's number + 1 (0 = empty slot). */
  private table = new Int32Array(2 * 1024)
  private mask = 1023
  private size = 0
  /** The four words of rule n's GUID at 4n. */
  private words = new Int32Array(4 * 1024)
  private readonly seed = (Math.random() * 0x7fffffff) | 0

  /** Adds the GUID in GUID_WORDS for rule number `rule`; returns the number of an earlier rule with it, or -1. */
  add(rule: number): number {
    const w0 = GUID_WORDS[0]
    const w1 = GUID_WORDS[1]
    const w2 = GUID_WORDS[2]
    const w3 = GUID_WORDS[3]
    if (rule * 4 + 4 > this.words.length) {
      const grown = new Int32Array(Math.max(this.words.length * 2, rule * 4 + 4))
      grown.set(this.words)
      this.words = grown
    }
    let h = this.seed ^ w0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ w1
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ w2
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ w3
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    h ^= h >>> 16
    const { table, mask, words } = this
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const r = table[slot * 2 + 1]
      if (r === 0) break
      if (table[slot * 2] === h) {
        const k = (r - 1) * 4
        if (words[k] === w0 && words[k + 1] === w1 && words[k + 2] === w2 && words[k + 3] === w3) return r - 1
      }
    }
    words[rule * 4] = w0
    words[rule * 4 + 1] = w1
    words[rule * 4 + 2] = w2
    words[rule * 4 + 3] = w3
    if ((this.size + 1) * 2 > this.mask + 1) this.grow()
    this.insert(h, rule + 1)
    this.size++
    return -1
  }

  private insert(h: number, value: number) {
    const { table, mask } = this
    let slot = h & mask
    while (table[slot * 2 + 1] !== 0) slot = (slot + 1) & mask
    table[slot * 2] = h
    table[slot * 2 + 1] = value
  }

  private grow() {
    const old = this.table
    this.table = new Int32Array(old.length * 2)
    this.mask = old.length - 1
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.insert(old[i], old[i + 1])
  }
}

/**
 * What validatePolicyTargets works out for every rule, in document order: whether ruleIsClean
 * passes it, and the earlier rule with the same Id (compared case-insensitively). The XML reader
 * works it out as it builds each rule, while the rule's text is still in the processor's cache (on a
 * 25 MB file, coming back to every rule's strings later costs more than the checks themselves);
 * validatePolicyTargets works it out itself when it is not given.
 */
export class RuleFacts {
  /** Per rule (numbered in document order): 1 when ruleIsClean passed it. */
  private readonly clean: number[] = []
  /** Rules per collection, as added. */
  private readonly counts: number[] = []
  /** Rule number -> collection and rule of the first rule with its Id (duplicates only). */
  private readonly firsts = new Map<number, [number, number]>()
  /** Collection and rule index of each rule number. */
  private readonly collectionOf: number[] = []
  private readonly ruleIndex: number[] = []
  private readonly guids = new GuidIds()
  /** Ids that are not GUIDs, lower case -> rule number. */
  private readonly others = new Map<string, number>()
  private ordered = true

  /** The facts of rule `ri` of collection `ci` (of type `type`); rules are added in document order. */
  add(ci: number, ri: number, rule: Rule, type: CollectionType | null): void {
    const n = this.clean.length
    while (this.counts.length <= ci) this.counts.push(0)
    if (ci !== this.counts.length - 1 || ri !== this.counts[ci]) this.ordered = false
    this.counts[ci]++
    this.collectionOf.push(ci)
    this.ruleIndex.push(ri)
    const guid = guidBits(rule.id)
    this.clean.push(ruleIsCleanWith(rule, type, guid) ? 1 : 0)
    if (rule.extra?.absent?.includes('Id')) return
    // A GUID (upper or lower case) goes to the table; any other Id, lower-cased, to the Map (the
    // two never meet: no other Id lower-cases to a GUID).
    let first: number
    if (guid) first = this.guids.add(n)
    else {
      const key = lowerAscii(rule.id)
      first = this.others.get(key) ?? -1
      if (first === -1) this.others.set(key, n)
    }
    if (first !== -1) this.firsts.set(n, [this.collectionOf[first], this.ruleIndex[first]])
  }

  /** Whether these are the facts of `policy`'s rules (all of them, in order). */
  describes(policy: Policy): boolean {
    if (!this.ordered || this.counts.length > policy.collections.length) return false
    for (let ci = 0; ci < policy.collections.length; ci++) if ((this.counts[ci] ?? 0) !== policy.collections[ci].rules.length) return false
    return true
  }

  isClean(n: number): boolean {
    return this.clean[n] === 1
  }
  /** Collection and rule of the first rule with the Id of rule number `n`, if it repeats one. */
  firstWithId(n: number): [number, number] | undefined {
    return this.firsts.get(n)
  }
}

/** Whether a condition has anything conditionStructure reports on (absent attributes, unknown XML). */
function hasStructure(cond: Condition): boolean {
  if (cond.extra) return true
  if (cond.kind === 'publisher') return cond.versionRange?.extra !== undefined
  if (cond.kind === 'hash') for (const h of cond.hashes) if (h.extra) return true
  return false
}

/** All problems, each with where it is. */
export function validatePolicyTargets(policy: Policy, given?: RuleFacts): TargetedDiagnostic[] {
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
      } else pushUnknownChild(child.name, owner, target, push)
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
  keptChecks(policy.extra?.children, 'policy', '', (child) => ({ part: 'policy', child }), push)

  const seenTypes = new Map<string, number>()
  let facts = given
  if (!facts || !facts.describes(policy)) {
    facts = new RuleFacts()
    for (let ci = 0; ci < policy.collections.length; ci++) {
      const c = policy.collections[ci]
      for (let ri = 0; ri < c.rules.length; ri++) facts.add(ci, ri, c.rules[ri], c.type)
    }
  }
  let n = 0

  policy.collections.forEach((c, ci) => {
    const ct: ValidationTarget = { collection: ci, part: 'collection' }
    const label = collectionLabel(c)
    const invalidType = c.extra?.invalid?.Type
    if (c.type === null) {
      if (invalidType === 'ManagedInstaller') {
        push('warning', 'managed-installer-collection', 'The ManagedInstaller collection is used only by App Control managed-installer tagging; AppLocker does not evaluate it. It is kept as is.', ct)
      } else if (invalidType !== undefined) {
        const hint = /^exe/i.test(invalidType) ? ' (did you mean "Exe"?)' : /^(script|msi|dll|appx)/i.test(invalidType) ? ` (did you mean "${invalidType.slice(0, 1).toUpperCase()}${invalidType.slice(1).toLowerCase()}"?)` : ''
        push('error', 'unknown-collection-type', `RuleCollection Type ${quoteValue(invalidType, 80)} is not one of Exe, Msi, Script, Dll, Appx${hint}.`, ct)
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
      push('error', 'invalid-enforcement-mode', `EnforcementMode ${quoteValue(invalidMode, 80)} of the ${label} collection is not one of NotConfigured, Enabled (Enforce rules), AuditOnly.`, ct)
    } else if (!isEnforcementMode(c.enforcementMode)) {
      push('error', 'invalid-enforcement-mode', `EnforcementMode "${String(c.enforcementMode)}" of the ${label} collection is not one of NotConfigured, Enabled, AuditOnly.`, ct)
    }
    // An absent EnforcementMode is allowed by the schema (optional attribute): do not flag it.
    const cExtra = c.extra?.absent?.includes('EnforcementMode') ? { ...c.extra, absent: c.extra.absent.filter((a) => a !== 'EnforcementMode') } : c.extra
    extraChecks(cExtra, `the ${label} RuleCollection`, ct)

    // Per rule, nothing is built (no label, no target) unless there is something to report.
    for (let ri = 0; ri < c.rules.length; ri++) {
      const rule = c.rules[ri]
      let what = rule.extra ? describeRule(c, rule) : ''
      if (rule.extra) extraChecks(rule.extra, what, { collection: ci, rule: ri, part: 'rule' })
      const first = facts.firstWithId(n)
      if (first) {
        const other = policy.collections[first[0]]
        what ||= describeRule(c, rule)
        push('error', 'duplicate-rule-id', `${what} has the same Id ${quoteValue(rule.id, 60)} as ${describeRule(other, other.rules[first[1]])}; rule Ids must be unique in the whole policy.`, { collection: ci, rule: ri, part: 'rule' })
      }
      const problems = facts.isClean(n++) ? NO_PROBLEMS : ruleProblems(rule, c.type)
      if (problems.length) {
        what ||= describeRule(c, rule)
        const rt: ValidationTarget = { collection: ci, rule: ri, part: 'rule' }
        for (const p of problems) {
          const m = /^exceptions\.(\d+)/.exec(p.field)
          const target: ValidationTarget = m
            ? { collection: ci, rule: ri, part: 'exception', index: Number(m[1]) }
            : p.field.startsWith('condition.') ? { collection: ci, rule: ri, part: 'condition' } : rt
          const where = m ? `Exception ${Number(m[1]) + 1} of ${what}` : p.field.startsWith('condition.') ? `The condition of ${what}` : what
          // "It has ..." (the rule's own structure) reads as one sentence with the rule's name.
          push(p.severity, p.code, p.message.startsWith('It ') ? `${where} ${p.message.slice(3)}` : `${where}: ${p.message}`, target)
        }
      }
      // Structure of the condition and exceptions the model keeps verbatim (absent attributes, unknown XML).
      if (rule.condition && hasStructure(rule.condition)) {
        what ||= describeRule(c, rule)
        conditionStructure(rule.condition, `the condition of ${what}`, { collection: ci, rule: ri, part: 'condition' }, push)
      }
      for (let ei = 0; ei < rule.exceptions.length; ei++) {
        const e = rule.exceptions[ei]
        if (e.kind !== 'unknown' && hasStructure(e)) {
          what ||= describeRule(c, rule)
          conditionStructure(e, `exception ${ei + 1} of ${what}`, { collection: ci, rule: ri, part: 'exception', index: ei }, push)
        }
      }
      if (rule.conditionsExtra || rule.exceptionsExtra) {
        what ||= describeRule(c, rule)
        const rt: ValidationTarget = { collection: ci, rule: ri, part: 'rule' }
        extraChecks(rule.conditionsExtra, `the Conditions of ${what}`, rt)
        extraChecks(rule.exceptionsExtra, `the Exceptions of ${what}`, rt)
      }
    }

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
      keptChecks(ext.redstoneExtra?.children, 'redstone', ` (${label} collection)`, (child) => ({ collection: ci, part: 'extensions', child }), push)
      extraChecks(ext.services?.extra, `Services (${label})`, et)
      extraChecks(ext.systemApps?.extra, `SystemApps (${label})`, et)
    }
  })
  return out
}

type Push = (severity: Severity, code: string, message: string, target: ValidationTarget) => void

/**
 * Elements AppLocker's schema has at most once, each in one place (Conditions and Exceptions in a
 * rule, BinaryVersionRange in a publisher condition, RuleCollectionExtensions in a collection,
 * ThresholdExtensions/Services and RedstoneExtensions/SystemApps in it). The reader reads the first
 * in its place; one found as an unknown child is a second copy or out of place, which the schema
 * refuses. PolicyExtensions and OriginDataRevocation are kept as they are and checked elsewhere.
 */
const ONCE_ELEMENTS: ReadonlySet<string> = new Set(['Conditions', 'Exceptions', 'BinaryVersionRange', 'RuleCollectionExtensions', 'ThresholdExtensions', 'RedstoneExtensions', 'Services', 'SystemApps'])

/** Whether an unknown child is a schema element out of place or repeated (an error, not a warning). */
export const isRepeatedSchemaElement = (name: string): boolean => ONCE_ELEMENTS.has(name)

function pushUnknownChild(name: string, owner: string, target: ValidationTarget, push: Push) {
  if (isRepeatedSchemaElement(name)) {
    push(
      'error',
      'repeated-element',
      `<${name}> inside ${owner} is out of place: AppLocker's schema allows at most one <${name}>, in one place, so Windows refuses the policy. It is kept as it is and what it holds is not checked: remove it, or move what it holds into the first one.`,
      target,
    )
  } else push('warning', 'unknown-element', `<${name}> inside ${owner} is not an AppLocker element; it is kept as is but Windows may reject or ignore it.`, target)
}

/** Every AppLocker attribute name, by its lower case: an unknown attribute that is one of them in another case is a misspelling. */
const ATTRIBUTE_BY_LOWER: ReadonlyMap<string, string> = new Map(
  ['Version', 'Type', 'EnforcementMode', 'Id', 'Name', 'Description', 'UserOrGroupSid', 'Action', 'Path', 'PublisherName', 'ProductName', 'BinaryName', 'LowSection', 'HighSection', 'Data', 'SourceFileName', 'SourceFileLength', 'Allow'].map(
    (n) => [n.toLowerCase(), n],
  ),
)

/** The AppLocker attribute an unknown attribute misspells by letter case (enforcementMode), or undefined. */
export const misspelledAttribute = (name: string): string | undefined => {
  const known = ATTRIBUTE_BY_LOWER.get(name.toLowerCase())
  return known !== undefined && known !== name ? known : undefined
}

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
      const known = misspelledAttribute(name)
      if (known !== undefined) {
        const effect = known === 'EnforcementMode' ? ' (a collection without EnforcementMode counts as not configured, which enforces its rules)' : ''
        push(
          'error',
          'misspelled-attribute',
          `Attribute ${name} on ${owner} is not an AppLocker attribute: attribute names are case-sensitive, and AppLocker's is ${known}. The schema refuses it, and as written the value is not read${effect}. Write ${known}.`,
          target,
        )
      } else push('warning', 'unknown-attribute', `Attribute ${name} on ${owner} is not an AppLocker attribute; it is kept as is.`, target)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elements of the schema kept verbatim (PolicyExtensions, OriginDataRevocation): their content,
// checked against AppLocker.xsd (reference/applocker-deep.md 1.1, [XSD-WIN]) though never edited.
// ---------------------------------------------------------------------------------------------

/** An attribute's schema type: xs:string, GuidType, xs:unsignedInt, AttributeListType (Hash|Path|Publisher list). */
type KeptAttribute = 'string' | 'guid' | 'unsignedInt' | 'appidTypes'

/**
 * A complex type of AppLocker.xsd: its attributes, the sequence of its child elements (name, min,
 * max) and whether an xs:any (lax) follows the sequence. Names are unique inside these elements, so
 * an element's name selects its type (ThresholdExtensions here is ThresholdPolicyExtensionsType,
 * Policy is PluginPolicyType).
 */
interface KeptType {
  attributes: Readonly<Record<string, KeptAttribute>>
  required?: readonly string[]
  sequence: readonly (readonly [string, number, number])[]
  any?: boolean
}

const KEPT_TYPES: Readonly<Record<string, KeptType>> = {
  PolicyExtensions: { attributes: {}, sequence: [['ThresholdExtensions', 1, 1]], any: true },
  ThresholdExtensions: { attributes: {}, sequence: [['Plugins', 0, 1]] },
  Plugins: { attributes: {}, sequence: [['Plugin', 0, Infinity]] },
  Plugin: { attributes: { Name: 'string', Id: 'guid' }, sequence: [['ExecutionCategories', 1, 1]] },
  ExecutionCategories: { attributes: {}, sequence: [['ExecutionCategory', 1, Infinity]] },
  ExecutionCategory: { attributes: { Id: 'guid', AppidTypes: 'appidTypes' }, sequence: [['Policies', 0, 1]] },
  Policies: { attributes: {}, sequence: [['Policy', 0, Infinity]] },
  Policy: { attributes: { Id: 'guid' }, sequence: [] },
  OriginDataRevocation: { attributes: { CurrentOriginDataId: 'unsignedInt', TrustedOriginDataId: 'unsignedInt' }, required: ['CurrentOriginDataId', 'TrustedOriginDataId'], sequence: [] },
}

/** The error code of each kept element's problems. */
const KEPT_CODE: Readonly<Record<string, string>> = {
  PolicyExtensions: 'invalid-policy-extensions',
  OriginDataRevocation: 'invalid-origin-data-revocation',
}

/** An element of a kept element's XML: name, attributes (raw, as written), child elements, whether it holds text. */
interface KeptNode {
  name: string
  attributes: [string, string][]
  children: KeptNode[]
  text: boolean
}

const XML_SPACE_RE = /^[ \t\r\n]*$/

/** Character and entity references of a value decoded (the verbatim XML holds them as written). */
function decodeReferences(v: string): string {
  if (v.indexOf('&') === -1) return v
  return v.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g, (m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name] ?? m
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec)
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m
  })
}

/** An attribute's value as a parser gives it: line ends, tabs and newlines as spaces, references decoded. */
function attributeValue(raw: string): string {
  return decodeReferences(raw.replace(/\r\n?|[\t\n]/g, ' '))
}

/**
 * The elements of a well-formed element's XML (the writer writes one that is not as a comment, so it
 * is not in the file and not checked here). One pass, no recursion: nesting depth costs nothing.
 */
function parseKept(xml: string): KeptNode | null {
  if (checkXml(xml) !== null) return null
  const n = xml.length
  const find = (what: string, from: number) => {
    const k = xml.indexOf(what, from)
    return k === -1 ? n : k
  }
  const stack: KeptNode[] = []
  let root: KeptNode | null = null
  let i = 0
  while (i < n) {
    const lt = find('<', i)
    const top = stack.length ? stack[stack.length - 1] : undefined
    if (top && lt > i && !top.text && !XML_SPACE_RE.test(decodeReferences(xml.slice(i, lt)))) top.text = true
    if (lt >= n) break
    if (xml.startsWith('<!--', lt)) i = find('-->', lt + 4) + 3
    else if (xml.startsWith('<![CDATA[', lt)) {
      const end = find(']]>', lt + 9)
      if (top && !XML_SPACE_RE.test(xml.slice(lt + 9, end))) top.text = true
      i = end + 3
    } else if (xml.startsWith('<?', lt)) i = find('?>', lt + 2) + 2
    else if (xml.charCodeAt(lt + 1) === 0x2f /* / */) {
      stack.pop()
      i = find('>', lt) + 1
    } else {
      let j = lt + 1
      while (j < n && !/[\s/>]/.test(xml[j])) j++
      const el: KeptNode = { name: xml.slice(lt + 1, j), attributes: [], children: [], text: false }
      let open = false
      for (;;) {
        while (j < n && /\s/.test(xml[j])) j++
        if (j >= n) break
        if (xml[j] === '/') {
          j += 2
          break
        }
        if (xml[j] === '>') {
          j++
          open = true
          break
        }
        const nameStart = j
        while (j < n && !/[\s=]/.test(xml[j])) j++
        const name = xml.slice(nameStart, j)
        while (j < n && xml[j] !== '"' && xml[j] !== "'") j++
        const end = find(xml[j], j + 1)
        el.attributes.push([name, xml.slice(j + 1, end)])
        j = end + 1
      }
      if (top) top.children.push(el)
      else root ??= el
      if (open) stack.push(el)
      i = j
    }
  }
  return root
}

/** Whether a value is an xs:unsignedInt (0 to 4,294,967,295; spaces around it are collapsed away). */
function isUnsignedInt(v: string): boolean {
  const t = v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
  if (/^-0+$/.test(t)) return true
  const m = /^\+?0*(\d+)$/.exec(t)
  return m !== null && (m[1].length < 10 || (m[1].length === 10 && Number(m[1]) <= 4294967295))
}

function keptAttributeProblem(type: KeptAttribute, value: string): string | null {
  switch (type) {
    case 'string':
      return null
    case 'guid':
      return GUID_RE.test(value) ? null : 'is not a GUID (like 921cc481-6e17-4653-8f75-050b80acca20)'
    case 'unsignedInt':
      return isUnsignedInt(value) ? null : 'is not a whole number from 0 to 4,294,967,295 (xs:unsignedInt)'
    case 'appidTypes': {
      const items = value.split(/[ \t\r\n]+/).filter((x) => x !== '')
      const bad = items.find((x) => x !== 'Hash' && x !== 'Path' && x !== 'Publisher')
      return bad === undefined ? null : `holds ${quoteValue(bad, 40)}; it is a list of Hash, Path and Publisher separated by spaces`
    }
  }
}

/**
 * Problems inside the elements kept verbatim under `owner` ('policy': PolicyExtensions; 'redstone':
 * OriginDataRevocation): more than one of them, then each one's content against its type. Errors
 * for what the schema refuses among the elements and attributes it declares (a missing or repeated
 * element, the wrong order, a missing attribute, a value of the wrong type, text); elements and
 * attributes it does not declare are warnings, as everywhere else in the policy.
 */
function keptChecks(children: readonly UnknownElement[] | undefined, owner: 'policy' | 'redstone', where: string, target: (child: number) => ValidationTarget, push: Push) {
  if (!children) return
  const seen = new Map<string, number>()
  for (let k = 0; k < children.length; k++) {
    const name = children[k].name
    if (SCHEMA_KEPT_ELEMENTS[name] !== owner) continue
    const code = KEPT_CODE[name]
    const t = target(k)
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    if (count === 2)
      push('error', code, `There is more than one <${name}> in ${owner === 'policy' ? 'AppLockerPolicy' : 'RedstoneExtensions'}${where}; the schema allows one. Keep one of them.`, t)
    const root = parseKept(children[k].xml)
    if (root !== null && root.name === name) keptElementChecks(root, name, where, code, t, push)
  }
}

/**
 * One element of a kept element's XML (see keptChecks) and, through its sequence, the elements
 * declared in it (only those: the declared types nest eight deep at most, whatever the XML holds).
 */
function keptElementChecks(el: KeptNode, path: string, where: string, code: string, t: ValidationTarget, push: Push) {
  const type = KEPT_TYPES[el.name]
  const shown = `<${el.name}>${path === el.name ? where : ` (${path}${where})`}`
  const attrs = new Set<string>()
  for (const [attrName, raw] of el.attributes) {
    attrs.add(attrName)
    const at = Object.hasOwn(type.attributes, attrName) ? type.attributes[attrName] : undefined
    if (at !== undefined) {
      const value = attributeValue(raw)
      const p = keptAttributeProblem(at, value)
      if (p) push('error', code, `${attrName} ${quoteValue(value, 60)} of ${shown} ${p}.`, t)
    } else if (attrName === 'xmlns') {
      if (raw !== '') push('error', code, namespaceMessage(shown, attributeValue(raw)), t)
    } else if (!isNamespaceDeclaration(attrName)) {
      push('warning', 'unknown-content-kept', `Attribute ${clipName(attrName)} on ${shown} is not an AppLocker attribute; it is kept as is.`, t)
    }
  }
  for (const req of type.required ?? NONE) if (!attrs.has(req)) push('error', 'missing-attribute', `${shown} has no ${req} attribute, which Windows requires.`, t)
  if (el.text) push('error', code, `${shown} holds text; the schema allows only ${type.sequence.length || type.any ? 'elements' : 'attributes'} there. Remove the text.`, t)
  // The sequence: each child is the next declared element it can be (optional ones may be skipped).
  const seq = type.sequence
  let p = 0
  let used = 0
  const missing = new Set<number>()
  // Children numbered in messages when their parent has several of that name ("Plugin 2").
  const totals = new Map<string, number>()
  for (const child of el.children) totals.set(child.name, (totals.get(child.name) ?? 0) + 1)
  const counts = new Map<string, number>()
  for (const child of el.children) {
    const nth = (counts.get(child.name) ?? 0) + 1
    counts.set(child.name, nth)
    const childPath = `${path}/${child.name}${totals.get(child.name)! > 1 ? ` ${nth}` : ''}`
    let q = p
    let n = used
    while (q < seq.length && !(seq[q][0] === child.name && n < seq[q][2]) && n >= seq[q][1]) {
      q++
      n = 0
    }
    if (q < seq.length && seq[q][0] === child.name) {
      p = q
      used = n + 1
      keptElementChecks(child, childPath, where, code, t, push)
      continue
    }
    if (q >= seq.length && type.any) {
      // xs:any (lax) after the sequence: anything may follow, nothing more is declared.
      p = seq.length
      used = 0
      continue
    }
    const d = seq.findIndex((x) => x[0] === child.name)
    const childShown = `<${clipName(child.name)}>`
    if (d === -1) {
      if (type.any) {
        missing.add(q)
        push('error', code, `${shown} must start with <${seq[q][0]}>; ${childShown} stands before it.`, t)
      } else if (Object.hasOwn(KEPT_TYPES, child.name)) {
        push('error', code, `${childShown} does not belong inside ${shown}.`, t)
      } else {
        push('warning', 'unknown-content-kept', `${childShown} inside ${shown} is not an AppLocker element; it is kept as is but Windows may reject or ignore it.`, t)
      }
      continue
    }
    if (d < p) push('error', code, `${childShown} inside ${shown} comes after <${seq[p][0]}>; the schema wants it before.`, t)
    else if (d === p) push('error', code, `${shown} holds more than ${seq[d][2] === 1 ? 'one' : seq[d][2]} ${childShown}; the schema allows ${seq[d][2] === 1 ? 'one' : seq[d][2]}.`, t)
    else {
      missing.add(q)
      push('error', code, `${shown} must hold <${seq[q][0]}> before ${childShown}.`, t)
    }
    keptElementChecks(child, childPath, where, code, t, push)
  }
  // Required elements that never came.
  for (let q = p; q < seq.length; q++) {
    if ((q === p ? used : 0) < seq[q][1] && !missing.has(q))
      push('error', code, `${shown} has no <${seq[q][0]}>, which the schema requires${seq[q][0] === 'ThresholdExtensions' ? ' (<PolicyExtensions><ThresholdExtensions /></PolicyExtensions> at least)' : ''}.`, t)
  }
}

/** An element or attribute name for a message (a model from elsewhere may hold anything). */
function clipName(name: string): string {
  return quoteValue(name, 80).slice(1, -1)
}

/** Absent attributes and unknown XML inside a condition (the values are ruleProblems'). */
function conditionStructure(cond: Condition, owner: string, target: ValidationTarget, push: Push) {
  const extraOwner = `${CONDITION_ELEMENT[cond.kind]} (${owner})`
  const structure = (extra: Extra | undefined, elementOwner: string) => {
    for (const name of extra?.absent ?? []) push('error', 'missing-attribute', `${elementOwner} has no ${name} attribute, which Windows requires.`, target)
    for (const child of extra?.children ?? []) pushUnknownChild(child.name, elementOwner, target, push)
    pushAttributeChecks(extra, elementOwner, target, push)
  }
  structure(cond.extra, extraOwner)
  if (cond.kind === 'publisher' && cond.versionRange) structure(cond.versionRange.extra, `BinaryVersionRange (${owner})`)
  if (cond.kind === 'hash') cond.hashes.forEach((h, i) => structure(h.extra, `FileHash (${cond.hashes.length > 1 ? `hash ${i + 1} of ${owner}` : owner})`))
}


export { invalidEnforcementMode }

/** Model-level problems Windows would reject (errors) or that are odd (warnings), each with `ref`. */
export function validatePolicy(policy: Policy): Diagnostic[] {
  return validatePolicyTargets(policy).map((t) => t.diagnostic)
}
