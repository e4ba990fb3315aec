/**
 * Every digest form of an Authenticode signature gets its publisher, as Windows gives it: SignTool
 * /fd sha1, sha256, sha384 and sha512 for PE files, and SHA-1 and SHA-256 for Windows Installer
 * files (with and without the MsiDigitalSignatureEx stream). Signed here by osslsigncode
 * (`-h sha1|sha256|sha384|sha512`, `-add-msi-dse`) with the fixtures' throwaway certificate;
 * osslsigncode's own `verify` is the independent check that each signed file is valid.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, msiFixture, peFixtureDir } from '../../testing/pe-fixtures'
import { getFileInformation } from './fileinfo'

const ORG_PUBLISHER = 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH'
let keys: string
let tmp: string

function sign(input: string, name: string, digest: string, extra: string[] = []): Uint8Array {
  const out = join(tmp, name)
  execFileSync('osslsigncode', ['sign', '-certs', join(keys, 'org.crt'), '-key', join(keys, 'org.key'), '-h', digest, ...extra, '-in', input, '-out', out], { stdio: 'pipe' })
  // osslsigncode itself agrees the file's digest matches its signature.
  const v = spawnSync('osslsigncode', ['verify', '-in', out], { encoding: 'utf8' })
  expect(`${v.stdout}${v.stderr}`).not.toMatch(/MISMATCH/)
  return new Uint8Array(readFileSync(out))
}

beforeAll(() => {
  keys = ensurePeFixtures()
  tmp = mkdtempSync(join(tmpdir(), 'digests-'))
}, 120_000)
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('PE signatures with each digest (SignTool /fd)', () => {
  it.each(['sha1', 'sha256', 'sha384', 'sha512'])('%s: digest verified, publisher reported; the AppLocker hash stays SHA-256', async (digest) => {
    const bytes = sign(join(peFixtureDir, 'hello64.exe'), `hello64-${digest}.exe`, digest)
    const unsigned = await getFileInformation('hello64.exe', new Uint8Array(readFileSync(join(peFixtureDir, 'hello64.exe'))))
    const r = await getFileInformation(`hello64-${digest}.exe`, bytes)
    expect(r.value?.signature).toMatchObject({ digestAlgorithm: digest.toUpperCase(), digestMatches: true, signatureValid: true })
    expect(r.value?.publisher?.name).toBe(ORG_PUBLISHER)
    expect(r.value?.hash).toBe(unsigned.value?.hash) // signing does not change the Authenticode hash
  })

  it.each(['sha384', 'sha512'])('%s: a byte changed after signing is caught', async (digest) => {
    const bytes = sign(join(peFixtureDir, 'hello64.exe'), `hello64-${digest}-t.exe`, digest)
    const at = Buffer.from(bytes).indexOf('.text')
    bytes[at + 0x40] ^= 1 // inside the section table, hashed
    const r = await getFileInformation('t.exe', bytes)
    expect(r.value?.signature?.digestMatches).toBe(false)
    expect(r.value?.publisher).toBeNull()
  })
})

describe('Windows Installer signatures', () => {
  it.each([
    ['sha1', []],
    ['sha256', []],
    ['sha1', ['-add-msi-dse']],
    ['sha256', ['-add-msi-dse']],
  ] as const)('%s %s: the SIP digest is verified and the publisher reported', async (digest, extra) => {
    const bytes = sign(msiFixture, `probe-${digest}${extra.length ? '-dse' : ''}.msi`, digest, [...extra])
    const r = await getFileInformation('probe.msi', bytes)
    expect(r.value?.signature).toMatchObject({ digestAlgorithm: digest.toUpperCase(), digestMatches: true, signatureValid: true })
    expect(r.value?.publisher).toEqual({ name: ORG_PUBLISHER, product: 'PROBE INSTALLER', binary: '{11111111-2222-3333-4444-555555555555}', version: '20.0.1621.0' })
    if (extra.length) expect(r.value?.warnings.join(' ')).toMatch(/MsiDigitalSignatureEx/)
  })

  it('sha1 with MsiDigitalSignatureEx, changed after signing: no publisher', async () => {
    const bytes = sign(msiFixture, 'probe-sha1-dse-t.msi', 'sha1', ['-add-msi-dse'])
    const at = Buffer.from(bytes).indexOf('Probe Installer')
    bytes[at] = 'Q'.charCodeAt(0)
    const r = await getFileInformation('probe.msi', bytes)
    expect(r.value?.signature?.digestMatches).toBe(false)
    expect(r.value?.publisher).toBeNull()
  })
})
