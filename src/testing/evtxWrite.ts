/**
 * Writes small .evtx files the way Windows lays them out, for tests, the benchmark and the e2e
 * fixture: a file header, 64 KB chunks with their checksums, records whose binary XML is a
 * template instance (the template definition stored in the first record of the chunk that uses
 * it, referenced by offset afterwards; element and attribute names stored once per chunk and
 * referenced afterwards) and the values substituted into it.
 */
import { crc32 } from '../applocker/inventory/evtx'

/** A placeholder for value `sub` of the record (optional: left out when the value is null). */
export interface EvtxSub {
  sub: number
  type: number
  optional?: boolean
}
export interface EvtxTemplateElement {
  name: string
  attrs?: { name: string; value: string | EvtxSub }[]
  children?: (EvtxTemplateElement | string | EvtxSub)[]
}
export interface EvtxTemplate {
  /** Identifies the template (its definition is written once per chunk). */
  id: number
  root: EvtxTemplateElement
}
export interface EvtxValue {
  type: number
  bytes: Uint8Array
  /** For binary XML values (0x21): the nested template instance. */
  nested?: { template: EvtxTemplate; values: EvtxValue[] }
}
export interface EvtxRecordSpec {
  template: EvtxTemplate
  values: EvtxValue[]
  /** FILETIME the record was written (default: its TimeCreated is up to the template). */
  written?: bigint
}

class Bytes {
  buf = new Uint8Array(256)
  length = 0
  private grow(n: number) {
    if (this.length + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n))
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }
  u8(v: number) {
    this.grow(1)
    this.buf[this.length++] = v & 0xff
  }
  u16(v: number) {
    this.grow(2)
    this.buf[this.length++] = v & 0xff
    this.buf[this.length++] = (v >>> 8) & 0xff
  }
  u32(v: number) {
    this.grow(4)
    this.buf[this.length++] = v & 0xff
    this.buf[this.length++] = (v >>> 8) & 0xff
    this.buf[this.length++] = (v >>> 16) & 0xff
    this.buf[this.length++] = (v >>> 24) & 0xff
  }
  u64(v: bigint) {
    this.u32(Number(v & 0xffffffffn))
    this.u32(Number((v >> 32n) & 0xffffffffn))
  }
  bytes(b: Uint8Array) {
    this.grow(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }
  utf16(s: string) {
    this.grow(2 * s.length)
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      this.buf[this.length++] = c & 0xff
      this.buf[this.length++] = c >>> 8
    }
  }
  set32(at: number, v: number) {
    this.buf[at] = v & 0xff
    this.buf[at + 1] = (v >>> 8) & 0xff
    this.buf[at + 2] = (v >>> 16) & 0xff
    this.buf[at + 3] = (v >>> 24) & 0xff
  }
  take(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

// ---------------------------------------------------------------------------------------------
// Values

const le = (width: number, v: bigint) => {
  const b = new Uint8Array(width)
  for (let i = 0; i < width; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn)
  return b
}
const utf16le = (s: string) => {
  const b = new Uint8Array(s.length * 2)
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff
    b[2 * i + 1] = s.charCodeAt(i) >>> 8
  }
  return b
}

export const val = {
  null: (): EvtxValue => ({ type: 0x00, bytes: new Uint8Array(0) }),
  string: (s: string): EvtxValue => ({ type: 0x01, bytes: utf16le(s) }),
  ansi: (s: string): EvtxValue => ({ type: 0x02, bytes: Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff) }),
  int8: (v: number): EvtxValue => ({ type: 0x03, bytes: le(1, BigInt(v)) }),
  uint8: (v: number): EvtxValue => ({ type: 0x04, bytes: le(1, BigInt(v)) }),
  int16: (v: number): EvtxValue => ({ type: 0x05, bytes: le(2, BigInt(v)) }),
  uint16: (v: number): EvtxValue => ({ type: 0x06, bytes: le(2, BigInt(v)) }),
  int32: (v: number): EvtxValue => ({ type: 0x07, bytes: le(4, BigInt(v)) }),
  uint32: (v: number): EvtxValue => ({ type: 0x08, bytes: le(4, BigInt(v)) }),
  int64: (v: bigint): EvtxValue => ({ type: 0x09, bytes: le(8, v) }),
  uint64: (v: bigint): EvtxValue => ({ type: 0x0a, bytes: le(8, v) }),
  real32: (v: number): EvtxValue => {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, v, true)
    return { type: 0x0b, bytes: b }
  },
  real64: (v: number): EvtxValue => {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, v, true)
    return { type: 0x0c, bytes: b }
  },
  bool: (v: boolean): EvtxValue => ({ type: 0x0d, bytes: le(4, v ? 1n : 0n) }),
  binary: (b: Uint8Array): EvtxValue => ({ type: 0x0e, bytes: b }),
  /** "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" */
  guid: (g: string): EvtxValue => ({ type: 0x0f, bytes: guidBytes(g) }),
  size: (v: bigint, width: 4 | 8 = 8): EvtxValue => ({ type: 0x10, bytes: le(width, v) }),
  filetime: (v: bigint): EvtxValue => ({ type: 0x11, bytes: le(8, v) }),
  systemtime: (d: Date): EvtxValue => {
    const w = new Bytes()
    for (const n of [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]) w.u16(n)
    return { type: 0x12, bytes: w.take() }
  },
  sid: (s: string): EvtxValue => ({ type: 0x13, bytes: sidBytes(s) }),
  hex32: (v: number): EvtxValue => ({ type: 0x14, bytes: le(4, BigInt(v)) }),
  hex64: (v: bigint): EvtxValue => ({ type: 0x15, bytes: le(8, v) }),
  /** Nested binary XML: a template instance of its own (how Windows stores UserData and EventData). */
  xml: (template: EvtxTemplate, values: EvtxValue[]): EvtxValue => ({ type: 0x21, bytes: new Uint8Array(0), nested: { template, values } }),
  stringArray: (items: string[]): EvtxValue => ({ type: 0x81, bytes: utf16le(items.map((s) => `${s}\u0000`).join('')) }),
  uint32Array: (items: number[]): EvtxValue => ({ type: 0x88, bytes: Uint8Array.from(items.flatMap((v) => [...le(4, BigInt(v))])) }),
}

function guidBytes(g: string): Uint8Array {
  const h = g.replace(/[{}-]/g, '')
  const b = new Uint8Array(16)
  const at = (i: number) => parseInt(h.slice(2 * i, 2 * i + 2), 16)
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
  order.forEach((src, dst) => (b[dst] = at(src)))
  return b
}

function sidBytes(s: string): Uint8Array {
  const parts = s.split('-').slice(1).map((p) => BigInt(p))
  const w = new Bytes()
  w.u8(Number(parts[0]))
  w.u8(parts.length - 2)
  const auth = parts[1]
  for (let i = 5; i >= 0; i--) w.u8(Number((auth >> BigInt(8 * i)) & 0xffn))
  for (const sub of parts.slice(2)) w.u32(Number(sub))
  return w.take()
}

/** A FILETIME for a date (100 ns since 1601). */
export function filetimeOf(date: Date, extraTicks = 0): bigint {
  return BigInt(date.getTime()) * 10000n + 116444736000000000n + BigInt(extraTicks)
}

// ---------------------------------------------------------------------------------------------
// Binary XML

const CHUNK_SIZE = 65536
const HEADER = 512

class ChunkWriter {
  readonly w = new Bytes()
  readonly names = new Map<string, number>()
  readonly templates = new Map<number, number>()
  constructor() {
    this.w.bytes(new Uint8Array(HEADER))
  }
  get pos() {
    return this.w.length
  }

  private name(name: string) {
    const known = this.names.get(name)
    if (known !== undefined) {
      this.w.u32(known)
      return
    }
    const at = this.pos + 4
    this.w.u32(at)
    this.names.set(name, at)
    this.w.u32(0)
    let hash = 0
    for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 65599) + name.charCodeAt(i)) >>> 0
    this.w.u16(hash & 0xffff)
    this.w.u16(name.length)
    this.w.utf16(name)
    this.w.u16(0)
  }

  private text(parts: string | EvtxSub) {
    if (typeof parts === 'string') {
      this.w.u8(0x05)
      this.w.u8(0x01)
      this.w.u16(parts.length)
      this.w.utf16(parts)
    } else {
      this.w.u8(parts.optional ? 0x0e : 0x0d)
      this.w.u16(parts.sub)
      this.w.u8(parts.type)
    }
  }

  private element(el: EvtxTemplateElement) {
    const w = this.w
    const start = this.pos
    const attrs = el.attrs ?? []
    w.u8(attrs.length > 0 ? 0x41 : 0x01)
    w.u16(0xffff)
    const sizeAt = this.pos
    w.u32(0)
    this.name(el.name)
    if (attrs.length > 0) {
      const listAt = this.pos
      w.u32(0)
      attrs.forEach((a, i) => {
        w.u8(i < attrs.length - 1 ? 0x46 : 0x06)
        this.name(a.name)
        this.text(a.value)
      })
      w.set32(listAt, this.pos - listAt - 4)
    }
    const children = el.children ?? []
    if (children.length === 0) w.u8(0x03)
    else {
      w.u8(0x02)
      for (const c of children) {
        if (typeof c === 'object' && 'name' in c) this.element(c)
        else this.text(c)
      }
      w.u8(0x04)
    }
    w.set32(sizeAt, this.pos - start - 7)
  }

  /** Fragment header, template instance (with the definition when new in this chunk), values. */
  document(template: EvtxTemplate, values: EvtxValue[]) {
    const w = this.w
    w.u8(0x0f)
    w.u8(1)
    w.u8(1)
    w.u8(0)
    w.u8(0x0c)
    w.u8(0x01)
    w.u32(template.id)
    const known = this.templates.get(template.id)
    if (known !== undefined) w.u32(known)
    else {
      const at = this.pos + 4
      w.u32(at)
      this.templates.set(template.id, at)
      w.u32(0) // next template in the hash bucket
      w.u32(template.id)
      w.bytes(new Uint8Array(12))
      const sizeAt = this.pos
      w.u32(0)
      w.bytes(Uint8Array.of(0x0f, 1, 1, 0))
      this.element(template.root)
      w.u8(0x00)
      w.set32(sizeAt, this.pos - sizeAt - 4)
    }
    const encoded = values
    w.u32(encoded.length)
    const descAt = this.pos
    for (const v of encoded) {
      w.u16(v.bytes.length)
      w.u8(v.type)
      w.u8(0)
    }
    encoded.forEach((v, i) => {
      const n = v.nested
      if (n) {
        const start = this.pos
        this.document(n.template, n.values)
        w.u8(0x00)
        const size = this.pos - start
        w.buf[descAt + 4 * i] = size & 0xff
        w.buf[descAt + 4 * i + 1] = size >>> 8
      } else w.bytes(v.bytes)
    })
  }
}

/** An .evtx file holding the records, in chunks of 64 KB, record ids from `firstRecordId`. */
export function writeEvtx(records: EvtxRecordSpec[], firstRecordId = 1): Uint8Array {
  const chunks: Uint8Array[] = []
  let id = firstRecordId
  let chunk = new ChunkWriter()
  let first = id
  let last = -1
  let lastOffset = 0
  const finish = () => {
    const w = chunk.w
    const free = w.length
    const c = new Uint8Array(CHUNK_SIZE)
    c.set(w.buf.subarray(0, free))
    c.set(new TextEncoder().encode('ElfChnk\u0000'), 0)
    const dv = new DataView(c.buffer)
    dv.setBigUint64(8, BigInt(first), true)
    dv.setBigUint64(16, BigInt(last), true)
    dv.setBigUint64(24, BigInt(first), true)
    dv.setBigUint64(32, BigInt(last), true)
    dv.setUint32(40, 128, true)
    dv.setUint32(44, lastOffset, true)
    dv.setUint32(48, free, true)
    dv.setUint32(52, crc32(c, HEADER, free), true)
    dv.setUint32(124, crc32(c, 128, HEADER, crc32(c, 0, 120)), true)
    chunks.push(c)
  }
  for (const r of records) {
    for (let attempt = 0; ; attempt++) {
      const save = chunk.w.length
      const savedNames = new Map(chunk.names)
      const savedTemplates = new Map(chunk.templates)
      const start = chunk.pos
      const w = chunk.w
      w.u32(0x00002a2a)
      w.u32(0)
      w.u64(BigInt(id))
      w.u64(r.written ?? 0n)
      chunk.document(r.template, r.values)
      w.u8(0x00)
      const size = chunk.pos - start + 4
      w.u32(size)
      w.set32(start + 4, size)
      if (chunk.pos <= CHUNK_SIZE) {
        lastOffset = start
        last = id++
        break
      }
      // Does not fit: undo, close this chunk, start the next one.
      chunk.w.length = save
      chunk.names.clear()
      savedNames.forEach((v, k) => chunk.names.set(k, v))
      chunk.templates.clear()
      savedTemplates.forEach((v, k) => chunk.templates.set(k, v))
      if (attempt > 0 || last < first) throw new Error('A record does not fit in a chunk.')
      finish()
      chunk = new ChunkWriter()
      first = id
      last = first - 1
    }
  }
  if (last >= first) finish()
  const file = new Uint8Array(4096 + chunks.length * CHUNK_SIZE)
  file.set(new TextEncoder().encode('ElfFile\u0000'), 0)
  const dv = new DataView(file.buffer)
  dv.setBigUint64(8, 0n, true)
  dv.setBigUint64(16, BigInt(Math.max(0, chunks.length - 1)), true)
  dv.setBigUint64(24, BigInt(id), true)
  dv.setUint32(32, 128, true)
  dv.setUint16(36, 1, true)
  dv.setUint16(38, 3, true)
  dv.setUint16(40, 4096, true)
  dv.setUint16(42, chunks.length, true)
  dv.setUint32(120, 0, true)
  dv.setUint32(124, crc32(file, 0, 120), true)
  chunks.forEach((c, i) => file.set(c, 4096 + i * CHUNK_SIZE))
  return file
}

// ---------------------------------------------------------------------------------------------
// AppLocker events as Windows logs them

const S = (sub: number, type: number, optional = false): EvtxSub => ({ sub, type, optional })

/** The System part every event shares (values 0-14), then UserData from value 15 (binary XML). */
export const SYSTEM_TEMPLATE: EvtxTemplate = {
  id: 0x5e11,
  root: {
    name: 'Event',
    attrs: [{ name: 'xmlns', value: 'http://schemas.microsoft.com/win/2004/08/events/event' }],
    children: [
      {
        name: 'System',
        children: [
          { name: 'Provider', attrs: [{ name: 'Name', value: S(0, 0x01, true) }, { name: 'Guid', value: S(1, 0x0f, true) }] },
          { name: 'EventID', attrs: [{ name: 'Qualifiers', value: S(2, 0x06, true) }], children: [S(3, 0x06)] },
          { name: 'Version', children: [S(4, 0x04, true)] },
          { name: 'Level', children: [S(5, 0x04, true)] },
          { name: 'Task', children: [S(6, 0x06, true)] },
          { name: 'Opcode', children: [S(7, 0x04, true)] },
          { name: 'Keywords', children: [S(8, 0x15, true)] },
          { name: 'TimeCreated', attrs: [{ name: 'SystemTime', value: S(9, 0x11, true) }] },
          { name: 'EventRecordID', children: [S(10, 0x0a, true)] },
          { name: 'Correlation', attrs: [{ name: 'ActivityID', value: S(11, 0x0f, true) }, { name: 'RelatedActivityID', value: S(11, 0x0f, true) }] },
          { name: 'Execution', attrs: [{ name: 'ProcessID', value: S(12, 0x08, true) }, { name: 'ThreadID', value: S(13, 0x08, true) }] },
          { name: 'Channel', children: ['Microsoft-Windows-AppLocker/', S(14, 0x01, true)] },
          { name: 'Computer', children: [S(16, 0x01)] },
          { name: 'Security', attrs: [{ name: 'UserID', value: S(17, 0x13, true) }] },
        ],
      },
      { name: 'UserData', children: [S(15, 0x21, true)] },
    ],
  },
}

const FIELDS: [string, number][] = [
  ['PolicyNameLength', 0x06],
  ['PolicyName', 0x01],
  ['RuleId', 0x0f],
  ['RuleNameLength', 0x06],
  ['RuleName', 0x01],
  ['RuleSddlLength', 0x06],
  ['RuleSddl', 0x01],
  ['TargetUser', 0x13],
  ['TargetProcessId', 0x08],
  ['FilePathLength', 0x06],
  ['FilePath', 0x01],
  ['FileHashLength', 0x06],
  ['FileHash', 0x0e],
  ['FqbnLength', 0x06],
  ['Fqbn', 0x01],
  ['TargetLogonId', 0x15],
  ['FullFilePath', 0x01],
]

export const RULE_AND_FILE_DATA: EvtxTemplate = {
  id: 0xa110c,
  root: {
    name: 'RuleAndFileData',
    attrs: [{ name: 'xmlns', value: 'http://schemas.microsoft.com/schemas/event/Microsoft.Windows/1.0.0.0' }],
    children: FIELDS.map(([name, type], i) => ({ name, children: [S(i, type)] })),
  },
}

export interface AppLockerEvtxEvent {
  /** 8002 to 8007 (the channel follows from the policy name). */
  id: number
  policyName: 'EXE' | 'DLL' | 'MSI' | 'SCRIPT'
  /** FilePath as AppLocker logs it: %OSDRIVE%\USERS\BOB\X.EXE */
  filePath: string
  fullFilePath: string
  /** SHA256 as hex (64 digits), or null for none. */
  hash: string | null
  /** PUBLISHER\PRODUCT\BINARY\VERSION, or '-' for unsigned. */
  fqbn: string
  user: string
  ruleId?: string
  ruleName?: string
  time: Date
  computer: string
}

/** One AppLocker file event's values for SYSTEM_TEMPLATE. */
export function appLockerRecord(e: AppLockerEvtxEvent, recordId: number): EvtxRecordSpec {
  const ruleName = e.ruleName ?? '-'
  const hashBytes = e.hash ? Uint8Array.from(e.hash.match(/../g) ?? [], (h) => parseInt(h, 16)) : new Uint8Array(0)
  const data: EvtxValue[] = [
    val.uint16(e.policyName.length),
    val.string(e.policyName),
    val.guid(e.ruleId ?? '{00000000-0000-0000-0000-000000000000}'),
    val.uint16(ruleName.length),
    val.string(ruleName),
    val.uint16(1),
    val.string('-'),
    val.sid(e.user),
    val.uint32(4242),
    val.uint16(e.filePath.length),
    val.string(e.filePath),
    val.uint16(hashBytes.length),
    val.binary(hashBytes),
    val.uint16(e.fqbn.length),
    val.string(e.fqbn),
    val.hex64(0x3e7a21n),
    val.string(e.fullFilePath),
  ]
  const level = e.id === 8004 || e.id === 8007 ? 2 : e.id === 8003 || e.id === 8006 ? 3 : 4
  const channel = e.policyName === 'EXE' || e.policyName === 'DLL' ? 'EXE and DLL' : 'MSI and Script'
  const time = filetimeOf(e.time, 1234)
  return {
    template: SYSTEM_TEMPLATE,
    written: time,
    values: [
      val.string('Microsoft-Windows-AppLocker'),
      val.guid('{CBDA4DBF-8D5D-4F69-9578-BE14AA540D22}'),
      val.null(),
      val.uint16(e.id),
      val.uint8(0),
      val.uint8(level),
      val.uint16(0),
      val.uint8(0),
      val.hex64(level === 4 ? 0x8000000000000000n : 0x4000000000000000n),
      val.filetime(time),
      val.uint64(BigInt(recordId)),
      val.null(),
      val.uint32(3120),
      val.uint32(4488),
      val.string(channel),
      val.xml(RULE_AND_FILE_DATA, data),
      val.string(e.computer),
      val.sid(e.user),
    ],
  }
}

/** An .evtx file of AppLocker file events (record ids from `firstRecordId`). */
export function appLockerEvtx(events: AppLockerEvtxEvent[], firstRecordId = 1): Uint8Array {
  return writeEvtx(
    events.map((e, i) => appLockerRecord(e, firstRecordId + i)),
    firstRecordId,
  )
}

/**
 * 120 Exe events with long paths (they fill more than one chunk) whose second chunk has one byte of
 * its event records flipped, so that chunk's records checksum fails: "Chunk 1, file offset
 * 0x11034: the event records checksum does not match; chunk skipped." and the other chunks read.
 */
export function evtxWithDamagedChunk(): Uint8Array {
  const file = appLockerEvtx(
    Array.from({ length: 120 }, (_, i) => ({
      id: 8003,
      policyName: 'EXE' as const,
      filePath: `%OSDRIVE%\\X${i}.EXE`,
      fullFilePath: `C:\\${'Folder\\'.repeat(60)}x${i}.exe`,
      hash: null,
      fqbn: '-',
      user: 'S-1-5-18',
      time: new Date(0),
      computer: 'PC',
    })),
  )
  file[4096 + CHUNK_SIZE + 600] ^= 0xff
  return file
}

/** Recomputes every chunk's checksums (after a test altered bytes inside the records). */
export function fixChunkChecksums(file: Uint8Array): void {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength)
  for (let base = 4096; base + CHUNK_SIZE <= file.length; base += CHUNK_SIZE) {
    const c = file.subarray(base, base + CHUNK_SIZE)
    const free = Math.min(CHUNK_SIZE, Math.max(HEADER, dv.getUint32(base + 48, true)))
    dv.setUint32(base + 52, crc32(c, HEADER, free), true)
    dv.setUint32(base + 124, crc32(c, 128, HEADER, crc32(c, 0, 120)), true)
  }
}

/** An event of another provider (Sysmon-like, EventData/Data[@Name]): what an inventory skips. */
export function otherProviderRecord(provider: string, channel: string, id: number, data: [string, string][], time: Date, recordId: number): EvtxRecordSpec {
  const system = (SYSTEM_TEMPLATE.root.children?.[0] as EvtxTemplateElement).children ?? []
  const template: EvtxTemplate = {
    id: 0x5150 + data.length,
    root: {
      name: 'Event',
      attrs: [{ name: 'xmlns', value: 'http://schemas.microsoft.com/win/2004/08/events/event' }],
      children: [
        { name: 'System', children: system.map((c) => (typeof c === 'object' && 'name' in c && c.name === 'Channel' ? { name: 'Channel', children: [S(14, 0x01, true)] } : c)) },
        { name: 'EventData', children: data.map(([name], i) => ({ name: 'Data', attrs: [{ name: 'Name', value: name }], children: [S(18 + i, 0x01)] })) },
      ],
    },
  }
  const t = filetimeOf(time)
  return {
    template,
    written: t,
    values: [
      val.string(provider),
      val.guid('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'),
      val.null(),
      val.uint16(id),
      val.uint8(5),
      val.uint8(4),
      val.uint16(1),
      val.uint8(0),
      val.hex64(0x8000000000000000n),
      val.filetime(t),
      val.uint64(BigInt(recordId)),
      val.null(),
      val.uint32(2032),
      val.uint32(2092),
      val.string(channel),
      val.null(),
      val.string('WS-0142.corp.contoso.com'),
      val.sid('S-1-5-18'),
      ...data.map(([, v]) => val.string(v)),
    ],
  }
}

const BOB = 'S-1-5-21-1111111111-2222222222-3333333333-1001'

/**
 * The e2e fixture e2e/fixtures/applocker-audit.evtx (scripts/fixtures/write-evtx-fixture.ts writes
 * it; a unit test checks the committed file is this): AppLocker events of a machine in Audit only
 * (8002 allowed, 8003 audited, 8004 blocked) and one Sysmon event, which an inventory skips.
 */
export function auditEvtxFixture(): Uint8Array {
  const base = { user: BOB, computer: 'WS-0142.corp.contoso.com' }
  const events: AppLockerEvtxEvent[] = [
    {
      ...base,
      id: 8003,
      policyName: 'EXE',
      filePath: '%OSDRIVE%\\USERS\\BOB\\DOWNLOADS\\SETUPTOOL.EXE',
      fullFilePath: 'C:\\Users\\bob\\Downloads\\SetupTool.exe',
      hash: '3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A',
      fqbn: '-',
      time: new Date('2026-11-02T09:14:03.441Z'),
    },
    {
      ...base,
      id: 8002,
      policyName: 'EXE',
      filePath: '%SYSTEM32%\\WINDOWSPOWERSHELL\\V1.0\\POWERSHELL.EXE',
      fullFilePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      hash: '9F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0',
      fqbn: 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US\\MICROSOFT® WINDOWS® OPERATING SYSTEM\\POWERSHELL.EXE\\10.0.22621.1',
      ruleId: '{A61C8B2C-A319-4CD0-9690-D2177CAD7B51}',
      ruleName: '(Default Rule) All files located in the Windows folder',
      time: new Date('2026-11-02T09:15:11.002Z'),
    },
    {
      ...base,
      id: 8003,
      policyName: 'EXE',
      filePath: '%OSDRIVE%\\USERS\\BOB\\APPDATA\\LOCAL\\CONTOSO\\SYNC\\CONTOSOSYNC.EXE',
      fullFilePath: 'C:\\Users\\bob\\AppData\\Local\\Contoso\\Sync\\ContosoSync.exe',
      hash: 'A1'.repeat(32),
      fqbn: 'O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US\\CONTOSO SYNC\\CONTOSOSYNC.EXE\\4.2.0.0',
      time: new Date('2026-11-02T09:16:40.5Z'),
    },
    {
      ...base,
      id: 8004,
      policyName: 'EXE',
      filePath: '%OSDRIVE%\\USERS\\PUBLIC\\TOOLS\\PORTSCAN.EXE',
      fullFilePath: 'C:\\Users\\Public\\Tools\\portscan.exe',
      hash: 'B2'.repeat(32),
      fqbn: '-',
      time: new Date('2026-11-02T09:20:00.1Z'),
    },
  ]
  const records = events.map((e, i) => appLockerRecord(e, 4101 + i))
  records.push(
    otherProviderRecord(
      'Microsoft-Windows-Sysmon',
      'Microsoft-Windows-Sysmon/Operational',
      1,
      [
        ['Image', 'C:\\Users\\bob\\Downloads\\SetupTool.exe'],
        ['CommandLine', 'SetupTool.exe /quiet'],
      ],
      new Date('2026-11-02T09:14:03.5Z'),
      4105,
    ),
  )
  return writeEvtx(records, 4101)
}
