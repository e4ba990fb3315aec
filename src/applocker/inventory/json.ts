/**
 * FILES.json: the command line's inventory format, a JSON array of files:
 *   [{ "path": "C:\\Windows\\System32\\cmd.exe",
 *      "publisher": { "name": "O=...", "product": "...", "binary": "CMD.EXE", "version": "10.0.19041.1" },
 *      "hash": "0x..." }]
 * `publisher` and `hash` are optional (an unsigned file has no publisher). Also accepted:
 * `user` (a SID), `package` (package full name: the entry is a packaged app), `packageInstall`, and
 * `collection` (Exe, Dll, Msi, Script or Appx: for a file its extension does not tell, e.g. a `.scr` run as a process),
 * and `pe` (true when the file's content is a portable executable: "AppLocker executable rules actually apply to any
 * portable executable (PE) file, regardless of the file's extension"; false when it is not one).
 */
import type { Diagnostic } from '../diagnostics'
import { parseCollectionName } from '../evaluate/collection'
import type { PublisherFacts } from '../evaluate/types'
import { LineIndex } from '../lines'
import { isVersionText, normalizeHashText, parsePeFlag } from './facts'
import type { InventoryFile, InventoryReadResult } from './types'

/** Start offsets of the elements of a top-level JSON array (for line numbers in messages). */
function elementOffsets(text: string): number[] {
  const out: number[] = []
  let depth = 0
  let inString = false
  let escaped = false
  let expecting = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') inString = false
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue
    if (depth === 1 && expecting && c !== ']' && c !== ',') {
      out.push(i)
      expecting = false
    }
    if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      depth++
      if (depth === 1) expecting = true
    } else if (c === ']' || c === '}') depth--
    else if (c === ',' && depth === 1) expecting = true
  }
  return out
}

/**
 * Offset of the first syntax error in a JSON text (JSON.parse in Node 20 does not say where),
 * found by a small recursive-descent scan; -1 when none is found.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const fail = (): never => {
    throw i
  }
  const value = (depth: number): void => {
    if (depth > 500) fail()
    ws()
    const c = text[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      ws()
      if (text[i] === close) {
        i++
        return
      }
      for (;;) {
        if (c === '{') {
          ws()
          if (text[i] !== '"') fail()
          string()
          ws()
          if (text[i] !== ':') fail()
          i++
        }
        value(depth + 1)
        ws()
        if (text[i] === ',') i++
        else if (text[i] === close) {
          i++
          return
        } else fail()
      }
    } else if (c === '"') string()
    else {
      const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400))
      if (!m) fail()
      else i += m[0].length
    }
  }
  const string = () => {
    i++
    while (i < text.length) {
      const c = text[i]
      if (c === '"') {
        i++
        return
      }
      if (c === '\\') {
        const n = text[i + 1]
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail()
          i += 6
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2
        else fail()
      } else if (c.charCodeAt(0) < 0x20) fail()
      else i++
    }
    fail()
  }
  try {
    value(0)
    ws()
    return i < text.length ? i : -1
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : -1
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Reads FILES.json. Entries that are not usable are reported with their index and line and skipped. */
export function readFilesJson(text: string): InventoryReadResult {
  const diagnostics: Diagnostic[] = []
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lines = new LineIndex(source)
  let data: unknown
  try {
    data = JSON.parse(source)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const at = jsonErrorOffset(source)
    diagnostics.push({ severity: 'error', code: 'invalid-json', message: `The file list is not valid JSON: ${message}`, ...(at >= 0 ? lines.at(at) : {}) })
    return { value: null, diagnostics }
  }
  if (!Array.isArray(data)) {
    diagnostics.push({ severity: 'error', code: 'not-an-array', message: 'The file list must be a JSON array of files, e.g. [{"path": "C:\\\\Tools\\\\a.exe"}].', line: 1 })
    return { value: null, diagnostics }
  }
  const offsets = elementOffsets(source)
  const files: InventoryFile[] = []
  data.forEach((item: unknown, index) => {
    const line = offsets[index] !== undefined ? lines.at(offsets[index]).line : undefined
    const where = `Entry ${index + 1}`
    const fail = (code: string, message: string) => diagnostics.push({ severity: 'error', code, message: `${where} ${message}; skipped.`, line })
    if (!isObject(item)) return fail('invalid-entry', 'is not an object with a "path"')
    if (typeof item.path !== 'string' || item.path.trim() === '') return fail('missing-path', 'has no "path"')
    const file: InventoryFile = { path: item.path, line }
    if (item.publisher !== undefined && item.publisher !== null) {
      const p = item.publisher
      if (!isObject(p) || typeof p.name !== 'string' || p.name.trim() === '')
        return fail('invalid-publisher', 'has a "publisher" without a "name" (use null or leave it out for an unsigned file)')
      const publisher: PublisherFacts = { name: p.name, product: '', binary: '', version: '' }
      for (const k of ['product', 'binary', 'version'] as const) {
        const v = p[k]
        if (v === undefined || v === null) continue
        if (typeof v !== 'string') return fail('invalid-publisher', `has a publisher "${k}" that is not a string`)
        publisher[k] = v
      }
      if (!isVersionText(publisher.version)) return fail('invalid-version', `has a publisher "version" "${publisher.version}" that is not a version (expected e.g. 10.0.19041.1)`)
      file.publisher = publisher
    } else file.publisher = null
    if (item.hash !== undefined && item.hash !== null && item.hash !== '') {
      const h = typeof item.hash === 'string' ? normalizeHashText(item.hash) : null
      if (h === null) return fail('invalid-hash', 'has a "hash" that is not hexadecimal (expected 0x followed by hex digits)')
      file.hash = h
    }
    if (typeof item.user === 'string' && item.user.trim() !== '') file.user = item.user.trim()
    if (typeof item.package === 'string' && item.package.trim() !== '') file.package = item.package.trim()
    if (typeof item.packageInstall === 'boolean') file.packageInstall = item.packageInstall
    if (item.collection !== undefined && item.collection !== null && item.collection !== '') {
      const c = typeof item.collection === 'string' ? parseCollectionName(item.collection) : null
      if (c === null) return fail('invalid-collection', `has a "collection" ${JSON.stringify(item.collection)} that is not Exe, Dll, Msi, Script or Appx`)
      file.collection = c
    }
    if (item.pe !== undefined && item.pe !== null && item.pe !== '') {
      const pe = typeof item.pe === 'boolean' ? item.pe : typeof item.pe === 'string' ? parsePeFlag(item.pe) : null
      if (pe === null) return fail('invalid-pe', `has a "pe" ${JSON.stringify(item.pe)} that is not true or false`)
      if (pe !== undefined) file.pe = pe
    }
    files.push(file)
  })
  return { value: files, diagnostics }
}
