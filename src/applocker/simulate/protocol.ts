/**
 * Messages between the page and the simulation Worker (src/workers/simulate.worker.ts). Plain
 * data only: policies, rows and typed-array results are structured-cloned or transferred.
 */
import type { Diagnostic } from '../diagnostics'
import type { Policy } from '../policy'
import type { MachineSettings } from '../evaluate/types'
import type { PrincipalChoice } from './run'
import type { SimRow, SimulationResults } from './results'

export type ToWorker =
  /** Read an inventory file (bytes transferred); answered by `inventory`. */
  | { type: 'load'; id: number; name: string; bytes: ArrayBuffer }
  /** Simulate the loaded inventory against `policy` (and `compare`, when given); answered by `progress`... then `done`. */
  | { type: 'run'; id: number; policy: Policy; compare: Policy | null; choice: PrincipalChoice; machine: MachineSettings }
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

/**
 * Decodes an inventory file's bytes: UTF-16 (LE or BE) and UTF-8 by byte-order mark, else UTF-8,
 * with UTF-16 LE without BOM recognised by its zero high bytes (what PowerShell redirection writes).
 */
export function decodeInventoryBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3))
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return new TextDecoder('utf-16le').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
}
