/// <reference lib="webworker" />
/**
 * The inventory simulation Worker: reads inventory files and decides every file against the
 * policy in slices, reporting progress after each slice and stopping when cancelled, so the page
 * never freezes however large the inventory is.
 */
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import { readInventory } from '../applocker/inventory/read'
import type { CollectionType, EnforcementMode, Policy } from '../applocker/policy'
import type { MachineSettings } from '../applocker/evaluate/types'
import { SLICE_SIZE, type FromWorker, type ToWorker } from '../applocker/simulate/protocol'
import { ResultsBuilder, resultBuffers, type SimRow, type SimulationResults } from '../applocker/simulate/results'
import { simulateSlice, type PrincipalChoice } from '../applocker/simulate/run'

declare const self: DedicatedWorkerGlobalScope

let rows: SimRow[] = []
const cancelled = new Set<number>()
let latestRun = 0

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer)
}

/** Lets queued messages (cancel, a newer run) in between slices. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => resolve()
    ch.port2.postMessage(null)
  })
}

async function simulate(
  id: number,
  policy: Policy,
  machine: MachineSettings,
  choice: PrincipalChoice,
  phase: 'current' | 'compare',
  total: number,
  offset: number,
  whatIf?: Partial<Record<CollectionType, EnforcementMode>>,
): Promise<SimulationResults | null> {
  const compiled = compilePolicy(policy, machine)
  const builder = new ResultsBuilder(rows.length)
  for (let from = 0; from < rows.length; from += SLICE_SIZE) {
    const to = Math.min(rows.length, from + SLICE_SIZE)
    simulateSlice({ decide }, compiled, rows, choice, builder, from, to, whatIf)
    post({ type: 'progress', id, done: offset + to, total, phase })
    await yieldToMessages()
    if (cancelled.has(id) || id !== latestRun) return null
  }
  return builder.results
}

async function run(msg: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const started = performance.now()
  const total = rows.length * (msg.compare ? 2 : 1)
  post({ type: 'progress', id: msg.id, done: 0, total, phase: 'current' })
  const results = await simulate(msg.id, msg.policy, msg.machine, msg.choice, 'current', total, 0, msg.modeOverride)
  let compare: SimulationResults | null = null
  if (results && msg.compare) compare = await simulate(msg.id, msg.compare, msg.machine, msg.choice, 'compare', total, rows.length, msg.modeOverride)
  if (!results || (msg.compare && !compare)) {
    cancelled.delete(msg.id)
    post({ type: 'cancelled', id: msg.id })
    return
  }
  const transfer = [...resultBuffers(results), ...(compare ? resultBuffers(compare) : [])]
  post({ type: 'done', id: msg.id, results, compare, ms: Math.round(performance.now() - started) }, transfer)
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data
  try {
    if (msg.type === 'load') {
      const result = readInventory(new Uint8Array(msg.bytes), { machine: msg.machine })
      rows = result.value ?? []
      post({ type: 'inventory', id: msg.id, name: msg.name, format: result.format ?? 'unknown', rows, diagnostics: result.diagnostics })
    } else if (msg.type === 'run') {
      latestRun = msg.id
      void run(msg).catch((err: unknown) => post({ type: 'error', id: msg.id, message: String(err instanceof Error ? err.message : err) }))
    } else if (msg.type === 'cancel') {
      cancelled.add(msg.id)
    }
  } catch (err) {
    post({ type: 'error', id: msg.id, message: String(err instanceof Error ? err.message : err) })
  }
}
