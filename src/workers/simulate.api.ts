/**
 * Inventory simulation, for the simulation Worker (simulate.worker.ts): reads inventory files and decides
 * every file against the policy in slices, reporting progress after each slice and stopping when the
 * call's AbortSignal says so, so the page never freezes however large the inventory is. The Worker keeps
 * the loaded rows between `load` and `run`. Called through src/lib/rpc.ts by src/store/simulation.ts.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import type { MachineSettings } from '../applocker/evaluate/types'
import { readInventory } from '../applocker/inventory/read'
import { inventoryFacets, proposeRulesFromInventory, type InventoryFacets, type InventoryRulesOptions, type InventorySelection } from '../applocker/inventory-rules'
import type { Proposal } from '../applocker/generate'
import type { CollectionType, EnforcementMode, Policy } from '../applocker/policy'
import { SLICE_SIZE } from '../applocker/simulate/protocol'
import { ResultsBuilder, resultBuffers, type SimRow, type SimulationResults } from '../applocker/simulate/results'
import { simulateSlice, type PrincipalChoice } from '../applocker/simulate/run'
import { abortError, type CallContext } from '../lib/rpc'

export interface LoadRequest {
  name: string
  /** The file's bytes (transferred). */
  bytes: ArrayBuffer
  machine: MachineSettings
}

/** What `load` answers; the rows themselves come before it as events (LoadedSlice). */
export interface LoadedRows {
  name: string
  format: string
  /** How many rows the events carried. */
  count: number
  diagnostics: Diagnostic[]
  /** The kinds, collections and users of the rows (what "Create rules from these files..." offers). */
  facets: InventoryFacets
}

/**
 * Rows of a loaded inventory, in order. They cross to the page LOAD_SLICE at a time, each slice in a
 * message of its own: the page copies one slice per task (the 100,000 rows of one message took it
 * about 100 ms in one task).
 */
export interface LoadedSlice {
  rows: SimRow[]
}

const LOAD_SLICE = 5_000

export interface RunRequest {
  /** The policy as its JSON (src/lib/policyJson.ts). */
  policy: Blob
  /** The other policy of "What changes" (its JSON), decided after `policy`. */
  compare: Blob | null
  choice: PrincipalChoice
  machine: MachineSettings
  /** What-if enforcement modes used instead of the policy's (both policies); the policy itself is not changed. */
  modeOverride?: Partial<Record<CollectionType, EnforcementMode>>
}

export interface RunProgress {
  done: number
  total: number
  phase: 'current' | 'compare'
}

export interface RunResult {
  results: SimulationResults
  compare: SimulationResults | null
  ms: number
}

/** "Create rules from these files...": rules proposed for the chosen rows of the loaded inventory. */
export interface ProposeRequest {
  selection: InventorySelection
  options: Omit<InventoryRulesOptions, 'existing'>
  /** The open policy as its JSON (src/lib/policyJson.ts): proposals it already has are flagged. */
  existing: Blob
  /** How many rows the page holds: a Worker that lost them (restarted) refuses rather than propose from none. */
  count: number
}

/** The proposal, with the rows chosen counted (their indices stay in the Worker). */
export interface InventoryRulesProposal extends Proposal {
  selected: number
  distinct: number
}

let rows: SimRow[] = []

async function policyOf(json: Blob): Promise<Policy> {
  return JSON.parse(await json.text()) as Policy
}

/** Lets queued messages (a cancel) in between slices. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => resolve()
    ch.port2.postMessage(null)
  })
}

async function simulate(
  ctx: CallContext<RunProgress>,
  policy: Policy,
  request: RunRequest,
  phase: 'current' | 'compare',
  total: number,
  offset: number,
): Promise<SimulationResults> {
  const compiled = compilePolicy(policy, request.machine)
  const builder = new ResultsBuilder(rows.length)
  for (let from = 0; from < rows.length; from += SLICE_SIZE) {
    const to = Math.min(rows.length, from + SLICE_SIZE)
    simulateSlice({ decide }, compiled, rows, request.choice, builder, from, to, request.modeOverride)
    ctx.emit({ done: offset + to, total, phase })
    await yieldToMessages()
    if (ctx.signal.aborted) throw abortError()
  }
  return builder.results
}

export const simulateApi = {
  /** Reads an inventory file; its rows go to the page in slices (events) and stay in the Worker for the runs that follow. */
  load: (request: LoadRequest, ctx: CallContext<LoadedSlice>): LoadedRows => {
    const result = readInventory(new Uint8Array(request.bytes), { machine: request.machine })
    rows = result.value ?? []
    for (let from = 0; from < rows.length; from += LOAD_SLICE) ctx.emit({ rows: rows.slice(from, from + LOAD_SLICE) })
    return { name: request.name, format: result.format ?? 'unknown', count: rows.length, diagnostics: result.diagnostics, facets: inventoryFacets(rows) }
  },

  /**
   * Proposes rules for the chosen rows, here rather than on the page: for 100,000 rows the proposal
   * takes about half a second, and "Create rules from these files..." makes one at each change of its options.
   */
  propose: async (request: ProposeRequest, ctx: CallContext<never>): Promise<InventoryRulesProposal> => {
    if (request.count !== rows.length) throw new Error(`The simulation worker holds ${rows.length} of the inventory's ${request.count} rows; load the inventory again.`)
    const existing = await policyOf(request.existing)
    if (ctx.signal.aborted) throw abortError()
    const p = proposeRulesFromInventory(rows, request.selection, { ...request.options, existing })
    return { rules: p.rules, notes: p.notes, selected: p.selected.length, distinct: p.distinct }
  },

  /** Decides the loaded rows against `policy` (and `compare`); progress after each slice. */
  run: async (request: RunRequest, ctx: CallContext<RunProgress>): Promise<RunResult> => {
    const started = performance.now()
    const total = rows.length * (request.compare ? 2 : 1)
    ctx.emit({ done: 0, total, phase: 'current' })
    const results = await simulate(ctx, await policyOf(request.policy), request, 'current', total, 0)
    const compare = request.compare ? await simulate(ctx, await policyOf(request.compare), request, 'compare', total, rows.length) : null
    ctx.transfer(...resultBuffers(results), ...(compare ? resultBuffers(compare) : []))
    return { results, compare, ms: Math.round(performance.now() - started) }
  },
}

export type SimulateApi = typeof simulateApi
