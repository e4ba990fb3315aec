import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, osslsigncodeDigest as digestOf } from '../../testing/pe-fixtures'
import { synthPe } from '../../testing/synth-pe'
import { getFileInformation } from './fileinfo'

// PE32 layouts (mingw here builds PE32+ only) and overlays of every length mod 8, checked against
// osslsigncode's own Authenticode digest; a PE32 signed by osslsigncode for the signer path.
let fixtures: string
let tmp: string
beforeAll(() => {
  fixtures = ensurePeFixtures()
  tmp = mkdtempSync(join(tmpdir(), 'synth-pe-'))
}, 120_000)
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const osslsigncodeDigest = (file: string) => digestOf(file, fixtures)

describe('synthetic PE images vs osslsigncode', () => {
  const cases = [
    ...[0, 1, 3, 5, 7, 8, 13].map((overlay) => ({ pe32plus: false, sections: [0x600, 0x200], overlay })),
    { pe32plus: true, sections: [0x200, 0x400, 0x200], overlay: 6 },
    { pe32plus: false, sections: [0x200, 0, 0x400], overlay: 0 }, // a section without raw data
  ]
  it.each(cases)('PE32+=$pe32plus sections=$sections overlay=$overlay', async (c) => {
    const bytes = synthPe({ ...c, seed: c.overlay + 3 })
    const file = join(tmp, 'synth.exe')
    writeFileSync(file, bytes)
    const r = await getFileInformation('synth.exe', bytes)
    expect(r.value?.pe?.pe32plus).toBe(c.pe32plus)
    expect(r.value?.hash).toBe(osslsigncodeDigest(file))
  })

  it('a PE32 signed by osslsigncode: same hash, signer read, digest matches', async () => {
    const unsigned = join(tmp, 'p32.exe')
    const signed = join(tmp, 'p32-signed.exe')
    writeFileSync(unsigned, synthPe({ pe32plus: false, sections: [0x400], overlay: 3 }))
    execFileSync('osslsigncode', ['sign', '-certs', join(fixtures, 'org.crt'), '-key', join(fixtures, 'org.key'), '-h', 'sha256', '-in', unsigned, '-out', signed], { stdio: 'pipe' })
    const r = await getFileInformation('p32-signed.exe', new Uint8Array(readFileSync(signed)))
    expect(r.value?.hash).toBe(osslsigncodeDigest(unsigned))
    expect(r.value?.signature).toMatchObject({ digestMatches: true, signatureValid: true })
    expect(r.value?.publisher).toEqual({ name: 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH', product: '', binary: '', version: '0.0.0.0' })
  })

  it('a SHA-1 signature is checked with SHA-1; the AppLocker hash stays SHA-256', async () => {
    const unsigned = join(tmp, 'sha1.exe')
    const signed = join(tmp, 'sha1-signed.exe')
    writeFileSync(unsigned, synthPe({ pe32plus: true, sections: [0x600], overlay: 0, seed: 9 }))
    execFileSync('osslsigncode', ['sign', '-certs', join(fixtures, 'org.crt'), '-key', join(fixtures, 'org.key'), '-h', 'sha1', '-in', unsigned, '-out', signed], { stdio: 'pipe' })
    const r = await getFileInformation('sha1-signed.exe', new Uint8Array(readFileSync(signed)))
    expect(r.value?.hash).toBe(osslsigncodeDigest(unsigned))
    expect(r.value?.signature).toMatchObject({ digestAlgorithm: 'SHA1', digestMatches: true, signatureValid: true })
    expect(r.value?.publisher?.name).toBe('O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH')
  })
})
