/**
 * The plain evaluator: walks every rule of the collection, one by one, with the simplest
 * possible matchers (regular expressions built on the spot). It is the executable reading of
 * APPLOCKER.md section 3 that the compiled engine (src/applocker/evaluate/compile.ts, decide.ts) is tested against.
 *
 * It shares no matching helper with the engine: its upper-casing, path normalisation and path
 * forms are written here again, plainly (only the path resolution of `.`/`..` segments,
 * canonicalFilePath, which matches nothing, is shared).
 */
import type { Condition, Policy, Rule } from '../applocker/policy'
import { normalizeSid } from '../applocker/sids'
import { collectionForFile, isPackageInstall, isPowerShellScript } from '../applocker/evaluate/collection'
import {
  describeCondition as describeForVerdict,
  effectiveMode,
  explain,
  findingsFromVerdicts,
  nonUserProcessSid,
  packagedAppsBlockedByExe,
  principalSids,
  ruleExceptions,
  signerOf,
  toDecision,
  type Outcome,
  type RuleVerdict,
} from '../applocker/evaluate/outcome'
import { canonicalFilePath } from '../applocker/evaluate/paths'
import { DEFAULT_MACHINE, type Decision, type DecideOptions, type FileFacts, type MachineSettings, type Principal } from '../applocker/evaluate/types'

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
  const real = canonicalFilePath(p)
  const forms = [real]
  for (const [name, locs] of locations) {
    for (const loc of locs) {
      if (loc !== '' && (real === loc || real.startsWith(`${loc}\\`))) forms.push(name + real.slice(loc.length))
    }
  }
  return forms
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
      const p = signerOf(file)
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
  for (const e of ruleExceptions(rule)) {
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
  file: FileFacts,
  principal: Principal,
  machine: MachineSettings = DEFAULT_MACHINE,
  options?: DecideOptions,
): Decision {
  const type = collectionForFile(file)
  const packageInstall = type === 'Appx' && isPackageInstall(file)
  const base = {
    packageInstall,
    appIdServiceRunning: machine.appIdServiceRunning,
    packagedAppsBlocked: false,
    rule: null,
    powershell: type === 'Script' && isPowerShellScript(file.path),
    nonUserSid: nonUserProcessSid(principal),
  }
  const explained = (o: Outcome, rules: readonly Rule[] = [], verdicts: readonly RuleVerdict[] = []) =>
    toDecision(o, options?.explain === false ? undefined : explain(o, file, principal, findingsFromVerdicts(rules, verdicts)))
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

  const sids = principalSids(principal)
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
