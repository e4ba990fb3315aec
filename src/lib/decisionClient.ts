/**
 * One file's explained decision, worked out in the decision Worker (src/workers/decide.api.ts): the page
 * never compiles a policy itself (about a second at 50,000 rules). The policy goes as its JSON Blob
 * (policyJson.ts, made in slices and shared with the browser save), and is compiled again only when
 * another policy or machine is asked for.
 */
import type { MachineSettings } from '../applocker/evaluate/types'
import type { Policy } from '../applocker/policy'
import type { DecideApi, DecisionAnswer, DecisionRequest } from '../workers/decide.api'
import { policyJsonBlob } from './policyJson'
import { abortError, connect } from './rpc'

export type { DecisionAnswer, DecisionRequest }

const worker = connect<DecideApi>(
  () => new Worker(new URL('../workers/decide.worker.ts', import.meta.url), { type: 'module' }),
  // Where there are no Workers (unit tests), or the Worker fails, the same handlers run in the page.
  () => import('../workers/decide.api').then((m) => m.decideApi),
)

let generation = 0
/** The compile last asked for, and when its request has been posted (a decision is posted after it). */
let compiled: { policy: Policy; machine: MachineSettings; generation: number; posted: Promise<void> } | null = null

function compileFor(policy: Policy, machine: MachineSettings): { generation: number; posted: Promise<void> } {
  if (compiled && compiled.policy === policy && compiled.machine === machine) return compiled
  const g = ++generation
  const posted = policyJsonBlob(policy).then((blob) => {
    // Its answer is not awaited: the decision that follows waits for the compile in the Worker.
    worker.call('compile', { generation: g, policy: blob, machine }).catch(() => {})
  })
  compiled = { policy, machine, generation: g, posted }
  return compiled
}

/** The decision for `request` over `policy` on `machine`; rejects with an AbortError when cancelled or outdated. */
export async function decideInWorker(policy: Policy, machine: MachineSettings, request: Omit<DecisionRequest, 'generation'>, signal: AbortSignal): Promise<DecisionAnswer> {
  const c = compileFor(policy, machine)
  await c.posted
  if (signal.aborted) throw abortError()
  return worker.call('decide', { ...request, generation: c.generation }, { signal })
}
