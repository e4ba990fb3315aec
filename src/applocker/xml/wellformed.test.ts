/**
 * The strict XML 1.0 check (wellformed.ts) and the promise it guards: every export is well-formed
 * XML 1.0, for every corpus file and for any value the model may hold (typed in, stored, fuzzed).
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import type { Policy, Rule } from '../policy'
import { generatePolicy } from '../../testing/generate'
import { readPolicy } from './read'
import { SPECIAL_DECODE, SPECIAL_EDGE, attributeKey, checkXml } from './wellformed'
import { encodePolicy, writePolicyXml, writeRuleCollectionXml } from './write'

const corpus = path.join(__dirname, '..', '__fixtures__', 'corpus')

describe('checkXml', () => {
  it('accepts well-formed XML 1.0: declaration, comments, PIs, CDATA, references, both quotes, supplementary characters', () => {
    const ok = [
      '<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><A x="1" y=\'&amp;&#x10FFFF;&#9;\'><B/>text &lt; <![CDATA[ <&> ]]><?pi data?></A>\n<!-- end -->\n',
      '<A>tab\tcr\r\nlf 😀 \u00e9 &#xD; &#13;</A>',
      '<a:b xmlns:a="urn:x" a:c="d"></a:b>',
      '<A><!----></A>',
    ]
    for (const x of ok) expect(checkXml(x)).toBeNull()
  })

  const cases: Array<[string, string, string]> = [
    ['NUL in an attribute', '<A x="a\u0000b"/>', 'invalid-character'],
    ['ESC in an attribute', '<A x="\u001b"/>', 'invalid-character'],
    ['U+0001 in text', '<A>a\u0001</A>', 'invalid-character'],
    ['U+FFFE', '<A x="\uFFFE"/>', 'invalid-character'],
    ['an unpaired surrogate', '<A x="\uD800"/>', 'invalid-character'],
    ['&#0;', '<A x="&#0;"/>', 'invalid-reference'],
    ['&#xD800;', '<A x="&#xD800;"/>', 'invalid-reference'],
    ['&#x110000;', '<A x="&#x110000;"/>', 'invalid-reference'],
    ['&#x1B; in text', '<A>&#x1B;</A>', 'invalid-reference'],
    ['&reg;', '<A x="&reg;"/>', 'html-entity'],
    ['a bare &', '<A>a & b</A>', 'bare-ampersand'],
    ['a raw < in an attribute value', '<A x="a<b"/>', 'not-well-formed'],
    ['-- in a comment', '<A><!-- a -- b --></A>', 'not-well-formed'],
    ['a comment ending in ---', '<A><!-- a ---></A>', 'not-well-formed'],
    ['<?xml?> in the middle', '<A><?xml version="1.0"?></A>', 'not-well-formed'],
    ['a PI without target', '<A><? x?></A>', 'not-well-formed'],
    ['a control character in a name', '<A\u0001 x="1"/>', 'not-well-formed'],
    ['mismatched tags', '<A><B></A>', 'not-well-formed'],
    ['an unclosed element', '<A><B>', 'not-well-formed'],
    ['two roots', '<A/><B/>', 'multiple-roots'],
    ['an unquoted value', '<A x=1/>', 'not-well-formed'],
    ['an attribute without value', '<A x/>', 'not-well-formed'],
    ['a repeated attribute', '<A x="1" x="2"/>', 'not-well-formed'],
    ['text after the root', '<A/>x', 'not-well-formed'],
    [']]> in text', '<A>a]]>b</A>', 'not-well-formed'],
    ['a DOCTYPE', '<!DOCTYPE A><A/>', 'doctype'],
    ['a bad declaration', '<?xml version="2.0"?><A/>', 'not-well-formed'],
  ]
  for (const [what, xml, code] of cases) {
    it(`refuses ${what}`, () => {
      expect(checkXml(xml)?.code).toBe(code)
    })
  }

  it('matches end tags exactly, whatever the name holds (letters, digits, dots, colons, non-ASCII)', () => {
    for (const name of ['A', 'Ab', 'a-b', 'a.b1', 'x:y', '_u', 'é', 'aé', 'Aé1', 'FilePathRule']) {
      expect(checkXml(`<${name}></${name}>`), name).toBeNull()
      expect(checkXml(`<${name} x="1"><${name}/></${name} >`), name).toBeNull()
      for (const other of [`${name}x`, `${name}1`, `${name}-`, `${name}é`, name.slice(0, -1), `${name}:`]) {
        if (other === '') continue
        const p = checkXml(`<${name}></${other}>`)
        expect(p?.message, `${name} / ${other}`).toMatch(/does not match|not closed|not a valid|no start tag/)
        expect(p?.offset).toBe(name.length + 2)
      }
    }
    expect(checkXml('<A></A')?.message).toMatch(/not closed with ">"/)
    expect(checkXml('<Ab></A')?.message).toMatch(/not closed with ">"/)
    expect(checkXml('<A></Ab')?.message).toMatch(/not closed with ">"/)
    expect(checkXml('<A1b/>')).toBeNull()
    expect(checkXml('<1A/>')?.message).toMatch(/not a valid element name/)
    expect(checkXml('<A x1y="1" x-y="2" x.y="3"/>')).toBeNull()
    expect(checkXml('<A x="1" x="2"/>')?.message).toMatch(/appears twice/)
  })

  it('says which attribute names have a value that is not plain (a reference, tab, CR or LF), for the reader to decode only those', () => {
    const special = (xml: string, name: string) => {
      const found: { specialValues?: Uint8Array } = {}
      expect(checkXml(xml, { found })).toBeNull()
      return found.specialValues?.[attributeKey(name.charCodeAt(0), name.length)]
    }
    const plainDoc = '<A x="1" y=\'2\'>\n\t<B z="a b"/>\r\n&amp; text\t</A>'
    for (const name of ['x', 'y', 'z']) expect(special(plainDoc, name)).toBe(0)
    for (const v of ['&amp;', '&#9;', 'a\tb', 'a\nb', 'a\r\nb', 'a\rb', '\t', '&lt;x']) {
      const xml = `<A x="1">\n  <B y="2" z="${v}"/>\n  <C w="3"/>\n</A>`
      expect(special(xml, 'z')! & SPECIAL_DECODE, JSON.stringify(v)).toBe(SPECIAL_DECODE)
      for (const name of ['x', 'y', 'w']) expect(special(xml, name), JSON.stringify(v)).toBe(0)
      expect(special(`<A x='${v}'/>`, 'x')! & SPECIAL_DECODE, JSON.stringify(v)).toBe(SPECIAL_DECODE)
    }
    // A blank at either end (which the parser trims): SPECIAL_EDGE, and SPECIAL_DECODE only when there is more.
    expect(special('<A x=" a" y="b "/>', 'x')).toBe(SPECIAL_EDGE)
    expect(special('<A x=" a" y="b "/>', 'y')).toBe(SPECIAL_EDGE)
    expect(special('<A x="\ta"/>', 'x')).toBe(SPECIAL_DECODE | SPECIAL_EDGE)
    expect(special('<A x="a b" y=""/>', 'x')).toBe(0)
    expect(special('<A x="a b" y=""/>', 'y')).toBe(0)
    for (const v of ['a\tb', 'a\nb', 'a&amp;b']) {
      // The tab, line end or reference stands after earlier values and tags that have none.
      const before = '<B a="1" d="2"/>\n'.repeat(3)
      expect(special(`<A>\n${before}<C c="x" d="${v}"/>\n</A>`, 'd'), JSON.stringify(v)).toBe(1)
      expect(special(`<A>\n${before}<C c="x" d="${v}"/>\n</A>`, 'c'), JSON.stringify(v)).toBe(0)
    }
    const found: { specialValues?: Uint8Array } = {}
    expect(checkXml('<A x="\u0001"/>', { found })).not.toBeNull()
    expect(found.specialValues).toBeUndefined()
  })

  it('the reader decodes exactly the values that need it, whatever other values of the same name hold', () => {
    const rule = (id: string, name: string, description: string) =>
      `<FilePathRule Id="${id}" Name="${name}" Description="${description}" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%OSDRIVE%\\*" /></Conditions></FilePathRule>`
    const xml = `<AppLockerPolicy Version="1">\n<RuleCollection Type="Exe" EnforcementMode="Enabled">\n${rule('921cc481-6e17-4653-8f75-050b80acca20', 'plain', 'a\tb')}\n${rule('921cc481-6e17-4653-8f75-050b80acca21', 'a&amp;b', 'plain')}\n${rule('921cc481-6e17-4653-8f75-050b80acca22', 'c&#x41;', 'x&#10;y')}\n</RuleCollection>\n</AppLockerPolicy>`
    const rules = readPolicy(xml).value?.collections[0].rules
    expect(rules?.map((r) => [r.name, r.description])).toEqual([
      ['plain', 'a b'],
      ['a&b', 'plain'],
      ['cA', 'x\ny'],
    ])
  })

  it('is stricter than fast-xml-parser\'s validator where XML 1.0 requires it (why it exists)', () => {
    for (const x of ['<A x="a\u0000b"/>', '<A x="&#0;"/>', '<A x="a<b"/>', '<A><!-- a -- b --></A>']) {
      expect(XMLValidator.validate(x)).toBe(true)
      expect(checkXml(x)).not.toBeNull()
    }
  })
})

describe('the reader refuses what XML 1.0 forbids, with line and column', () => {
  const wrap = (attrs: string, inner = '') =>
    `<AppLockerPolicy Version="1">\n  <RuleCollection Type="Exe" EnforcementMode="Enabled">\n    <FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" ${attrs} UserOrGroupSid="S-1-1-0" Action="Allow">\n      <Conditions><FilePathCondition Path="*" /></Conditions>${inner}\n    </FilePathRule>\n  </RuleCollection>\n</AppLockerPolicy>\n`
  const cases: Array<[string, string, number, string]> = [
    ['NUL in a name', wrap('Name="a\u0000b" Description=""'), 3, 'U+0000'],
    ['U+0001 in a name', wrap('Name="\u0001" Description=""'), 3, 'U+0001'],
    ['ESC in a description', wrap('Name="n" Description="x\u001b[31m"'), 3, 'U+001B'],
    ['&#0;', wrap('Name="&#0;" Description=""'), 3, '&#0;'],
    ['&#xD800;', wrap('Name="&#xD800;" Description=""'), 3, '&#xD800;'],
    ['&#x110000;', wrap('Name="&#x110000;" Description=""'), 3, '&#x110000;'],
    ['a raw < in an attribute value', wrap('Name="a<b" Description=""'), 3, 'raw "<"'],
    ['-- in a comment', wrap('Name="n" Description=""', '\n      <!-- a -- b -->'), 5, '"--"'],
  ]
  for (const [what, xml, line, quoted] of cases) {
    it(`refuses ${what}`, () => {
      const r = readPolicy(xml)
      expect(r.value).toBeNull()
      const d = r.diagnostics.find((x) => x.severity === 'error')!
      expect(d.line).toBe(line)
      expect(d.column).toBeGreaterThan(1)
      expect(d.message).toContain(quoted)
      // The column points at the offending character or reference.
      const at = xml.split('\n')[line - 1].slice(d.column! - 1)
      expect(at.length).toBeGreaterThan(0)
    })
  }
  it('in UTF-16 files too', () => {
    const xml = wrap('Name="&#0;" Description=""')
    const bytes = new Uint8Array(2 + xml.length * 2)
    bytes[0] = 0xff
    bytes[1] = 0xfe
    for (let i = 0; i < xml.length; i++) bytes[2 + 2 * i] = xml.charCodeAt(i)
    const r = readPolicy(bytes)
    expect(r.value).toBeNull()
    expect(r.diagnostics.find((x) => x.severity === 'error')).toMatchObject({ code: 'invalid-reference', line: 3 })
  })
})

describe('every export is well-formed XML 1.0', () => {
  const files = ['', 'fragments', 'invalid'].flatMap((sub) =>
    readdirSync(path.join(corpus, sub))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => path.join(sub, f)),
  )
  for (const file of files) {
    it(`corpus ${file}`, () => {
      const r = readPolicy(new Uint8Array(readFileSync(path.join(corpus, file))), { wrapRoots: true })
      if (!r.value) return
      const xml = writePolicyXml(r.value)
      expect(checkXml(xml)).toBeNull()
      const utf16 = encodePolicy(r.value, 'utf-16le')
      expect(checkXml(new TextDecoder('utf-16le').decode(utf16.subarray(2)))).toBeNull()
      for (const c of r.value.collections) expect(checkXml(writeRuleCollectionXml(c))).toBeNull()
    })
  }

  it('a generated policy', () => {
    expect(checkXml(writePolicyXml(generatePolicy(300, 11)))).toBeNull()
  })

  // Any string, with the characters XML forbids made likely, in every place the model holds text.
  const nasty = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.array(fc.constantFrom('\u0000', '\u0001', '\u001b', '\uFFFE', '\uD800', '\uDC00', '<', '&', '"', "'", '--', '-', '?>', ']]>', '\r', '\n', '\t', 'a', '😀', '&#0;'), { maxLength: 8 }).map((a) => a.join('')),
  )
  it('for any text the model may hold (typed in, or a stored copy from elsewhere)', () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, nasty, nasty, (a, b, c, d, e) => {
        const base = generatePolicy(3, 5)
        const rule = base.collections[0].rules[0]
        const odd: Rule = {
          ...rule,
          name: a,
          description: b,
          userOrGroupSid: c,
          extra: { attributes: { Note: d, [c || 'x']: e }, invalid: { Action: e } },
          notes: { before: [{ kind: 'comment', text: d }, { kind: 'pi', text: e }], inside: [{ kind: 'comment', text: a, path: '0', at: 0 }] },
          exceptions: [{ kind: 'unknown', name: 'U', xml: `<U a="1">${b.replace(/[<&]/g, '')}</U>` }],
        } as Rule
        const p: Policy = { ...base, notes: { before: [{ kind: 'pi', text: a }], after: [{ kind: 'comment', text: b }] }, collections: [{ ...base.collections[0], rules: [odd] }] }
        const xml = writePolicyXml(p)
        const problem = checkXml(xml)
        if (problem) throw new Error(`${problem.message}\n${xml.slice(Math.max(0, problem.offset - 80), problem.offset + 80)}`)
        // And it reads back.
        const back = readPolicy(xml)
        if (!back.value) throw new Error(`refused: ${back.diagnostics.map((x) => x.message).join(' / ')}`)
      }),
      { numRuns: 300, seed: 20261202 },
    )
  })
})
