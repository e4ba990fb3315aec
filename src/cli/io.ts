import type { ByteSource } from '../applocker/fileinfo/source'
import type { XmlEncoding } from '../applocker/xml/write'

/** A file opened for reading ranges (fileinfo hashes big files slice by slice instead of loading them). */
export interface OpenedFile extends ByteSource {
  close(): Promise<void>
}

/** What a command needs from the outside world; the real one talks to the process, tests pass a fake. */
export interface CliIO {
  stdout(text: string): void
  stdoutBytes(bytes: Uint8Array): void
  stderr(text: string): void
  readFile(path: string): Promise<Uint8Array>
  /** Opens a file for range reads; throws like readFile (ENOENT, EISDIR, ...). */
  openFile(path: string): Promise<OpenedFile>
  /** The file's bytes in pieces, in order (a million-row inventory is never held whole). */
  readChunks(path: string): AsyncIterable<Uint8Array>
  /** Resolves when what was written to stdout has been handed over (backpressure for long outputs). */
  drain(): Promise<void>
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
export function encodingOption(value: string | undefined, io: CliIO, usage: string): XmlEncoding | null {
  const enc = value ?? 'utf-8'
  if (enc !== 'utf-8' && enc !== 'utf-16le') {
    io.stderr(`Unknown encoding "${enc}": use utf-8 or utf-16le.\n${usage}`)
    return null
  }
  return enc
}

/** The option spec of --encoding, shared by the commands that write XML. */
export const ENCODING_OPTION = { encoding: { type: 'string' } } as const
