/**
 * Bytes -> text for policy files. Real AppLocker files come as UTF-8 (with or without BOM) and
 * UTF-16 LE with BOM (what Windows PowerShell 5.1 and AaronLocker write); UTF-16 BE is accepted too.
 *
 * Decision for bytes that are not valid in the detected encoding (e.g. Shift-JIS comments,
 * corpus/invalid/esuko-support-wrong-enums-shiftjis.xml): the file is OPENED, with the unreadable
 * bytes replaced by U+FFFD and an error diagnostic that says plainly it is not UTF-8/UTF-16 and where
 * the first bad byte is. Windows would refuse such a file, but opening it lets the user see and fix
 * everything else; the app always exports valid UTF-8/UTF-16, so the encoding problem is gone after
 * export (only the replaced characters are lost, and the message says so).
 */
import type { Diagnostic } from '../diagnostics'
import { LineIndex } from '../lines'

export interface DecodedText {
  text: string
  /** 'utf-8', 'utf-16le' or 'utf-16be' (the encoding the bytes were read as). */
  encoding: string
  diagnostics: Diagnostic[]
}

/** Index of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0): number {
  const n = bytes.length
  let i = start
  while (i < n) {
    const b = bytes[i]
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return i
    if (i + need > n - 1) return i
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return -1
}

/** Index (in bytes) of the first unpaired surrogate or dangling odd byte in UTF-16 data, or -1. */
function firstInvalidUtf16(bytes: Uint8Array, start: number, littleEndian: boolean): number {
  const n = bytes.length
  let i = start
  while (i + 1 < n) {
    const u = littleEndian ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1]
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= n) return i
      const v = littleEndian ? bytes[i + 2] | (bytes[i + 3] << 8) : (bytes[i + 2] << 8) | bytes[i + 3]
      if (v < 0xdc00 || v > 0xdfff) return i
      i += 4
    } else if (u >= 0xdc00 && u <= 0xdfff) return i
    else i += 2
  }
  return i < n ? i : -1
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`

/** The encoding named in `<?xml ... encoding="..."?>`, lower case, if any. */
export function declaredEncoding(text: string): string | undefined {
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(text.slice(0, 200))
  return m ? m[1].toLowerCase() : undefined
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be'

/**
 * The encoding of text bytes and where the text starts (after the byte-order mark): UTF-8 (BOM
 * optional), UTF-16 LE/BE with BOM, and without BOM UTF-16 recognised by its zero bytes (a first
 * '<' as "<\0" or "\0<", or ASCII text as x\0y\0). The one detector for policies and inventories.
 */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncodingName; start: number } {
  const n = bytes.length
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', start: 3 }
  if (n >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', start: 2 }
  if (n >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', start: 2 }
  if (n >= 2 && bytes[0] === 0x3c && bytes[1] === 0x00) return { encoding: 'utf-16le', start: 0 }
  if (n >= 2 && bytes[0] === 0x00 && bytes[1] === 0x3c) return { encoding: 'utf-16be', start: 0 }
  if (n >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return { encoding: 'utf-16le', start: 0 }
  return { encoding: 'utf-8', start: 0 }
}

/** Detects the encoding (detectEncoding), decodes, and reports problems. */
export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  const diagnostics: Diagnostic[] = []
  const { encoding, start } = detectEncoding(bytes)

  const body = bytes.subarray(start)
  // The native strict decoder first (the common case: valid text); only when it refuses is the first
  // bad byte looked for, and the text decoded with replacement characters.
  let text: string
  let bad = -1
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body)
  } catch {
    bad = encoding === 'utf-8' ? firstInvalidUtf8(bytes, start) : firstInvalidUtf16(bytes, start, encoding === 'utf-16le')
    text = new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(body)
  }
  if (bad !== -1) {
    const before = new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(bytes.subarray(start, bad))
    const { line, column } = new LineIndex(before).at(before.length)
    const what =
      encoding === 'utf-8'
        ? `The file is not UTF-8 or UTF-16: byte ${hex(bytes[bad])} at line ${line}, column ${column} (byte offset ${bad}) is not valid UTF-8. ` +
          'It is probably in a legacy code page (such as Shift-JIS or Windows-1252), which Windows does not accept for AppLocker policies. ' +
          'The policy was opened with the unreadable characters replaced by \uFFFD; exporting saves it as valid UTF-8 (re-type any text that was lost).'
        : `The file is not valid ${encoding.toUpperCase()}: the bytes at offset ${bad} (line ${line}, column ${column}) are not a valid character. ` +
          'The policy was opened with the unreadable characters replaced by \uFFFD.'
    diagnostics.push({ severity: 'error', code: 'invalid-encoding', message: what, line, column })
  }
  const declared = declaredEncoding(text)
  if (declared !== undefined) {
    const isUtf16 = declared === 'utf-16' || declared === 'utf-16le' || declared === 'utf-16be' || declared === 'unicode'
    const isUtf8 = declared === 'utf-8' || declared === 'utf8'
    if ((encoding === 'utf-8' && !isUtf8) || (encoding !== 'utf-8' && !isUtf16)) {
      diagnostics.push({
        severity: 'warning',
        code: 'encoding-mismatch',
        message: `The XML declaration says encoding="${declared}" but the file is stored as ${encoding.toUpperCase()}; it was read as ${encoding.toUpperCase()}. Exporting writes a matching declaration.`,
        line: 1,
        column: 1,
      })
    }
  }
  return { text, encoding, diagnostics }
}
