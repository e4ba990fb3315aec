import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, readFixture } from '../../testing/pe-fixtures'
import { getFileInformation } from './fileinfo'

let signed: Uint8Array
beforeAll(() => {
  ensurePeFixtures()
  signed = readFixture('hello64-signed.exe')
}, 120_000)

/** Every answer is either a value or exactly one error, and never an exception. */
async function wellFormedAnswer(name: string, bytes: Uint8Array) {
  const r = await getFileInformation(name, bytes)
  if (r.value === null) {
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0].severity).toBe('error')
    expect(r.diagnostics[0].message.length).toBeGreaterThan(10)
  } else {
    expect(r.value.hash === null || /^0x[0-9A-F]{64}$/.test(r.value.hash)).toBe(true)
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true)
  }
}

describe('damaged files never crash the reader', () => {
  it('random byte changes in the headers and the signature of a signed PE', async () => {
    const headerAndSigOffsets = fc.oneof(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: signed.length - 1500, max: signed.length - 1 }))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(headerAndSigOffsets, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
        const bytes = signed.slice()
        for (const [at, v] of edits) bytes[at] = v
        await wellFormedAnswer('fuzz.exe', bytes)
      }),
      { numRuns: 300 },
    )
  })

  it('any prefix of a signed PE', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: signed.length }), async (n) => {
        await wellFormedAnswer('cut.exe', signed.subarray(0, n))
      }),
      { numRuns: 200 },
    )
  })

  it('random bytes behind an MZ header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 2, maxLength: 2048 }), async (tail) => {
        const bytes = new Uint8Array(tail.length + 2)
        bytes.set([0x4d, 0x5a])
        bytes.set(tail, 2)
        await wellFormedAnswer('random.exe', bytes)
      }),
      { numRuns: 300 },
    )
  })
})
