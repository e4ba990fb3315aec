/**
 * The plain evaluator: walks every rule of the collection, one by one, with the simplest
 * possible matchers (regular expressions built on the spot). It is the executable reading of
 * APPLOCKER.md section 3 that the compiled engine (src/applocker/evaluate/compile.ts, decide.ts) is tested against.
 *
 * It shares no matching helper with the engine, or a bug would hide in both: its upper-casing,
 * path normalisation and resolution (`.`/`..`, quotes, `\\?\`), path forms, the collection a
 * file belongs to, the signer, the principal's SIDs and the rule's exceptions are written here
 * again, plainly. Only the shape of the answer is shared (outcome.ts: the mode, the explanation
 * and the Decision built from the verdicts), so both answers can be compared field by field.
 */
import type { CollectionType, Condition, Policy, Rule } from '../applocker/policy'
import { normalizeSid } from '../applocker/sids'
import {
  describeCondition as describeForVerdict,
  effectiveMode,
  describePrincipal,
  explain,
  mappedDriveStep,
  findingsFromVerdicts,
  nonUserProcessSid,
  packagedAppsBlockedByExe,
  toDecision,
  type Outcome,
  type RuleVerdict,
} from '../applocker/evaluate/outcome'
import {
  DEFAULT_MACHINE,
  type Decision,
  type DecideOptions,
  type FileFacts,
  type MachineSettings,
  type Principal,
  type PublisherFacts,
} from '../applocker/evaluate/types'

/**
 * Windows upper-cases one UTF-16 unit at a time (never `ß` -> `SS`, never a surrogate pair):
 * each unit becomes its own upper case when that is a single unit, else stays.
 */
function upper(s: string): string {
  const out: string[] = []
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i)
    const code = ch.charCodeAt(0)
    if (code >= 0xd800 && code <= 0xdfff) {
      out.push(ch)
      continue
    }
    const u = ch.toUpperCase()
    out.push(u.length === 1 ? u : ch)
  }
  return out.join('')
}

/** Hash text compared: no `0x`, upper case. */
function hashText(h: string | null | undefined): string | null {
  if (h === null || h === undefined) return null
  const t = upper(h.trim()).replace(/^0X/, '')
  return t === '' ? null : t
}

/** Without blanks and control characters (code units up to 32) at either end. */
function trimBlanks(t: string): string {
  let a = 0
  let b = t.length
  while (a < b && t.charCodeAt(a) <= 32) a++
  while (b > a && t.charCodeAt(b - 1) <= 32) b--
  return t.slice(a, b)
}

/** A path or pattern as compared: trimmed, `/` as `\`, upper case. */
function norm(path: string): string {
  return upper(trimBlanks(path).split('/').join('\\'))
}

const VARIABLES = ['%WINDIR%', '%SYSTEM32%', '%OSDRIVE%', '%PROGRAMFILES%', '%REMOVABLE%', '%HOT%']

function locationsOf(machine: MachineSettings): [string, string[]][] {
  const folder = (p: string) => norm(p).replace(/\\+$/, '')
  const drive = (d: string) => {
    const t = folder(d)
    return /^[A-Z]$/.test(t) ? `${t}:` : t
  }
  return [
    ['%WINDIR%', [folder(machine.windir)]],
    ['%SYSTEM32%', machine.system32.map(folder)],
    ['%OSDRIVE%', [drive(machine.osDrive)]],
    ['%PROGRAMFILES%', machine.programFiles.map(folder)],
    ['%REMOVABLE%', machine.removableDrives.map(drive)],
    ['%HOT%', machine.hotDrives.map(drive)],
  ]
}

/** Every form of the file's path: the real path, then each variable form of it. */
function formsOf(path: string, machine: MachineSettings): string[] {
  let p = norm(path)
  if (p.startsWith('"')) p = trimBlanks(p.replace(/^"|"$/g, ''))
  const locations = locationsOf(machine)
  const v = VARIABLES.find((x) => p === x || p.startsWith(`${x}\\`))
  if (v !== undefined) {
    const first = locations.find(([name]) => name === v)?.[1][0]
    if (first !== undefined) p = first + p.slice(v.length)
  }
  const real = resolvePath(p)
  const forms = [real]
  for (const [name, locs] of locations) {
    for (const loc of locs) {
      if (loc !== '' && (real === loc || real.startsWith(`${loc}\\`))) forms.push(name + real.slice(loc.length))
    }
  }
  return forms
}

/**
 * A file path as Windows resolves it before AppLocker sees it (APPLOCKER.md section 4): one pair
 * of surrounding quotes removed, `\\?\` (taken as it is) and `\\.\` prefixes removed
 * (`\\?\UNC\server\share` is `\\server\share`), empty, `.` and `..` segments resolved (never above
 * the drive or the `\\server\share`), trailing dots and spaces of the file name dropped.
 */
function resolvePath(path: string): string {
  let p = path
  if (p.length >= 2 && p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1).trim()
  else if (p.startsWith('"') || p.endsWith('"')) p = p.replace(/^"|"$/g, '').trim()
  for (const prefix of ['\\\\?\\UNC\\', '\\\\.\\UNC\\']) if (p.startsWith(prefix)) p = '\\\\' + p.slice(prefix.length)
  if (p.startsWith('\\\\?\\')) return p.slice(4)
  if (p.startsWith('\\\\.\\')) p = p.slice(4)
  const unc = p.startsWith('\\\\')
  const segments = (unc ? p.slice(2) : p).split('\\')
  let root: string[]
  if (unc) root = segments.splice(0, 2)
  else if (segments[0] === '' || /^[A-Z]:$/.test(segments[0])) root = segments.splice(0, 1)
  else root = []
  const rest: string[] = []
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1
    if ((seg === '' && !last) || seg === '.') return
    if (seg === '..') {
      if (rest.length > 0 && rest[rest.length - 1] !== '..') rest.pop()
      else if (root.length === 0) rest.push('..')
      return
    }
    rest.push(last ? seg.replace(/[. ]+$/, '') : seg)
  })
  const joined = [...root, ...rest].join('\\')
  return unc ? '\\\\' + joined : joined
}

/** Which collection governs each file type (APPLOCKER.md section 2), by upper-case extension. */
const COLLECTION_OF_EXTENSION: Record<string, CollectionType> = {
  '.EXE': 'Exe', '.COM': 'Exe', '.SCR': 'Exe',
  '.DLL': 'Dll', '.OCX': 'Dll', '.CPL': 'Dll',
  '.MSI': 'Msi', '.MSP': 'Msi', '.MST': 'Msi',
  '.PS1': 'Script', '.BAT': 'Script', '.CMD': 'Script', '.VBS': 'Script', '.JS': 'Script',
  '.APPX': 'Appx', '.MSIX': 'Appx', '.APPXBUNDLE': 'Appx', '.MSIXBUNDLE': 'Appx',
}

/** The extension of a name (upper case, with the dot) once trailing blanks, quotes and dots are dropped; '' when none. */
function extensionOf(name: string): string {
  let end = name.length
  while (end > 0 && (name.charCodeAt(end - 1) <= 32 || name[end - 1] === '"' || name[end - 1] === '.')) end--
  const trimmed = name.slice(0, end)
  const dot = trimmed.lastIndexOf('.')
  return dot < 0 ? '' : upper(trimmed.slice(dot))
}

/**
 * The extension that tells the file type: the last path segment's, or, for an alternate data
 * stream (`file.txt:evil.exe`), the stream name's when it has one (a drive's `C:` is no stream).
 */
function typeExtension(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? ''
  let parts = name.split(':')
  if (name === path && parts.length > 1 && /^[A-Za-z]$/.test(parts[0])) parts = parts.slice(1)
  if (parts.length === 1) return extensionOf(parts[0])
  return extensionOf(parts[1]) || extensionOf(parts[0])
}

function collectionOfPath(path: string): CollectionType | null {
  return COLLECTION_OF_EXTENSION[typeExtension(path)] ?? null
}

/** The collection for a file: a packaged app, the collection the file list names, a PE by its name (Dll or Exe), else the extension. */
function collectionOf(file: FileFacts): CollectionType | null {
  if (file.package) return 'Appx'
  const named = file.collection
  if (named === 'Exe' || named === 'Dll' || named === 'Msi' || named === 'Script' || named === 'Appx') return named
  const byPath = collectionOfPath(file.path)
  if (file.pe === true) return byPath === 'Dll' ? 'Dll' : 'Exe'
  if (file.pe === false && (byPath === 'Exe' || byPath === 'Dll')) return null
  return byPath
}

/** The signer of a file with a name (else unsigned), missing fields empty. */
function signer(file: FileFacts): PublisherFacts | null {
  const p = file.publisher
  if (!p || typeof p.name !== 'string' || p.name.trim() === '') return null
  return { name: p.name, product: p.product ?? '', binary: p.binary ?? '', version: p.version ?? '' }
}

/** Everyone, the user and each group, normalised. */
function sidsOf(principal: Principal): Set<string> {
  const sids = new Set<string>(['S-1-1-0'])
  if (principal.user) sids.add(normalizeSid(principal.user))
  for (const g of principal.groups) if (g) sids.add(normalizeSid(g))
  return sids
}

/** The rule's exceptions Windows applies (placeholders it keeps unread are skipped). */
function exceptionsOf(rule: Rule): Condition[] {
  return rule.exceptions.filter((e): e is Condition => e.kind === 'path' || e.kind === 'hash' || e.kind === 'publisher')
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function globToRegExp(pattern: string, questionMark: boolean): RegExp {
  let re = ''
  for (const ch of pattern) {
    if (ch === '*') re += '[\\s\\S]*'
    else if (ch === '?' && questionMark) re += '[\\s\\S]'
    else re += escapeRegExp(ch)
  }
  return new RegExp(`^${re}$`)
}

function versionParts(text: string): number[] | null {
  if (text.trim() === '') return [0, 0, 0, 0]
  const parts = text.trim().split('.')
  if (parts.some((p) => !/^[0-9]+$/.test(p))) return null
  return parts.map((p) => parseInt(p, 10))
}

function versionCompare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = i < a.length ? a[i] : 0
    const y = i < b.length ? b[i] : 0
    if (x < y) return -1
    if (x > y) return 1
  }
  return 0
}

function conditionMatches(c: Condition, file: FileFacts, machine: MachineSettings): boolean {
  switch (c.kind) {
    case 'path': {
      const re = globToRegExp(norm(c.path), false)
      return formsOf(file.path, machine).some((f) => re.test(f))
    }
    case 'hash': {
      const h = hashText(file.hash)
      if (h === null) return false
      return c.hashes.some((x) => hashText(x.data) === h)
    }
    case 'publisher': {
      const p = signer(file)
      if (!p) return false // unsigned files never match, not even PublisherName="*"
      if (c.publisherName !== '*' && upper(c.publisherName) !== upper(p.name)) return false
      if (c.productName !== '*' && upper(c.productName) !== upper(p.product)) return false
      if (c.binaryName !== '*' && c.binaryName !== '?' && !globToRegExp(upper(c.binaryName), true).test(upper(p.binary))) return false
      const r = c.versionRange
      if (!r) return true
      const lowAny = r.low.trim() === '*'
      const highAny = r.high.trim() === '*'
      const low = lowAny ? null : r.low.trim() === '' ? null : versionParts(r.low)
      const high = highAny ? null : r.high.trim() === '' ? null : versionParts(r.high)
      if ((!lowAny && low === null) || (!highAny && high === null)) return false
      if (lowAny && highAny) return true
      const v = versionParts(p.version)
      if (v === null) return false
      if (low && versionCompare(v, low) < 0) return false
      if (high && versionCompare(v, high) > 0) return false
      return true
    }
  }
}

function verdictFor(rule: Rule, file: FileFacts, sids: Set<string>, machine: MachineSettings): RuleVerdict {
  if (!sids.has(normalizeSid(rule.userOrGroupSid))) return { status: 'not-applicable' }
  if (!rule.condition || rule.condition.kind !== rule.kind) return { status: 'no-match' }
  if (!conditionMatches(rule.condition, file, machine)) return { status: 'no-match' }
  for (const e of exceptionsOf(rule)) {
    if (conditionMatches(e, file, machine)) return { status: 'excluded', exception: describeForVerdict(e) }
  }
  return { status: 'matched' }
}

/**
 * Decides one file for one principal by walking every rule. Same result as
 * `decide(compilePolicy(policy, machine), file, principal, options)`, only slower.
 */
export function decideReference(
  policy: Policy,
  given: FileFacts,
  principal: Principal,
  machine: MachineSettings = DEFAULT_MACHINE,
  options?: DecideOptions,
): Decision {
  // A file on a mapped or SUBST drive is decided as the path the drive stands for (AaronLocker).
  const drive = /^([A-Za-z]):(?:[\\/]|$)/.exec(given.path)
  const mapping = drive ? (machine.mappedDrives ?? []).find((m) => m.drive.trim().replace(/:$/, '').toUpperCase() === drive[1].toUpperCase()) : undefined
  const target = mapping?.target.trim().replace(/[\\/]+$/, '') ?? ''
  const file: FileFacts = target !== '' ? { ...given, path: target + given.path.slice(2).replace(/\//g, '\\') } : given
  const d = decideUnmapped(policy, file, principal, machine, options)
  if (file !== given && options?.explain !== false) d.explanation.steps.unshift(mappedDriveStep(given.path, file.path))
  return d
}

function decideUnmapped(policy: Policy, file: FileFacts, principal: Principal, machine: MachineSettings, options?: DecideOptions): Decision {
  const type = collectionOf(file)
  const packageInstall = type === 'Appx' && (file.packageInstall ?? collectionOfPath(file.path) === 'Appx')
  const base = {
    packageInstall,
    appIdServiceRunning: machine.appIdServiceRunning,
    packagedAppsBlocked: false,
    rule: null,
    powershell: type === 'Script' && typeExtension(file.path) === '.PS1',
    nonUserSid: nonUserProcessSid(principal),
  }
  const explained = (o: Outcome, rules: readonly Rule[] = [], verdicts: readonly RuleVerdict[] = [], principalText?: string) =>
    toDecision(o, options?.explain === false ? undefined : explain(o, file, principal, findingsFromVerdicts(rules, verdicts), principalText))
  if (type === null) {
    return explained({ ...base, collection: null, present: false, ruleCount: 0, mode: null, policyMode: null, decision: 'AllowedByDefault' })
  }
  const coll = policy.collections.find((c) => c.type === type)
  const mode = coll ? effectiveMode(type, coll.enforcementMode, options) : null
  const rules = coll ? coll.rules : []
  const common = {
    ...base,
    collection: type,
    present: coll !== undefined,
    ruleCount: rules.length,
    mode,
    policyMode: coll ? coll.enforcementMode : null,
    servicesMode: coll?.extensions?.services?.enforcementMode ?? null,
  }

  if (type === 'Appx' && rules.length === 0) {
    const exe = policy.collections.find((c) => c.type === 'Exe')
    const exeMode = exe ? effectiveMode('Exe', exe.enforcementMode, options) : null
    if (packagedAppsBlockedByExe(exe ? exe.rules.length : 0, exeMode)) {
      return explained({ ...common, decision: 'DeniedByDefault', packagedAppsBlocked: true, exeMode })
    }
  }
  if (rules.length === 0) return explained({ ...common, decision: 'AllowedByDefault' })

  const sids = sidsOf(principal)
  // An administrator running unelevated counts in Administrators for Executable rules only (AaronLocker);
  // elsewhere the group is deny-only: a matching Deny rule for it decides, Allow rules for it do not apply.
  // (Only the group: a user SID stays what it is.)
  if (principal.elevated === false && type !== 'Exe' && normalizeSid(principal.user ?? '') !== 'S-1-5-32-544' && principal.groups.some((g) => normalizeSid(g) === 'S-1-5-32-544')) {
    const all = rules.map((r) => verdictFor(r, file, sids, machine))
    const deny = rules.find((r, i) => all[i].status === 'matched' && r.action === 'Deny')
    if (deny) return explained({ ...common, decision: 'Denied', rule: deny }, rules, all, describePrincipal(principal))
    sids.delete('S-1-5-32-544')
  }
  const verdicts = rules.map((r) => verdictFor(r, file, sids, machine))
  const firstDeny = rules.find((r, i) => verdicts[i].status === 'matched' && r.action === 'Deny')
  const firstAllow = rules.find((r, i) => verdicts[i].status === 'matched' && r.action !== 'Deny')
  const o: Outcome = firstDeny
    ? { ...common, decision: 'Denied', rule: firstDeny }
    : firstAllow
      ? { ...common, decision: 'Allowed', rule: firstAllow }
      : { ...common, decision: 'DeniedByDefault' }
  return explained(o, rules, verdicts)
}
