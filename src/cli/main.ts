/**
 * Command-line entry: the same core as the app, from a terminal or a CI pipeline.
 *   npm run --silent cli -- <command> [options]
 */
import { readFile } from 'node:fs/promises'
import type { CliCommand, CliIO } from './io'
import { exportCommand } from './export'
import { fileinfoCommand } from './fileinfo'
import { lintCommand } from './lint'
import { mergeCommand } from './merge'
import { testCommand } from './test'

const commands: Record<string, CliCommand> = {
  export: exportCommand,
  fileinfo: fileinfoCommand,
  lint: lintCommand,
  merge: mergeCommand,
  test: testCommand,
}

const usage = `Usage: npm run --silent cli -- <command> [options]
Commands: ${Object.keys(commands).join(', ') || '(none)'}`

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stdoutBytes: (b) => void process.stdout.write(b),
  stderr: (t) => void process.stderr.write(t),
  readFile: async (p) => new Uint8Array(await readFile(p)),
}

// A reader that stops early (`| head`) closes the pipe: that is not an error of the command.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  const command = name ? commands[name] : undefined
  if (!command) {
    processIO.stderr(`${name ? `Unknown command "${name}".\n` : ''}${usage}\n`)
    return 1
  }
  try {
    return await command(rest, processIO)
  } catch (e) {
    processIO.stderr(`Unexpected error: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
