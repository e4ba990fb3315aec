/**
 * Windows Installer files (.msi/.msp/.mst, OLE compound files), read with the cfb library:
 * - the publisher fields AppLocker uses (AaronLockerV2 AppLockerFunctionality/MsiFileInfo.h):
 *   ProductName ← Property "ProductName", BinaryName ← Property "ProductCode", BinaryVersion ←
 *   "ProductVersion" normalised to four numbers without leading zeros ("020.000.1621" → "20.0.1621.0"),
 *   the strings upper-cased;
 * - the embedded signature (root stream "\u0005DigitalSignature") and the MSI SIP digest it signs:
 *   SHA-256 over the contents of every stream, storages recursed, children sorted by their raw
 *   UTF-16LE names (byte comparison; on a common prefix the longer name first), each storage's
 *   CLSID after its children, the signature streams skipped (osslsigncode msi.c msi_hash_dir and
 *   dirent_cmp_hash; the test compares with osslsigncode's "Calculated DigitalSignature").
 * Which of the flat hash and this SIP digest AppLocker stores for MSI files is unsettled (fileinfo.ts).
 */
import * as CFB from 'cfb'
import { createDigest, type DigestName } from './digests'

export interface MsiInfo {
  productName: string
  productCode: string
  /** Normalised "a.b.c.d"; "0.0.0.0" when absent. */
  productVersion: string
  /** PKCS#7 of "\u0005DigitalSignature", when present. */
  signature: Uint8Array | null
  /** The file also has "\u0005MsiDigitalSignatureEx" (the signed digest then covers metadata too). */
  hasSignatureEx: boolean
  /** The MsiDigitalSignatureEx stream: the pre-hash of the directory metadata the signed digest starts with; null when absent. */
  signatureEx: Uint8Array | null
  /** SHA-256 MSI SIP digest of the contents (as signed by Authenticode for MSI files without MsiDigitalSignatureEx). */
  sipDigest: Uint8Array
  /**
   * The digest an MSI signature with this algorithm signs: H(MsiDigitalSignatureEx content, when
   * present, then every stream's content as sipDigest). The Ex stream's own value (a hash of the
   * directory entries' names, sizes, flags and times) is taken as stored.
   */
  signedDigestWith: (algorithm: DigestName) => Uint8Array
  /** Has the MSI string pool and tables (a .doc or .xls compound file has not). */
  isInstaller: boolean
}

const DIGITAL_SIGNATURE = '\u0005DigitalSignature'
const DIGITAL_SIGNATURE_EX = '\u0005MsiDigitalSignatureEx'

/** MSI stream-name decoding (the "compressed" names of table streams; Wine msi/table.c decode_streamname). */
export function decodeStreamName(name: string): string {
  const mime = (x: number) => (x < 10 ? String.fromCharCode(48 + x) : x < 36 ? String.fromCharCode(55 + x) : x < 62 ? String.fromCharCode(61 + x) : x === 62 ? '.' : '_')
  let out = ''
  for (const c of name) {
    const ch = c.charCodeAt(0)
    if (ch >= 0x3800 && ch < 0x4840) {
      if (ch >= 0x4800) out += mime(ch - 0x4800)
      else {
        const v = ch - 0x3800
        out += mime(v & 0x3f) + mime((v >> 6) & 0x3f)
      }
    } else if (ch === 0x4840) out += '!' // table marker
    else out += c
  }
  return out
}

interface Node {
  entry: CFB.CFB$Entry
  name: string
  children: Node[]
}

function nameBytes(name: string): Uint8Array {
  // Raw directory-entry name: UTF-16LE with its terminating NUL.
  const b = new Uint8Array(name.length * 2 + 2)
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    b[2 * i] = c & 0xff
    b[2 * i + 1] = c >> 8
  }
  return b
}

function cmpHash(a: Node, b: Node): number {
  const x = nameBytes(a.name)
  const y = nameBytes(b.name)
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i]
  return x.length > y.length ? -1 : 1
}

function tree(cfb: CFB.CFB$Container): Node | null {
  const nodes = new Map<string, Node>()
  let root: Node | null = null
  cfb.FullPaths.forEach((path, i) => {
    const entry = cfb.FileIndex[i]
    const node: Node = { entry, name: entry.name, children: [] }
    nodes.set(path, node)
    if (entry.type === 5) root = node
  })
  cfb.FullPaths.forEach((path) => {
    const node = nodes.get(path)!
    if (node === root) return
    const parentPath = path.replace(/[^/]+\/?$/, '')
    nodes.get(parentPath)?.children.push(node)
  })
  return root
}

function clsidBytes(hex: string | undefined): Uint8Array {
  const b = new Uint8Array(16)
  if (hex && /^[0-9a-fA-F]{32}$/.test(hex)) for (let i = 0; i < 16; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return b
}

const asBytes = (c: CFB.CFB$Blob | undefined) => (c ? (c instanceof Uint8Array ? c : Uint8Array.from(c)) : new Uint8Array(0))

function sipDigest(root: Node, algorithm: DigestName, prefix: Uint8Array | null): Uint8Array {
  const h = createDigest(algorithm)
  if (prefix !== null) h.update(prefix)
  const walk = (dir: Node, isRoot: boolean) => {
    for (const child of [...dir.children].sort(cmpHash)) {
      if (isRoot && (child.name === DIGITAL_SIGNATURE || child.name === DIGITAL_SIGNATURE_EX)) continue
      if (child.entry.type === 2) {
        const data = asBytes(child.entry.content)
        if (data.length > 0) h.update(data)
      } else if (child.entry.type === 1) walk(child, false)
    }
    h.update(clsidBytes(dir.entry.clsid))
  }
  walk(root, true)
  return h.digest()
}

/** "020.000.1621" → "20.0.1621.0" (four numbers, leading zeros dropped; AaronLockerV2 MsiFileInfo.h). */
export function normaliseMsiVersion(v: string): string {
  const parts = v
    .trim()
    .split('.')
    .slice(0, 4)
    .map((p) => {
      const n = parseInt(p, 10)
      return Number.isFinite(n) && n >= 0 ? String(n) : '0'
    })
  while (parts.length < 4) parts.push('0')
  return v.trim() === '' ? '0.0.0.0' : parts.join('.')
}

function decoder(codepage: number): TextDecoder {
  if (codepage === 65001) return new TextDecoder('utf-8')
  if (codepage === 0) return new TextDecoder('windows-1252')
  try {
    return new TextDecoder(`windows-${codepage}`)
  } catch {
    return new TextDecoder('windows-1252')
  }
}

/** The string pool: string id → text (id 0 = null). */
function stringPool(pool: Uint8Array, data: Uint8Array): { strings: string[]; refSize: number } | null {
  if (pool.length < 4) return null
  const dv = new DataView(pool.buffer, pool.byteOffset, pool.byteLength)
  const header = dv.getUint32(0, true)
  const refSize = header & 0x80000000 ? 3 : 2
  const dec = decoder(header & 0x7fffffff)
  const strings: string[] = ['']
  let off = 0
  for (let i = 4; i + 4 <= pool.length; i += 4) {
    let len = dv.getUint16(i, true)
    const refs = dv.getUint16(i + 2, true)
    if (len === 0 && refs !== 0 && i + 8 <= pool.length) {
      // A string of 64 KiB or more: the high word of its length sits in this entry's refcount.
      i += 4
      len = dv.getUint16(i, true) + refs * 0x10000
    }
    if (off + len > data.length) return null
    strings.push(dec.decode(data.subarray(off, off + len)))
    off += len
  }
  return { strings, refSize }
}

/** Reads an MSI's properties, signature and SIP digest. Returns an error message for a damaged file. */
export async function readMsi(bytes: Uint8Array): Promise<MsiInfo | { error: string }> {
  let cfb: CFB.CFB$Container
  try {
    cfb = CFB.parse(bytes)
  } catch (e) {
    return { error: `The Windows Installer file is damaged or truncated (${e instanceof Error ? e.message : String(e)}).` }
  }
  const root = tree(cfb)
  if (!root) return { error: 'The Windows Installer file has no root storage: it is damaged.' }
  const streams = new Map<string, Uint8Array>()
  for (const c of root.children) if (c.entry.type === 2) streams.set(decodeStreamName(c.name), asBytes(c.entry.content))
  const props = new Map<string, string>()
  const pool = streams.get('!_StringPool')
  const data = streams.get('!_StringData')
  const property = streams.get('!Property')
  if (pool && data && property) {
    const sp = stringPool(pool, data)
    if (sp) {
      const rowBytes = sp.refSize * 2
      const rows = Math.floor(property.length / rowBytes)
      const ref = (at: number) => property[at] | (property[at + 1] << 8) | (sp.refSize === 3 ? property[at + 2] << 16 : 0)
      for (let r = 0; r < rows; r++) {
        const key = sp.strings[ref(r * sp.refSize)]
        const value = sp.strings[ref(rows * sp.refSize + r * sp.refSize)]
        if (key !== undefined && value !== undefined && !props.has(key)) props.set(key, value)
      }
    }
  }
  const sigEntry = root.children.find((c) => c.name === DIGITAL_SIGNATURE && c.entry.type === 2)
  const exEntry = root.children.find((c) => c.name === DIGITAL_SIGNATURE_EX)
  const signatureEx = exEntry ? asBytes(exEntry.entry.content) : null
  return {
    productName: props.get('ProductName') ?? '',
    productCode: props.get('ProductCode') ?? '',
    productVersion: normaliseMsiVersion(props.get('ProductVersion') ?? ''),
    signature: sigEntry ? asBytes(sigEntry.entry.content) : null,
    hasSignatureEx: exEntry !== undefined,
    signatureEx,
    sipDigest: sipDigest(root, 'SHA256', null),
    signedDigestWith: (algorithm) => sipDigest(root, algorithm, signatureEx),
    isInstaller: !!(pool && data),
  }
}
