/**
 * How a command is declared: its name, a one-line usage, its options as Node's `util.parseArgs` specs, how many
 * file arguments it takes, and what it does with them. `defineCommand` does the parsing (strict: options anywhere,
 * `--name value` or `--name=value`, `--` ends the options) and the usage errors, so a command only sees arguments
 * that make sense. Adding a command: a file `src/cli/<name>Command.ts` calling `defineCommand`, and one line in the
 * table of `main.ts`.
 *
 * Exit codes: 2 when the command line itself cannot be understood (unknown command or option, an option without
 * its value or given twice, a file argument too many); everything else is the command's (1 for refused or missing
 * input and bad option values, 0 otherwise).
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { CliIO } from './io'

export const EXIT_USAGE = 2

/** Parsed option values, typed from the specs: strings, booleans, or arrays of them for `multiple: true`. */
export type OptionValues<O extends ParseArgsOptionsConfig> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean'
    ? O[K]['multiple'] extends true
      ? boolean[]
      : boolean
    : O[K]['multiple'] extends true
      ? string[]
      : string
}

export interface CommandSpec<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
  /** The word after `cli --`. */
  name: string
  /** What it does, in a few words (listed by `cli --help`). */
  summary: string
  /** The arguments after the name, e.g. `POLICY.xml [--json]`. */
  usage: string
  /** More lines `<command> --help` prints after the usage line (what option values mean). */
  help?: string
  /** Option specs for `util.parseArgs`; `--help`/`-h` is added to every command. */
  options: O
  /** How many file arguments the command accepts at most (`Infinity` for a list). */
  maxPositionals: number
  run(args: { values: OptionValues<O>; positionals: string[]; usage: string }, io: CliIO): Promise<number>
}

/** A command: callable with the raw arguments (after its name), with its spec attached for the command table. */
export type CliCommand = ((args: string[], io: CliIO) => Promise<number>) & { spec: CommandSpec }

export const usageLine = (spec: Pick<CommandSpec, 'name' | 'usage'>) => `npm run --silent cli -- ${spec.name} ${spec.usage}`

/** "--jsn" -> "--json": the closest option name within two edits, if any. */
function closest(word: string, names: string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
    for (let j = 1; j <= b.length; j++) d[0][j] = j
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    return d[a.length][b.length]
  }
  let best: string | undefined
  let bestD = 3
  for (const n of names) {
    const k = dist(word, n)
    if (k < bestD) [best, bestD] = [n, k]
  }
  return best
}

/** Node's parseArgs messages, said for this command (Node's own text suggests `--` tricks a user does not need). */
function explainParseError(spec: CommandSpec, e: unknown): string {
  const err = e as { code?: string; message?: string }
  const message = String(err.message ?? e)
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? ''
  const names = Object.keys(spec.options)
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = option.startsWith('--') ? closest(option.slice(2), names) : undefined
    const known = names.length ? ` (its options: ${names.map((n) => `--${n}`).join(', ')})` : ''
    return `Unknown option ${option} for ${spec.name}${guess ? `: did you mean --${guess}?` : `${known}.`}`
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${option} takes no value.`
    return `${option} needs a value${/ambiguous/.test(message) ? ` (to give a value starting with "-", write ${option}=VALUE)` : ''}.`
  }
  return message.split('\n')[0]
}

export function defineCommand<const O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): CliCommand {
  const usage = `Usage: ${usageLine(spec)}\n`
  const command = async (args: string[], io: CliIO): Promise<number> => {
    const options: ParseArgsOptionsConfig = { ...spec.options, help: { type: 'boolean', short: 'h' } }
    let parsed
    try {
      parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true })
    } catch (e) {
      io.stderr(`${explainParseError(spec as CommandSpec, e)}\n${usage}`)
      return EXIT_USAGE
    }
    if (parsed.values.help) {
      io.stdout(spec.help ? `${usage}\n${spec.help.trimEnd()}\n` : usage)
      return 0
    }
    // parseArgs keeps the last of a repeated option: saying which one is meant is the user's call, not ours.
    const seen = new Set<string>()
    for (const t of parsed.tokens) {
      if (t.kind !== 'option') continue
      if (seen.has(t.name) && !spec.options[t.name]?.multiple) {
        io.stderr(`--${t.name} is given more than once.\n${usage}`)
        return EXIT_USAGE
      }
      seen.add(t.name)
    }
    if (parsed.positionals.length > spec.maxPositionals) {
      const extra = parsed.positionals.slice(spec.maxPositionals).map((p) => `"${p}"`).join(', ')
      io.stderr(`Unexpected argument${parsed.positionals.length - spec.maxPositionals === 1 ? '' : 's'} ${extra}: ${spec.name} takes ${spec.maxPositionals === 0 ? 'no file argument' : `at most ${spec.maxPositionals} file argument${spec.maxPositionals === 1 ? '' : 's'}`}.\n${usage}`)
      return EXIT_USAGE
    }
    return spec.run({ values: parsed.values as OptionValues<O>, positionals: parsed.positionals, usage }, io)
  }
  return Object.assign(command, { spec: spec as unknown as CommandSpec })
}

/**
 * The policy of `export` and `lint`: `--policy P.xml` or the one file argument. Undefined when neither is given;
 * null (after saying so) when both are.
 */
export function policyArgument(option: string | undefined, positionals: string[], io: CliIO, usage: string): string | undefined | null {
  if (option !== undefined && positionals.length > 0) {
    io.stderr(`Give the policy once: --policy ${option} or ${positionals[0]}, not both.\n${usage}`)
    return null
  }
  return option ?? positionals[0]
}
