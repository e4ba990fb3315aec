/**
 * File versions and BinaryVersionRange (APPLOCKER.md section 4, reference/applocker-deep.md 5.3):
 * numeric part-by-part comparison, missing parts are 0, inclusive bounds, `*` unbounded.
 */

/**
 * Parses `a.b.c.d` (any number of dot-separated decimal parts) into numbers. An empty string is
 * a file without a version resource, i.e. 0.0.0.0. Anything else (letters, empty parts) is null.
 */
export function parseVersion(text: string): number[] | null {
  return parseVersionInto(text, [])
}

/** parseVersion into a given (reused) array, emptied first. */
export function parseVersionInto(text: string, out: number[]): number[] | null {
  const t = text.trim()
  out.length = 0
  if (t === '') {
    out.push(0)
    return out
  }
  let n = 0
  let digits = 0
  for (let i = 0; i <= t.length; i++) {
    const c = i < t.length ? t.charCodeAt(i) : 46
    if (c === 46) {
      if (digits === 0) return null
      out.push(n)
      n = 0
      digits = 0
    } else if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48)
      digits++
    } else return null
  }
  return out
}

/** Negative, zero or positive as a is below, equal to or above b (missing parts are 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** A version range compiled once: null bound = unbounded; `invalid` when a bound is not a version. */
export interface CompiledRange {
  low: number[] | null
  high: number[] | null
  invalid: boolean
}

export function compileRange(low: string | undefined, high: string | undefined): CompiledRange {
  const l = low === undefined || low.trim() === '*' ? null : parseVersion(low)
  const h = high === undefined || high.trim() === '*' ? null : parseVersion(high)
  const invalid = (low !== undefined && low.trim() !== '*' && (l === null || low.trim() === '')) ||
    (high !== undefined && high.trim() !== '*' && (h === null || high.trim() === ''))
  return { low: l, high: h, invalid }
}

/**
 * **(inferred)** Whether a file version lies in a range. A bound that is not a version makes the
 * condition match nothing; a file version that is not a version matches only an unbounded range.
 */
export function versionInRange(version: number[] | null, range: CompiledRange): boolean {
  if (range.invalid) return false
  if (range.low === null && range.high === null) return true
  if (version === null) return false
  if (range.low !== null && compareVersions(version, range.low) < 0) return false
  if (range.high !== null && compareVersions(version, range.high) > 0) return false
  return true
}
