/**
 * Test helpers for the commands: a CliIO that records what a command writes and reads files from
 * where the test says (the corpus, an in-memory map). Used by the src/cli/*.test.ts files only.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bytesSource } from '../applocker/fileinfo/source'
import type { CliIO } from '../cli/io'

export const FIXTURES = join(__dirname, '..', 'applocker', '__fixtures__')
export const CORPUS = join(FIXTURES, 'corpus')

const utf8 = (s: string) => new TextEncoder().encode(s)

/** The size of the pieces readChunks gives. */
export const CHUNK = 7

export interface FakeIO {
  io: CliIO
  /** Each stdout write. */
  out: string[]
  /** Each stderr write. */
  err: string[]
  /** Each stdoutBytes write. */
  bytes: Uint8Array[]
  /** Every text write, stdout and stderr, in order (what a terminal shows). */
  both: string[]
}

/** A recording CliIO whose readFile answers with `read` (which may throw like a missing file). */
export function fakeIO(read: (path: string) => Uint8Array | Promise<Uint8Array>): FakeIO {
  const f: FakeIO = {
    out: [],
    err: [],
    bytes: [],
    both: [],
    io: {
      stdout: (s) => void (f.out.push(s), f.both.push(s)),
      stdoutBytes: (b) => void f.bytes.push(b),
      stderr: (s) => void (f.err.push(s), f.both.push(s)),
      readFile: async (p) => read(p),
      openFile: async (p) => ({ ...bytesSource(await read(p)), close: async () => {} }),
      // Small, odd-sized pieces, so readers meet rows, quotes and UTF-8 sequences cut in two.
      readChunks: async function* (p) {
        const bytes = await read(p)
        for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK)
      },
      drain: async () => {},
    },
  }
  return f
}

/** Reads a corpus policy by file name; `mem:<text>` is the text itself. */
export function readCorpus(path: string): Uint8Array {
  if (path.startsWith('mem:')) return utf8(path.slice(4))
  return new Uint8Array(readFileSync(join(CORPUS, path)))
}

/** Reads from `files` (UTF-8), then `fixtures/<path>` from the fixtures folder; anything else is a missing file. */
export function readFrom(files: Record<string, string>): (path: string) => Uint8Array {
  return (path) => {
    if (path in files) return utf8(files[path])
    if (path.startsWith('fixtures/')) return new Uint8Array(readFileSync(join(FIXTURES, path.slice('fixtures/'.length))))
    throw new Error('ENOENT: no such file or directory')
  }
}
