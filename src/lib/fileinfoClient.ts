/**
 * Page side of the file-information Worker (src/workers/fileinfo.api.ts), through the typed client of
 * src/lib/rpc.ts: one Worker per client, one run at a time (starting a run cancels the one before, whose
 * handlers are not called again). Used by Automatically Generate Rules and by Create New Rule's "Browse for
 * a reference file...", so every file read happens off the page's thread.
 */
import type { FileInfoProgress, FileToRead } from '../applocker/fileinfo/protocol'
import type { FileInfo } from '../applocker/fileinfo/fileinfo'
import type { Diagnostic } from '../applocker/diagnostics'
import type { FileInfoApi, FileInfoSummary } from '../workers/fileinfo.api'
import { connect, isAbortError, type WorkerClient } from './rpc'

export interface FileResult {
  name: string
  value: FileInfo | null
  diagnostics: Diagnostic[]
}

export type RunSummary = FileInfoSummary

export interface RunHandlers {
  onProgress: (p: FileInfoProgress) => void
  onResult: (r: FileResult, index: number) => void
  onDone: (s: RunSummary) => void
  onCancelled: () => void
  onError: (message: string) => void
}

export class FileInfoClient {
  private client: WorkerClient<FileInfoApi> | null = null
  private run: AbortController | null = null

  start(files: FileToRead[], handlers: RunHandlers): void {
    this.run?.abort()
    const run = new AbortController()
    this.run = run
    const current = () => this.run === run
    this.client ??= connect<FileInfoApi>(() => new Worker(new URL('../workers/fileinfo.worker.ts', import.meta.url), { type: 'module' }))
    this.client
      .call('read', files, {
        signal: run.signal,
        onEvent: (m) => {
          if (!current()) return
          if (m.type === 'progress') handlers.onProgress(m)
          else handlers.onResult({ name: m.name, value: m.value, diagnostics: m.diagnostics }, m.index)
        },
      })
      .then(
        (summary) => current() && handlers.onDone(summary),
        (e: unknown) => {
          if (!current()) return
          if (isAbortError(e)) handlers.onCancelled()
          else handlers.onError(e instanceof Error && e.message ? e.message : 'The file reader stopped unexpectedly.')
        },
      )
      .finally(() => {
        if (current()) this.run = null
      })
  }

  cancel(): void {
    this.run?.abort()
  }

  dispose(): void {
    this.client?.dispose()
    this.client = null
    this.run = null
  }
}
