/**
 * Windows event log files (.evtx: Event Viewer's "Save All Events As...", `wevtutil epl`, the
 * files in %SystemRoot%\System32\winevt\Logs), read into the XML events `wevtutil qe /f:xml`
 * prints. Pure TypeScript over a Uint8Array: runs in the page, the Worker and Node.
 *
 * The format (libyal's "Windows XML Event Log (EVTX)" notes, [MS-EVEN6] binary XML):
 * - a 4096-byte file header ("ElfFile\0", CRC32 of its first 120 bytes), then 64 KB chunks;
 * - each chunk: a 512-byte header ("ElfChnk\0", CRC32 of bytes 0-120 and 128-512, CRC32 of the
 *   event records), then event records ("**\0\0", size, record id, FILETIME, binary XML, size);
 * - an event's binary XML is usually a template instance: a template definition (stored once
 *   per chunk, referenced by offset afterwards) and the values substituted into it (strings,
 *   integers, GUIDs, FILETIMEs, SIDs, nested binary XML, arrays...).
 *
 * Damage never stops the reading and never makes it hang: a chunk with a bad checksum or a
 * truncated one is skipped, a record that cannot be decoded (bad size, unknown token, an
 * offset outside the chunk, a template nested too deep, absurd counts) is skipped, each with a
 * note saying where (file offset, chunk number, record id). The work per record is bounded (by
 * its bytes, a nesting depth and a node budget).
 */

export interface EvtxAttribute {
  name: string
  value: string
}

/** An XML element of an event; text children are plain strings (not escaped). */
export interface EvtxElement {
  name: string
  attributes: EvtxAttribute[]
  children: (EvtxElement | string)[]
}

export interface EvtxEvent {
  /** EventRecordID as stored in the record header. */
  recordId: number
  /** 0-based chunk number. */
  chunk: number
  /** File offset of the record. */
  offset: number
  /** The <Event> element (or whatever root the record holds). */
  element: EvtxElement
}

/** Something skipped or suspicious, and where. */
export interface EvtxNote {
  message: string
  /** File offset where the damage is. */
  offset: number
  chunk?: number
  recordId?: number
}

export interface EvtxReadResult {
  events: EvtxEvent[]
  notes: EvtxNote[]
  /** Chunks holding events that were read. */
  chunks: number
}

const FILE_HEADER_SIZE = 4096
const CHUNK_SIZE = 65536
const CHUNK_HEADER_SIZE = 512
/** Elements, attributes and texts one record may produce: far above any real event, small enough to stay quick. */
const NODE_BUDGET = 200_000
/** Binary XML values nested in values. */
const MAX_DEPTH = 12

/** True when the bytes start like an .evtx file ("ElfFile\0"). */
export function isEvtx(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    bytes[0] === 0x45 && // E
    bytes[1] === 0x6c && // l
    bytes[2] === 0x66 && // f
    bytes[3] === 0x46 && // F
    bytes[4] === 0x69 && // i
    bytes[5] === 0x6c && // l
    bytes[6] === 0x65 && // e
    bytes[7] === 0x00
  )
}

// ---------------------------------------------------------------------------------------------
// CRC32 (RFC 1952, as the format uses it)

// Four tables: four bytes per step ("slicing by 4").
const CRC_TABLES = (() => {
  const t = new Int32Array(256 * 4)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[256 * k + n] = t[(t[256 * (k - 1) + n] & 0xff)] ^ (t[256 * (k - 1) + n] >>> 8)
  }
  return t
})()

/** CRC32 of bytes[from, to), continuing from `crc` (start with 0). */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length, crc = 0): number {
  const t = CRC_TABLES
  let c = ~crc
  let i = from
  for (; i + 4 <= to; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24]
  }
  for (; i < to; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}

// ---------------------------------------------------------------------------------------------
// Reading primitives

class Damage extends Error {
  /** Chunk-relative offset of the problem. */
  readonly at: number
  constructor(message: string, at: number) {
    super(message)
    this.at = at
  }
}

const u16 = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8)
const u32 = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
const u64 = (b: Uint8Array, p: number) => BigInt(u32(b, p)) | (BigInt(u32(b, p + 4)) << 32n)
/** An unsigned 64-bit value as a number (exact below 2^53, which record ids and counts are). */
const u64n = (b: Uint8Array, p: number) => u32(b, p) + u32(b, p + 4) * 0x100000000

const utf16Decoder = new TextDecoder('utf-16le')
let ansiDecoder: TextDecoder | null = null

/** `n` UTF-16LE code units at p. */
function utf16(b: Uint8Array, p: number, n: number): string {
  if (n <= 32) {
    let s = ''
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[p + 2 * i] | (b[p + 2 * i + 1] << 8))
    return s
  }
  return utf16Decoder.decode(b.subarray(p, p + 2 * n))
}

function ansi(b: Uint8Array, p: number, n: number): string {
  try {
    ansiDecoder ??= new TextDecoder('windows-1252')
  } catch {
    ansiDecoder = new TextDecoder('latin1')
  }
  return ansiDecoder.decode(b.subarray(p, p + n))
}

const stripNuls = (s: string) => {
  let e = s.length
  while (e > 0 && s.charCodeAt(e - 1) === 0) e--
  return e === s.length ? s : s.slice(0, e)
}

const hex2 = (n: number) => (n < 16 ? '0' : '') + n.toString(16)
const HEX_UPPER: string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16).toUpperCase())

function guid(b: Uint8Array, p: number): string {
  const h = (i: number) => HEX_UPPER[b[p + i]]
  return `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`
}

/** FILETIME (100 ns since 1601-01-01 UTC) as wevtutil writes it: 2019-07-18T20:40:00.7306756Z. */
export function formatFiletime(ticks: bigint): string {
  const EPOCH_DIFF = 116444736000000000n
  const t = ticks - EPOCH_DIFF
  let ms = t / 10000n
  let rest = t % 10000n
  if (rest < 0n) {
    rest += 10000n
    ms -= 1n
  }
  const d = new Date(Number(ms))
  if (Number.isNaN(d.getTime())) return `0x${ticks.toString(16)}`
  const iso = d.toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${rest.toString().padStart(4, '0')}Z`
}

/** The FILETIME at p, as formatFiletime spells it, without BigInt (hi * 2^32 = hi * 10000 * 429496 + hi * 7296). */
function filetimeAt(b: Uint8Array, p: number): string {
  const lo = u32(b, p)
  const hi = u32(b, p + 4)
  if (hi >= 0x2000000) return formatFiletime(u64(b, p))
  const r = hi * 7296 + lo
  const ms = hi * 429496 + Math.floor(r / 10000) - 11644473600000
  const rest = r % 10000
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return formatFiletime(u64(b, p))
  return `${d.toISOString().slice(0, 23)}${rest < 1000 ? (rest < 100 ? (rest < 10 ? '000' : '00') : '0') : ''}${rest}Z`
}

function systemtime(b: Uint8Array, p: number): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  return `${pad(u16(b, p), 4)}-${pad(u16(b, p + 2), 2)}-${pad(u16(b, p + 6), 2)}T${pad(u16(b, p + 8), 2)}:${pad(u16(b, p + 10), 2)}:${pad(u16(b, p + 12), 2)}.${pad(u16(b, p + 14), 3)}0000Z`
}

function sid(b: Uint8Array, p: number, size: number): string {
  if (size < 8) throw new Damage(`SID value of ${size} bytes`, p)
  const count = b[p + 1]
  if (8 + 4 * count > size) throw new Damage(`SID with ${count} sub-authorities in ${size} bytes`, p)
  let authority = 0
  for (let i = 2; i < 8; i++) authority = authority * 256 + b[p + i]
  let s = `S-${b[p]}-${authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : authority}`
  for (let i = 0; i < count; i++) s += `-${u32(b, p + 8 + 4 * i)}`
  return s
}

function binaryHex(b: Uint8Array, p: number, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += HEX_UPPER[b[p + i]]
  return s
}

function real(v: number): string {
  if (Number.isNaN(v)) return '-1.#IND'
  if (v === Infinity) return '1.#INF'
  if (v === -Infinity) return '-1.#INF'
  return String(v)
}

const fixedSize: Record<number, number> = {
  0x03: 1, 0x04: 1, 0x05: 2, 0x06: 2, 0x07: 4, 0x08: 4, 0x09: 8, 0x0a: 8, 0x0b: 4, 0x0c: 8, 0x0d: 4,
  0x0f: 16, 0x11: 8, 0x12: 16, 0x14: 4, 0x15: 8,
}

/** One scalar value of type `type` (no array bit) in b[p, p + size) as wevtutil spells it. */
function scalarText(b: Uint8Array, p: number, size: number, type: number): string {
  const need = fixedSize[type]
  if (need !== undefined && size < need) throw new Damage(`value of type 0x${hex2(type)} has ${size} bytes, needs ${need}`, p)
  switch (type) {
    case 0x00:
      return ''
    case 0x01:
      return stripNuls(utf16(b, p, size >>> 1))
    case 0x02:
      return stripNuls(ansi(b, p, size))
    case 0x03:
      return String((b[p] << 24) >> 24)
    case 0x04:
      return String(b[p])
    case 0x05:
      return String((u16(b, p) << 16) >> 16)
    case 0x06:
      return String(u16(b, p))
    case 0x07:
      return String(u32(b, p) | 0)
    case 0x08:
      return String(u32(b, p))
    case 0x09:
      return BigInt.asIntN(64, u64(b, p)).toString()
    case 0x0a:
      return u64(b, p).toString()
    case 0x0b:
      return real(new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, true))
    case 0x0c:
      return real(new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0, true))
    case 0x0d:
      return u32(b, p) !== 0 ? 'true' : 'false'
    case 0x0f:
      return guid(b, p)
    case 0x10:
      if (size === 4) return `0x${u32(b, p).toString(16)}`
      if (size === 8) return `0x${u64(b, p).toString(16)}`
      throw new Damage(`size value of ${size} bytes`, p)
    case 0x11:
      return filetimeAt(b, p)
    case 0x12:
      return systemtime(b, p)
    case 0x13:
      return sid(b, p, size)
    case 0x14:
      return `0x${u32(b, p).toString(16)}`
    case 0x15:
      return `0x${u64(b, p).toString(16)}`
    default:
      // 0x0e binary, 0x20 EvtHandle, 0x23 EvtXml and unknown types: the bytes in hex, as wevtutil shows binary data.
      return binaryHex(b, p, size)
  }
}

/** An array value (type with 0x80) split into its items. */
function arrayItems(b: Uint8Array, p: number, size: number, type: number): string[] {
  const base = type & 0x7f
  const items: string[] = []
  if (base === 0x01) {
    if (size === 0) return items
    const all = utf16(b, p, size >>> 1)
    const parts = all.split('\u0000')
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
    return parts
  }
  if (base === 0x02) {
    if (size === 0) return items
    const parts = ansi(b, p, size).split('\u0000')
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
    return parts
  }
  if (base === 0x13) {
    let q = p
    while (q + 8 <= p + size) {
      const n = 8 + 4 * b[q + 1]
      items.push(sid(b, q, p + size - q))
      q += n
    }
    return items
  }
  const width = base === 0x10 ? (size % 8 === 0 ? 8 : 4) : fixedSize[base]
  if (width === undefined) throw new Damage(`array of value type 0x${hex2(base)} is not supported`, p)
  for (let q = p; q + width <= p + size; q += width) items.push(scalarText(b, q, width, base))
  return items
}

// ---------------------------------------------------------------------------------------------
// Templates: compiled once per chunk

interface Sub {
  k: 1
  /** Substitution index. */
  i: number
  /** Declared value type (the value's own type is what counts). */
  t: number
  optional: boolean
}
interface TElement {
  k: 0
  name: string
  attrs: { name: string; parts: (string | Sub)[] }[]
  content: (TElement | string | Sub)[]
}
type TNode = TElement | string | Sub

/** A template instance's values, in the chunk's bytes. */
interface Values {
  types: number[]
  offs: number[]
  sizes: number[]
  /** Values as text, decoded on first use. */
  texts: (string | undefined)[]
  hasArray: boolean
}

const noValues = (): Values => ({ types: [], offs: [], sizes: [], texts: [], hasArray: false })

/** While an element is repeated for each item of an array value: which value, and the item. */
type Item = { i: number; text: string } | null

class ChunkReader {
  readonly b: Uint8Array
  readonly end: number
  private readonly names = new Map<number, string>()
  private readonly templates = new Map<number, TElement[] | Damage>()
  budget = NODE_BUDGET

  constructor(b: Uint8Array, end: number) {
    this.b = b
    this.end = end
  }

  need(p: number, n: number): void {
    if (p < 0 || p + n > this.end) throw new Damage(`data runs past the end of the chunk (${n} bytes at chunk offset ${p})`, p)
  }

  /** A name: at `at` (chunk offset); `p` is where the name offset was read plus 4 (inline names follow it). Returns [name, next p]. */
  name(offset: number, p: number): [string, number] {
    if (offset === p) {
      const [n, len] = this.readName(offset)
      return [n, p + len]
    }
    if (offset < CHUNK_HEADER_SIZE && offset < p) {
      // Names live in records; an offset into the chunk header is damage.
      throw new Damage(`name offset ${offset} points into the chunk header`, p - 4)
    }
    const cached = this.names.get(offset)
    if (cached !== undefined) return [cached, p]
    return [this.readName(offset)[0], p]
  }

  private readName(offset: number): [string, number] {
    this.need(offset, 8)
    const n = u16(this.b, offset + 6)
    this.need(offset + 8, 2 * n + 2)
    const s = utf16(this.b, offset + 8, n)
    this.names.set(offset, s)
    return [s, 8 + 2 * n + 2]
  }

  /** The template whose definition is at `offset`, compiled (cached per chunk). */
  template(offset: number): TElement[] {
    const cached = this.templates.get(offset)
    if (cached instanceof Damage) throw cached
    if (cached) return cached
    try {
      this.need(offset, 24)
      const size = u32(this.b, offset + 20)
      this.need(offset + 24, size)
      const body: TElement[] = []
      this.fragment(offset + 24, offset + 24 + size, body, true)
      this.templates.set(offset, body)
      return body
    } catch (e) {
      const d = e instanceof Damage ? e : new Damage(String(e), offset)
      this.templates.set(offset, d)
      throw d
    }
  }

  /** Parses a template body: fragment header, elements, end of stream; no template instances inside. */
  private fragment(p: number, end: number, out: TElement[], inTemplate: boolean): number {
    while (p < end) {
      const token = this.b[p]
      if (token === 0x00) return p + 1
      if (token === 0x0f) {
        p += 4
        continue
      }
      if ((token & 0x0f) === 0x01) {
        const [el, q] = this.element(p, end)
        out.push(el)
        p = q
        continue
      }
      throw new Damage(`unexpected token 0x${hex2(token)} in ${inTemplate ? 'a template' : 'binary XML'}`, p)
    }
    return p
  }

  /** An element start at p; returns the element and the offset after its end. */
  private element(p: number, end: number): [TElement, number] {
    const b = this.b
    const token = b[p]
    this.need(p, 11)
    if (p + 11 > end) throw new Damage('element start runs past its container', p)
    const dataSize = u32(b, p + 3)
    const elementEnd = p + 7 + dataSize
    if (elementEnd > end) throw new Damage(`element of ${dataSize} bytes runs past its container`, p)
    const [name, afterName] = this.name(u32(b, p + 7), p + 11)
    let q = afterName
    const el: TElement = { k: 0, name, attrs: [], content: [] }
    if (token & 0x40) {
      this.need(q, 4)
      const listEnd = q + 4 + u32(b, q)
      if (listEnd > elementEnd) throw new Damage('attribute list runs past its element', q)
      q += 4
      while (q < listEnd && (b[q] & 0x0f) === 0x06) {
        this.need(q, 5)
        const [attrName, r] = this.name(u32(b, q + 1), q + 5)
        const parts: (string | Sub)[] = []
        q = this.values(r, elementEnd, parts)
        el.attrs.push({ name: attrName, parts })
      }
    }
    this.need(q, 1)
    const close = b[q]
    if (close === 0x03) return [el, q + 1]
    if (close !== 0x02) throw new Damage(`unexpected token 0x${hex2(close)} after the attributes of <${name}>`, q)
    q++
    for (;;) {
      this.need(q, 1)
      if (q >= elementEnd + 1) throw new Damage(`<${name}> has no end`, q)
      const t = b[q]
      const base = t & 0x0f
      if (t === 0x04) return [el, q + 1]
      if (base === 0x01) {
        const [child, r] = this.element(q, elementEnd)
        el.content.push(child)
        q = r
      } else if (base === 0x05 || base === 0x08 || base === 0x09 || base === 0x0d || base === 0x0e) {
        q = this.values(q, elementEnd, el.content as (string | Sub)[], true)
      } else if (base === 0x07) {
        this.need(q, 3)
        const n = u16(b, q + 1)
        this.need(q + 3, 2 * n)
        pushText(el.content, utf16(b, q + 3, n))
        q += 3 + 2 * n
      } else if (t === 0x0a) {
        this.need(q, 5)
        q = this.name(u32(b, q + 1), q + 5)[1]
      } else if (t === 0x0b) {
        this.need(q, 3)
        q += 3 + 2 * u16(b, q + 1)
      } else throw new Damage(`unexpected token 0x${hex2(t)} in <${name}>`, q)
    }
  }

  /** Value text, character and entity references and substitutions, one or several (attribute values, element text). */
  private values(q: number, end: number, out: (string | Sub)[] | TNode[], one = false): number {
    const b = this.b
    let first = true
    for (;;) {
      if (q >= end) return q
      const t = b[q]
      const base = t & 0x0f
      if (base === 0x05) {
        this.need(q, 4)
        const type = b[q + 1]
        const n = u16(b, q + 2)
        if (type === 0x01) {
          this.need(q + 4, 2 * n)
          pushText(out, utf16(b, q + 4, n))
          q += 4 + 2 * n
        } else if (type === 0x02) {
          this.need(q + 4, n)
          pushText(out, ansi(b, q + 4, n))
          q += 4 + n
        } else throw new Damage(`value text of type 0x${hex2(type)}`, q)
      } else if (base === 0x08) {
        this.need(q, 3)
        pushText(out, String.fromCharCode(u16(b, q + 1)))
        q += 3
      } else if (base === 0x09) {
        this.need(q, 5)
        const [entity, r] = this.name(u32(b, q + 1), q + 5)
        pushText(out, ENTITIES[entity] ?? `&${entity};`)
        q = r
      } else if (t === 0x0d || t === 0x0e) {
        this.need(q, 4)
        out.push({ k: 1, i: u16(b, q + 1), t: b[q + 3], optional: t === 0x0e })
        q += 4
      } else return q
      if (one && first) first = false
    }
  }

  // -------------------------------------------------------------------------------------------
  // Documents (a record's event, a binary XML value) and their instantiation

  /** The binary XML document in [p, end): elements out. */
  document(p: number, end: number, depth: number, out: (EvtxElement | string)[]): void {
    if (depth > MAX_DEPTH) throw new Damage(`binary XML nested more than ${MAX_DEPTH} deep (a template loop?)`, p)
    const b = this.b
    while (p < end) {
      const t = b[p]
      if (t === 0x0f) {
        p += 4
      } else if (t === 0x0c) {
        p = this.templateInstance(p, end, depth, out)
      } else if ((t & 0x0f) === 0x01) {
        const body: TElement[] = []
        p = this.fragment(p, end, body, false)
        for (const el of body) this.instantiate(el, noValues(), depth, out, null)
      } else if (t === 0x00) {
        return
      } else throw new Damage(`unexpected token 0x${hex2(t)} at the start of binary XML`, p)
    }
  }

  private templateInstance(p: number, end: number, depth: number, out: (EvtxElement | string)[]): number {
    const b = this.b
    this.need(p, 10)
    const defOffset = u32(b, p + 6)
    let q = p + 10
    if (defOffset === q) {
      this.need(q, 24)
      q += 24 + u32(b, q + 20)
    } else if (defOffset > q || defOffset < CHUNK_HEADER_SIZE) {
      throw new Damage(`template instance points to offset ${defOffset}, outside the chunk's data before it`, p)
    }
    const body = this.template(defOffset)
    if (q > end) throw new Damage('template definition runs past its record', p)
    this.need(q, 4)
    const count = u32(b, q)
    q += 4
    if (count * 4 > end - q) throw new Damage(`template instance declares ${count} values, more than its record holds`, q - 4)
    const values: Values = { types: [], offs: [], sizes: [], texts: [], hasArray: false }
    let v = q + 4 * count
    for (let i = 0; i < count; i++) {
      const size = u16(b, q + 4 * i)
      const type = b[q + 4 * i + 2]
      values.sizes.push(size)
      values.types.push(type)
      values.texts.push(undefined)
      if (type & 0x80) values.hasArray = true
      values.offs.push(v)
      v += size
    }
    if (v > end) throw new Damage(`template values (${v - q} bytes) run past their record`, q)
    for (const el of body) this.instantiate(el, values, depth, out, null)
    return v
  }

  private spend(): void {
    if (--this.budget < 0) throw new Damage(`the event expands to more than ${NODE_BUDGET} XML nodes`, 0)
  }

  private subText(values: Values, i: number, item: Item): string {
    if (item !== null && item.i === i) return item.text
    const hit = values.texts[i]
    if (hit !== undefined) return hit
    const type = values.types[i]
    const s = type & 0x80 ? arrayItems(this.b, values.offs[i], values.sizes[i], type).join(',') : type === 0x21 ? '' : scalarText(this.b, values.offs[i], values.sizes[i], type)
    values.texts[i] = s
    return s
  }

  /** The array substitution that repeats this element, if any (wevtutil writes one element per item). */
  private arrayOf(el: TElement, values: Values): Sub | null {
    for (const c of el.content) if (typeof c === 'object' && c.k === 1 && c.i < values.types.length && values.types[c.i] & 0x80) return c
    for (const a of el.attrs) for (const c of a.parts) if (typeof c === 'object' && c.i < values.types.length && values.types[c.i] & 0x80) return c
    return null
  }

  private instantiate(el: TElement, values: Values, depth: number, out: (EvtxElement | string)[], item: Item): void {
    const arr = values.hasArray ? this.arrayOf(el, values) : null
    if (arr && (item === null || item.i !== arr.i)) {
      const items = arrayItems(this.b, values.offs[arr.i], values.sizes[arr.i], values.types[arr.i])
      if (items.length === 0) items.push('')
      for (const text of items) this.instantiateOne(el, values, depth, out, { i: arr.i, text })
      return
    }
    this.instantiateOne(el, values, depth, out, item)
  }

  private instantiateOne(el: TElement, values: Values, depth: number, out: (EvtxElement | string)[], item: Item): void {
    this.spend()
    const attributes: EvtxAttribute[] = el.attrs.length === 0 ? NO_ATTRIBUTES : []
    for (const a of el.attrs) {
      let value = ''
      let onlyNull = true
      for (const part of a.parts) {
        if (typeof part === 'string') {
          value += part
          onlyNull = false
        } else if (part.i < values.types.length && values.types[part.i] !== 0x00) {
          value += this.subText(values, part.i, item)
          onlyNull = false
        }
      }
      // A value substituted with nothing: wevtutil leaves the attribute out (Qualifiers, ActivityID...).
      if (onlyNull && a.parts.length > 0) continue
      this.spend()
      attributes.push({ name: a.name, value })
    }
    const children: (EvtxElement | string)[] = []
    for (const c of el.content) {
      if (typeof c === 'string') pushText(children, c)
      else if (c.k === 0) this.instantiate(c, values, depth, children, item)
      else if (c.i < values.types.length) {
        const type = values.types[c.i]
        if (type === 0x00) continue
        if (type === 0x21) {
          this.document(values.offs[c.i], values.offs[c.i] + values.sizes[c.i], depth + 1, children)
        } else {
          this.spend()
          pushText(children, this.subText(values, c.i, item))
        }
      }
    }
    out.push({ name: el.name, attributes, children })
  }
}

/** Shared by every element without attributes (read-only). */
const NO_ATTRIBUTES: EvtxAttribute[] = []
Object.freeze(NO_ATTRIBUTES)

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function pushText(out: unknown[], s: string): void {
  if (s === '') return
  const last = out.length - 1
  if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + s
  else out.push(s)
}

// ---------------------------------------------------------------------------------------------
// File and chunks

/** Reads every event of an .evtx file. Never throws; damage is skipped and noted. */
export function readEvtx(bytes: Uint8Array): EvtxReadResult {
  const events: EvtxEvent[] = []
  const notes: EvtxNote[] = []
  let chunks = 0
  for (const item of evtxItems(bytes)) {
    if ('element' in item) events.push(item)
    else if ('message' in item) notes.push(item)
    else chunks++
  }
  return { events, notes, chunks }
}

/**
 * The events, notes and read chunks of an .evtx file one by one, in file order (a caller may
 * stop early). Chunk markers ({ chunk }) come after each chunk that was read.
 */
export function* evtxItems(bytes: Uint8Array): Generator<EvtxEvent | EvtxNote | { chunk: number }> {
  if (!isEvtx(bytes)) {
    yield { message: 'This is not an .evtx file (it does not start with "ElfFile").', offset: 0 }
    return
  }
  if (bytes.length < 128) {
    yield { message: `The file is truncated: ${bytes.length} bytes, shorter than the file header.`, offset: 0 }
    return
  }
  if (crc32(bytes, 0, 120) !== u32(bytes, 124)) {
    yield { message: 'The file header checksum does not match; the chunks are read anyway.', offset: 124 }
  }
  const headerChunks = u16(bytes, 42)
  const blockSize = u16(bytes, 40)
  const start = blockSize === FILE_HEADER_SIZE ? blockSize : FILE_HEADER_SIZE
  for (let n = 0, base = start; base < bytes.length; n++, base += CHUNK_SIZE) {
    const available = Math.min(CHUNK_SIZE, bytes.length - base)
    const signature = bytes.subarray(base, base + 8)
    const isChunk = available >= 8 && signature[0] === 0x45 && signature[1] === 0x6c && signature[2] === 0x66 && signature[3] === 0x43 && signature[4] === 0x68 && signature[5] === 0x6e && signature[6] === 0x6b && signature[7] === 0
    if (!isChunk) {
      // Unused space after the last chunk is zeros; anything else is damage.
      if (n < headerChunks || signature.some((x) => x !== 0)) {
        yield { message: 'no "ElfChnk" signature; skipped.', offset: base, chunk: n }
      }
      continue
    }
    if (available < CHUNK_SIZE) {
      yield { message: `the chunk is truncated (${available} of ${CHUNK_SIZE} bytes); skipped.`, offset: base, chunk: n }
      continue
    }
    yield* readChunk(bytes.subarray(base, base + CHUNK_SIZE), n, base)
  }
}

function* readChunk(c: Uint8Array, n: number, base: number): Generator<EvtxEvent | EvtxNote | { chunk: number }> {
  const headerCrc = crc32(c, 128, CHUNK_HEADER_SIZE, crc32(c, 0, 120))
  if (headerCrc !== u32(c, 124)) {
    yield { message: 'the chunk header checksum does not match; chunk skipped.', offset: base + 124, chunk: n }
    return
  }
  const free = u32(c, 48)
  if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
    yield { message: `the end of its records (${free}) is outside the chunk; chunk skipped.`, offset: base + 48, chunk: n }
    return
  }
  if (crc32(c, CHUNK_HEADER_SIZE, free) !== u32(c, 52)) {
    yield { message: 'the event records checksum does not match; chunk skipped.', offset: base + 52, chunk: n }
    return
  }
  const reader = new ChunkReader(c, free)
  let p = CHUNK_HEADER_SIZE
  while (p + 24 <= free) {
    if (u32(c, p) !== 0x00002a2a) {
      if (u32(c, p) !== 0) yield { message: 'no event record signature; the rest of the chunk is skipped.', offset: base + p, chunk: n }
      break
    }
    const size = u32(c, p + 4)
    const recordId = u64n(c, p + 8)
    if (size < 28 || p + size > free || u32(c, p + size - 4) !== size) {
      yield { message: `bad record size (${size}); the rest of the chunk is skipped.`, offset: base + p, chunk: n, recordId }
      break
    }
    reader.budget = NODE_BUDGET
    const out: (EvtxElement | string)[] = []
    try {
      reader.document(p + 24, p + size - 4, 0, out)
      const element = out.find((x): x is EvtxElement => typeof x !== 'string')
      if (!element) throw new Damage('the record holds no XML element', p + 24)
      yield { recordId, chunk: n, offset: base + p, element }
    } catch (e) {
      if (!(e instanceof Damage)) throw e
      const at = e.at > 0 ? e.at : p
      yield { message: `record skipped: ${e.message}.`, offset: base + at, chunk: n, recordId }
    }
    p += size
  }
  yield { chunk: n }
}

// ---------------------------------------------------------------------------------------------
// XML text

// Characters XML 1.0 cannot hold (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/FFFF).
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>\u0000-\u001f\ud800-\udfff\ufffe\uffff]/

function escapeText(s: string): string {
  if (NEEDS_ESCAPE.test(s)) {
    s = s.replace(INVALID_XML, (m) => (m.length === 1 && m.charCodeAt(0) >= 0xd800 ? '\ufffd' : m === '\t' || m === '\n' || m === '\r' ? m : ''))
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  }
  return s
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/'/g, '&apos;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')
}

/** An element as XML, in wevtutil's style: single-quoted attributes, `<X/>` when empty. */
export function elementXml(el: EvtxElement): string {
  let s = `<${el.name}`
  for (const a of el.attributes) s += ` ${a.name}='${escapeAttr(a.value)}'`
  if (el.children.length === 0) return `${s}/>`
  s += '>'
  for (const c of el.children) s += typeof c === 'string' ? escapeText(c) : elementXml(c)
  return `${s}</${el.name}>`
}

/** All events as one document, as `wevtutil qe /f:xml /e:Events` prints them (one event per line). */
export function eventsDocumentXml(events: Iterable<{ element: EvtxElement }>): string {
  let s = '<Events>\n'
  for (const e of events) s += `${elementXml(e.element)}\n`
  return `${s}</Events>\n`
}

/** A note as one line: "Chunk 0, record 12, file offset 0x10200: record skipped: ...". */
export function formatEvtxNote(note: EvtxNote): string {
  const where = [note.chunk !== undefined ? `chunk ${note.chunk}` : '', note.recordId !== undefined ? `record ${note.recordId}` : '', `file offset 0x${note.offset.toString(16)}`].filter(Boolean).join(', ')
  return `${where[0].toUpperCase()}${where.slice(1)}: ${note.message}`
}
