/**
 * Path segments looked up without slicing: the decision scans a file's path once, hashing each
 * segment as it goes (ASCII letters folded to upper case), and the index finds a segment by that
 * number, then compares its characters in place. No substring is made and no string is hashed per
 * decision (a Map keyed by sliced strings did both for every segment of every file).
 *
 * Keys are stored as the index has them: upper case (normalizePathText). A subject is either a plain
 * path (printable ASCII, perhaps lower case: folding it equals upcase) or a real path already
 * normalised (upper case, where folding changes nothing), so comparing folded characters is
 * comparing the upper-cased path with the key.
 */

/**
 * The hash of one segment step: h, then the character (already folded). The path scans
 * (paths.ts scanPlainPath, scanSegments) write this step out in their loops: a call per
 * character into another module is not always inlined when the sources run unbundled (tsx, Vitest):
 * 290-310 ns per path against 200-280 ns written out. segments.test.ts checks that they agree with segmentHash.
 */
export function segmentHashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0
}

/** Keeps a segment's final hash a small non-negative integer (a fast Map key). */
export const SEGMENT_HASH_MASK = 0x3fffffff

/** The final form of a segment's running hash. */
export function segmentHashEnd(h: number): number {
  return h & SEGMENT_HASH_MASK
}

/** ASCII a-z to A-Z; every other code unit as it is. */
export function foldAscii(c: number): number {
  return c >= 97 && c <= 122 ? c - 32 : c
}

/** The hash of a whole key (text[start, end), folded), as a scan computes it. */
export function segmentHash(text: string, start = 0, end = text.length): number {
  let h = 0
  for (let i = start; i < end; i++) h = segmentHashStep(h, foldAscii(text.charCodeAt(i)))
  return segmentHashEnd(h)
}

/** Whether subject[start, end), folded, is the key (upper case). */
export function sameSegment(key: string, subject: string, start: number, end: number): boolean {
  const n = end - start
  if (key.length !== n) return false
  for (let i = 0; i < n; i++) if (foldAscii(subject.charCodeAt(start + i)) !== key.charCodeAt(i)) return false
  return true
}

interface Entry<V> {
  key: string
  value: V
  /** Another key with the same hash. */
  next: Entry<V> | null
}

/** A map from upper-case segment text to V, looked up by (subject, start, end, hash) or by key. */
export class SegmentMap<V> {
  private readonly byHash = new Map<number, Entry<V>>()
  private count = 0

  get size(): number {
    return this.count
  }

  /** The value for a key (upper case), or undefined. */
  get(key: string): V | undefined {
    for (let e = this.byHash.get(segmentHash(key)) ?? null; e !== null; e = e.next) if (e.key === key) return e.value
    return undefined
  }

  set(key: string, value: V): void {
    const h = segmentHash(key)
    const first = this.byHash.get(h) ?? null
    for (let e = first; e !== null; e = e.next) {
      if (e.key === key) {
        e.value = value
        return
      }
    }
    this.byHash.set(h, { key, value, next: first })
    this.count++
  }

  /** The value for subject[start, end) whose segmentHash is `hash`, or undefined. */
  find(subject: string, start: number, end: number, hash: number): V | undefined {
    for (let e = this.byHash.get(hash) ?? null; e !== null; e = e.next) if (sameSegment(e.key, subject, start, end)) return e.value
    return undefined
  }
}
