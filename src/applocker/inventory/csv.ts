/**
 * Inventory CSV: a header row, then one file per row.
 *
 *   Path,Publisher,ProductName,BinaryName,Version,Hash
 *   C:\Windows\System32\cmd.exe,"O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US",MICROSOFT® WINDOWS® OPERATING SYSTEM,CMD.EXE,10.0.19041.1,0x...
 *
 * Header names are case-insensitive and may come in any order; only Path is required. Publisher
 * empty = unsigned file. Publisher names contain commas, so quote them (standard CSV quoting, ""
 * for a quote). Also recognised: FilePath/FullPath for Path, PublisherName, Product, OriginalFileName
 * for BinaryName, FileVersion/BinaryVersion for Version, FileHash/SHA256 for Hash, User/UserSid,
 * Package and PackageInstall, IsPE or Kind (the file is a portable executable: see facts.ts parsePeFlag). The delimiter is detected (`,` `;` tab). Bad rows are reported
 * with their line and skipped.
 *
 * What Windows PowerShell writes is read as it is:
 * - `Export-Csv` in Windows PowerShell 5.1 starts with a `#TYPE <.NET type>` line (unless
 *   -NoTypeInformation): it is skipped (its line still counts in line numbers).
 * - `Get-AppLockerFileInformation ... | Export-Csv` writes the FileInformation objects as
 *   `Path,Publisher,Hash,AppX`: Path in AppLocker's variable form (`%OSDRIVE%\USERS\...`),
 *   Publisher as `PUBLISHER\PRODUCT\BINARY,VERSION` (empty for an unsigned file), Hash as
 *   `SHA256 0x...`, AppX `True` for a packaged app.
 */
import Papa from 'papaparse'
import type { Diagnostic } from '../diagnostics'
import { parseCollectionName } from '../evaluate/collection'
import { isVersionText, normalizeHashText, parsePeFlag } from './facts'
import type { InventoryFile, InventoryReadResult } from './types'

type Column = 'path' | 'publisher' | 'product' | 'binary' | 'version' | 'hash' | 'user' | 'package' | 'packageinstall' | 'collection' | 'appx' | 'pe'

const ALIASES: Record<string, Column> = {
  path: 'path',
  filepath: 'path',
  fullpath: 'path',
  fullfilepath: 'path',
  publisher: 'publisher',
  publishername: 'publisher',
  productname: 'product',
  product: 'product',
  binaryname: 'binary',
  originalfilename: 'binary',
  version: 'version',
  fileversion: 'version',
  binaryversion: 'version',
  hash: 'hash',
  filehash: 'hash',
  sha256: 'hash',
  user: 'user',
  usersid: 'user',
  package: 'package',
  packageinstall: 'packageinstall',
  collection: 'collection',
  filetype: 'collection',
  rulecollection: 'collection',
  // Whether the file is a portable executable (IsPE true/false, or Kind PE/Script/...): see parsePeFlag.
  ispe: 'pe',
  pe: 'pe',
  kind: 'pe',
  // Get-AppLockerFileInformation | Export-Csv: True for a packaged app.
  appx: 'appx',
}

/**
 * A Publisher cell as Get-AppLockerFileInformation's PublisherInformation prints it:
 * `O=CONTOSO, L=SEATTLE, S=WA, C=US\CONTOSO APP\APP.EXE,1.2.3.4` (publisher, product, binary
 * name, then the version after the last comma). Null when the cell is a plain publisher name.
 */
export function parseFileInformationPublisher(cell: string): { name: string; product: string; binary: string; version: string } | null {
  const parts = cell.split('\\')
  if (parts.length < 3) return null
  const last = parts[parts.length - 1]
  const comma = last.lastIndexOf(',')
  if (comma < 0) return null
  return { name: parts[0].trim(), product: parts.slice(1, -1).join('\\').trim(), binary: last.slice(0, comma).trim(), version: last.slice(comma + 1).trim() }
}

const headerKey = (h: string) => h.trim().toLowerCase().replace(/[\s_-]/g, '')

/** One parsed CSV row and the 1-based line it starts on. */
interface CsvRow {
  fields: string[]
  line: number
  errors: string[]
}

/** Reads an inventory CSV. */
export function readInventoryCsv(text: string): InventoryReadResult {
  const reader = createInventoryCsvReader()
  const a = reader.push(text)
  const b = reader.end()
  const diagnostics = [...a.diagnostics, ...b.diagnostics]
  return { value: reader.refused() ? null : [...a.files, ...b.files], diagnostics }
}

/** What a piece of a CSV inventory gave: the files of its complete rows and what was said about them. */
export interface CsvPiece {
  files: InventoryFile[]
  diagnostics: Diagnostic[]
}

/**
 * Reads an inventory CSV given in pieces (a file read chunk by chunk), with the same result as reading the whole
 * text at once: rows are parsed once complete (a row boundary is a line end outside a quoted field), line
 * numbers run on across pieces, and the delimiter and line ending are those papaparse detects at the start.
 */
// `detectAfter`: how much text to gather before guessing the delimiter (tests lower it to cut rows everywhere).
export function createInventoryCsvReader(options: { detectAfter?: number } = {}): { push(text: string): CsvPiece; end(): CsvPiece; refused(): boolean } {
  const detectAfter = options.detectAfter ?? 64 * 1024
  /** Text not parsed yet; it starts at a row boundary. */
  let pending = ''
  let first = true
  /** Whether a leading `#TYPE ...` line (Windows PowerShell 5.1's Export-Csv) was looked for. */
  let typeLineChecked = false
  /** Line number where `pending` starts. */
  let lineBase = 1
  let header: CsvRow | null = null
  let columns: Map<Column, number> | null = null
  let refused = false
  let delimiter = ''
  let newline: '\r\n' | '\n' | '\r' | undefined
  // Where the scan for row boundaries is in `pending`, and its state there.
  let scanned = 0
  let inQuotes = false
  let fieldStart = true

  /** Parses whole rows (source ends at a row boundary, or is the end of the file). */
  const parse = (source: string, out: CsvPiece) => {
    const rows: CsvRow[] = []
    let cursor = 0
    let line = lineBase
    const advance = (to: number) => {
      for (let i = source.indexOf('\n', cursor); i >= 0 && i < to; i = source.indexOf('\n', i + 1)) line++
      cursor = to
    }
    Papa.parse<string[]>(source, {
      skipEmptyLines: 'greedy',
      ...(delimiter ? { delimiter } : {}),
      ...(newline ? { newline } : {}),
      step: (r) => {
        // meta.cursor is past the row's line end: the row starts on the line of its end, less the line ends
        // inside its quoted fields (rows skipped as empty before it do not shift it).
        const end = r.meta.cursor
        advance(end)
        let inside = 0
        for (const f of r.data) for (let k = f.indexOf('\n'); k >= 0; k = f.indexOf('\n', k + 1)) inside++
        // An unterminated quoted field runs to the end: its last line end is data, not the row's end.
        const terminated = source[end - 1] === '\n' && !r.errors.some((e) => e.code === 'MissingQuotes')
        rows.push({ fields: r.data, line: line - (terminated ? 1 : 0) - inside, errors: r.errors.map((e) => e.message) })
      },
    })
    advance(source.length)
    lineBase = line
    if (refused) return
    if (!header) {
      const h = rows.shift()
      if (!h) return
      header = h
      columns = new Map<Column, number>()
      for (const [i, f] of h.fields.entries()) {
        const key = headerKey(f)
        const c = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined
        if (c && !columns.has(c)) columns.set(c, i)
      }
      if (!columns.has('path')) {
        refused = true
        out.diagnostics.push({
          severity: 'error',
          code: 'missing-path-column',
          message: `The CSV header has no Path column (found: ${h.fields.map((f) => `"${f}"`).join(', ')}). Expected a header such as Path,Publisher,ProductName,BinaryName,Version,Hash.`,
          line: h.line,
        })
        return
      }
    }
    rowsToFiles(rows, columns!, header, out.diagnostics, out.files)
  }

  /**
   * The end of the last complete row in `pending` (0 if none yet), scanning as papaparse does: a field is quoted
   * when it starts with `"`; inside, `""` is a quote and a `"` closes the field only when followed (after optional
   * spaces) by the delimiter or the line ending, else papaparse keeps looking; rows end with the detected line
   * ending outside quoted fields. The last characters wait for more text, so a line ending or a quote that is
   * cut in two is never misread.
   */
  const lastBoundary = () => {
    let last = 0
    const nl = newline ?? '\n'
    const stop = pending.length - 2
    let i = scanned
    while (i < stop) {
      if (inQuotes) {
        const q = pending.indexOf('"', i)
        if (q < 0 || q >= stop) {
          i = q < 0 ? stop : q
          break
        }
        if (pending[q + 1] === '"') {
          i = q + 2
          continue
        }
        let j = q + 1
        while (j < pending.length && !pending.startsWith(delimiter, j) && !pending.startsWith(nl, j) && pending[j].trim() === '') j++
        if (j >= stop) {
          i = q
          break
        }
        if (pending.startsWith(delimiter, j) || pending.startsWith(nl, j)) {
          inQuotes = false
          fieldStart = false
          i = j
        } else i = q + 1
        continue
      }
      if (fieldStart && pending[i] === '"') {
        inQuotes = true
        fieldStart = false
        i++
      } else if (pending.startsWith(nl, i)) {
        i += nl.length
        last = i
        fieldStart = true
      } else if (pending.startsWith(delimiter, i)) {
        i += delimiter.length
        fieldStart = true
      } else {
        fieldStart = false
        i++
      }
    }
    scanned = Math.max(i, scanned)
    return last
  }

  /** papaparse's guesses (delimiter, line ending) from the start of the text, as a whole-text parse makes them. */
  const detect = (text: string) => {
    const meta = Papa.parse<string[]>(text, { preview: 10, skipEmptyLines: 'greedy' }).meta
    delimiter = meta.delimiter || ','
    newline = meta.linebreak === '\r\n' || meta.linebreak === '\n' || meta.linebreak === '\r' ? meta.linebreak : undefined
  }

  return {
    push(text) {
      const out: CsvPiece = { files: [], diagnostics: [] }
      if (first && text.length > 0) {
        first = false
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      }
      pending += text
      if (!typeLineChecked) {
        if (pending.length < 6 && !/[\r\n]/.test(pending)) return out
        if (/^#TYPE\b/i.test(pending)) {
          const eol = pending.search(/[\r\n]/)
          if (eol < 0) return out
          // Dropped, its line end kept: the header's line number still counts it.
          pending = pending.slice(eol)
        }
        typeLineChecked = true
      }
      // The first rows decide the delimiter: wait for enough of them (or the end) before parsing anything.
      if (!delimiter) {
        if (pending.length < detectAfter) return out
        detect(pending)
      }
      const cut = lastBoundary()
      if (cut > 0) {
        const piece = pending.slice(0, cut)
        pending = pending.slice(cut)
        scanned -= cut
        parse(piece, out)
      }
      return out
    },
    end() {
      const out: CsvPiece = { files: [], diagnostics: [] }
      if (!typeLineChecked) {
        typeLineChecked = true
        if (/^#TYPE\b/i.test(pending)) pending = pending.replace(/^[^\r\n]*/, '')
      }
      if (!delimiter) detect(pending)
      if (pending !== '') parse(pending, out)
      pending = ''
      if (!header && !refused) {
        refused = true
        out.diagnostics.push({ severity: 'error', code: 'empty', message: 'The CSV file is empty: it needs a header row (Path, Publisher, ProductName, BinaryName, Version, Hash) and one row per file.' })
      }
      return out
    },
    refused: () => refused,
  }
}

/** Rows after the header to files; a bad row is reported with its line and skipped. */
function rowsToFiles(rows: CsvRow[], columns: Map<Column, number>, header: CsvRow, diagnostics: Diagnostic[], files: InventoryFile[]): void {
  const get = (fields: string[], c: Column) => {
    const i = columns.get(c)
    return i === undefined ? '' : (fields[i] ?? '').trim()
  }
  for (const row of rows) {
    const fail = (code: string, message: string) => diagnostics.push({ severity: 'error', code, message: `Row skipped: ${message}`, line: row.line })
    if (row.errors.length > 0) {
      fail('invalid-row', `${row.errors[0]} (check the quotes on this line).`)
      continue
    }
    if (row.fields.length > header.fields.length) {
      fail(
        'field-count',
        `it has ${row.fields.length} fields but the header has ${header.fields.length}. Values that contain the delimiter (publisher names contain commas) must be in double quotes.`,
      )
      continue
    }
    const path = get(row.fields, 'path')
    if (path === '') {
      fail('missing-path', 'it has no Path.')
      continue
    }
    const file: InventoryFile = { path, line: row.line, publisher: null }
    const publisher = get(row.fields, 'publisher')
    const combined = publisher !== '' && !columns.has('product') && !columns.has('binary') && !columns.has('version') ? parseFileInformationPublisher(publisher) : null
    const version = combined ? combined.version : get(row.fields, 'version')
    if (!isVersionText(version) && !(combined && version === '*')) {
      fail('invalid-version', `its Version "${version}" is not a version (expected numbers separated by dots, e.g. 10.0.19041.1).`)
      continue
    }
    if (combined) {
      file.publisher = { ...combined, version: combined.version === '*' ? '' : combined.version }
    } else if (publisher !== '') {
      file.publisher = { name: publisher, product: get(row.fields, 'product'), binary: get(row.fields, 'binary'), version: get(row.fields, 'version') }
    } else if (get(row.fields, 'product') || get(row.fields, 'binary') || get(row.fields, 'version')) {
      diagnostics.push({
        severity: 'warning',
        code: 'publisher-missing',
        message: 'ProductName, BinaryName or Version is given without a Publisher: the file is treated as unsigned.',
        line: row.line,
      })
    }
    // Get-AppLockerFileInformation's FileHash prints as "SHA256 0x...".
    const hash = get(row.fields, 'hash').replace(/^sha256\s+/i, '')
    if (hash !== '') {
      const h = normalizeHashText(hash)
      if (h === null) {
        fail('invalid-hash', `its Hash "${hash}" is not hexadecimal (expected 0x followed by hex digits).`)
        continue
      }
      file.hash = h
    }
    const user = get(row.fields, 'user')
    if (user !== '') file.user = user
    const pkg = get(row.fields, 'package')
    if (pkg !== '') file.package = pkg
    else if (get(row.fields, 'appx').toLowerCase() === 'true') file.package = path
    const collection = get(row.fields, 'collection')
    if (collection !== '') {
      const c = parseCollectionName(collection)
      if (c === null) {
        fail('invalid-collection', `its Collection "${collection}" is not Exe, Dll, Msi, Script or Appx.`)
        continue
      }
      file.collection = c
    }
    const peText = get(row.fields, 'pe')
    const pe = parsePeFlag(peText)
    if (pe === null) {
      fail('invalid-pe', `its IsPE/Kind "${peText}" is neither a yes/no nor a file kind (PE, Exe, Dll, Script, ...).`)
      continue
    }
    if (pe !== undefined) file.pe = pe
    // Kind "Dll" says how the PE runs: loaded as a library.
    if (pe === true && file.collection == null && /^(dll|library)$/i.test(peText)) file.collection = 'Dll'
    const install = get(row.fields, 'packageinstall').toLowerCase()
    if (install === 'true' || install === 'yes' || install === '1') file.packageInstall = true
    else if (install === 'false' || install === 'no' || install === '0') file.packageInstall = false
    files.push(file)
  }
}
