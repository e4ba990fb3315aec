/** Offsets in a text -> 1-based line and column, for diagnostics of every reader (XML, inventories). */

/**
 * Line starts of a text, computed lazily (only when a diagnostic needs a position). A line ends at
 * LF, CR LF or a CR alone (XML 1.0 section 2.11 reads all three as one line end; old Mac files
 * have bare CRs); `lfOnly` counts LF alone, as fast-xml-parser's validator does.
 */
export class LineIndex {
  private starts: number[] | null = null
  constructor(
    private readonly text: string,
    private readonly lfOnly = false,
  ) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const s = [0]
      const t = this.text
      if (this.lfOnly || t.indexOf('\r') === -1) {
        for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) s.push(i + 1)
      } else {
        for (let i = 0; i < t.length; i++) {
          const c = t.charCodeAt(i)
          if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) s.push(i + 1)
        }
      }
      this.starts = s
    }
    return this.starts
  }

  /** 1-based line and column of an offset. */
  at(offset: number): { line: number; column: number } {
    const s = this.lineStarts()
    let lo = 0
    let hi = s.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (s[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - s[lo] + 1 }
  }

  /** The offset of a 1-based line and column (the line clamped to the text). */
  offsetOf(line: number, column: number): number {
    const s = this.lineStarts()
    return (s[Math.min(Math.max(line - 1, 0), s.length - 1)] ?? 0) + column - 1
  }
}
