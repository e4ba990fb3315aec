/**
 * Messages between the page and the file-information Worker (src/workers/fileinfo.worker.ts).
 * Plain data only: File/Blob objects are structured-cloned (not copied into memory), ArrayBuffers
 * may be transferred. The page creates the Worker with
 *   new Worker(new URL('../workers/fileinfo.worker.ts', import.meta.url), { type: 'module' })
 * sends one `start` per selection and reads `progress` / `result` / `done`.
 */
import type { Diagnostic } from '../diagnostics'
import type { FileInfo } from './fileinfo'

export interface FileToRead {
  /** Shown and used for the file's kind (its extension); e.g. File.name or webkitRelativePath. */
  name: string
  data: Blob | ArrayBuffer
}

export type FileInfoToWorker =
  /** Read these files one after the other; answered by progress…, one result per file, then done. */
  | { type: 'start'; id: number; files: FileToRead[] }
  /** Stop run `id` (between chunks); answered by `cancelled`. */
  | { type: 'cancel'; id: number }

export interface FileInfoProgress {
  type: 'progress'
  id: number
  /** Index of the file being read, 0-based. */
  fileIndex: number
  fileCount: number
  /** Bytes hashed so far in this file and in the whole run (sizes of the files read so far + this one's progress). */
  fileDone: number
  fileTotal: number
  bytesDone: number
  bytesTotal: number
}

export type FileInfoFromWorker =
  | FileInfoProgress
  /** One file read; value null (and an error diagnostic) when it is damaged or unreadable. */
  | { type: 'result'; id: number; index: number; name: string; value: FileInfo | null; diagnostics: Diagnostic[] }
  /** Whole run done: files read, bytes, time and throughput (MB/s, 10^6 bytes per second). */
  | { type: 'done'; id: number; files: number; bytes: number; ms: number; mbPerSecond: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string }

/** At most one progress message per this many milliseconds (plus one at each file's end). */
export const PROGRESS_INTERVAL_MS = 100
