/**
 * One file's decision, explained, for Test a file and the simulation's explanation panel, in the
 * decision Worker (decide.worker.ts). Compiling a policy takes about a second at 50,000 rules, which
 * froze the page when Test a file opened, after each edit while it was open, and when a simulated file
 * was chosen. The Worker keeps the latest compiled policy; a decision asked after a compile waits for it,
 * and a decision asked for an older compile is refused as cancelled (its asker has moved on).
 * Called through src/lib/rpc.ts by src/lib/decisionClient.ts.
 */
import { compilePolicy, type CompiledPolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import type { Decision, DecideOptions, FileFacts, MachineSettings, Principal } from '../applocker/evaluate/types'
import { ruleCount, type EnforcementMode, type Policy } from '../applocker/policy'
import { abortError } from '../lib/rpc'

export interface CompileRequest {
  /** Numbers the compiles: decisions name the one they are for. */
  generation: number
  /** The policy as its JSON (src/lib/policyJson.ts). */
  policy: Blob
  machine: MachineSettings
}

export interface DecisionRequest {
  generation: number
  file: FileFacts
  principal: Principal
  options?: DecideOptions
  /** Also decide under the other of Enforce rules and Audit only for the file's collection (no explanation). */
  otherMode?: boolean
}

export interface DecisionAnswer {
  decision: Decision
  /** The other mode and the decision under it, when asked and the collection has a mode. */
  other: { mode: EnforcementMode; decision: Decision } | null
}

/** The other of Enforce rules and Audit only, for a decision whose collection is in the policy. */
export function otherModeOf(d: Decision): EnforcementMode | null {
  if (!d.collection || d.mode === null) return null
  return d.mode === 'AuditOnly' ? 'Enabled' : 'AuditOnly'
}

let latest: { generation: number; compiled: Promise<CompiledPolicy> } | null = null

export const decideApi = {
  /** Compiles a policy for a machine and keeps it (in place of the one before); answers with its rule count. */
  compile: async (request: CompileRequest): Promise<number> => {
    const policy = request.policy.text().then((text) => JSON.parse(text) as Policy)
    const compiled = policy.then((p) => compilePolicy(p, request.machine))
    latest = { generation: request.generation, compiled }
    await compiled
    return ruleCount(await policy)
  },

  /** Decides one file over the compile it names (after that compile is done). */
  decide: async (request: DecisionRequest): Promise<DecisionAnswer> => {
    if (!latest || latest.generation !== request.generation) throw abortError()
    const compiled = await latest.compiled
    if (latest.generation !== request.generation) throw abortError()
    const decision = decide(compiled, request.file, request.principal, request.options)
    const mode = request.otherMode ? otherModeOf(decision) : null
    const other = mode && decision.collection ? { mode, decision: decide(compiled, request.file, request.principal, { explain: false, modeOverride: { ...request.options?.modeOverride, [decision.collection]: mode } }) } : null
    return { decision, other }
  },
}

export type DecideApi = typeof decideApi
