import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareEventLists, fromEvtx, parseEventsXml } from '../../testing/evtxCompare'
import { prng } from '../../testing/prng'
import { appLockerEvtx, filetimeOf, fixChunkChecksums, val, writeEvtx, type AppLockerEvtxEvent, type EvtxTemplate } from '../../testing/evtxWrite'
import { crc32, eventsDocumentXml, formatEvtxNote, formatFiletime, isEvtx, readEvtx } from './evtx'

const DIR = join(__dirname, '../__fixtures__/evtx')
const SAMPLES = readdirSync(DIR).filter((f) => f.endsWith('.evtx'))

describe('readEvtx on real .evtx files, against python-evtx', () => {
  it('has the 16 samples', () => {
    expect(SAMPLES).toHaveLength(16)
  })
  for (const name of SAMPLES) {
    it(name, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, name)))
      expect(isEvtx(bytes)).toBe(true)
      const result = readEvtx(bytes)
      expect(result.notes).toEqual([])
      const theirs = parseEventsXml(readFileSync(join(DIR, `${name}.xml`), 'utf8'))
      expect(theirs.length).toBeGreaterThan(0)
      // The tree as read, and the XML text we print for it, both match python-evtx's.
      expect(compareEventLists(result.events.map((e) => fromEvtx(e.element)), theirs)).toEqual([])
      expect(compareEventLists(parseEventsXml(eventsDocumentXml(result.events)), theirs)).toEqual([])
    })
  }
})

describe('crc32', () => {
  it('is the RFC 1952 CRC', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })
})

const APPLOCKER_EVENT = (i: number): AppLockerEvtxEvent => ({
  id: 8003 + (i % 2),
  policyName: 'EXE',
  filePath: `%OSDRIVE%\\USERS\\BOB\\APP${i}.EXE`,
  fullFilePath: `C:\\Users\\bob\\${'Folder\\'.repeat(40)}app${i}.exe`,
  hash: 'AB'.repeat(32),
  fqbn: '-',
  user: 'S-1-5-21-1-2-3-1001',
  time: new Date(Date.UTC(2026, 10, 2, 9, 0, i % 60)),
  computer: 'WS-1',
})

/** A file of several chunks (long paths: about 50 records a chunk). */
function manyChunks(records = 200): Uint8Array {
  return appLockerEvtx(Array.from({ length: records }, (_, i) => APPLOCKER_EVENT(i)))
}

const CHUNK = 65536
const chunkBase = (n: number) => 4096 + n * CHUNK
const firstRecordOf = (file: Uint8Array, n: number) => Number(new DataView(file.buffer).getBigUint64(chunkBase(n) + 24, true))

describe('readEvtx on damaged files', () => {
  const good = manyChunks()
  const all = readEvtx(good)
  it('reads the undamaged file', () => {
    expect(all.notes).toEqual([])
    expect(all.events).toHaveLength(200)
    expect(all.chunks).toBeGreaterThanOrEqual(4)
    expect(all.events.map((e) => e.recordId)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
  })

  it('skips a chunk whose header checksum is wrong, with its chunk number and offset, and reads the others', () => {
    const bad = good.slice()
    bad[chunkBase(1) + 8] ^= 0xff // first record number, covered by the header checksum
    const r = readEvtx(bad)
    expect(r.notes).toEqual([{ message: 'the chunk header checksum does not match; chunk skipped.', offset: chunkBase(1) + 124, chunk: 1 }])
    const lost = firstRecordOf(good, 2) - firstRecordOf(good, 1)
    expect(r.events).toHaveLength(200 - lost)
    expect(r.events.some((e) => e.chunk === 1)).toBe(false)
  })

  it('skips a chunk whose records checksum is wrong', () => {
    const bad = good.slice()
    bad[chunkBase(2) + 2000] ^= 0x01
    const r = readEvtx(bad)
    expect(r.notes).toEqual([{ message: 'the event records checksum does not match; chunk skipped.', offset: chunkBase(2) + 52, chunk: 2 }])
    expect(r.events.some((e) => e.chunk === 2)).toBe(false)
    expect(r.events.some((e) => e.chunk === 3)).toBe(true)
  })

  it('skips a truncated last chunk and says so', () => {
    const cut = good.slice(0, chunkBase(2) + 30000)
    const r = readEvtx(cut)
    expect(r.notes).toEqual([{ message: 'the chunk is truncated (30000 of 65536 bytes); skipped.', offset: chunkBase(2), chunk: 2 }])
    expect(r.events).toHaveLength(firstRecordOf(good, 2) - 1)
  })

  it('says when the file header checksum is wrong and still reads the chunks', () => {
    const bad = good.slice()
    bad[42] ^= 0x40
    const r = readEvtx(bad)
    expect(r.notes[0]).toEqual({ message: 'The file header checksum does not match; the chunks are read anyway.', offset: 124 })
    expect(r.events).toHaveLength(200)
  })

  it('refuses what is not an .evtx file', () => {
    expect(isEvtx(new TextEncoder().encode('<Events/>'))).toBe(false)
    expect(readEvtx(new TextEncoder().encode('<Events/>')).notes[0].message).toMatch(/not an \.evtx file/)
  })

  /** Record `k` of chunk 0 (offset in the file), after altering `edit` and fixing the checksums. */
  function damagedRecord(edit: (file: Uint8Array, record: number, dv: DataView) => void) {
    const file = good.slice()
    const dv = new DataView(file.buffer)
    let p = chunkBase(0) + 512
    p += dv.getUint32(p + 4, true) // record 2 (its template is a reference to record 1's)
    edit(file, p, dv)
    fixChunkChecksums(file)
    return { r: readEvtx(file), at: p }
  }

  it('skips a record with a bad size and the rest of its chunk, naming the record', () => {
    const { r, at } = damagedRecord((_f, p, dv) => dv.setUint32(p + 4, 0xffff, true))
    expect(r.notes).toEqual([{ message: 'bad record size (65535); the rest of the chunk is skipped.', offset: at, chunk: 0, recordId: 2 }])
    expect(r.events.map((e) => e.recordId)).toContain(firstRecordOf(good, 1))
    expect(r.events.filter((e) => e.chunk === 0).map((e) => e.recordId)).toEqual([1])
  })

  it('skips a record whose template instance points outside the data, and reads the next records', () => {
    // fragment header (4), template instance token, version, id (4), definition offset (4)
    const { r } = damagedRecord((_f, p, dv) => dv.setUint32(p + 24 + 4 + 6, 60000, true))
    expect(r.notes).toHaveLength(1)
    expect(r.notes[0]).toMatchObject({ chunk: 0, recordId: 2 })
    expect(r.notes[0].message).toMatch(/^record skipped: template instance points to offset 60000/)
    expect(r.events).toHaveLength(199)
  })

  it('skips a record declaring an absurd number of values', () => {
    // Record 2 references record 1's template: its value count follows the 10-byte instance.
    const { r } = damagedRecord((_f, p, dv) => dv.setUint32(p + 24 + 4 + 10, 0x7fffffff, true))
    expect(r.notes).toHaveLength(1)
    expect(r.notes[0].message).toMatch(/declares 2147483647 values, more than its record holds/)
    expect(r.events).toHaveLength(199)
  })

  it('stops binary XML nested too deep (a template loop) and bounds the work', () => {
    const inner: EvtxTemplate = { id: 9, root: { name: 'Level', children: [{ sub: 0, type: 0x21, optional: true }] } }
    let value = val.xml({ id: 10, root: { name: 'Bottom' } }, [])
    for (let i = 0; i < 20; i++) value = val.xml(inner, [value])
    const file = writeEvtx([{ template: inner, values: [value] }, { template: inner, values: [val.null()] }])
    const r = readEvtx(file)
    expect(r.notes).toHaveLength(1)
    expect(r.notes[0].message).toMatch(/^record skipped: binary XML nested more than 12 deep/)
    expect(r.notes[0].recordId).toBe(1)
    expect(r.events.map((e) => e.recordId)).toEqual([2])
  })

  it('never throws and never hangs on random damage inside the records', () => {
    const random = prng(14)
    const small = manyChunks(60)
    for (let round = 0; round < 60; round++) {
      const file = small.slice()
      const flips = 1 + Math.floor(random() * 8)
      for (let k = 0; k < flips; k++) {
        const at = 4096 + 512 + Math.floor(random() * (file.length - 4096 - 512))
        file[at] = Math.floor(random() * 256)
      }
      fixChunkChecksums(file)
      const r = readEvtx(file)
      expect(r.events.length + r.notes.length).toBeGreaterThan(0)
      for (const e of r.events) expect(e.element.name.length).toBeGreaterThan(0)
    }
  })
})

describe('formatEvtxNote', () => {
  it('says where: chunk, record and file offset', () => {
    expect(formatEvtxNote({ message: 'record skipped: x.', offset: 0x10234, chunk: 1, recordId: 77 })).toBe('Chunk 1, record 77, file offset 0x10234: record skipped: x.')
    expect(formatEvtxNote({ message: 'The file header checksum does not match.', offset: 124 })).toBe('File offset 0x7c: The file header checksum does not match.')
  })
})

describe('value rendering', () => {
  it('repeats an element for each item of an array value, as wevtutil does', () => {
    const t: EvtxTemplate = {
      id: 1,
      root: { name: 'EventData', children: [{ name: 'Data', attrs: [{ name: 'Name', value: 'S' }], children: [{ sub: 0, type: 0x81 }] }, { name: 'N', children: [{ sub: 1, type: 0x88 }] }] },
    }
    const r = readEvtx(writeEvtx([{ template: t, values: [val.stringArray(['a', 'b & c']), val.uint32Array([1, 4000000000])] }]))
    expect(eventsDocumentXml(r.events)).toBe("<Events>\n<EventData><Data Name='S'>a</Data><Data Name='S'>b &amp; c</Data><N>1</N><N>4000000000</N></EventData>\n</Events>\n")
  })

  it('spells FILETIMEs the same on the fast path and the BigInt one (epoch, 1601, far future)', () => {
    const ticks = [0n, 1n, 116444736000000000n, 116444736000000000n + 9999n, 133500000001234567n, 132000000000000000n + 123456789n, (1n << 57n) - 1n, (1n << 63n) + 5n]
    for (const t of ticks) {
      const r = readEvtx(writeEvtx([{ template: { id: 1, root: { name: 'T', children: [{ sub: 0, type: 0x11 }] } }, values: [val.filetime(t)] }]))
      expect(eventsDocumentXml(r.events)).toBe(`<Events>\n<T>${formatFiletime(t)}</T>\n</Events>\n`)
    }
    expect(formatFiletime(116444736000000000n + 7306756n)).toBe('1970-01-01T00:00:00.7306756Z')
  })

  it('leaves out an attribute whose value is null and writes wevtutil spellings', () => {
    const t: EvtxTemplate = {
      id: 1,
      root: {
        name: 'E',
        attrs: [
          { name: 'Q', value: { sub: 0, type: 0x06, optional: true } },
          { name: 'T', value: { sub: 1, type: 0x11 } },
        ],
        children: [{ name: 'G', children: [{ sub: 2, type: 0x0f }] }, { name: 'H', children: [{ sub: 3, type: 0x15 }] }, { name: 'B', children: [{ sub: 4, type: 0x0e }] }],
      },
    }
    const r = readEvtx(
      writeEvtx([{ template: t, values: [val.null(), val.filetime(filetimeOf(new Date('2019-07-18T20:40:00.730Z'), 6756)), val.guid('{cbda4dbf-8d5d-4f69-9578-be14aa540d22}'), val.hex64(0x3e7n), val.binary(Uint8Array.of(0xab, 0x01))] }]),
    )
    expect(eventsDocumentXml(r.events)).toBe("<Events>\n<E T='2019-07-18T20:40:00.7306756Z'><G>{CBDA4DBF-8D5D-4F69-9578-BE14AA540D22}</G><H>0x3e7</H><B>AB01</B></E>\n</Events>\n")
  })
})
