/**
 * The table of commands and the dispatch on the first argument. Each command is declared in its own
 * `<name>Command.ts` with `defineCommand` (src/cli/command.ts); adding one is a line in COMMANDS.
 */
import { EXIT_USAGE, usageLine, type CliCommand } from './command'
import { eventsCommand } from './eventsCommand'
import { exportCommand } from './exportCommand'
import { fileinfoCommand } from './fileinfoCommand'
import { generateCommand } from './generateCommand'
import type { CliIO } from './io'
import { lintCommand } from './lintCommand'
import { mergeCommand } from './mergeCommand'
import { testCommand } from './testCommand'

/** Every command, in the order `--help` lists them. */
const COMMANDS: CliCommand[] = [exportCommand, mergeCommand, lintCommand, testCommand, fileinfoCommand, generateCommand, eventsCommand]

const usage = () =>
  `Usage: npm run --silent cli -- <command> [options]   (or: npx applocker-workbench <command> [options])\n\nCommands:\n${COMMANDS.map(
    (c) => `  ${c.spec.name.padEnd(9)} ${c.spec.summary}\n      ${usageLine(c.spec).split('\n')[0]}\n`,
  ).join('')}\n\`<command> --help\` prints the usage of one command.\n`

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage())
    return 0
  }
  const command = COMMANDS.find((c) => c.spec.name === name)
  if (!command) {
    io.stderr(`${name ? `Unknown command "${name}".\n` : ''}${usage()}`)
    return EXIT_USAGE
  }
  try {
    return await command(rest, io)
  } catch (e) {
    io.stderr(`Unexpected error: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

