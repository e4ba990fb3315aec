/**
 * Command-line entry: the same core as the app, from a terminal or a CI pipeline.
 *   npm run --silent cli -- <command> [options]      npx applocker-workbench <command> [options]
 * The commands are in commands.ts; this file connects them to the process.
 */
import { readFile } from 'node:fs/promises'
import { runCli } from './commands'
import type { CliIO } from './io'

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

const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stdoutBytes: (b) => void process.stdout.write(b),
  stderr: (t) => void process.stderr.write(t),
  readFile: async (p) => new Uint8Array(await readFile(p)),
}

process.stdout.on('error', onWriteError)
process.stderr.on('error', () => process.exit(process.exitCode ?? 1))
runCli(process.argv.slice(2), processIO).then((code) => {
  process.exitCode = code
})
