/// <reference lib="webworker" />
/**
 * The file-information Worker: Get-AppLockerFileInformation for the files the user picked, read
 * piece by piece from their File objects (never whole in memory) off the page's thread, with
 * progress, one result per file and the run's throughput. Messages: src/applocker/fileinfo/protocol.ts.
 */
import { readFileBatch } from '../applocker/fileinfo/batch'
import type { FileInfoFromWorker, FileInfoToWorker } from '../applocker/fileinfo/protocol'

declare const self: DedicatedWorkerGlobalScope

const cancelled = new Set<number>()

function post(message: FileInfoFromWorker): void {
  self.postMessage(message)
}

self.onmessage = (e: MessageEvent<FileInfoToWorker>) => {
  const msg = e.data
  if (msg.type === 'cancel') {
    cancelled.add(msg.id)
    return
  }
  if (msg.type === 'start') {
    const id = msg.id
    readFileBatch(id, msg.files, post, () => cancelled.has(id))
      .catch((err: unknown) => post({ type: 'error', id, message: String(err instanceof Error ? err.message : err) }))
      .finally(() => cancelled.delete(id))
  }
}
