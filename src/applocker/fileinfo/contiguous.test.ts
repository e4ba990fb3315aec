import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, readFixture } from '../../testing/pe-fixtures'
import { synthPe } from '../../testing/synth-pe'
import { makeContiguous, planInPlace } from './contiguous'
import { getFileInformation, getFileInformationFromSource } from './fileinfo'
import { authenticodePlan, certificateTable, probePe } from './pe'
import { createSha256 } from './sha256'
import { blobSource, type ByteSource } from './source'

/** The hashed bytes as the plan says, copied out: ranges in order, then the zero padding. */
function expected(bytes: Uint8Array, ranges: ReadonlyArray<readonly [number, number]>, padding: number): Uint8Array {
  const parts = ranges.map(([a, b]) => bytes.subarray(a, b))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + padding)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

describe('makeContiguous (any sorted ranges)', () => {
  const arbCase = fc
    .record({
      size: fc.integer({ min: 1, max: 400 }),
      cuts: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
      padding: fc.integer({ min: 0, max: 7 }),
      seed: fc.integer({ min: 0, max: 255 }),
    })
    .map(({ size, cuts, padding, seed }) => {
      // Every other interval between sorted cut points is a range.
      const points = [...new Set([0, size, ...cuts.filter((c) => c < size)])].sort((a, b) => a - b)
      const ranges: Array<[number, number]> = []
      for (let i = 0; i + 1 < points.length; i += 2) ranges.push([points[i], points[i + 1]])
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff)
      return { bytes, ranges, padding }
    })

  it('gives the ranges and the padding as one view, and restore() puts every byte back', () => {
    fc.assert(
      fc.property(arbCase, ({ bytes, ranges, padding }) => {
        const plan = planInPlace(ranges, padding, bytes.length)
        if (!plan) return
        const want = expected(bytes, ranges, padding)
        const original = bytes.slice()
        const span = bytes.slice(plan.start, plan.end)
        const kept = makeContiguous(span, plan, true)
        expect(kept.view).toEqual(want)
        kept.restore()
        expect(span).toEqual(original.subarray(plan.start, plan.end))
        // Without keep the view is the same; the bytes are left rearranged.
        const scratch = bytes.slice(plan.start, plan.end)
        expect(makeContiguous(scratch, plan, false).view).toEqual(want)
      }),
      { numRuns: 500 },
    )
  })

  it('plans "head" when the padding fits after the last range, "tail" when the file ends there', () => {
    expect(planInPlace([[0, 10], [14, 20], [28, 100]], 4, 104)?.how).toBe('head')
    expect(planInPlace([[0, 10], [14, 20], [28, 100]], 4, 100)?.how).toBe('tail')
    // Padding larger than the skipped bytes and no room after: cannot.
    expect(planInPlace([[0, 10], [12, 100]], 4, 100)).toBeNull()
    // Overlapping or unordered ranges: cannot.
    expect(planInPlace([[0, 10], [5, 20]], 0, 20)).toBeNull()
    expect(planInPlace([[10, 20], [0, 5]], 0, 20)).toBeNull()
  })
})

/** A file in memory read as a ByteSource; `owned` lets the reader leave the bytes rearranged. */
function memorySource(bytes: Uint8Array, owned: boolean): ByteSource {
  return { size: bytes.length, inMemory: true, owned, read: async (o, n) => bytes.subarray(Math.min(o, bytes.length), Math.min(o + n, bytes.length)) }
}

function peHashPlan(bytes: Uint8Array) {
  const probe = probePe(bytes, bytes.length)
  if (probe.kind !== 'pe') throw new Error('not a PE')
  const cert = certificateTable(probe.layout, bytes.length)
  const plan = authenticodePlan(probe.layout, bytes.length, cert.table)
  if ('error' in plan) throw new Error(plan.error)
  return plan
}

/** SHA-256 of the plan's ranges and padding, by node:crypto over a copy. */
function independentHash(bytes: Uint8Array): string {
  const plan = peHashPlan(bytes)
  return '0x' + createHash('sha256').update(expected(bytes, plan.ranges, plan.padding)).digest('hex').toUpperCase()
}

/** A PE whose certificate-table entry points into its overlay, with `after` bytes after the table. */
function peWithTableInside(after: number): Uint8Array {
  const tableSize = 0x100
  const pe = synthPe({ sections: [0x600, 0x200], overlay: 0x200 + tableSize + after, seed: 5 })
  const dv = new DataView(pe.buffer)
  const opt = 0x80 + 4 + 20
  const offset = 0x400 + 0x800 + 0x200
  dv.setUint32(opt + 112 + 32, offset, true)
  dv.setUint32(opt + 112 + 36, tableSize, true)
  // A WIN_CERTIFICATE of type X.509 (not PKCS#7): read as "no signature".
  dv.setUint32(offset, tableSize, true)
  dv.setUint16(offset + 4, 0x0200, true)
  dv.setUint16(offset + 6, 0x0001, true)
  return pe
}

describe('Authenticode hash through the in-place path', () => {
  beforeAll(() => void ensurePeFixtures(), 120_000)

  const shapes: Array<[string, () => Uint8Array, 'head' | 'tail']> = [
    ['a signed PE, certificate table at the end', () => readFixture('hello64-signed.exe'), 'head'],
    ['a signed PE with an overlay', () => readFixture('hello64-overlay-signed.exe'), 'head'],
    ['an unsigned PE whose size is a multiple of 8', () => readFixture('hello64.exe'), 'head'],
    ['an unsigned PE ending 5 bytes past a multiple of 8 (padding, no room after)', () => synthPe({ sections: [0x600, 0x400], overlay: 5, seed: 2 }), 'tail'],
    ['a signed PE with data appended after the certificate table', () => new Uint8Array([...readFixture('hello64-signed.exe'), ...new Uint8Array(13).fill(0xab)]), 'head'],
    ['a PE whose certificate table is not at the end', () => peWithTableInside(0x40 + 3), 'head'],
  ]

  it.each(shapes)('%s: the plan is in place (%s) and the hash is the independent one', async (_, make, how) => {
    const bytes = make()
    const plan = peHashPlan(bytes)
    expect(planInPlace(plan.ranges, plan.padding, bytes.length)?.how).toBe(how)
    const before = bytes.slice()
    const r = await getFileInformation('x.exe', bytes)
    expect(r.value?.hashKind).toBe('authenticode')
    expect(r.value?.hash).toBe(independentHash(before))
    // The caller's bytes are as they were.
    expect(bytes).toEqual(before)
    // The same as the streaming hasher's, which copies nothing in place.
    const streamed = await getFileInformation('x.exe', before, { createSha256: () => createSha256('hash-wasm'), chunkSize: 4096 })
    expect(streamed.value?.hash).toBe(r.value?.hash)
    expect(streamed.value?.signature).toEqual(r.value?.signature)
  })

  it.each(shapes)('%s: bytes the reader owns are left rearranged (the path ran), with the same hash', async (_, make) => {
    const bytes = make()
    const before = bytes.slice()
    const owned = await getFileInformationFromSource('x.exe', memorySource(bytes, true))
    expect(owned.value?.hash).toBe(independentHash(before))
    expect(bytes).not.toEqual(before)
    const copy = before.slice()
    const kept = await getFileInformationFromSource('x.exe', memorySource(copy, false))
    expect(kept.value).toEqual(owned.value)
    expect(copy).toEqual(before)
  })

  it.each(shapes)('%s: read from a Blob (as the Worker reads a File), the same result', async (_, make) => {
    const bytes = make()
    const fromBlob = await getFileInformationFromSource('x.exe', blobSource(new Blob([bytes.slice()])))
    expect(fromBlob.value).toEqual((await getFileInformation('x.exe', bytes)).value)
    expect(fromBlob.value?.hash).toBe(independentHash(bytes))
  })

  it('a signed fixture still verifies (digest matches) through the in-place path', async () => {
    const r = await getFileInformation('hello64-signed.exe', readFixture('hello64-signed.exe'))
    expect(r.value?.signature).toMatchObject({ digestMatches: true, signatureValid: true })
    expect(r.value?.publisher).not.toBeNull()
  })
})
