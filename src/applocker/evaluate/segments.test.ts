/**
 * The decision's one scan of a path (scanPlainPath) and the segment lookups built on it, against
 * the plain definitions: normalisation, canonical form, split('\\') and collectionForPath.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { canonicalFilePath, newPathScan, normalizePathText, prepareMachine, realFilePath, scanPlainPath, scanSegments } from './paths'
import { SegmentMap, segmentHash } from './segments'
import { collectionForPath } from './collection'
import { DEFAULT_MACHINE } from './types'

// Characters that matter to the scan, and some that do not.
const CHARS = ['a', 'z', 'A', 'Z', '0', '9', '\\', '\\', '\\', '.', '.', ' ', ':', '/', '"', '?', '%', '_', '~', '{', '\t', 'é', 'ß', 'Ä', '\u00a0', 'x', 'e', 'E']
const pathText = fc.array(fc.constantFrom(...CHARS), { maxLength: 14 }).map((cs) => cs.join(''))
const realistic = fc
  .tuple(fc.constantFrom('C:', 'c:', '\\\\server', '%OSDRIVE%', 'D:', ''), fc.array(fc.constantFrom('Windows', 'program files', 'APP', 'a.b', 'x.exe', '', '.', 'Tools'), { maxLength: 4 }), fc.constantFrom('.exe', '.PS1', '.dll', '.txt', '', '.exe:zone', ':x.exe'))
  .map(([root, segs, ext]) => [root, ...segs].join('\\') + ext)
const anyPath = fc.oneof(pathText, realistic)
const machine = prepareMachine(DEFAULT_MACHINE)

/** The definition scanPlainPath implements (the engine's earlier one-pass check, kept here as the reference). */
function plainReference(path: string): boolean {
  const n = path.length
  if (n === 0) return false
  let prev = 0
  for (let i = 0; i < n; i++) {
    const c = path.charCodeAt(i)
    if (c >= 97 && c <= 122) {
      // lower case: fine
    } else if (c >= 0x7f || c < 32 || c === 47 || c === 34 || c === 63) return false
    else if (c === 92 && prev === 92 && i >= 2) return false
    else if (c === 46 && prev === 92) return false
    prev = c
  }
  const first = path.charCodeAt(0)
  return !(first === 32 || prev === 32 || prev === 46)
}

describe('scanPlainPath', () => {
  it('accepts the paths the reference definition accepts, and no other', () => {
    fc.assert(
      fc.property(anyPath, (p) => scanPlainPath(p, newPathScan()) === plainReference(p)),
      { numRuns: 5000 },
    )
  })
  it('accepts only paths that normalisation and the canonical form leave as they are (but for case)', () => {
    fc.assert(
      fc.property(anyPath, (p) => {
        const scan = newPathScan()
        const plain = scanPlainPath(p, scan)
        const upper = p.toUpperCase()
        if (plain) {
          expect(/^[\x20-\x7e]*$/.test(p)).toBe(true)
          expect(normalizePathText(p)).toBe(upper)
          expect(canonicalFilePath(upper)).toBe(upper)
          if (!p.startsWith('%')) expect(realFilePath(p, machine)).toBe(upper)
          expect(scan.lower).toBe(upper !== p)
        }
        return true
      }),
      { numRuns: 3000 },
    )
  })
  it('finds the segments split() finds, hashed as segmentHash hashes the upper-cased text, and counts colons', () => {
    fc.assert(
      fc.property(anyPath, (p) => {
        const scan = newPathScan()
        if (!scanPlainPath(p, scan)) return true
        const parts = p.split('\\')
        expect(scan.count).toBe(parts.length)
        let at = 0
        parts.forEach((part, i) => {
          expect(scan.starts[i]).toBe(at)
          expect(scan.hashes[i]).toBe(segmentHash(part.toUpperCase()))
          at += part.length + 1
        })
        expect(scan.colons).toBe(p.split(':').length - 1)
        expect(scan.firstColon).toBe(p.indexOf(':'))
        return true
      }),
      { numRuns: 3000 },
    )
  })
  it('scanSegments finds the segments of any normalised path', () => {
    fc.assert(
      fc.property(anyPath, (p) => {
        const real = realFilePath(p, machine)
        const scan = newPathScan()
        scanSegments(real, scan)
        const parts = real.split('\\')
        expect(scan.count).toBe(parts.length)
        parts.forEach((part, i) => expect(scan.hashes[i]).toBe(segmentHash(part)))
        return true
      }),
      { numRuns: 2000 },
    )
  })
  it("collectionForPath gives the same answer with the scan's colon count as without", () => {
    fc.assert(
      fc.property(anyPath, (p) => {
        const scan = newPathScan()
        if (scanPlainPath(p, scan)) expect(collectionForPath(p, scan)).toBe(collectionForPath(p))
        return true
      }),
      { numRuns: 3000 },
    )
  })
})

describe('SegmentMap', () => {
  it('finds a key by a folded slice of any text, and nothing else, even when hashes collide', () => {
    const m = new SegmentMap<number>()
    m.set('PROGRAM FILES', 1)
    m.set('APP', 2)
    // Same hash, different text: both stay findable.
    const a = 'Aa'.toUpperCase()
    m.set(a, 3)
    const text = 'C:\\Program Files\\app\\x.exe'
    expect(m.find(text, 3, 16, segmentHash(text, 3, 16))).toBe(1)
    expect(m.find(text, 17, 20, segmentHash(text, 17, 20))).toBe(2)
    expect(m.find(text, 21, 26, segmentHash(text, 21, 26))).toBeUndefined()
    expect(m.get('APP')).toBe(2)
    expect(m.size).toBe(3)
    // Force a collision: two keys under one hash bucket.
    const k1 = 'XY'
    let k2 = ''
    for (let c = 65; c < 91 && k2 === ''; c++) for (let d = 48; d < 91; d++) {
      const k = String.fromCharCode(c, d)
      if (k !== k1 && segmentHash(k) === segmentHash(k1)) {
        k2 = k
        break
      }
    }
    expect(k2).not.toBe('')
    m.set(k1, 10)
    m.set(k2, 11)
    expect(m.find(`\\${k1.toLowerCase()}\\`, 1, 3, segmentHash(k1))).toBe(10)
    expect(m.find(`\\${k2}\\`, 1, 3, segmentHash(k2))).toBe(11)
    expect(m.size).toBe(5)
    for (const [key, value] of [['PROGRAM FILES', 1], ['APP', 2], [a, 3], [k1, 10], [k2, 11]] as const) expect(m.get(key)).toBe(value)
  })
})
