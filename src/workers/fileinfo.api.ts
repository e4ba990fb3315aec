/**
 * Get-AppLockerFileInformation for the files the user picked, for the file-information Worker
 * (fileinfo.worker.ts): read piece by piece from their File objects (never whole in memory), with
 * progress and one result per file as events; the result is the run's throughput. Cancel (the
 * call's AbortSignal) stops it between chunks. Called through src/lib/rpc.ts by src/lib/fileinfoClient.ts.
 */
import { readFileBatch } from '../applocker/fileinfo/batch'
import type { FileInfoFromWorker, FileInfoProgress, FileToRead } from '../applocker/fileinfo/protocol'
import { abortError, type CallContext } from '../lib/rpc'

export type FileInfoEvent = FileInfoProgress | Extract<FileInfoFromWorker, { type: 'result' }>

export interface FileInfoSummary {
  files: number
  bytes: number
  ms: number
  mbPerSecond: number
}

export const fileInfoApi = {
  read: async (files: FileToRead[], ctx: CallContext<FileInfoEvent>): Promise<FileInfoSummary> => {
    let summary: FileInfoSummary | null = null
    await readFileBatch(
      0,
      files,
      (m) => {
        if (m.type === 'progress' || m.type === 'result') ctx.emit(m)
        else if (m.type === 'done') summary = { files: m.files, bytes: m.bytes, ms: m.ms, mbPerSecond: m.mbPerSecond }
        else if (m.type === 'error') throw new Error(m.message)
      },
      () => ctx.signal.aborted,
    )
    if (!summary || ctx.signal.aborted) throw abortError()
    return summary
  },
}

export type FileInfoApi = typeof fileInfoApi
