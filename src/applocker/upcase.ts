/**
 * Upper-casing as Windows does it for AppLocker's comparisons: one UTF-16 code unit at a time.
 *
 * Path conditions are "case-insensitive" (understanding-the-path-rule-condition-in-applocker.md) and
 * AppLocker compares upper-cased values: the APPID://PATH attribute and the compiled patterns are
 * upper case (reference/applocker-deep.md section 4), publisher strings are "always upper-cased"
 * (section 5.1). Windows' upper-casing (RtlUpcaseUnicodeChar, the NLS upper-case table) maps each
 * UTF-16 unit to exactly one unit, so a string never changes length: `ß` stays `ß` (JavaScript's
 * `toUpperCase()` gives `SS`, which would let `%OSDRIVE%\Straße\*` match `C:\STRASSE\x.exe`), and
 * the two halves of a surrogate pair are left alone (no supplementary-plane letter is mapped).
 *
 * **(inferred)** Each unit maps to its Unicode simple upper case when `toUpperCase()` of that unit
 * alone is one unit, and to itself otherwise (the few letters whose only upper case is two or more
 * units, `ß`, `ŉ`, `ǰ`, some Greek, stay as they are). Windows' own table is locale-independent for
 * file names; the Turkish dotless `ı` maps to `I` here as in the invariant table.
 *
 * Used by the engine, the review checks and file information. The reference evaluator
 * (src/testing/reference.ts) has its own, separately written version on purpose.
 */

/** Lazily filled: 0 = not computed yet; otherwise the upper-case unit + 1. */
let table: Uint32Array | null = null

function upperUnit(c: number): number {
  if (c < 0x80) return c >= 97 && c <= 122 ? c - 32 : c
  if (c >= 0xd800 && c <= 0xdfff) return c // a surrogate half: never mapped
  if (table === null) table = new Uint32Array(0x10000)
  const known = table[c]
  if (known !== 0) return known - 1
  const u = String.fromCharCode(c).toUpperCase()
  const mapped = u.length === 1 ? u.charCodeAt(0) : c
  table[c] = mapped + 1
  return mapped
}

/**
 * The string upper-cased one UTF-16 unit at a time (same length as the input). ASCII text is
 * scanned once: returned as it is when it has no lower-case letter (no new string), else
 * upper-cased natively; any other text goes unit by unit.
 */
export function upcase(s: string): string {
  let lower = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80) return upcaseUnits(s)
    if (c >= 97 && c <= 122) lower = true
  }
  return lower ? s.toUpperCase() : s
}

function upcaseUnits(s: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const u = upperUnit(c)
    if (u !== c) {
      out += s.slice(from, i) + String.fromCharCode(u)
      from = i + 1
    }
  }
  return from === 0 ? s : out + s.slice(from)
}

/** Case-insensitive equality as Windows compares (both sides upper-cased per unit). */
export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && (a === b || upcase(a) === upcase(b))
}
