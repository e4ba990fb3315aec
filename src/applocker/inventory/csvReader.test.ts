/**
 * The CSV inventory read in pieces (the command line streams big inventories) gives what reading the whole text
 * gives: same files, same skipped rows, same line numbers, wherever the pieces cut rows, quotes or line ends.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createInventoryCsvReader, readInventoryCsv } from './csv'

function inPieces(text: string, sizes: number[]) {
  // The delimiter is guessed from the first rows, as a whole-text read does: give them at once, then small pieces.
  const r = createInventoryCsvReader({ detectAfter: 1 })
  let nth = -1
  for (let j = 0; j < 40 && (nth = text.indexOf('\n', nth + 1)) >= 0; j++);
  const headLen = nth < 0 ? text.length : nth + 1
  const got = [r.push(text.slice(0, headLen))]
  for (let i = headLen, k = 0; i < text.length; i += sizes[k++ % sizes.length]) got.push(r.push(text.slice(i, i + sizes[k % sizes.length])))
  got.push(r.end())
  return { value: r.refused() ? null : got.flatMap((g) => g.files), diagnostics: got.flatMap((g) => g.diagnostics) }
}

describe('createInventoryCsvReader', () => {
  it('pieces of any size give the same result as the whole text', () => {
    const field = fc.oneof(
      fc.constantFrom('', 'C:\\a.exe', '"q,uo""ted"', '"multi\nline"', '"multi\r\nline"', 'a"b', '1.2.3.4', '0xAB', 'x;y', '"unterminated', ' ', 'Exe', '"x"y', '"x" ', '"'),
      fc.string({ maxLength: 4 }),
    )
    const header = fc.constantFrom('Path,Publisher,ProductName,BinaryName,Version,Hash', 'Path;Hash', 'path\tversion', 'Nope,Other', '\uFEFFPath,Collection', 'Path')
    fc.assert(
      fc.property(
        header,
        fc.array(fc.array(field, { minLength: 1, maxLength: 7 }), { maxLength: 60 }),
        fc.constantFrom('\r\n', '\n', '\n\n', '\r\n\r\n'),
        fc.constantFrom(',', ';', '\t'),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (h, rows, nl, d, sizes, finalNewline) => {
          const text = [h, ...rows.map((r) => r.join(d))].join(nl) + (finalNewline ? nl : '')
          expect(inPieces(text, sizes)).toEqual(readInventoryCsv(text))
        },
      ),
      { numRuns: 1500 },
    )
  })

  it('numbers a row after a skipped line of empty fields by its own line', () => {
    const r = readInventoryCsv('Path,Hash\r\n,\r\nC:\\a.exe,0xZZ\r\n')
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'invalid-hash', line: 3 })])
  })

  it('parses rows as they complete, not at the end', () => {
    const r = createInventoryCsvReader({ detectAfter: 1 })
    expect(r.push('Path,Hash\r\nC:\\a.exe,\r\nC:\\b').files.map((f) => f.path)).toEqual(['C:\\a.exe'])
    expect(r.push('.exe,\r\n"C:\\c\r\n').files.map((f) => f.path)).toEqual(['C:\\b.exe'])
    expect(r.push('.exe",\r\n').files).toEqual([])
    expect(r.end().files.map((f) => f.path)).toEqual(['C:\\c\r\n.exe'])
  })
})
