/**
 * Page side of the file-information Worker (src/workers/fileinfo.worker.ts, protocol in
 * src/applocker/fileinfo/protocol.ts): one Worker per client, one run at a time. Used by Automatically Generate
 * Rules and by Create New Rule's "Browse for a reference file...", so every file read happens off the page's thread.
 */
import type { FileInfoFromWorker, FileInfoProgress, FileToRead } from '../applocker/fileinfo/protocol'
import type { FileInfo } from '../applocker/fileinfo'
import type { Diagnostic } from '../applocker/diagnostics'

export interface FileResult {
  name: string
  value: FileInfo | null
  diagnostics: Diagnostic[]
}

export interface RunSummary {
  files: number
  bytes: number
  ms: number
  mbPerSecond: number
}

export interface RunHandlers {
  onProgress: (p: FileInfoProgress) => void
  onResult: (r: FileResult, index: number) => void
  onDone: (s: RunSummary) => void
  onCancelled: () => void
  onError: (message: string) => void
}

export class FileInfoClient {
  private worker: Worker | null = null
  private runId = 0
  private handlers: RunHandlers | null = null

  private ensure(): Worker {
    if (this.worker) return this.worker
    const w = new Worker(new URL('../workers/fileinfo.worker.ts', import.meta.url), { type: 'module' })
    w.onmessage = (e: MessageEvent<FileInfoFromWorker>) => this.receive(e.data)
    w.onerror = (e) => {
      this.handlers?.onError(e.message || 'The file reader stopped unexpectedly.')
      this.handlers = null
    }
    this.worker = w
    return w
  }

  private receive(m: FileInfoFromWorker): void {
    const h = this.handlers
    if (!h || m.id !== this.runId) return
    switch (m.type) {
      case 'progress':
        h.onProgress(m)
        break
      case 'result':
        h.onResult({ name: m.name, value: m.value, diagnostics: m.diagnostics }, m.index)
        break
      case 'done':
        this.handlers = null
        h.onDone({ files: m.files, bytes: m.bytes, ms: m.ms, mbPerSecond: m.mbPerSecond })
        break
      case 'cancelled':
        this.handlers = null
        h.onCancelled()
        break
      case 'error':
        this.handlers = null
        h.onError(m.message)
        break
    }
  }

  start(files: FileToRead[], handlers: RunHandlers): void {
    this.runId += 1
    this.handlers = handlers
    this.ensure().postMessage({ type: 'start', id: this.runId, files })
  }

  cancel(): void {
    if (this.worker && this.handlers) this.worker.postMessage({ type: 'cancel', id: this.runId })
  }

  dispose(): void {
    this.worker?.terminate()
    this.worker = null
    this.handlers = null
  }
}
