import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, fixtureDigests, readFixture, type FixtureDigest } from '../../testing/pe-fixtures'
import { getFileInformation, getFileInformationFromSource, oneShotMax, type FileInfo } from './fileinfo'
import { blobSource } from './source'

// What build-pe.sh put into the files (VERSIONINFO and certificate subjects).
const ORG_PUBLISHER = 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH'
const CN_PUBLISHER = 'E=JANE@EXAMPLE.COM, CN=JANE Q. DEVELOPER'
const HELLO_FIELDS = { product: 'PROBE PRODUCT', binary: 'HELLO.EXE', version: '1.2.3.4' }

let digests: Map<string, FixtureDigest>

beforeAll(() => {
  digests = fixtureDigests(ensurePeFixtures())
}, 120_000)

async function info(name: string): Promise<FileInfo> {
  const r = await getFileInformation(name, readFixture(name))
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  expect(r.value).not.toBeNull()
  return r.value!
}

const sha256 = (b: Uint8Array) => '0x' + createHash('sha256').update(b).digest('hex').toUpperCase()

describe('Authenticode hash of PE files equals osslsigncode', () => {
  const pe = [
    'hello64.exe',
    'hello64-symbols.exe',
    'hello64-signed.exe',
    'hello64-cn-signed.exe',
    'probe64.dll',
    'probe64-signed.dll',
    'mismatch64.dll',
    'mismatch64-signed.dll',
    'hello64-overlay.exe',
    'hello64-overlay-signed.exe',
    'tampered.exe',
  ]
  it.each(pe)('%s', async (name) => {
    const expected = digests.get(name)?.authenticode
    expect(expected, `osslsigncode digest for ${name}`).toMatch(/^[0-9A-F]{64}$/)
    const v = await info(name)
    expect(v.kind).toBe('pe')
    expect(v.hashKind).toBe('authenticode')
    expect(v.hash).toBe(`0x${expected}`)
    // ... and it is not the flat hash, which signing changes.
    expect(v.hash).not.toBe(`0x${digests.get(name)!.flat}`)
    expect(v.size).toBe(readFixture(name).length)
  })

  it('signing does not change the hash', async () => {
    expect((await info('hello64-signed.exe')).hash).toBe((await info('hello64.exe')).hash)
    expect((await info('probe64-signed.dll')).hash).toBe((await info('probe64.dll')).hash)
  })

  it('pads appended data that does not end on an 8-byte boundary', async () => {
    const bytes = readFixture('hello64-overlay.exe')
    expect(bytes.length % 8).not.toBe(0)
    const v = await info('hello64-overlay.exe')
    expect(v.hash).toBe(`0x${digests.get('hello64-overlay.exe')!.authenticode}`)
    // Without the zero padding the value would be different: check the padding matters here.
    const plain = await info('hello64.exe')
    expect(v.hash).not.toBe(plain.hash)
  })

  it('detects PE by content, not by extension', async () => {
    const bytes = readFixture('hello64.exe')
    const asTxt = await getFileInformation('renamed.txt', bytes)
    expect(asTxt.value?.hash).toBe(`0x${digests.get('hello64.exe')!.authenticode}`)
    expect(asTxt.value?.kind).toBe('pe')
  })

  it('knows a DLL from an EXE', async () => {
    expect((await info('probe64.dll')).pe).toMatchObject({ dll: true, pe32plus: true, machine: 0x8664 })
    expect((await info('hello64.exe')).pe).toMatchObject({ dll: false, pe32plus: true })
  })
})

describe('publisher of signed files', () => {
  it('O, L, S, C in fixed order, unquoted comma, non-ASCII upper-cased; version fields from VERSIONINFO', async () => {
    const v = await info('hello64-signed.exe')
    expect(v.publisher).toEqual({ name: ORG_PUBLISHER, ...HELLO_FIELDS })
    expect(v.signature).toMatchObject({ digestAlgorithm: 'SHA256', digestMatches: true, signatureValid: true })
    // The X.500 form of the same subject quotes the comma and starts with CN (shown for information).
    expect(v.signature?.signerSubject).toBe('CN=PROBE TEST CORP CODE SIGNING, OU=BUILD, O="PROBE TEST CORP, INC.", L=ZÜRICH, S=ZURICH CANTON, C=CH')
    expect(v.warnings).toEqual([])
  })

  it('binary FILEVERSION wins over the FileVersion string', async () => {
    const v = await info('hello64-overlay-signed.exe')
    expect(v.publisher?.version).toBe('1.2.3.4') // the string says 9.9.9.9-string-differs
  })

  it('a subject without O uses the reversed X.500 name', async () => {
    expect((await info('hello64-cn-signed.exe')).publisher).toEqual({ name: CN_PUBLISHER, ...HELLO_FIELDS })
  })

  it('no version resource: empty product and binary, version 0.0.0.0', async () => {
    expect((await info('probe64-signed.dll')).publisher).toEqual({ name: ORG_PUBLISHER, product: '', binary: '', version: '0.0.0.0' })
  })

  it('strings only from the table the first Translation names (strict, as AppLocker)', async () => {
    // Translation 0407/04E4 but the only table is 040904b0.
    expect((await info('mismatch64-signed.dll')).publisher).toEqual({ name: ORG_PUBLISHER, product: '', binary: '', version: '5.6.7.8' })
  })

  it('unsigned files have no publisher', async () => {
    for (const name of ['hello64.exe', 'probe64.dll', 'hello64-overlay.exe']) {
      const v = await info(name)
      expect(v.publisher).toBeNull()
      expect(v.signature).toBeUndefined()
    }
  })

  it('a file changed after signing has no publisher and says why', async () => {
    const v = await info('tampered.exe')
    expect(v.publisher).toBeNull()
    expect(v.signature).toMatchObject({ publisherName: ORG_PUBLISHER, digestMatches: false, signatureValid: true })
    expect(v.warnings.join(' ')).toMatch(/changed after it was signed/)
  })

  it('a damaged signature blob means unsigned, with a warning, same hash', async () => {
    const bytes = readFixture('hello64-signed.exe').slice()
    const dv = new DataView(bytes.buffer)
    const pe = dv.getUint32(0x3c, true)
    const certDir = pe + 24 + 144
    const certAt = dv.getUint32(certDir, true)
    for (let i = certAt + 8 + 40; i < certAt + 8 + 80; i++) bytes[i] ^= 0x5a
    const r = await getFileInformation('broken.exe', bytes)
    expect(r.value?.hash).toBe(`0x${digests.get('hello64-signed.exe')!.authenticode}`)
    expect(r.value?.publisher).toBeNull()
    expect(r.value?.warnings.length).toBeGreaterThan(0)
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true)
  })
})

describe('non-PE and broken files', () => {
  it('scripts: flat SHA-256 of the whole file (= sha256sum), signature block included', async () => {
    for (const name of ['hello.ps1', 'hello-signed.ps1']) {
      const v = await info(name)
      expect(v.kind).toBe('script')
      expect(v.hashKind).toBe('flat')
      expect(v.hash).toBe(`0x${digests.get(name)!.flat}`)
    }
  })

  it('a signed script names its signer but reports no publisher', async () => {
    const v = await info('hello-signed.ps1')
    expect(v.publisher).toBeNull()
    expect(v.signature).toMatchObject({ publisherName: ORG_PUBLISHER, digestMatches: null, signatureValid: true })
    expect(v.warnings.join(' ')).toMatch(/signed by O=PROBE TEST CORP/)
  })

  it('a signed script saved as UTF-16LE (byte order mark FF FE) names the same signer', async () => {
    const text = new TextDecoder().decode(readFixture('hello-signed.ps1'))
    const utf16 = new Uint8Array(2 + text.length * 2)
    utf16.set([0xff, 0xfe])
    for (let i = 0; i < text.length; i++) new DataView(utf16.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true)
    const r = await getFileInformation('hello-utf16.ps1', utf16)
    expect(r.value?.hash).toBe(sha256(utf16))
    expect(r.value?.signature).toMatchObject({ publisherName: ORG_PUBLISHER, digestMatches: null, signatureValid: true })
  })

  it('any other file: flat hash', async () => {
    const bytes = new TextEncoder().encode('just some text, not a program\n')
    const r = await getFileInformation('notes.txt', bytes)
    expect(r.value).toMatchObject({ kind: 'other', hashKind: 'flat', hash: sha256(bytes), publisher: null, warnings: [] })
  })

  it('the truncated program gives a clear error and no value', async () => {
    const r = await getFileInformation('truncated.exe', readFixture('truncated.exe'))
    expect(r.value).toBeNull()
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'truncated-pe' })
    expect(r.diagnostics[0].message).toMatch(/truncated/)
  })

  it.each([2, 40, 63, 64, 100, 300, 1000])('a program cut to %i bytes never throws and says it is truncated or damaged', async (n) => {
    const r = await getFileInformation('cut.exe', readFixture('hello64.exe').subarray(0, n))
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].severity).toBe('error')
    expect(r.diagnostics[0].message).toMatch(/truncated|damaged/)
  })

  it('an empty file has no hash and says why', async () => {
    const r = await getFileInformation('empty.exe', new Uint8Array(0))
    expect(r.value).toMatchObject({ kind: 'empty', hash: null, hashKind: null, publisher: null, size: 0 })
    expect(r.value?.warnings[0]).toMatch(/empty/)
  })

  it('"MZ" without a PE header (a DOS program) is hashed flat, with a note', async () => {
    const dos = new Uint8Array(512)
    dos.set([0x4d, 0x5a])
    new DataView(dos.buffer).setUint32(0x3c, 0x80, true) // points at zeros, not "PE\0\0"
    const r = await getFileInformation('old.com', dos)
    expect(r.value).toMatchObject({ kind: 'other', hashKind: 'flat', hash: sha256(dos) })
    expect(r.value?.warnings[0]).toMatch(/no PE signature/)
  })

  it('a file named .msi that is not an OLE compound file is refused with a clear message', async () => {
    const r = await getFileInformation('setup.msi', new TextEncoder().encode('not an installer'))
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'malformed-msi' })
  })
})

describe('reading ranges', () => {
  it('a Blob source with small chunks gives the same result and reports progress up to the total', async () => {
    const bytes = readFixture('hello64-overlay-signed.exe')
    const seen: Array<[number, number]> = []
    const r = await getFileInformationFromSource('x.exe', blobSource(new Blob([bytes.slice().buffer])), { chunkSize: 1000, onProgress: (d, t) => seen.push([d, t]) })
    const direct = await getFileInformation('x.exe', bytes)
    expect(r.value).toEqual(direct.value)
    expect(seen.length).toBeGreaterThan(10)
    const [done, total] = seen[seen.length - 1]
    expect(done).toBe(total)
    expect(total).toBeGreaterThan(bytes.length - 2000)
  })
})

describe('Web Crypto one-shot digest and the streaming hashers give the same hashes', () => {
  it.each(['hello64-overlay-signed.exe', 'probe64-signed.dll', 'tampered.exe'])('%s (Authenticode ranges, small chunks, hash-wasm and a Blob)', async (name) => {
    const bytes = readFixture(name)
    const { createSha256 } = await import('./sha256')
    const oneShot = (await getFileInformation(name, bytes)).value!
    const chunked = (await getFileInformation(name, bytes, { chunkSize: 1000 })).value!
    const streamed = (await getFileInformation(name, bytes, { createSha256: () => createSha256('hash-wasm'), chunkSize: 1000 })).value!
    const fromBlob = (await getFileInformationFromSource(name, blobSource(new Blob([bytes.slice()])), { chunkSize: 4096 })).value!
    expect(oneShot.hash).toMatch(/^0x[0-9A-F]{64}$/)
    for (const other of [chunked, streamed, fromBlob]) {
      expect(other.hash).toBe(oneShot.hash)
      expect(other.signature).toEqual(oneShot.signature)
    }
  })
  it('a file over the one-shot limit streams (hash-wasm) to the same hash as the one-shot digest', async () => {
    for (const name of ['hello64-overlay-signed.exe', 'tampered.exe']) {
      const bytes = readFixture(name)
      const oneShot = (await getFileInformation(name, bytes)).value!
      const seen: number[] = []
      const streamed = (await getFileInformation(name, bytes, { oneShotMax: 1000, chunkSize: 4096, onProgress: (done) => seen.push(done) })).value!
      expect(streamed.hash).toBe(oneShot.hash)
      expect(seen.length).toBeGreaterThan(2) // read chunk by chunk, not at once
    }
  })
  it('the one-shot limit follows the memory the device reports: 64 MiB per GiB, from 128 MiB to 1 GiB', () => {
    const MiB = 1024 * 1024
    expect(oneShotMax(undefined)).toBe(128 * MiB)
    expect(oneShotMax(0.5)).toBe(128 * MiB)
    expect(oneShotMax(2)).toBe(128 * MiB)
    expect(oneShotMax(4)).toBe(256 * MiB)
    expect(oneShotMax(8)).toBe(512 * MiB)
    expect(oneShotMax(16)).toBe(1024 * MiB)
    expect(oneShotMax(64)).toBe(1024 * MiB)
    expect(oneShotMax(Number.NaN)).toBe(128 * MiB)
    expect(oneShotMax()).toBe(128 * MiB) // Node has no navigator.deviceMemory
  })
  it('a flat file: the same hash as node:crypto, whole or in chunks', async () => {
    const bytes = new Uint8Array(300_001).map((_, i) => (i * 7) & 0xff)
    for (const chunkSize of [undefined, 4096]) {
      const r = (await getFileInformation('data.bin', bytes, { chunkSize })).value!
      expect(r.hash).toBe(sha256(bytes))
    }
  })
})
