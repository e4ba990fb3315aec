/**
 * Hostile packages: a manifest that inflates far past its declared size, Cancel while inflating, a manifest with
 * a DOCTYPE, two manifests whose names differ in case.
 */
import { deflateSync, strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readPackageIdentity } from './appx'
import { getFileInformation } from './fileinfo'
import { bytesSource, type ByteSource } from './source'

const IDENTITY = '<Identity Name="Contoso.App" Publisher="CN=Contoso" Version="1.0.0.0" />'

/** A one-entry zip written by hand, so the directory can declare any size (method 8 = deflate). */
function zipOf(name: string, data: Uint8Array, declaredSize: number, method = 8): Uint8Array {
  const n = strToU8(name)
  const local = new Uint8Array(30 + n.length)
  const lv = new DataView(local.buffer)
  lv.setUint32(0, 0x04034b50, true)
  lv.setUint16(8, method, true)
  lv.setUint32(18, data.length, true)
  lv.setUint32(22, declaredSize, true)
  lv.setUint16(26, n.length, true)
  local.set(n, 30)
  const cd = new Uint8Array(46 + n.length)
  const cv = new DataView(cd.buffer)
  cv.setUint32(0, 0x02014b50, true)
  cv.setUint16(10, method, true)
  cv.setUint32(20, data.length, true)
  cv.setUint32(24, declaredSize, true)
  cv.setUint16(28, n.length, true)
  cv.setUint32(42, 0, true)
  cd.set(n, 46)
  const eocd = new Uint8Array(22)
  const ev = new DataView(eocd.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, 1, true)
  ev.setUint16(10, 1, true)
  ev.setUint32(12, cd.length, true)
  ev.setUint32(16, local.length + data.length, true)
  const all = new Uint8Array(local.length + data.length + cd.length + eocd.length)
  all.set(local, 0)
  all.set(data, local.length)
  all.set(cd, local.length + data.length)
  all.set(eocd, local.length + data.length + cd.length)
  return all
}

/**
 * A raw deflate stream that inflates to `size` zero bytes in about size/160 bytes: one fixed-Huffman block, a
 * literal 0, then <length 258, distance 1> copies (13 bits each), then end of block.
 */
function deflateBomb(size: number): Uint8Array {
  const copies = Math.ceil((size - 1) / 258)
  const out = new Uint8Array(Math.ceil((3 + 8 + copies * 13 + 7) / 8) + 1)
  let bit = 0
  const put = (value: number, n: number) => {
    for (let i = 0; i < n; i++, bit++) if ((value >> i) & 1) out[bit >> 3] |= 1 << (bit & 7)
  }
  // Huffman codes go most significant bit first.
  const code = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--, bit++) if ((value >> i) & 1) out[bit >> 3] |= 1 << (bit & 7)
  }
  put(1, 1) // BFINAL
  put(1, 2) // BTYPE 01: fixed Huffman
  code(0x30, 8) // literal 0
  for (let i = 0; i < copies; i++) {
    code(0xc5, 8) // length code 285 = 258
    code(0, 5) // distance code 0 = 1
  }
  code(0, 7) // end of block
  return out
}

/** Counts the bytes a reader asks for. */
function counting(src: ByteSource): ByteSource & { bytesRead: () => number } {
  let n = 0
  return {
    size: src.size,
    read: async (o, l) => {
      const b = await src.read(o, l)
      n += b.length
      return b
    },
    bytesRead: () => n,
  }
}

describe('hostile packages', () => {
  it('a manifest declared as 1 KB that inflates to 1 GB is refused after inflating about its declared size', async () => {
    const bomb = deflateBomb(1024 ** 3)
    expect(bomb.length).toBeGreaterThan(6_000_000)
    const src = counting(bytesSource(zipOf('AppxManifest.xml', bomb, 1024)))
    const r = await readPackageIdentity(src)
    expect(r).toEqual({
      kind: 'error',
      message: expect.stringMatching(
        /AppxManifest\.xml inflates to more than the 1024 bytes the zip directory declares/,
      ),
    })
    // Only the start of the 6.7 MB compressed stream was read (and so inflated).
    expect(src.bytesRead()).toBeLessThan(200_000)
  })

  it('a manifest that inflates to less than declared is damaged', async () => {
    const xml = strToU8(`<Package>${IDENTITY}</Package>`)
    const r = await readPackageIdentity(
      bytesSource(zipOf('AppxManifest.xml', deflateSync(xml), xml.length + 10)),
    )
    expect(r).toEqual({ kind: 'error', message: expect.stringMatching(/inflates to \d+ bytes, not the \d+/) })
  })

  it('Cancel stops inflating the manifest', async () => {
    const bomb = deflateBomb(30 * 1024 * 1024)
    const zip = zipOf('AppxManifest.xml', bomb, 30 * 1024 * 1024)
    let calls = 0
    // The first check is the package hash (one chunk); every later check is inside the manifest.
    const r = await getFileInformation('bomb.msix', zip, {
      chunkSize: zip.length,
      isCancelled: () => ++calls > 2,
    })
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'cancelled' })])
    expect(calls).toBe(3)
  })

  it('a manifest with a DOCTYPE is refused, not read with its entities', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE Package [<!ENTITY g "Contoso.Evil">]><Package><Identity Name="&g;" Publisher="CN=Contoso" Version="1.0.0.0" /></Package>`
    const r = await getFileInformation('dtd.appx', zipSync({ 'AppxManifest.xml': strToU8(xml) }))
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({
      code: 'malformed-package',
      message: 'AppxManifest.xml has a DOCTYPE, which package manifests never have: it is refused.',
    })
  })

  it('two manifests whose names differ in case are an error, not "the last one wins"', async () => {
    const zip = zipSync({
      'AppxManifest.xml': strToU8(`<Package>${IDENTITY}</Package>`),
      'APPXMANIFEST.XML': strToU8(`<Package>${IDENTITY.replace('Contoso.App', 'Contoso.Other')}</Package>`),
    })
    const r = await getFileInformation('two.appx', zip)
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].message).toBe(
      'The package has two manifests, AppxManifest.xml and APPXMANIFEST.XML, whose names differ only in case: it is damaged or crafted, so it is not read.',
    )
  })
})
