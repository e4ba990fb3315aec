/** Checks shared by the inventory readers: turning loose values into FileFacts fields. */

/** A hash as the inventories give it (`0x` + hex, or bare hex) in the engine's `0x` form; null when not hex. */
export function normalizeHashText(text: string): string | null {
  let t = text.trim()
  if (t.startsWith('0x') || t.startsWith('0X')) t = t.slice(2)
  if (t === '' || !/^[0-9a-fA-F]+$/.test(t)) return null
  return `0x${t.toUpperCase()}`
}

/** Offsets at which each line starts, for turning offsets into 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0]
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }
  /** 1-based line and column of an offset. */
  at(offset: number): { line: number; column: number } {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 }
  }
}

/** A file version as AppLocker reads it: decimal parts separated by dots (`10.0.19041.1`), or empty (no version). */
export function isVersionText(text: string): boolean {
  const t = text.trim()
  return t === '' || /^\d+(\.\d+)*$/.test(t)
}
