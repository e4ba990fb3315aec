/**
 * The "Create New Rule..." form as plain data: rule <-> form values, validation with messages a
 * person understands, and the default name. Pure TypeScript (no React) so it is unit-tested; the
 * dialog (RuleDialog.tsx) only renders these values with react-hook-form.
 *
 * What Windows accepts is not decided here: validateRuleForm builds the rule the form describes and
 * asks the one validator (applocker/validate.ts ruleProblems), then shows each problem at its
 * field. The form adds only what an unfinished form lacks (an empty field the chosen scope needs).
 */
import type {
  CollectionType,
  Condition,
  ConditionKind,
  ExceptionEntry,
  Extra,
  FileHash,
  FilePathRule,
  Rule,
  RuleAction,
  UnknownElement,
} from '../../applocker/policy'
import { newRuleId } from '../../applocker/policy'
import { defaultRuleName, ruleKindHasExceptions, ruleOfCondition } from '../../applocker/ops'
import { sidDisplayName, WELL_KNOWN_SIDS } from '../../applocker/sids'
import { ruleProblems } from '../../applocker/validate'

/**
 * How specific a publisher condition is, as the snap-in's slider sets it (deep reference 5.4):
 * fields beyond the chosen level are written as "*".
 */
export const PUBLISHER_SCOPES = ['any', 'publisher', 'product', 'file', 'version'] as const
export type PublisherScope = (typeof PUBLISHER_SCOPES)[number]

export const PUBLISHER_SCOPE_LABELS: Record<PublisherScope, string> = {
  any: 'Any publisher',
  publisher: 'Publisher only',
  product: 'Publisher and product',
  file: 'Publisher, product and file name',
  version: 'Publisher, product, file name and version',
}

/** The packaged-app slider (create-a-rule-for-packaged-apps): no file-name level. */
export const APPX_SCOPE_LABELS: Partial<Record<PublisherScope, string>> = {
  any: 'Any publisher',
  publisher: 'Publisher only',
  product: 'Publisher and package name',
  version: 'Publisher, package name and version',
}

/** "Exactly", "And above", "And below" (the snap-in's choices), plus "any" and a bounded range (custom values). */
export const VERSION_MODES = ['exactly', 'above', 'below', 'any', 'range'] as const
export type VersionMode = (typeof VERSION_MODES)[number]

export const VERSION_MODE_LABELS: Record<VersionMode, string> = {
  exactly: 'Exactly',
  above: 'And above',
  below: 'And below',
  any: 'Any version',
  range: 'Between',
}

export interface HashEntryForm {
  type: string
  data: string
  fileName: string
  length: string
  extra?: Extra
}

export interface ConditionForm {
  kind: ConditionKind
  path: string
  publisherName: string
  productName: string
  binaryName: string
  /** "Use custom values": every field is typed freely (any may be "*"), every version mode is offered. */
  useCustom: boolean
  /** Used when `useCustom` is false. */
  scope: PublisherScope
  versionMode: VersionMode
  /** The version for exactly / and above / and below. */
  version: string
  /** Bounds for "Between". */
  low: string
  high: string
  hashes: HashEntryForm[]
  /** Kept from the edited condition so unknown attributes survive (not shown). */
  extra?: Extra
}

export interface RuleFormValues {
  action: RuleAction
  /** The SID written to UserOrGroupSid. */
  sid: string
  condition: ConditionForm
  exceptions: ConditionForm[]
  /**
   * Exceptions the model does not know (AaronLocker's <PLACEHOLDER_.../> template elements), shown
   * by Edit rule so they can be removed. Undefined: keep those of the edited rule.
   */
  unknownExceptions?: UnknownElement[]
  name: string
  description: string
}

/** Field path (react-hook-form's dotted form, e.g. "exceptions.0.path") -> message. */
export type FormErrors = Record<string, string>

export function emptyHashEntry(): HashEntryForm {
  return { type: 'SHA256', data: '', fileName: '', length: '' }
}

/**
 * The help under a hash condition, per collection: executables and DLLs are hashed with the
 * Authenticode (PE image) hash, scripts with a flat hash of the whole file, Windows Installer files
 * with one of the two (unsettled: Browse adds both). APPLOCKER.md section 4, applocker-deep.md section 6.
 */
export function hashHelp(type: CollectionType): string {
  const format = 'as Get-AppLockerFileInformation reports it: 0x followed by 64 hexadecimal digits. The rule matches any of the files.'
  switch (type) {
    case 'Script':
      return `The SHA256 flat file hash (of the whole file, a signature block included) ${format}`
    case 'Msi':
      return `The SHA256 hash ${format} Sources disagree whether Windows uses the flat file hash or the installer's Authenticode (SIP) digest for Windows Installer files: "Browse for a reference file..." adds both.`
    case 'Appx':
      return 'Packaged app rules take publisher conditions only.'
    default:
      return `The SHA256 Authenticode hash (of the PE image, without its signature) ${format}`
  }
}

/** A hash row nothing was typed or read into (what "Add another file hash" adds). */
export function isEmptyHashEntry(h: HashEntryForm): boolean {
  return h.data.trim() === '' && h.fileName.trim() === '' && h.length.trim() === ''
}

/**
 * The hash rows after reading reference files: each read entry fills the next empty row (one that
 * "Add another file hash" just added), in order, and the rest are appended; a row with anything in
 * it is never replaced. An entry whose hash is already listed is left out (`duplicates` names them).
 */
export function mergeHashEntries(current: readonly HashEntryForm[], read: readonly HashEntryForm[]): { hashes: HashEntryForm[]; duplicates: HashEntryForm[] } {
  const hashes = current.map((h) => ({ ...h }))
  const seen = new Set(hashes.map((h) => h.data.trim().toUpperCase()).filter((d) => d !== ''))
  const duplicates: HashEntryForm[] = []
  for (const entry of read) {
    const key = entry.data.trim().toUpperCase()
    if (seen.has(key)) {
      duplicates.push(entry)
      continue
    }
    seen.add(key)
    const empty = hashes.findIndex(isEmptyHashEntry)
    if (empty >= 0) hashes[empty] = { ...entry }
    else hashes.push({ ...entry })
  }
  return { hashes, duplicates }
}

export function emptyConditionForm(kind: ConditionKind): ConditionForm {
  return {
    kind,
    path: '',
    publisherName: '',
    productName: '',
    binaryName: '',
    useCustom: false,
    scope: 'file',
    versionMode: 'above',
    version: '',
    low: '',
    high: '',
    hashes: [emptyHashEntry()],
  }
}

/**
 * Values of the form for a new rule in a collection: a publisher condition, as the snap-in's
 * Conditions page starts (Packaged apps: publisher only).
 */
export function newRuleFormValues(type: CollectionType): RuleFormValues {
  const condition = emptyConditionForm('publisher')
  if (type === 'Appx') condition.scope = 'product'
  return {
    action: 'Allow',
    sid: 'S-1-1-0',
    condition,
    exceptions: [],
    name: '',
    description: '',
  }
}

function versionModeOf(low: string, high: string): { mode: VersionMode; version: string } | null {
  if (low === '*' && high === '*') return { mode: 'any', version: '' }
  if (low !== '*' && high === '*') return { mode: 'above', version: low }
  if (low === '*' && high !== '*') return { mode: 'below', version: high }
  if (low === high) return { mode: 'exactly', version: low }
  return null
}

/**
 * Form values showing a condition; picks the slider scope when the condition fits one, else custom
 * values. `appx`: packaged app rules, whose slider has no file-name level (BinaryName is "*").
 */
export function conditionToForm(c: Condition, appx = false): ConditionForm {
  const f = emptyConditionForm(c.kind)
  f.extra = c.extra
  switch (c.kind) {
    case 'path':
      f.path = c.path
      return f
    case 'hash':
      f.hashes = c.hashes.map((h) => ({
        type: h.type,
        data: h.data,
        fileName: h.sourceFileName ?? '',
        length: h.sourceFileLength ?? '',
        extra: h.extra,
      }))
      if (f.hashes.length === 0) f.hashes = [emptyHashEntry()]
      return f
    case 'publisher': {
      f.publisherName = c.publisherName
      f.productName = c.productName
      f.binaryName = c.binaryName
      const low = c.versionRange?.low ?? '*'
      const high = c.versionRange?.high ?? '*'
      const vm = versionModeOf(low, high)
      if (vm) {
        f.versionMode = vm.mode
        f.version = vm.version
      } else {
        f.versionMode = 'range'
        f.low = low
        f.high = high
      }
      if (vm?.mode === 'any') f.versionMode = 'above'
      const star = (s: string) => s === '*'
      const filled = (s: string) => s !== '' && s !== '*'
      const anyVersion = vm?.mode === 'any'
      let scope: PublisherScope | null = null
      if (star(c.publisherName)) scope = star(c.productName) && star(c.binaryName) && anyVersion ? 'any' : null
      else if (!filled(c.publisherName)) scope = null
      else if (anyVersion) {
        if (star(c.productName) && star(c.binaryName)) scope = 'publisher'
        else if (filled(c.productName) && star(c.binaryName)) scope = 'product'
        else if (filled(c.productName) && filled(c.binaryName)) scope = 'file'
      } else if (vm && vm.mode !== 'range' && filled(c.productName) && filled(c.binaryName)) scope = 'version'
      if (appx && filled(c.publisherName)) {
        // The packaged-app slider: Publisher / Package name / Package version, resource name "*".
        if (!star(c.binaryName)) scope = null
        else if (anyVersion) scope = star(c.productName) ? 'publisher' : filled(c.productName) ? 'product' : null
        else scope = vm && vm.mode !== 'range' && filled(c.productName) ? 'version' : null
      }
      if (scope) {
        f.scope = scope
        f.useCustom = false
      } else {
        f.useCustom = true
        if (vm?.mode === 'any') f.versionMode = 'any'
      }
      return f
    }
  }
}

export function ruleToFormValues(rule: Rule, type: CollectionType): RuleFormValues {
  return {
    action: rule.action,
    sid: rule.userOrGroupSid,
    condition: rule.condition ? conditionToForm(rule.condition, type === 'Appx') : emptyConditionForm(type === 'Appx' ? 'publisher' : rule.kind),
    exceptions: rule.exceptions.filter((e): e is Condition => e.kind !== 'unknown').map((e) => conditionToForm(e, type === 'Appx')),
    unknownExceptions: rule.exceptions.filter((e): e is UnknownElement => e.kind === 'unknown'),
    name: rule.name,
    description: rule.description,
  }
}

/** The version range a publisher form writes. */
export function formVersionRange(f: ConditionForm): { low: string; high: string } {
  const v = f.version.trim()
  const mode: VersionMode = f.useCustom ? f.versionMode : f.scope === 'version' ? f.versionMode : 'any'
  switch (mode) {
    case 'any':
      return { low: '*', high: '*' }
    case 'exactly':
      return { low: v, high: v }
    case 'above':
      return { low: v, high: '*' }
    case 'below':
      return { low: '*', high: v }
    case 'range':
      return { low: f.low.trim(), high: f.high.trim() }
  }
}

/** The condition the form describes (values trimmed; fields beyond the slider's scope written as "*"). */
export function formToCondition(f: ConditionForm, appx = false): Condition {
  const withExtra = <T extends object>(c: T): T => (f.extra ? { ...c, extra: f.extra } : c)
  switch (f.kind) {
    case 'path':
      return withExtra({ kind: 'path', path: f.path.trim() })
    case 'hash':
      return withExtra({
        kind: 'hash',
        hashes: f.hashes.map((h): FileHash => {
          const out: FileHash = { type: h.type || 'SHA256', data: h.data.trim() }
          if (h.fileName.trim()) out.sourceFileName = h.fileName.trim()
          if (h.length.trim()) out.sourceFileLength = h.length.trim()
          if (h.extra) out.extra = h.extra
          return out
        }),
      })
    case 'publisher': {
      const level = f.useCustom ? 4 : PUBLISHER_SCOPES.indexOf(f.scope)
      const pick = (value: string, needed: number) => (level >= needed ? value.trim() : '*')
      return withExtra({
        kind: 'publisher',
        publisherName: pick(f.publisherName, 1),
        productName: pick(f.productName, 2),
        binaryName: appx && !f.useCustom ? '*' : pick(f.binaryName, 3),
        versionRange: formVersionRange(f),
      })
    }
  }
}

/**
 * "Use custom values" ticked: the fields become editable holding what the rule had so far (fields
 * beyond the chosen level as "*", the version as the level chose it), so ticking alone never
 * changes the rule.
 */
export function withCustomValues(f: ConditionForm, appx = false): ConditionForm {
  const c = formToCondition(f, appx)
  if (c.kind !== 'publisher') return { ...f, useCustom: true }
  const low = c.versionRange?.low ?? '*'
  const high = c.versionRange?.high ?? '*'
  const vm = versionModeOf(low, high)
  return {
    ...f,
    useCustom: true,
    publisherName: c.publisherName,
    productName: c.productName,
    binaryName: c.binaryName,
    versionMode: vm ? vm.mode : 'range',
    version: vm && vm.mode !== 'any' ? vm.version : f.version,
    low: vm ? f.low : low,
    high: vm ? f.high : high,
  }
}

/** The name Windows would give the rule the form describes. */
export function formDefaultName(values: RuleFormValues, type: CollectionType): string {
  return defaultRuleName(formToCondition(values.condition, type === 'Appx'), values.action, type)
}

/**
 * The rule the form describes. Editing keeps the rule's Id, unknown attributes and elements, and
 * exceptions the model does not know; a new rule gets a fresh Id. An empty name becomes the default name.
 */
export function formToRule(values: RuleFormValues, type: CollectionType, original?: Rule): Rule {
  const appx = type === 'Appx'
  const condition = formToCondition(values.condition, appx)
  const kind = condition.kind
  const keepUnknown: ExceptionEntry[] = values.unknownExceptions ?? (original ? original.exceptions.filter((e) => e.kind === 'unknown') : [])
  const exceptions: ExceptionEntry[] = ruleKindHasExceptions(kind) ? [...values.exceptions.map((e) => formToCondition(e, appx)), ...keepUnknown] : []
  const base: Omit<FilePathRule, 'kind' | 'condition'> = {
    ...(original ?? {}),
    id: original?.id || newRuleId(),
    name: values.name.trim() || defaultRuleName(condition, values.action, type),
    description: values.description,
    userOrGroupSid: values.sid.trim(),
    action: values.action,
    exceptions,
  }
  if (original && original.kind !== kind) {
    delete base.conditionsExtra
    delete base.extraConditions
  }
  if (!ruleKindHasExceptions(kind)) {
    delete base.hasExceptionsElement
    delete base.exceptionsExtra
  }
  if (original?.extra) {
    // The user picked valid values for these attributes: drop the invalid raw values.
    const extra: Extra = { ...original.extra }
    if (extra.invalid) {
      const inv = { ...extra.invalid }
      delete inv.Action
      delete inv.UserOrGroupSid
      if (Object.keys(inv).length) extra.invalid = inv
      else delete extra.invalid
    }
    base.extra = extra
  }
  return ruleOfCondition(base, condition)
}

const VERSION_HINT = 'use four numbers separated by dots, e.g. 10.0.0.0'

function versionMissing(v: string, label: string): string | null {
  if (v.trim() === '') return `Enter the ${label}: ${VERSION_HINT}.`
  if (v.trim() === '*') return `"*" is not a version: ${VERSION_HINT}.`
  return null
}

/** The version mode a publisher form uses (fields beyond the slider's scope: any version). */
function versionModeOfForm(f: ConditionForm): VersionMode {
  return f.useCustom ? f.versionMode : f.scope === 'version' ? f.versionMode : 'any'
}

/**
 * What an unfinished form lacks, keyed by field path under `prefix`: an empty field the chosen
 * scope needs, "*" where the slider means a value. Windows' own verdict on the values is
 * ruleProblems' (validateRuleForm adds it).
 */
export function incompleteConditionForm(f: ConditionForm, prefix: string, errors: FormErrors, appx = false): void {
  switch (f.kind) {
    case 'path':
      if (f.path.trim() === '') errors[`${prefix}path`] = 'Enter a path, e.g. %PROGRAMFILES%\\Contoso\\*.'
      return
    case 'hash':
      f.hashes.forEach((h, i) => {
        if (h.data.trim() === '') errors[`${prefix}hashes.${i}.data`] = 'Enter the hash: 0x followed by 64 hexadecimal digits (SHA256).'
      })
      return
    case 'publisher': {
      const level = f.useCustom ? 4 : PUBLISHER_SCOPES.indexOf(f.scope)
      // Without custom values the fields are read-only: filled by a reference file.
      const fromFile = (label: string) => `Browse for a reference file to fill the ${label}, or tick "Use custom values" to type it.`
      const need = (value: string, field: string, label: string, needed: number) => {
        if (level < needed) return
        if (value.trim() === '')
          errors[`${prefix}${field}`] = f.useCustom ? `Enter the ${label}, or * for any.` : `${fromFile(label)} Or choose a wider scope.`
        else if (!f.useCustom && value.trim() === '*')
          errors[`${prefix}${field}`] = `* means any ${label}: choose a wider scope instead, or tick "Use custom values".`
      }
      need(f.publisherName, 'publisherName', 'publisher', 1)
      need(f.productName, 'productName', appx ? 'package name' : 'product name', 2)
      if (!appx || f.useCustom) need(f.binaryName, 'binaryName', appx ? 'package resource name' : 'file name', 3)
      const mode = versionModeOfForm(f)
      if (mode === 'range') {
        const lowP = versionMissing(f.low, 'lowest version')
        const highP = versionMissing(f.high, 'highest version')
        if (lowP) errors[`${prefix}low`] = lowP
        if (highP) errors[`${prefix}high`] = highP
      } else if (mode !== 'any') {
        const p = f.useCustom || f.version.trim() !== '' ? versionMissing(f.version, 'file version') : fromFile(appx ? 'package version' : 'file version')
        if (p) errors[`${prefix}version`] = p
      }
      return
    }
  }
}

/** What an unfinished form lacks (see incompleteConditionForm); the rest of the verdict is Windows'. */
export function incompleteRuleForm(values: RuleFormValues, type: CollectionType): FormErrors {
  const errors: FormErrors = {}
  if (values.sid.trim() === '') errors.sid = 'Choose a user or group, or enter a SID such as S-1-5-21-1004336348-1177238915-682003330-512.'
  const appx = type === 'Appx'
  incompleteConditionForm(values.condition, 'condition.', errors, appx)
  if (ruleKindHasExceptions(values.condition.kind)) values.exceptions.forEach((e, i) => incompleteConditionForm(e, `exceptions.${i}.`, errors, appx))
  return errors
}

/** The form field showing a field of the rule (ruleProblems' field path -> the form's). */
function formFieldOf(field: string, values: RuleFormValues): string {
  if (field === 'userOrGroupSid') return 'sid'
  if (field === 'kind' || field === 'condition') return 'condition.kind'
  if (field === 'id') return 'name'
  let prefix = 'condition.'
  let form: ConditionForm = values.condition
  let rest = field.slice('condition.'.length)
  const ex = /^exceptions\.(\d+)(?:\.(.*))?$/.exec(field)
  if (ex) {
    const i = Number(ex[1])
    if (i >= values.exceptions.length) return `unknownExceptions.${i - values.exceptions.length}`
    prefix = `exceptions.${i}.`
    form = values.exceptions[i]
    rest = ex[2] ?? 'path'
  } else if (!field.startsWith('condition.')) return field
  if (rest.startsWith('versionRange')) {
    if (versionModeOfForm(form) === 'range') return `${prefix}${rest.endsWith('.low') ? 'low' : 'high'}`
    return `${prefix}version`
  }
  const hash = /^hashes\.(\d+)\.(\w+)$/.exec(rest)
  if (hash) return `${prefix}hashes.${hash[1]}.${hash[2] === 'sourceFileLength' ? 'length' : hash[2] === 'sourceFileName' ? 'fileName' : hash[2]}`
  return `${prefix}${rest}`
}

/**
 * Every problem of the form; an empty object means it can be saved. The react-hook-form resolver of
 * the rule dialog. Windows' verdict comes from the one validator: the rule the form describes is
 * checked by ruleProblems (the same function validatePolicy uses at import and export), and each
 * error is shown at its field; an unfinished form (incompleteRuleForm) is refused as well.
 */
export function validateRuleForm(values: RuleFormValues, type: CollectionType): FormErrors {
  const errors = incompleteRuleForm(values, type)
  for (const p of ruleProblems(formToRule(values, type), type)) {
    if (p.severity !== 'error') continue
    const field = formFieldOf(p.field, values)
    if (!(field in errors)) errors[field] = p.message
  }
  return errors
}

/** Which step of the dialog shows a field, so a refused save can open the page with the first problem. */
export type RuleFormStep = 'permissions' | 'conditions' | 'condition' | 'exceptions' | 'name'

export function stepOfField(path: string): RuleFormStep {
  if (path === 'sid' || path === 'action') return 'permissions'
  if (path === 'condition.kind') return 'conditions'
  if (path.startsWith('condition.')) return 'condition'
  if (path.startsWith('exceptions.') || path.startsWith('unknownExceptions.')) return 'exceptions'
  return 'name'
}

/** Nested errors object in react-hook-form's shape ({ condition: { path: { type, message } } }). */
export function toNestedErrors(errors: FormErrors): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [path, message] of Object.entries(errors)) {
    const parts = path.split('.')
    let node: Record<string, unknown> = root
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = { type: 'validate', message }
      else {
        const next = parts[i + 1]
        if (!(part in node)) node[part] = /^\d+$/.test(next) ? [] : {}
        node = node[part] as Record<string, unknown>
      }
    })
  }
  return root
}

// ---------------------------------------------------------------------------------------------
// User or group picker
// ---------------------------------------------------------------------------------------------

/** "Everyone (S-1-1-0)" for a well-known SID, the SID itself otherwise. */
export function sidOptionText(sid: string): string {
  const name = sidDisplayName(sid)
  return name === sid ? sid : `${name} (${sid})`
}

/**
 * What a person typed in the user-or-group box, as a SID: a well-known name ("everyone",
 * "BUILTIN\Users"), "Name (S-1-...)", or a SID as typed (validated later).
 */
export function parseSidInput(text: string): string {
  const t = text.trim()
  const paren = /\((S-1-[0-9A-Fa-f-]+)\)\s*$/i.exec(t)
  if (paren) return paren[1]
  const lower = t.toLowerCase()
  const byName = WELL_KNOWN_SIDS.find((w) => w.name.toLowerCase() === lower || w.name.toLowerCase().split('\\').pop() === lower)
  return byName ? byName.sid : t
}
