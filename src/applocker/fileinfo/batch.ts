/**
 * Reads a selection of files one by one, reporting progress and results as protocol messages.
 * The Worker (src/workers/fileinfo.worker.ts) only wires this to postMessage; tests call it directly.
 */
import { getFileInformationFromSource } from './fileinfo'
import { PROGRESS_INTERVAL_MS, type FileInfoFromWorker, type FileToRead } from './protocol'
import { blobSource, bytesSource } from './source'

export async function readFileBatch(
  id: number,
  files: FileToRead[],
  post: (m: FileInfoFromWorker) => void,
  isCancelled: () => boolean = () => false,
  now: () => number = () => performance.now(),
): Promise<void> {
  const sizes = files.map((f) => (f.data instanceof Blob ? f.data.size : f.data.byteLength))
  const bytesTotal = sizes.reduce((a, b) => a + b, 0)
  const started = now()
  let before = 0
  let lastPost = -Infinity
  for (let i = 0; i < files.length; i++) {
    if (isCancelled()) {
      post({ type: 'cancelled', id })
      return
    }
    const f = files[i]
    const src = f.data instanceof Blob ? blobSource(f.data) : bytesSource(new Uint8Array(f.data))
    const progress = (done: number, total: number, force = false) => {
      const t = now()
      if (!force && t - lastPost < PROGRESS_INTERVAL_MS) return
      lastPost = t
      // Hashed bytes can differ slightly from the file size (skipped fields, padding): scale to the size.
      const fileDone = total > 0 ? Math.round((done / total) * sizes[i]) : sizes[i]
      post({ type: 'progress', id, fileIndex: i, fileCount: files.length, fileDone, fileTotal: sizes[i], bytesDone: before + fileDone, bytesTotal })
    }
    const r = await getFileInformationFromSource(f.name, src, { onProgress: (d, t) => progress(d, t), isCancelled })
    if (r.diagnostics.some((d) => d.code === 'cancelled')) {
      post({ type: 'cancelled', id })
      return
    }
    progress(1, 1, true)
    post({ type: 'result', id, index: i, name: f.name, value: r.value, diagnostics: r.diagnostics })
    before += sizes[i]
  }
  const ms = Math.max(1, Math.round(now() - started))
  post({ type: 'done', id, files: files.length, bytes: bytesTotal, ms, mbPerSecond: Math.round((bytesTotal / 1e6 / (ms / 1000)) * 10) / 10 })
}
