/**
 * Messages between the page and the simulation Worker (src/workers/simulate.worker.ts). Plain
 * data only: policies, rows and typed-array results are structured-cloned or transferred.
 */
import type { Diagnostic } from '../diagnostics'
import type { CollectionType, EnforcementMode, Policy } from '../policy'
import type { MachineSettings } from '../evaluate/types'
import type { PrincipalChoice } from './run'
import type { SimRow, SimulationResults } from './results'

export type ToWorker =
  /** Read an inventory file (bytes transferred); answered by `inventory`. */
  | { type: 'load'; id: number; name: string; bytes: ArrayBuffer; machine: MachineSettings }
  /** Simulate the loaded inventory against `policy` (and `compare`, when given); answered by `progress`... then `done`. */
  | {
      type: 'run'
      id: number
      policy: Policy
      compare: Policy | null
      choice: PrincipalChoice
      machine: MachineSettings
      /** What-if enforcement modes used instead of the policy's (both policies); the policy itself is not changed. */
      modeOverride?: Partial<Record<CollectionType, EnforcementMode>>
    }
  /** Stop run `id` at the next slice; answered by `cancelled`. */
  | { type: 'cancel'; id: number }

export type FromWorker =
  | { type: 'inventory'; id: number; name: string; format: string; rows: SimRow[]; diagnostics: Diagnostic[] }
  | { type: 'progress'; id: number; done: number; total: number; phase: 'current' | 'compare' }
  | { type: 'done'; id: number; results: SimulationResults; compare: SimulationResults | null; ms: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string }

/** Rows decided between two progress reports (and cancellation checks). */
export const SLICE_SIZE = 1000
