import type { XmlEncoding } from '../applocker/xml/write'

/** What a command needs from the outside world; the real one talks to the process, tests pass a fake. */
export interface CliIO {
  stdout(text: string): void
  stdoutBytes(bytes: Uint8Array): void
  stderr(text: string): void
  readFile(path: string): Promise<Uint8Array>
}

/** Reads a file named on the command line; when it cannot, prints "Cannot read PATH: reason" and gives null. */
export async function readInputFile(path: string, io: CliIO): Promise<Uint8Array | null> {
  try {
    return await io.readFile(path)
  } catch (e) {
    io.stderr(`Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}\n`)
    return null
  }
}

/** The --encoding option of the commands that write XML: utf-8 (default) or utf-16le; null after saying what is wrong. */
export function encodingOption(options: Map<string, string[]>, io: CliIO, usage: string): XmlEncoding | null {
  const enc = options.get('encoding')?.at(-1) ?? 'utf-8'
  if (enc !== 'utf-8' && enc !== 'utf-16le') {
    io.stderr(`Unknown encoding "${enc}": use utf-8 or utf-16le.\n${usage}`)
    return null
  }
  return enc
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
