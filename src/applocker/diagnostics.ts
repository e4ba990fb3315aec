/** Messages about user input: what is wrong and where. The core returns these, never throws. */

export type Severity = 'error' | 'warning' | 'info'

/** Points at a collection (index in Policy.collections) and optionally a rule in it. */
export interface ModelRef {
  collection: number
  rule?: number
}

export interface Diagnostic {
  severity: Severity
  /** A stable machine-readable code, e.g. "not-well-formed", "duplicate-rule-id", "invalid-sid". */
  code: string
  /** A plain sentence a person understands, without the location prefix. */
  message: string
  /** 1-based line and column in the source text, when the diagnostic comes from a file. */
  line?: number
  column?: number
  /** The rule or collection concerned, when there is one. */
  ref?: ModelRef
}

/** "Line 12, column 5: FilePathRule has no Conditions" (or the bare message without location). */
export function formatDiagnostic(d: Diagnostic): string {
  if (d.line === undefined) return d.message
  return d.column === undefined ? `Line ${d.line}: ${d.message}` : `Line ${d.line}, column ${d.column}: ${d.message}`
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}

/** The result of reading user input: a value (null when refused) plus what was noticed. */
export interface ReadResult<T> {
  value: T | null
  diagnostics: Diagnostic[]
}

/** Characters a person cannot see in a message: C0/C1 controls, DEL, zero-width and bidi controls, BOM. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/**
 * The first `max` characters of a value, for a message: longer values end in "…" (never a
 * half surrogate pair), and invisible characters (controls, zero-width, bidi overrides) are shown
 * as [U+XXXX] so the message says what is there. Use it for every value or name a message cites
 * from user input, so a 50 MB name never becomes a 50 MB message. No quotation marks are added.
 */
export function clipValue(s: string, max = 200): string {
  let head = s
  let clipped = false
  if (s.length > max) {
    let end = Math.max(0, max)
    const c = s.charCodeAt(end - 1)
    if (c >= 0xd800 && c <= 0xdbff) end--
    head = s.slice(0, end)
    clipped = true
  }
  INVISIBLE.lastIndex = 0
  if (INVISIBLE.test(head)) {
    INVISIBLE.lastIndex = 0
    head = head.replace(INVISIBLE, (ch) => `[U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
  }
  return clipped ? `${head}…` : head
}

/**
 * A value cited in a message, in double quotes, at most about `max` characters of it:
 * `"C:\Tools\*"`, or for a long one `"AAAA…" (52,428,800 characters)`. See clipValue.
 */
export function quoteValue(s: string, max = 200): string {
  const q = `"${clipValue(s, max)}"`
  return s.length > max ? `${q} (${s.length.toLocaleString('en-US')} characters)` : q
}
