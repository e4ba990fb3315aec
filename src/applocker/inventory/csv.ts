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
 * Package and PackageInstall. The delimiter is detected (`,` `;` tab). Bad rows are reported
 * with their line and skipped.
 */
import Papa from 'papaparse'
import type { Diagnostic } from '../diagnostics'
import { parseCollectionName } from '../evaluate/collection'
import { isVersionText, normalizeHashText } from './facts'
import type { InventoryFile, InventoryReadResult } from './types'

type Column = 'path' | 'publisher' | 'product' | 'binary' | 'version' | 'hash' | 'user' | 'package' | 'packageinstall' | 'collection'

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
}

const headerKey = (h: string) => h.trim().toLowerCase().replace(/[\s_-]/g, '')

/** Reads an inventory CSV. */
export function readInventoryCsv(text: string): InventoryReadResult {
  const diagnostics: Diagnostic[] = []
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const rows: { fields: string[]; line: number; errors: string[] }[] = []
  let cursor = 0
  let line = 1
  const advance = (to: number) => {
    for (let i = source.indexOf('\n', cursor); i >= 0 && i < to; i = source.indexOf('\n', i + 1)) line++
    cursor = to
  }
  Papa.parse<string[]>(source, {
    skipEmptyLines: 'greedy',
    step: (r) => {
      // The row starts after the previous one and any blank lines.
      let start = cursor
      while (start < source.length && (source[start] === '\r' || source[start] === '\n')) start++
      advance(start)
      rows.push({ fields: r.data, line, errors: r.errors.map((e) => e.message) })
      advance(r.meta.cursor)
    },
  })
  if (rows.length === 0) {
    diagnostics.push({ severity: 'error', code: 'empty', message: 'The CSV file is empty: it needs a header row (Path, Publisher, ProductName, BinaryName, Version, Hash) and one row per file.' })
    return { value: null, diagnostics }
  }
  const header = rows[0]
  const columns = new Map<Column, number>()
  header.fields.forEach((h, i) => {
    const key = headerKey(h)
    const c = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined
    if (c && !columns.has(c)) columns.set(c, i)
  })
  const pathIndex = columns.get('path')
  if (pathIndex === undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'missing-path-column',
      message: `The CSV header has no Path column (found: ${header.fields.map((f) => `"${f}"`).join(', ')}). Expected a header such as Path,Publisher,ProductName,BinaryName,Version,Hash.`,
      line: header.line,
    })
    return { value: null, diagnostics }
  }
  const files: InventoryFile[] = []
  const get = (fields: string[], c: Column) => {
    const i = columns.get(c)
    return i === undefined ? '' : (fields[i] ?? '').trim()
  }
  for (const row of rows.slice(1)) {
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
    if (!isVersionText(get(row.fields, 'version'))) {
      fail('invalid-version', `its Version "${get(row.fields, 'version')}" is not a version (expected numbers separated by dots, e.g. 10.0.19041.1).`)
      continue
    }
    if (publisher !== '') {
      file.publisher = { name: publisher, product: get(row.fields, 'product'), binary: get(row.fields, 'binary'), version: get(row.fields, 'version') }
    } else if (get(row.fields, 'product') || get(row.fields, 'binary') || get(row.fields, 'version')) {
      diagnostics.push({
        severity: 'warning',
        code: 'publisher-missing',
        message: 'ProductName, BinaryName or Version is given without a Publisher: the file is treated as unsigned.',
        line: row.line,
      })
    }
    const hash = get(row.fields, 'hash')
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
    const collection = get(row.fields, 'collection')
    if (collection !== '') {
      const c = parseCollectionName(collection)
      if (c === null) {
        fail('invalid-collection', `its Collection "${collection}" is not Exe, Dll, Msi, Script or Appx.`)
        continue
      }
      file.collection = c
    }
    const install = get(row.fields, 'packageinstall').toLowerCase()
    if (install === 'true' || install === 'yes' || install === '1') file.packageInstall = true
    else if (install === 'false' || install === 'no' || install === '0') file.packageInstall = false
    files.push(file)
  }
  return { value: files, diagnostics }
}
