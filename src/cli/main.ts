/**
 * Command-line entry: the same core as the app, from a terminal or a CI pipeline.
 *   npm run --silent cli -- <command> [options]      npx applocker-workbench <command> [options]
 * The commands are in commands.ts; this file connects them to the process.
 */
import { once } from 'node:events'
import { createReadStream } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { runCli } from './commands'
import type { CliIO } from './io'
import { processHeap, withFlatHeap } from './flatHeap'

/** Reports a failed write (disk full, closed pipe) once, as a message, and ends the process. */
function onWriteError(e: NodeJS.ErrnoException) {
  // A reader that stops early (`| head`) closes the pipe: that is not an error of the command.
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  try {
    process.stderr.write(`Cannot write the output: ${e.message}\n`)
  } catch {
    // stderr is gone too: the exit code says it.
  }
  process.exit(1)
}

/** Set when stdout's buffer is full (a slow pipe): long outputs wait for it before writing more. */
let full: Promise<void> | null = null
const write = (chunk: string | Uint8Array) => {
  if (!process.stdout.write(chunk) && !full) full = once(process.stdout, 'drain').then(() => void (full = null))
}

const processIO: CliIO = {
  stdout: write,
  stdoutBytes: write,
  stderr: (t) => void process.stderr.write(t),
  readFile: async (p) => new Uint8Array(await readFile(p)),
  openFile: async (p) => {
    const handle = await open(p, 'r')
    const stat = await handle.stat()
    const size = stat.size
    if (!stat.isFile()) {
      await handle.close()
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${p}'`), { code: 'EISDIR' })
    }
    return {
      size,
      read: async (offset, length) => {
        const end = Math.min(offset + length, size)
        const buf = new Uint8Array(Math.max(0, end - offset))
        let done = 0
        while (done < buf.length) {
          const { bytesRead } = await handle.read(buf, done, buf.length - done, offset + done)
          if (bytesRead === 0) break
          done += bytesRead
        }
        return done === buf.length ? buf : buf.subarray(0, done)
      },
      close: () => handle.close(),
    }
  },
  // A million-row inventory streams through: the heap is collected as it goes (flatHeap.ts).
  readChunks: (p) => withFlatHeap(createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, processHeap()),
  drain: () => full ?? Promise.resolve(),
}

process.stdout.on('error', onWriteError)
process.stderr.on('error', () => process.exit(process.exitCode ?? 1))
runCli(process.argv.slice(2), processIO).then((code) => {
  process.exitCode = code
})
