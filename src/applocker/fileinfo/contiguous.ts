/**
 * Hashing a PE's Authenticode ranges with Web Crypto's one-shot digest without copying the file.
 *
 * The ranges skip a few header bytes (the CheckSum and the certificate-table entry, 12 bytes in all)
 * and end before the certificate table, then the hash takes up to 7 zero bytes of padding. Instead of
 * copying every range into a new buffer (an allocation and a copy as big as the file), the bytes
 * already read are rearranged in place so that the hashed bytes and the padding lie side by side:
 *
 * - "shift the head": the small pieces before the last gap move right over the skipped bytes (a few
 *   KB), and the padding overwrites the bytes right after the last range (the certificate table, or
 *   any bytes that follow) when the file has them;
 * - "shift the tail": when the file ends where the hash does (an unsigned PE whose size is not a
 *   multiple of 8), every range after the first moves left over the skipped bytes, leaving room for
 *   the padding inside the buffer (a memmove of the file, no allocation).
 *
 * Web Crypto takes a copy of the bytes when digest() is called (WebCrypto spec, digest step "Let
 * data be the result of getting a copy of the bytes held by the data parameter"; Chromium, Firefox,
 * WebKit and Node copy synchronously), so the caller's bytes are put back right after the call,
 * before anything else can run: nobody ever sees them changed. A buffer nobody else reads (a Blob
 * read into a fresh ArrayBuffer) is not put back.
 */

/** Most bytes saved aside and moved for "shift the head" (and skipped bytes saved for "shift the tail"). */
export const IN_PLACE_SMALL = 1024 * 1024

export interface InPlacePlan {
  /** How the ranges are made contiguous. */
  how: 'head' | 'tail'
  /** The bytes to read: [start, end) of the file. */
  start: number
  end: number
  /** The ranges, adjacent ones merged. */
  ranges: Array<[number, number]>
  padding: number
}

/**
 * Whether (and how) `ranges` plus `padding` zero bytes can be made one contiguous run inside the
 * bytes of the file, reading no more than `fileSize`. null: they cannot (ranges out of order or
 * overlapping, large skipped spans): copy them instead.
 */
export function planInPlace(ranges: ReadonlyArray<readonly [number, number]>, padding: number, fileSize: number): InPlacePlan | null {
  const merged: Array<[number, number]> = []
  for (const [a, b] of ranges) {
    if (b < a || a < 0 || b > fileSize) return null
    if (a === b) continue
    const last = merged[merged.length - 1]
    if (last && a < last[1]) return null
    if (last && a === last[1]) last[1] = b
    else merged.push([a, b])
  }
  if (merged.length === 0) return null
  const start = merged[0][0]
  const end = merged[merged.length - 1][1]
  const total = merged.reduce((n, [a, b]) => n + (b - a), 0)
  const skipped = end - start - total
  const lastStart = merged[merged.length - 1][0]
  if (lastStart - start <= IN_PLACE_SMALL && end + padding <= fileSize) return { how: 'head', start, end: end + padding, ranges: merged, padding }
  if (skipped >= padding && skipped <= IN_PLACE_SMALL) return { how: 'tail', start, end, ranges: merged, padding }
  return null
}

export interface Contiguous {
  /** The hashed bytes followed by the padding, one view. */
  view: Uint8Array<ArrayBuffer>
  /** Puts the bytes back as they were read (a no-op when they need not be). */
  restore(): void
}

/**
 * Rearranges `bytes` (the file's [plan.start, plan.end), as read) so that the plan's ranges and its
 * padding are one view. With `keep`, restore() puts every byte back; without it the bytes are left
 * rearranged (a buffer nobody else reads).
 */
export function makeContiguous(bytes: Uint8Array<ArrayBuffer>, plan: InPlacePlan, keep: boolean): Contiguous {
  const { ranges, padding, start } = plan
  const at = (offset: number) => offset - start
  if (plan.how === 'head') {
    // Pieces before the last range move right, last first, each ending where the next one starts.
    const last = ranges[ranges.length - 1]
    const end = last[1]
    const headBytes = keep ? bytes.slice(0, at(last[0])) : null
    const padBytes = keep && padding > 0 ? bytes.slice(at(end), at(end) + padding) : null
    let to = last[0]
    for (let i = ranges.length - 2; i >= 0; i--) {
      const [a, b] = ranges[i]
      to -= b - a
      if (to !== a) bytes.copyWithin(at(to), at(a), at(b))
    }
    if (padding > 0) bytes.fill(0, at(end), at(end) + padding)
    return {
      view: bytes.subarray(at(to), at(end) + padding),
      restore: () => {
        if (headBytes) bytes.set(headBytes, 0)
        if (padBytes) bytes.set(padBytes, at(end))
      },
    }
  }
  // 'tail': ranges after the first move left, first to last, each right after the previous one.
  const gaps: Array<[number, Uint8Array]> = []
  let to = ranges[0][1]
  const placed: number[] = [ranges[0][0]]
  for (let i = 1; i < ranges.length; i++) {
    const [a, b] = ranges[i]
    if (keep) gaps.push([ranges[i - 1][1], bytes.slice(at(ranges[i - 1][1]), at(a))])
    placed.push(to)
    bytes.copyWithin(at(to), at(a), at(b))
    to += b - a
  }
  if (padding > 0) bytes.fill(0, at(to), at(to) + padding)
  return {
    view: bytes.subarray(0, at(to) + padding),
    restore: () => {
      if (!keep) return
      // Back to where they were, last first (each moves right, past the ones still to move).
      for (let i = ranges.length - 1; i >= 1; i--) {
        const [a, b] = ranges[i]
        bytes.copyWithin(at(a), at(placed[i]), at(placed[i]) + (b - a))
      }
      for (const [offset, saved] of gaps) bytes.set(saved, at(offset))
    },
  }
}
