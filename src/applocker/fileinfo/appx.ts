/**
 * .appx / .msix packages and bundles: the package identity from AppxManifest.xml (or, for a bundle,
 * AppxMetadata/AppxBundleManifest.xml). A package is a zip file; the manifest is found through the
 * zip's central directory so only the directory and the manifest are read, whatever the package's
 * size, and inflated with fflate. The XML is read with fast-xml-parser.
 */
import { Inflate } from 'fflate'
import { XMLParser } from 'fast-xml-parser'
import type { ByteSource } from './source'

export interface PackageIdentity {
  /** Identity@Publisher as written in the manifest, e.g. "CN=Contoso, O=Contoso, L=Redmond, S=Washington, C=US". */
  publisher: string
  /** Identity@Name, e.g. "Contoso.App" (AppLocker's ProductName for packaged apps). */
  name: string
  /** Identity@Version "a.b.c.d". */
  version: string
  bundle: boolean
  /** AppxSignature.p7x is present (packages must be signed to install). */
  signed: boolean
}

export type PackageResult = { kind: 'package'; identity: PackageIdentity } | { kind: 'not-package' } | { kind: 'error'; message: string } | { kind: 'cancelled' }

export interface PackageReadOptions {
  /** Checked while the manifest is inflated; when it returns true the read stops (result `cancelled`). */
  isCancelled?: () => boolean
}

/** A manifest is a few KB; nothing beyond this is inflated, whatever the zip directory declares. */
const MAX_MANIFEST = 32 * 1024 * 1024
/** Compressed bytes read at a time, and fed to the inflater at a time (at most ~1,032x as much comes out). */
const READ_SLICE = 64 * 1024
const INFLATE_SLICE = 4 * 1024

class Cancelled extends Error {}

/** Lets a Worker see its messages (Cancel) during long work: a macrotask turn at most every 50 ms. */
function yielder(): () => Promise<void> {
  let last = Date.now()
  return async () => {
    if (Date.now() - last < 50) return
    await new Promise((r) => setTimeout(r, 0))
    last = Date.now()
  }
}

interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
  localHeaderOffset: number
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8)
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32

export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
}

/** Lists a zip's central directory (APPNOTE.TXT 4.3.12-4.3.16, with zip64). */
async function zipEntries(src: ByteSource): Promise<ZipEntry[] | string> {
  const tailLen = Math.min(src.size, 65557 + 20)
  const tailStart = src.size - tailLen
  const tail = await src.read(tailStart, tailLen)
  let eocd = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return 'The package is not a complete zip file (no end-of-central-directory record): it is truncated or damaged.'
  let count = u16(tail, eocd + 10)
  let cdSize = u32(tail, eocd + 12)
  let cdOffset = u32(tail, eocd + 16)
  if ((cdOffset === 0xffffffff || count === 0xffff || cdSize === 0xffffffff) && eocd >= 20 && u32(tail, eocd - 20) === 0x07064b50) {
    const z64At = u64(tail, eocd - 20 + 8)
    const z64 = await src.read(z64At, 56)
    if (z64.length < 56 || u32(z64, 0) !== 0x06064b50) return 'The package has a damaged zip64 directory.'
    count = u64(z64, 32)
    cdSize = u64(z64, 40)
    cdOffset = u64(z64, 48)
  }
  if (cdOffset + cdSize > src.size || cdSize > 256 * 1024 * 1024) return 'The package zip directory lies past the end of the file: it is truncated.'
  const cd = await src.read(cdOffset, cdSize)
  const entries: ZipEntry[] = []
  let p = 0
  for (let i = 0; i < count && p + 46 <= cd.length; i++) {
    if (u32(cd, p) !== 0x02014b50) return 'The package zip directory is damaged.'
    const nameLen = u16(cd, p + 28)
    const extraLen = u16(cd, p + 30)
    const commentLen = u16(cd, p + 32)
    const name = new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLen))
    const e: ZipEntry = { name, method: u16(cd, p + 10), compressedSize: u32(cd, p + 20), size: u32(cd, p + 24), localHeaderOffset: u32(cd, p + 42) }
    // zip64 extended information: only the fields that are 0xFFFFFFFF in the record, in this order.
    let x = p + 46 + nameLen
    const xEnd = x + extraLen
    while (x + 4 <= xEnd) {
      const id = u16(cd, x)
      const len = u16(cd, x + 2)
      if (id === 0x0001) {
        let f = x + 4
        if (e.size === 0xffffffff) {
          e.size = u64(cd, f)
          f += 8
        }
        if (e.compressedSize === 0xffffffff) {
          e.compressedSize = u64(cd, f)
          f += 8
        }
        if (e.localHeaderOffset === 0xffffffff) e.localHeaderOffset = u64(cd, f)
      }
      x += 4 + len
    }
    entries.push(e)
    p = xEnd + commentLen
  }
  return entries
}

/**
 * An entry's bytes, inflated slice by slice: inflating stops as soon as the output passes the size the zip
 * directory declares (a manifest declared as 1 KB that would inflate to 1 GB is refused after about 1 KB) or
 * MAX_MANIFEST, and Cancel is honoured between slices.
 */
async function readEntry(src: ByteSource, e: ZipEntry, options: PackageReadOptions): Promise<Uint8Array | string> {
  if (e.size > MAX_MANIFEST) return `${e.name} is too large (${e.size} bytes).`
  const local = await src.read(e.localHeaderOffset, 30)
  if (local.length < 30 || u32(local, 0) !== 0x04034b50) return `The package's ${e.name} entry is damaged.`
  const dataAt = e.localHeaderOffset + 30 + u16(local, 26) + u16(local, 28)
  if (dataAt + e.compressedSize > src.size) return `The package is truncated inside ${e.name}.`
  if (e.method === 0) {
    if (e.compressedSize !== e.size) return `The package's ${e.name} entry is damaged (stored with ${e.compressedSize} bytes for ${e.size}).`
    return src.read(dataAt, e.compressedSize)
  }
  if (e.method !== 8) return `${e.name} uses an unsupported zip compression method (${e.method}).`
  const out = new Uint8Array(e.size)
  let produced = 0
  let tooBig = false
  let ended = false
  const inflater = new Inflate((chunk, final) => {
    if (produced + chunk.length > e.size) tooBig = true
    else out.set(chunk, produced)
    produced += chunk.length
    if (final) ended = true
  })
  const pause = yielder()
  try {
    for (let p = 0; p < e.compressedSize && !ended; p += READ_SLICE) {
      const data = await src.read(dataAt + p, Math.min(READ_SLICE, e.compressedSize - p))
      for (let q = 0; q < data.length && !ended; q += INFLATE_SLICE) {
        if (options.isCancelled?.()) throw new Cancelled()
        const last = p + q + INFLATE_SLICE >= e.compressedSize
        inflater.push(data.subarray(q, q + INFLATE_SLICE), last)
        if (tooBig) return `${e.name} inflates to more than the ${e.size} bytes the zip directory declares: the package is damaged or hostile, so it is not read further.`
        await pause()
      }
    }
  } catch (err) {
    if (err instanceof Cancelled) throw err
    return `${e.name} cannot be decompressed: ${err instanceof Error ? err.message : String(err)}`
  }
  if (produced !== e.size) return `${e.name} inflates to ${produced} bytes, not the ${e.size} the zip directory declares: the package is damaged.`
  return out
}

/** The package identity, or not-package when the zip has no Appx manifest. Never throws. */
export async function readPackageIdentity(src: ByteSource, options: PackageReadOptions = {}): Promise<PackageResult> {
  try {
    const entries = await zipEntries(src)
    if (typeof entries === 'string') return { kind: 'error', message: entries }
    const byName = new Map<string, ZipEntry>()
    for (const e of entries) {
      const key = e.name.toLowerCase()
      const other = byName.get(key)
      // Zip names are case-sensitive, package paths are not: two manifests would leave "which one" to the reader.
      if (other && (key === 'appxmanifest.xml' || key === 'appxmetadata/appxbundlemanifest.xml'))
        return { kind: 'error', message: `The package has two manifests, ${other.name} and ${e.name}${other.name === e.name ? ' (the same name twice)' : ', whose names differ only in case'}: it is damaged or crafted, so it is not read.` }
      if (!other) byName.set(key, e)
    }
    const bundleManifest = byName.get('appxmetadata/appxbundlemanifest.xml')
    const manifest = bundleManifest ?? byName.get('appxmanifest.xml')
    if (!manifest) return { kind: 'not-package' }
    const xml = await readEntry(src, manifest, options)
    if (typeof xml === 'string') return { kind: 'error', message: xml }
    const text = new TextDecoder().decode(xml)
    // Package manifests have no DTD; one could define entities (the identity would be "&g;" or its expansion).
    if (/<!DOCTYPE/i.test(text)) return { kind: 'error', message: `${manifest.name} has a DOCTYPE, which package manifests never have: it is refused.` }
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, parseAttributeValue: false, parseTagValue: false })
    const doc = parser.parse(text) as Record<string, Record<string, unknown> | undefined>
    const root = doc[bundleManifest ? 'Bundle' : 'Package']
    const identity = root?.Identity as Record<string, unknown> | undefined
    const name = identity?.Name
    const publisher = identity?.Publisher
    const version = identity?.Version
    if (typeof name !== 'string' || typeof publisher !== 'string' || typeof version !== 'string') {
      return { kind: 'error', message: `${manifest.name} has no complete <Identity Name Publisher Version> element.` }
    }
    return { kind: 'package', identity: { name, publisher, version, bundle: !!bundleManifest, signed: byName.has('appxsignature.p7x') } }
  } catch (e) {
    if (e instanceof Cancelled) return { kind: 'cancelled' }
    return { kind: 'error', message: `The package cannot be read: ${e instanceof Error ? e.message : String(e)}` }
  }
}
