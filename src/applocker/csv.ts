/**
 * The one CSV writer (RFC 4180) of the app and the CLI: the simulation's CSV export
 * (simulate/results.ts) and `cli test --format csv` write their cells with it.
 */

/**
 * One CSV field, quoted when it holds a comma, a quote or a line break. A cell a spreadsheet
 * would evaluate as a formula (leading =, +, -, @, tab or CR: `=HYPERLINK(...)`, `@SUM(...)`) is
 * neutralised with a leading apostrophe, so a file name from an event log cannot run in Excel.
 */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  const safe = typeof value !== 'number' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** One CSV line (without its line end). */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvField).join(',')
}
