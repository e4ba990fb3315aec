/**
 * The plain evaluator: walks every rule of the collection, one by one, with the simplest
 * possible matchers (regular expressions built on the spot). It is the executable reading of
 * APPLOCKER.md section 3 that the compiled engine (compile.ts, decide.ts) is tested against.
 */
import type { Condition, Policy, Rule } from '../policy'
import { normalizeSid } from '../sids'
import { collectionForFile, isPackageInstall } from './collection'
import {
  describeCondition as describeForVerdict,
  effectiveMode,
  explain,
  hashKey,
  packagedAppsBlockedByExe,
  principalSids,
  ruleExceptions,
  signerOf,
  toDecision,
  type Outcome,
  type RuleVerdict,
} from './outcome'
import { normalizePathText, pathForms, prepareMachine } from './paths'
import { DEFAULT_MACHINE, type Decision, type DecideOptions, type FileFacts, type MachineSettings, type Principal } from './types'

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
      const re = globToRegExp(normalizePathText(c.path), false)
      return pathForms(file.path, prepareMachine(machine)).some((f) => re.test(f))
    }
    case 'hash': {
      const h = hashKey(file.hash)
      if (h === null) return false
      return c.hashes.some((x) => hashKey(x.data) === h)
    }
    case 'publisher': {
      const p = signerOf(file)
      if (!p) return false // unsigned files never match, not even PublisherName="*"
      if (c.publisherName !== '*' && c.publisherName.toUpperCase() !== p.name.toUpperCase()) return false
      if (c.productName !== '*' && c.productName.toUpperCase() !== p.product.toUpperCase()) return false
      if (c.binaryName !== '*' && c.binaryName !== '?' && !globToRegExp(c.binaryName.toUpperCase(), true).test(p.binary.toUpperCase()))
        return false
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
  }
  if (type === null) {
    const o: Outcome = { ...base, collection: null, present: false, ruleCount: 0, mode: null, policyMode: null, decision: 'AllowedByDefault' }
    return toDecision(o, options?.explain === false ? undefined : explain(o, file, principal, [], []))
  }
  const coll = policy.collections.find((c) => c.type === type)
  const mode = coll ? effectiveMode(type, coll.enforcementMode, options) : null
  const rules = coll ? coll.rules : []
  const common = { ...base, collection: type, present: coll !== undefined, ruleCount: rules.length, mode, policyMode: coll ? coll.enforcementMode : null }

  if (type === 'Appx' && rules.length === 0) {
    const exe = policy.collections.find((c) => c.type === 'Exe')
    const exeMode = exe ? effectiveMode('Exe', exe.enforcementMode, options) : null
    if (packagedAppsBlockedByExe(exe ? exe.rules.length : 0, exeMode)) {
      const o: Outcome = { ...common, decision: 'DeniedByDefault', packagedAppsBlocked: true, exeMode }
      return toDecision(o, options?.explain === false ? undefined : explain(o, file, principal, [], []))
    }
  }
  if (rules.length === 0) {
    const o: Outcome = { ...common, decision: 'AllowedByDefault' }
    return toDecision(o, options?.explain === false ? undefined : explain(o, file, principal, [], []))
  }

  const sids = principalSids(principal)
  const verdicts = rules.map((r) => verdictFor(r, file, sids, machine))
  const firstDeny = rules.find((r, i) => verdicts[i].status === 'matched' && r.action === 'Deny')
  const firstAllow = rules.find((r, i) => verdicts[i].status === 'matched' && r.action === 'Allow')
  const o: Outcome = firstDeny
    ? { ...common, decision: 'Denied', rule: firstDeny }
    : firstAllow
      ? { ...common, decision: 'Allowed', rule: firstAllow }
      : { ...common, decision: 'DeniedByDefault' }
  return toDecision(o, options?.explain === false ? undefined : explain(o, file, principal, rules, verdicts))
}
