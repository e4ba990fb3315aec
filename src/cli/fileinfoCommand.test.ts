import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, fixtureDigests, type FixtureDigest } from '../testing/pe-fixtures'
import { fileinfoCommand, type FileInfoEntry } from './fileinfoCommand'
import { fakeIO as fakeCliIO } from '../testing/cliIO'

let dir: string
let digests: Map<string, FixtureDigest>

beforeAll(() => {
  dir = ensurePeFixtures()
  digests = fixtureDigests(dir)
}, 120_000)

const fakeIO = () => fakeCliIO(async (p) => new Uint8Array(await readFile(p)))

describe('fileinfo command', () => {
  it('prints one entry per file with hash and publisher (null when unsigned); exit 0', async () => {
    const { io, out, err } = fakeIO()
    const files = ['hello64-signed.exe', 'hello64.exe', 'hello.ps1'].map((f) => join(dir, f))
    const code = await fileinfoCommand(files, io)
    expect(code).toBe(0)
    expect(err).toEqual([])
    const entries = JSON.parse(out.join('')) as FileInfoEntry[]
    expect(entries).toEqual([
      {
        path: files[0],
        hash: `0x${digests.get('hello64-signed.exe')!.authenticode}`,
        publisher: { name: 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH', product: 'PROBE PRODUCT', binary: 'HELLO.EXE', version: '1.2.3.4' },
      },
      { path: files[1], hash: `0x${digests.get('hello64.exe')!.authenticode}`, publisher: null },
      { path: files[2], hash: `0x${digests.get('hello.ps1')!.flat}`, publisher: null },
    ])
  })

  it('a file it cannot read or that is damaged gets an error entry; the others are still printed; exit 1', async () => {
    const { io, out, err } = fakeIO()
    const files = [join(dir, 'missing.exe'), join(dir, 'truncated.exe'), join(dir, 'probe64.dll'), dir]
    const code = await fileinfoCommand(files, io)
    expect(code).toBe(1)
    const entries = JSON.parse(out.join('')) as FileInfoEntry[]
    expect(entries.map((e) => e.path)).toEqual(files)
    expect(entries[0]).toEqual({ path: files[0], error: 'Cannot read the file: no such file.' })
    expect(entries[1]).toMatchObject({ path: files[1], error: expect.stringMatching(/truncated/) })
    expect(entries[2]).toEqual({ path: files[2], hash: `0x${digests.get('probe64.dll')!.authenticode}`, publisher: null })
    expect(entries[3]).toEqual({ path: files[3], error: 'Cannot read the file: it is a folder.' })
    expect(err.join('')).toContain(`${files[1]}: The Windows program is truncated`)
  })

  it('warnings are included when there are some', async () => {
    const { io, out } = fakeIO()
    await fileinfoCommand([join(dir, 'tampered.exe')], io)
    const [entry] = JSON.parse(out.join('')) as Array<{ warnings?: string[]; publisher: unknown }>
    expect(entry.publisher).toBeNull()
    expect(entry.warnings?.[0]).toMatch(/changed after it was signed/)
  })

  it('no file: usage on stderr, exit 1', async () => {
    const { io, out, err } = fakeIO()
    expect(await fileinfoCommand([], io)).toBe(1)
    expect(out).toEqual([])
    expect(err.join('')).toMatch(/Usage: .* fileinfo FILE/)
  })

  it('is registered in the command line entry', () => {
    const stdout = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'fileinfo', join(dir, 'probe64-signed.dll')], { encoding: 'utf8' })
    expect(JSON.parse(stdout)).toEqual([
      {
        path: join(dir, 'probe64-signed.dll'),
        hash: `0x${digests.get('probe64-signed.dll')!.authenticode}`,
        publisher: { name: 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH', product: '', binary: '', version: '0.0.0.0' },
      },
    ])
  })
})
