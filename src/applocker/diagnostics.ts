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
