/** What a command needs from the outside world; the real one talks to the process, tests pass a fake. */
export interface CliIO {
  stdout(text: string): void
  stdoutBytes(bytes: Uint8Array): void
  stderr(text: string): void
  readFile(path: string): Promise<Uint8Array>
}

export type CliCommand = (args: string[], io: CliIO) => Promise<number>

/** Parses `--name value` / `--flag` options; repeated options collect into arrays. */
export function parseArgs(args: string[]): { options: Map<string, string[]>; positionals: string[]; error?: string } {
  const options = new Map<string, string[]>()
  const positionals: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
      let value: string
      if (eq > 0) value = a.slice(eq + 1)
      else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i]
      else value = ''
      options.set(name, [...(options.get(name) ?? []), value])
    } else positionals.push(a)
  }
  return { options, positionals }
}
