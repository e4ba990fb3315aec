/**
 * Inventory simulation: the loaded inventory, who it is tested for, the comparison policy, and the
 * results of the latest run. The work happens in a Worker (src/workers/simulate.api.ts) reached through
 * the typed client of src/lib/rpc.ts; this store owns it, starts and cancels runs, keeps the results the
 * views read, and holds the re-run rule: while the view follows it (`follow`), a change of the policy,
 * the principal, the machine, the what-if modes or the comparison starts a new run (debounced while editing).
 */
import { create } from 'zustand'
import type { Diagnostic } from '../applocker/diagnostics'
import type { CollectionType, EnforcementMode, Policy } from '../applocker/policy'
import { DEFAULT_MACHINE, type MachineSettings } from '../applocker/evaluate/types'
import type { SimRow, SimulationResults } from '../applocker/simulate/results'
import { DEFAULT_PRINCIPAL_CHOICE, type PrincipalChoice } from '../applocker/simulate/run'
import { connect, isAbortError } from '../lib/rpc'
import type { InventoryRulesProposal, RunRequest, SimulateApi } from '../workers/simulate.api'
import type { InventoryFacets, InventoryRulesOptions, InventorySelection } from '../applocker/inventory-rules'
import { policyJsonBlob } from '../lib/policyJson'
import { useDocument } from './document'

export type { InventoryRulesProposal }

export interface LoadedInventory {
  name: string
  /** 'files-json' | 'csv' | 'events' (as the reader names it). */
  format: string
  rows: SimRow[]
  /** Rows skipped or doubtful, with their line. */
  diagnostics: Diagnostic[]
  /** The kinds, collections and users of the rows, counted in the Worker as it read them. */
  facets: InventoryFacets
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

/** What a run depends on; a run is due when any of these is another object than the last run's. */
export interface RunInputs {
  policy: Policy
  comparePolicy: Policy | null
  choice: PrincipalChoice
  machine: MachineSettings
  whatIf: Partial<Record<CollectionType, EnforcementMode>>
  compareStamp: number
}

/** Milliseconds a re-run waits after an edit (a first run starts at once). */
export const RERUN_DELAY_MS = 400

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
  /** The inputs of the latest started run. */
  runInputs: RunInputs | null
  /** The inputs the results belong to. */
  resultsInputs: RunInputs | null
  /** The results are from other inputs than the current ones (a run is due or under way). */
  outdated: boolean
  /** The inventory read and the run under way (their Cancel). */
  loading: AbortController | null
  running: AbortController | null
  /** The pending debounced re-run. */
  rerunTimer: ReturnType<typeof setTimeout> | null

  loadInventory: (file: File) => Promise<void>
  /** Starts a run for the current inputs (the open policy, and the comparison's); a run in progress is cancelled first. */
  start: () => void
  cancel: () => void
  /**
   * Keeps the results current while a view shows them: re-runs when the inputs change (at once for a first
   * run, after RERUN_DELAY_MS otherwise). Returns the function that stops following.
   */
  follow: () => () => void
  setChoice: (choice: Partial<PrincipalChoice>) => void
  /** The simulated Windows machine (drive letters, AppIDSvc); used by Test a file too. */
  setMachine: (machine: Partial<MachineSettings>) => void
  setCompare: (source: CompareSource, name?: string, policy?: Policy | null) => void
  /** Sets (or with null clears) the what-if mode of a collection. */
  setWhatIf: (type: CollectionType, mode: EnforcementMode | null) => void
  clearWhatIf: () => void
  clearInventory: () => void
  /**
   * Rules proposed for the chosen rows of the loaded inventory ("Create rules from these files..."),
   * worked out in the Worker, which holds the rows; `existing` (the open policy) flags what it already has.
   */
  proposeRules: (selection: InventorySelection, options: Omit<InventoryRulesOptions, 'existing'>, existing: Policy, signal: AbortSignal) => Promise<InventoryRulesProposal>
}

const worker = connect<SimulateApi>(
  () => new Worker(new URL('../workers/simulate.worker.ts', import.meta.url), { type: 'module' }),
  // Where there are no Workers at all (unit tests), the same handlers run in the page.
  typeof Worker === 'undefined' ? () => import('../workers/simulate.api').then((m) => m.simulateApi) : undefined,
)

const IDLE: RunState = { status: 'idle', done: 0, total: 0, ms: null, error: null }

function message(e: unknown, fallback: string): string {
  return e instanceof Error && e.message ? e.message : fallback
}

function sameInputs(a: RunInputs | null, b: RunInputs | null): boolean {
  if (!a || !b) return a === b
  return (Object.keys(a) as (keyof RunInputs)[]).every((k) => a[k] === b[k])
}

function shallowEqual<T extends object>(a: T, b: T): boolean {
  const ka = Object.keys(a) as (keyof T)[]
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

/** The current inputs: the open policy, the comparison policy ("previous" is the policy before the last edit). */
export function currentInputs(s: SimulationState = useSimulation.getState()): RunInputs {
  const d = useDocument.getState()
  const previous = d.past[d.past.length - 1]?.policy ?? null
  const comparePolicy = s.compare.source === 'file' ? s.compare.policy : s.compare.source === 'previous' ? previous : null
  return { policy: d.policy, comparePolicy, choice: s.choice, machine: s.machine, whatIf: s.whatIf, compareStamp: s.compare.stamp }
}

export const useSimulation = create<SimulationState>()((set, get) => {
  const stopRun = () => {
    get().running?.abort()
    const t = get().rerunTimer
    if (t) clearTimeout(t)
    set({ running: null, rerunTimer: null })
  }

  /** The re-run rule: a run is due when an inventory is loaded and the inputs differ from the latest run's. */
  const check = () => {
    const s = get()
    const inputs = currentInputs(s)
    const outdated = s.resultsInputs !== null && !sameInputs(s.resultsInputs, inputs)
    if (outdated !== s.outdated) set({ outdated })
    if (!s.inventory || sameInputs(inputs, s.runInputs)) return
    if (s.rerunTimer) clearTimeout(s.rerunTimer)
    set({ rerunTimer: setTimeout(() => get().start(), s.resultsInputs === null ? 0 : RERUN_DELAY_MS) })
  }

  return {
    inventory: null,
    choice: DEFAULT_PRINCIPAL_CHOICE,
    machine: DEFAULT_MACHINE,
    whatIf: {},
    compare: { source: 'none', name: '', policy: null, stamp: 0 },
    run: IDLE,
    results: null,
    compareResults: null,
    runInputs: null,
    resultsInputs: null,
    outdated: false,
    loading: null,
    running: null,
    rerunTimer: null,

    loadInventory: async (file) => {
      stopRun()
      get().loading?.abort()
      const controller = new AbortController()
      set((s) => ({ loading: controller, run: { ...s.run, status: 'loading', error: null } }))
      try {
        const bytes = await file.arrayBuffer()
        const rows: SimRow[] = []
        const loaded = await worker.call(
          'load',
          { name: file.name, bytes, machine: get().machine },
          { signal: controller.signal, transfer: [bytes], onEvent: (slice) => rows.push(...slice.rows) },
        )
        if (get().loading !== controller) return
        if (rows.length !== loaded.count) throw new Error(`The simulation worker sent ${rows.length} of ${loaded.count} rows.`)
        const inventory: LoadedInventory = { name: loaded.name, format: loaded.format, rows, diagnostics: loaded.diagnostics, facets: loaded.facets }
        set({ inventory, loading: null, results: null, compareResults: null, runInputs: null, resultsInputs: null, outdated: false, run: IDLE })
      } catch (e) {
        if (get().loading !== controller || isAbortError(e)) return
        set((s) => ({ loading: null, run: { ...s.run, status: 'error', error: message(e, 'The simulation worker failed.') } }))
      }
    },

    start: () => {
      const s = get()
      if (!s.inventory) return
      stopRun()
      const inputs = currentInputs(s)
      const controller = new AbortController()
      const total = s.inventory.rows.length * (inputs.comparePolicy ? 2 : 1)
      set({ running: controller, runInputs: inputs, outdated: s.resultsInputs !== null && !sameInputs(s.resultsInputs, inputs), run: { status: 'running', done: 0, total, ms: null, error: null } })
      const mine = () => get().running === controller
      // The policies go as their JSON in Blobs (policyJson.ts, made in slices): cloning a 50,000-rule
      // policy object into the message took the page about 200 ms in one task.
      const request = async (): Promise<RunRequest> => ({
        policy: await policyJsonBlob(inputs.policy, controller.signal),
        compare: inputs.comparePolicy ? await policyJsonBlob(inputs.comparePolicy, controller.signal) : null,
        choice: inputs.choice,
        machine: inputs.machine,
        modeOverride: inputs.whatIf,
      })
      request()
        .then((r) => worker.call('run', r, { signal: controller.signal, onEvent: (p) => mine() && set((x) => ({ run: { ...x.run, status: 'running', done: p.done, total: p.total } })) }))
        .then(
          (r) => {
            if (!mine()) return
            set((x) => ({
              running: null,
              results: r.results,
              compareResults: r.compare,
              resultsInputs: inputs,
              outdated: !sameInputs(inputs, currentInputs(x)),
              run: { ...x.run, status: 'done', done: x.run.total, ms: r.ms, error: null },
            }))
          },
          (e: unknown) => {
            if (!mine()) return
            if (isAbortError(e)) set((x) => ({ running: null, run: { ...x.run, status: 'cancelled' } }))
            else set((x) => ({ running: null, run: { ...x.run, status: 'error', error: message(e, 'The simulation worker failed.') } }))
          },
        )
    },

    cancel: () => {
      const controller = get().running
      if (!controller) return
      // The run's rejection (an AbortError) marks it cancelled.
      controller.abort()
    },

    follow: () => {
      const unsubscribeDocument = useDocument.subscribe((d, prev) => {
        if (d.policy !== prev.policy || d.past !== prev.past) check()
      })
      const unsubscribeSimulation = useSimulation.subscribe((x, prev) => {
        if (x.inventory !== prev.inventory || x.choice !== prev.choice || x.machine !== prev.machine || x.whatIf !== prev.whatIf || x.compare !== prev.compare || x.runInputs !== prev.runInputs) check()
      })
      check()
      return () => {
        unsubscribeDocument()
        unsubscribeSimulation()
        const t = get().rerunTimer
        if (t) clearTimeout(t)
        set({ rerunTimer: null })
      }
    },

    setChoice: (choice) => set((s) => (shallowEqual({ ...s.choice, ...choice }, s.choice) ? s : { choice: { ...s.choice, ...choice } })),

    setMachine: (machine) => set((s) => (shallowEqual({ ...s.machine, ...machine }, s.machine) ? s : { machine: { ...s.machine, ...machine } })),

    setCompare: (source, name = '', policy = null) => set((s) => ({ compare: { source, name, policy, stamp: s.compare.stamp + 1 } })),

    setWhatIf: (type, mode) =>
      set((s) => {
        if ((s.whatIf[type] ?? null) === mode) return s
        const whatIf = { ...s.whatIf }
        if (mode === null) delete whatIf[type]
        else whatIf[type] = mode
        return { whatIf }
      }),

    clearWhatIf: () => set((s) => (Object.keys(s.whatIf).length === 0 ? s : { whatIf: {} })),

    clearInventory: () => {
      stopRun()
      get().loading?.abort()
      set({ inventory: null, loading: null, results: null, compareResults: null, runInputs: null, resultsInputs: null, outdated: false, run: IDLE })
    },

    proposeRules: async (selection, options, existing, signal) => {
      const inventory = get().inventory
      if (!inventory) throw new Error('No inventory is loaded.')
      // The policy goes as its JSON in a Blob, as for a run (made in slices, reused while the policy is the same).
      const blob = await policyJsonBlob(existing, signal)
      return worker.call('propose', { selection, options, existing: blob, count: inventory.rows.length }, { signal })
    },
  }
})
