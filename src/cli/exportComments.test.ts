/**
 * `cli -- export` of every corpus file keeps the same comments in the same order, each at its place
 * (issue 11 section 2). The model-level tests are in src/applocker/xml/notes.test.ts.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCommand } from './exportCommand'
import { CORPUS, fakeIO, readCorpus } from '../testing/cliIO'

/** Comments and PIs (not the XML declaration) in document order, line ends normalised. */
const notesOf = (xml: string) => [...xml.replace(/\r\n?/g, '\n').matchAll(/<!--[\s\S]*?-->|<\?(?!xml[\s?])[\s\S]*?\?>/g)].map((m) => m[0])
/** Comments, PIs and element start tags in document order: equal sequences = everything at its place. */
const layoutOf = (xml: string) => [...xml.replace(/\r\n?/g, '\n').matchAll(/<!--[\s\S]*?-->|<\?(?!xml[\s?])[\s\S]*?\?>|<[A-Za-z_][\w.:-]*/g)].map((m) => m[0])

function decode(bytes: Uint8Array): string {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe
  return new TextDecoder(le ? 'utf-16le' : 'utf-8').decode(bytes).replace(/^\uFEFF/, '')
}

const files = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.xml')),
  ...readdirSync(join(CORPUS, 'invalid')).map((f) => `invalid/${f}`),
  ...readdirSync(join(CORPUS, 'fragments')).map((f) => `fragments/${f}`),
]

describe('cli export keeps every comment of every corpus file, in order and at its place', () => {
  let total = 0
  let withComments = 0
  for (const file of files) {
    it(file, async () => {
      const source = decode(readCorpus(file))
      const f = fakeIO(readCorpus)
      const code = await exportCommand(['--policy', file, '--wrap-roots'], f.io)
      if (code !== 0) {
        // Refused files export nothing (their refusal is tested elsewhere).
        expect(f.out).toEqual([])
        return
      }
      const out = f.out.join('')
      expect(notesOf(out)).toEqual(notesOf(source))
      const fragment = !/<AppLockerPolicy[\s>]/.test(source)
      // Fragments are wrapped into <AppLockerPolicy>: the same layout inside it.
      expect(layoutOf(out)).toEqual(fragment ? ['<AppLockerPolicy', ...layoutOf(source)] : layoutOf(source))
      const n = notesOf(source).length
      total += n
      if (n) withComments++
      // And in UTF-16 LE with CRLF, as Windows tools write it.
      const g = fakeIO(readCorpus)
      expect(await exportCommand(['--policy', file, '--wrap-roots', '--encoding', 'utf-16le'], g.io)).toBe(0)
      expect(notesOf(decode(g.bytes[0]))).toEqual(notesOf(source))
    })
  }
  it('counted the corpus comments: 52 in 6 policies, plus 3 in the Shift-JIS file (opened with errors)', () => {
    // 18 + 1 + 1 + 1 + 14 + 17; the copy with an unquoted attribute is refused, so it exports nothing.
    expect(total).toBe(55)
    expect(withComments).toBe(7)
  })
})

