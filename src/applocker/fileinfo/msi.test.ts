import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as CFB from 'cfb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, msiFixture, osslsigncodeMsiDigest } from '../../testing/pe-fixtures'
import { getFileInformation } from './fileinfo'
import { decodeStreamName, normaliseMsiVersion } from './msi'

// probe.msi: ProductName "Probe Installer", ProductCode {11111111-2222-3333-4444-555555555555},
// ProductVersion "020.000.1621" (scripts/fixtures/msi/build-msi.sh). It is signed here with the
// PE fixtures' throwaway certificate; osslsigncode gives the independent MSI SIP digest.
const ORG_PUBLISHER = 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH'
let keys: string
let tmp: string
let unsigned: Uint8Array
let signed: Uint8Array
let sip: string

beforeAll(() => {
  keys = ensurePeFixtures()
  tmp = mkdtempSync(join(tmpdir(), 'msi-'))
  const out = join(tmp, 'probe-signed.msi')
  execFileSync('osslsigncode', ['sign', '-certs', join(keys, 'org.crt'), '-key', join(keys, 'org.key'), '-h', 'sha256', '-in', msiFixture, '-out', out], { stdio: 'pipe' })
  unsigned = new Uint8Array(readFileSync(msiFixture))
  signed = new Uint8Array(readFileSync(out))
  sip = osslsigncodeMsiDigest(msiFixture, keys)
}, 120_000)
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const flat = (b: Uint8Array) => '0x' + createHash('sha256').update(b).digest('hex').toUpperCase()

describe('Windows Installer files', () => {
  it('unsigned: flat hash, the SIP digest as the alternative (= osslsigncode), a warning, no publisher', async () => {
    const r = await getFileInformation('probe.msi', unsigned)
    expect(r.value).toMatchObject({ kind: 'msi', hash: flat(unsigned), hashKind: 'flat', alternativeHashes: [sip], publisher: null })
    expect(r.value?.warnings.join(' ')).toMatch(/sources disagree/)
  })

  it('signed: publisher from the signature and the Property table; SIP digest unchanged by signing', async () => {
    const r = await getFileInformation('probe-signed.msi', signed)
    expect(r.value?.hash).toBe(flat(signed))
    expect(r.value?.hash).not.toBe(flat(unsigned))
    expect(r.value?.alternativeHashes).toEqual([sip])
    expect(r.value?.publisher).toEqual({ name: ORG_PUBLISHER, product: 'PROBE INSTALLER', binary: '{11111111-2222-3333-4444-555555555555}', version: '20.0.1621.0' })
    expect(r.value?.signature).toMatchObject({ digestMatches: true, signatureValid: true })
  })

  it('changed after signing: no publisher, says why', async () => {
    const bytes = signed.slice()
    const at = Buffer.from(bytes).indexOf('Probe Installer')
    expect(at).toBeGreaterThan(0)
    bytes[at] = 'Q'.charCodeAt(0)
    const r = await getFileInformation('probe-tampered.msi', bytes)
    expect(r.value?.publisher).toBeNull()
    expect(r.value?.signature).toMatchObject({ digestMatches: false })
    expect(r.value?.warnings.join(' ')).toMatch(/changed after it was signed/)
  })

  it('a truncated installer gives a clear error', async () => {
    const r = await getFileInformation('cut.msi', unsigned.subarray(0, 3000))
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'malformed-msi' })
  })

  it('another compound file (not an installer, not named .msi) is a plain file', async () => {
    const doc = CFB.utils.cfb_new()
    CFB.utils.cfb_add(doc, 'WordDocument', new Uint8Array([1, 2, 3, 4]))
    const bytes = new Uint8Array(CFB.write(doc, { type: 'array' }) as ArrayLike<number>)
    writeFileSync(join(tmp, 'x.doc'), bytes)
    const r = await getFileInformation('letter.doc', bytes)
    expect(r.value).toMatchObject({ kind: 'other', hash: flat(bytes), publisher: null, warnings: [] })
  })

  it('normalises ProductVersion to four numbers without leading zeros', () => {
    expect(normaliseMsiVersion('020.000.1621')).toBe('20.0.1621.0')
    expect(normaliseMsiVersion('1.2')).toBe('1.2.0.0')
    expect(normaliseMsiVersion('1.2.3.4.5')).toBe('1.2.3.4')
    expect(normaliseMsiVersion('')).toBe('0.0.0.0')
  })

  it('decodes MSI stream names', () => {
    // A stream name as it appears in probe.msi (table marker + two characters per code unit).
    expect(decodeStreamName('\u4840\u3f3f\u4577\u446c\u3b6a\u45e4\u4824')).toBe('!_StringData')
  })
})
