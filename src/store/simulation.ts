/**
 * Inventory simulation: the loaded inventory, who it is tested for, the comparison policy, and the
 * results of the latest run. The work happens in a Worker (src/workers/simulate.worker.ts); this
 * store owns it, starts and cancels runs, and keeps the results the views read.
 */
import { create } from 'zustand'
import type { Diagnostic } from '../applocker/diagnostics'
import type { CollectionType, EnforcementMode, Policy } from '../applocker/policy'
import { DEFAULT_MACHINE, type MachineSettings } from '../applocker/evaluate/types'
import type { FromWorker, ToWorker } from '../applocker/simulate/protocol'
import type { SimRow, SimulationResults } from '../applocker/simulate/results'
import { DEFAULT_PRINCIPAL_CHOICE, type PrincipalChoice } from '../applocker/simulate/run'

export interface LoadedInventory {
  name: string
  /** 'files-json' | 'csv' | 'events' (as the reader names it). */
  format: string
  rows: SimRow[]
  /** Rows skipped or doubtful, with their line. */
  diagnostics: Diagnostic[]
}

export type CompareSource = 'none' | 'previous' | 'file'

export interface RunState {
  status: 'idle' | 'loading' | 'running' | 'done' | 'cancelled' | 'error'
  done: number
  total: number
  /** Milliseconds of the last completed run. */
  ms: number | null
  error: string | null
}

export interface SimulationState {
  inventory: LoadedInventory | null
  choice: PrincipalChoice
  machine: MachineSettings
  /**
   * What-if enforcement modes ("Enforce rules versus Audit only"): the simulation uses them instead of the
   * policy's, and the policy is not touched until "Apply to policy".
   */
  whatIf: Partial<Record<CollectionType, EnforcementMode>>
  /** The other policy of "What changes". */
  compare: { source: CompareSource; name: string; policy: Policy | null; stamp: number }
  run: RunState
  results: SimulationResults | null
  compareResults: SimulationResults | null
  /** The key (document revision, principal, comparison) of the latest started run. */
  runKey: string | null
  /** The key of the run the results belong to. */
  resultsKey: string | null

  loadInventory: (file: File) => Promise<void>
  /** Starts a run for `policy` (and `compare`, for "What changes"); a run in progress is cancelled first. */
  start: (policy: Policy, compare: Policy | null, key: string) => void
  cancel: () => void
  setChoice: (choice: Partial<PrincipalChoice>) => void
  /** The simulated Windows machine (drive letters, AppIDSvc); used by Test a file too. */
  setMachine: (machine: Partial<MachineSettings>) => void
  setCompare: (source: CompareSource, name?: string, policy?: Policy | null) => void
  /** Sets (or with null clears) the what-if mode of a collection. */
  setWhatIf: (type: CollectionType, mode: EnforcementMode | null) => void
  clearWhatIf: () => void
  clearInventory: () => void
}

let worker: Worker | null = null
let nextId = 1
let activeRun = 0
let activeLoad = 0
const loadWaiters = new Map<number, () => void>()

function getWorker(): Worker {
  if (worker) return worker
  worker = new Worker(new URL('../workers/simulate.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data)
  worker.onerror = (e) => {
    useSimulation.setState((s) => ({ run: { ...s.run, status: 'error', error: e.message || 'The simulation worker failed.' } }))
  }
  return worker
}

function send(msg: ToWorker, transfer: Transferable[] = []): void {
  getWorker().postMessage(msg, transfer)
}

function onMessage(msg: FromWorker): void {
  const set = useSimulation.setState
  switch (msg.type) {
    case 'inventory':
      if (msg.id !== activeLoad) return
      set({
        inventory: { name: msg.name, format: msg.format, rows: msg.rows, diagnostics: msg.diagnostics },
        results: null,
        compareResults: null,
        runKey: null,
        resultsKey: null,
        run: { status: 'idle', done: 0, total: 0, ms: null, error: null },
      })
      loadWaiters.get(msg.id)?.()
      loadWaiters.delete(msg.id)
      return
    case 'progress':
      if (msg.id !== activeRun) return
      set((s) => ({ run: { ...s.run, status: 'running', done: msg.done, total: msg.total } }))
      return
    case 'done':
      if (msg.id !== activeRun) return
      set((s) => ({
        results: msg.results,
        compareResults: msg.compare,
        resultsKey: s.runKey,
        run: { ...s.run, status: 'done', done: s.run.total, ms: msg.ms, error: null },
      }))
      return
    case 'cancelled':
      if (msg.id !== activeRun) return
      set((s) => ({ run: { ...s.run, status: 'cancelled' } }))
      return
    case 'error':
      if (msg.id !== activeRun && msg.id !== activeLoad) return
      set((s) => ({ run: { ...s.run, status: 'error', error: msg.message } }))
      loadWaiters.get(msg.id)?.()
      loadWaiters.delete(msg.id)
      return
  }
}

export const useSimulation = create<SimulationState>()((set, get) => ({
  inventory: null,
  choice: DEFAULT_PRINCIPAL_CHOICE,
  machine: DEFAULT_MACHINE,
  whatIf: {},
  compare: { source: 'none', name: '', policy: null, stamp: 0 },
  run: { status: 'idle', done: 0, total: 0, ms: null, error: null },
  results: null,
  compareResults: null,
  runKey: null,
  resultsKey: null,

  loadInventory: async (file) => {
    if (activeRun && get().run.status === 'running') get().cancel()
    const id = nextId++
    activeLoad = id
    set((s) => ({ run: { ...s.run, status: 'loading', error: null } }))
    const bytes = await file.arrayBuffer()
    await new Promise<void>((resolve) => {
      loadWaiters.set(id, resolve)
      send({ type: 'load', id, name: file.name, bytes, machine: get().machine }, [bytes])
    })
  },

  start: (policy, compare, key) => {
    const s = get()
    if (!s.inventory) return
    if (activeRun && s.run.status === 'running') send({ type: 'cancel', id: activeRun })
    const id = nextId++
    activeRun = id
    set({ runKey: key, run: { status: 'running', done: 0, total: s.inventory.rows.length * (compare ? 2 : 1), ms: null, error: null } })
    send({ type: 'run', id, policy, compare, choice: s.choice, machine: s.machine, modeOverride: s.whatIf })
  },

  cancel: () => {
    if (!activeRun) return
    send({ type: 'cancel', id: activeRun })
  },

  setChoice: (choice) => set((s) => ({ choice: { ...s.choice, ...choice } })),

  setMachine: (machine) => set((s) => ({ machine: { ...s.machine, ...machine } })),

  setCompare: (source, name = '', policy = null) => set((s) => ({ compare: { source, name, policy, stamp: s.compare.stamp + 1 } })),

  setWhatIf: (type, mode) =>
    set((s) => {
      const whatIf = { ...s.whatIf }
      if (mode === null) delete whatIf[type]
      else whatIf[type] = mode
      return { whatIf }
    }),

  clearWhatIf: () => set({ whatIf: {} }),

  clearInventory: () => {
    if (activeRun && get().run.status === 'running') get().cancel()
    set({ inventory: null, results: null, compareResults: null, runKey: null, resultsKey: null, run: { status: 'idle', done: 0, total: 0, ms: null, error: null } })
  },
}))
