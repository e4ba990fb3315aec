/**
 * A strict XML 1.0 (fifth edition) well-formedness check for documents without a DTD, in one pass.
 *
 * fast-xml-parser's XMLValidator lets through what XML 1.0 forbids (control characters, `&#0;`,
 * `&#xD800;`, a raw `<` in an attribute value, `--` inside a comment, an `<?xml?>` in the middle),
 * and the parser itself does not check at all. This check refuses all of it, with the offset of the
 * first problem and a plain message, and is fast enough to run before every parse (a few percent of
 * a parse). It is the reader's well-formedness gate and the tests' strict re-parse of what is written.
 *
 * Refused for safety (allowed by XML, never in an AppLocker policy): any DOCTYPE.
 */

export interface XmlProblem {
  /** Offset in the text (UTF-16 code units) of the problem. */
  offset: number
  /**
   * 'doctype', 'entity-declaration', 'bare-ampersand', 'html-entity', 'invalid-reference',
   * 'invalid-character', 'multiple-roots' (several root elements) or 'not-well-formed'.
   */
  code: string
  message: string
}

export interface CheckOptions {
  /** Do not stop at a second root element (the caller decides about several roots). */
  allowMultipleRoots?: boolean
  /**
   * Filled in by a check that finds no problem: `specialValues[attributeKey(name)]` has bit
   * SPECIAL_DECODE when a value of an attribute with that key holds a reference, a tab or a line end,
   * and bit SPECIAL_EDGE when one starts or ends with a blank (which the parser trims); 0 when every
   * such value is its own decoded value, as the parser gives it (the reader then decodes none of them).
   */
  found?: { specialValues?: Uint8Array }
}

/**
 * A key of an attribute name for CheckOptions.found: its first character (modulo 32) and its length
 * (up to 31). Names sharing a key share the answer, which only makes the reader decode more.
 */
export const attributeKey = (first: number, length: number): number => ((first & 31) << 5) | (length < 31 ? length : 31)

const XML_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos'])
/** HTML entities people put in policies, with their code point (for the message). */
const HTML_ENTITIES: Record<string, number> = {
  reg: 174, trade: 8482, copy: 169, nbsp: 160, hellip: 8230, ndash: 8211, mdash: 8212, lsquo: 8216, rsquo: 8217,
  ldquo: 8220, rdquo: 8221, laquo: 171, raquo: 187, deg: 176, euro: 8364, pound: 163, yen: 165, sect: 167, para: 182,
  middot: 183, bull: 8226, times: 215, eacute: 233, egrave: 232, aacute: 225, agrave: 224, auml: 228, ouml: 246,
  uuml: 252, Auml: 196, Ouml: 214, Uuml: 220, szlig: 223, ccedil: 231, ntilde: 241, aring: 229, Aring: 197, oslash: 248,
}

// Characters XML 1.0 does not allow anywhere (the Char production), found with one regular expression.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD'
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`
/** XML 1.0 Name over UTF-16 (characters #x10000-#xEFFFF as surrogate pairs). */
// eslint-disable-next-line no-misleading-character-class -- the ranges are the XML Name production (U+200C-U+200D included)
const XML_NAME = new RegExp(`^(?:[${NAME_START}]|[\\uD800-\\uDB7F][\\uDC00-\\uDFFF])(?:[${NAME_CHAR}]|[\\uD800-\\uDB7F][\\uDC00-\\uDFFF])*$`)

/** U+XXXX for messages. */
const u = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

/** Whether a code point is an XML 1.0 Char. */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
}

/** Offset of the first character XML 1.0 forbids, or -1. */
export function firstForbiddenChar(text: string): number {
  const m = FORBIDDEN_CHAR.exec(text)
  return m ? m.index : -1
}

function forbiddenCharProblem(text: string, at: number): XmlProblem {
  const c = text.charCodeAt(at)
  const what =
    c >= 0xd800 && c <= 0xdfff
      ? `an unpaired surrogate (${u(c)}), which is not a character`
      : c === 0xfffe || c === 0xffff
        ? `the noncharacter ${u(c)}`
        : `the control character ${u(c)}${c === 0 ? ' (NUL)' : c === 0x1b ? ' (ESC)' : ''}`
  return {
    offset: at,
    code: 'invalid-character',
    message: `The file contains ${what}. XML 1.0 does not allow it anywhere (only tab, line feed and carriage return among the control characters), so Windows would refuse the policy. Remove it.`,
  }
}

const names = new Map<string, boolean>()
/** Whether a string is an XML Name (cached: a policy uses a few dozen names). */
export function isXmlName(name: string): boolean {
  let ok = names.get(name)
  if (ok === undefined) {
    ok = XML_NAME.test(name)
    if (names.size < 4096) names.set(name, ok)
  }
  return ok
}

/** Whitespace per XML (S): space, tab, CR, LF. */
const isS = (c: number) => c === 0x20 || c === 0x9 || c === 0xa || c === 0xd

/** End of a name starting at i (first delimiter: whitespace, = / > < ? " ' & ; or the end). */
function nameEnd(t: string, i: number): number {
  const n = t.length
  while (i < n) {
    const c = t.charCodeAt(i)
    if (c <= 0x20 || c === 0x3d || c === 0x2f || c === 0x3e || c === 0x3c || c === 0x3f || c === 0x22 || c === 0x27 || c === 0x26 || c === 0x3b) return i
    i++
  }
  return i
}

/** Character classes of ASCII for names: 0 not in a name, 1 delimiter (nameEnd stops), 2 NameStartChar, 3 NameChar only. */
const ASCII_CLASS = (() => {
  const c = new Uint8Array(128)
  for (let i = 0; i <= 0x20; i++) c[i] = 1
  for (const ch of '=/><?"\'&;') c[ch.charCodeAt(0)] = 1
  for (let i = 0x41; i <= 0x5a; i++) c[i] = c[i + 0x20] = 2
  c[0x3a] = c[0x5f] = 2 // : _
  for (let i = 0x30; i <= 0x39; i++) c[i] = 3
  c[0x2d] = c[0x2e] = 3 // - .
  return c
})()

/** What scanName found: a valid name, a name to check with isXmlName (non-ASCII), or no valid name. */
const NAME_OK = 0
const NAME_CHECK = 1
const NAME_BAD = 2
let nameState = NAME_OK

/**
 * nameEnd, and in the same pass whether the name is an XML Name (in nameState): ASCII names, which
 * is all an AppLocker policy has, are decided without a substring or a regular expression.
 */
function scanName(t: string, start: number): number {
  const n = t.length
  let state = NAME_OK
  let i = start
  // Letters (most names are nothing else) in a tight loop: a name that starts with them and stops at
  // a delimiter is done; otherwise the general loop goes on where this one stopped.
  let c = t.charCodeAt(i)
  if (((c | 32) - 97) >>> 0 < 26) {
    i++
    while (i < n && (((c = t.charCodeAt(i)) | 32) - 97) >>> 0 < 26) i++
    if (i >= n || (c < 128 && ASCII_CLASS[c] === 1)) {
      nameState = NAME_OK
      return i
    }
  }
  for (; i < n; i++) {
    const c = t.charCodeAt(i)
    if (c < 128) {
      const k = ASCII_CLASS[c]
      if (k === 1) break
      if (k === 0 || (k === 3 && i === start)) state = NAME_BAD
    } else if (state === NAME_OK) state = NAME_CHECK
  }
  if (i === start) state = NAME_BAD
  nameState = state
  return i
}

/** Whether t[a, a+len) equals t[b, b+len). */
function sameText(t: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (t.charCodeAt(a + k) !== t.charCodeAt(b + k)) return false
  return true
}

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s)

/**
 * Checks the reference at t[i] === '&' and returns the offset after it, or a problem. Numeric
 * references must denote an XML Char; named ones are the five XML knows (there is no DTD).
 */
function reference(t: string, i: number): number | XmlProblem {
  const n = t.length
  let j = i + 1
  if (t.charCodeAt(j) === 0x23 /* # */) {
    j++
    const hex = t.charCodeAt(j) === 0x78 /* x */
    if (hex) j++
    const start = j
    let cp = 0
    for (; j < n; j++) {
      const c = t.charCodeAt(j)
      let d: number
      if (c >= 0x30 && c <= 0x39) d = c - 0x30
      else if (hex && c >= 0x61 && c <= 0x66) d = c - 0x57
      else if (hex && c >= 0x41 && c <= 0x46) d = c - 0x37
      else break
      cp = cp * (hex ? 16 : 10) + d
      if (cp > 0x10ffff) cp = 0x110000 // stays out of range, no overflow
    }
    if (j === start || t.charCodeAt(j) !== 0x3b /* ; */) {
      return { offset: i, code: 'bare-ampersand', message: 'A bare "&" is not allowed in XML: write it as &amp;.' }
    }
    if (!isXmlChar(cp)) {
      const ref = clip(t.slice(i, j + 1))
      const what =
        cp === 0
          ? 'NUL (U+0000)'
          : cp >= 0xd800 && cp <= 0xdfff
            ? `a surrogate code point (${u(cp)}), not a character`
            : cp > 0x10ffff
              ? 'no character (beyond U+10FFFF)'
              : cp === 0xfffe || cp === 0xffff
                ? `the noncharacter ${u(cp)}`
                : `the control character ${u(cp)}`
      return {
        offset: i,
        code: 'invalid-reference',
        message: `The character reference ${ref} stands for ${what}, which XML 1.0 does not allow, not even as a reference. Remove it.`,
      }
    }
    return j + 1
  }
  const e = nameEnd(t, j)
  const name = t.slice(j, e)
  if (e === j || t.charCodeAt(e) !== 0x3b || !isXmlName(name)) {
    return { offset: i, code: 'bare-ampersand', message: 'A bare "&" is not allowed in XML: write it as &amp;.' }
  }
  if (!XML_ENTITIES.has(name)) {
    const cp = Object.hasOwn(HTML_ENTITIES, name) ? HTML_ENTITIES[name] : undefined
    const fix = cp !== undefined ? ` Write the character itself (${String.fromCodePoint(cp)}) or the numeric reference &#${cp};.` : ' Write the character itself or a numeric reference such as &#174;.'
    return {
      offset: i,
      code: 'html-entity',
      message: `"&${clip(name)};" is ${cp !== undefined ? 'an HTML entity' : 'an entity'} that XML does not know (XML only has &lt; &gt; &amp; &quot; &apos;), so the file is not well formed.${fix}`,
    }
  }
  return e + 1
}

const bad = (offset: number, message: string): XmlProblem => ({ offset, code: 'not-well-formed', message: `The XML is not well formed: ${message}` })

/** The first well-formedness problem of a document, or null when it is well-formed XML 1.0 (without DTD). */
export function checkXml(t: string, options: CheckOptions = {}): XmlProblem | null {
  const forbidden = firstForbiddenChar(t)
  const structural = checkStructure(t, options, forbidden === -1 ? t.length : forbidden)
  if (structural) return structural
  if (forbidden !== -1) return forbiddenCharProblem(t, forbidden)
  if (options.found) options.found.specialValues = specials.slice()
  return null
}

/** CheckOptions.found.specialValues bits: a value to decode (a reference, tab or line end); a value with a blank at an end. */
export const SPECIAL_DECODE = 1
export const SPECIAL_EDGE = 2

/** Keys (attributeKey) of attribute names with a value that is not plain, filled by checkStructure. */
const specials = new Uint8Array(1024)

/**
 * The structure, up to about `limit` (the first forbidden character: a problem before it is
 * reported first, so the message is about the first thing wrong in the file).
 */
function checkStructure(t: string, options: CheckOptions, limit: number): XmlProblem | null {
  const n = t.length
  // Open elements: offset and length of each start tag's name (no substrings).
  const openAt: number[] = []
  const openLen: number[] = []
  const openName = (d: number) => t.slice(openAt[d], openAt[d] + openLen[d])
  // Attribute names of the current start tag (offset and length), for "appears twice".
  const attrAt: number[] = []
  const attrLen: number[] = []
  let roots = 0
  let i = 0
  // The next "&" and "]]>" at or after an offset, searched once each (not from every text run again).
  let amp = -2
  const ampFrom = (at: number) => {
    if (amp !== -1 && amp < at) amp = t.indexOf('&', at)
    return amp
  }
  let cdEnd = -2
  // The next "<" after an attribute value's opening quote (values only move forward).
  let ltNext = -2
  // Attribute keys with a value that is not plain (a "&", tab, CR or LF in it, or a space at an end), and the next tab, CR
  // and LF after a value's opening quote (searched forward only, as ltNext).
  specials.fill(0)
  let tabNext = -2
  let crNext = -2
  let lfNext = -2
  const cdEndFrom = (at: number) => {
    if (cdEnd !== -1 && cdEnd < at) cdEnd = t.indexOf(']]>', at)
    return cdEnd
  }
  // The XML declaration: only at the very start.
  if (t.startsWith('<?xml') && (isS(t.charCodeAt(5)) || t.charCodeAt(5) === 0x3f)) {
    const e = t.indexOf('?>', 5)
    if (e === -1) return bad(0, 'the XML declaration <?xml ... is not closed with "?>".')
    if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(t.slice(0, e))) {
      return bad(0, `the XML declaration ${clip(t.slice(0, e + 2))} is not valid (expected <?xml version="1.0" encoding="..."?>).`)
    }
    i = e + 2
  }
  while (i < n) {
    if (i > limit) return null
    const lt = t.indexOf('<', i)
    const end = lt === -1 ? n : lt
    // Character data [i, end)
    if (end > i) {
      if (openAt.length === 0) {
        for (let k = i; k < end; k++) {
          if (!isS(t.charCodeAt(k))) {
            const shown = clip(t.slice(k, Math.min(end, k + 40)).split('\n')[0])
            return bad(k, roots === 0 ? `text "${shown}" stands before the root element.` : `text "${shown}" stands outside the root element.`)
          }
        }
      } else {
        let k = ampFrom(i)
        while (k !== -1 && k < end) {
          const r = reference(t, k)
          if (typeof r !== 'number') return r
          k = ampFrom(r)
        }
        const cd = cdEndFrom(i)
        if (cd !== -1 && cd < end) return bad(cd, '"]]>" is not allowed in text (write ]]&gt;).')
      }
    }
    if (lt === -1) break
    i = lt
    const c1 = t.charCodeAt(i + 1)
    if (c1 === 0x2f /* / */) {
      // The open element's name, then a delimiter: the name is that one (nameEnd would end it there).
      const top = openAt.length - 1
      let ne = -1
      if (top >= 0) {
        const e = i + 2 + openLen[top]
        const c = t.charCodeAt(e)
        if ((e >= n || (c < 128 && ASCII_CLASS[c] === 1)) && sameText(t, i + 2, openAt[top], openLen[top])) ne = e
      }
      const matched = ne !== -1
      if (!matched) ne = nameEnd(t, i + 2)
      let k = ne
      while (k < n && isS(t.charCodeAt(k))) k++
      if (t.charCodeAt(k) !== 0x3e) return bad(i, `the end tag </${clip(t.slice(i + 2, ne))} is not closed with ">".`)
      const d = openAt.length - 1
      if (d < 0) return bad(i, `the end tag </${clip(t.slice(i + 2, ne))}> has no start tag.`)
      const len = ne - i - 2
      if (!matched && (len !== openLen[d] || !sameText(t, i + 2, openAt[d], len))) {
        return bad(i, `the end tag </${clip(t.slice(i + 2, ne))}> does not match the start tag <${clip(openName(d))}>.`)
      }
      openAt.pop()
      openLen.pop()
      i = k + 1
      continue
    }
    if (c1 === 0x21 /* ! */) {
      if (t.startsWith('<!--', i)) {
        const e = t.indexOf('--', i + 4)
        if (e === -1) return bad(i, 'a comment <!-- is not closed with "-->".')
        if (t.charCodeAt(e + 2) !== 0x3e) return bad(e, 'a comment contains "--", which XML does not allow inside comments (write "- -" or remove it).')
        i = e + 3
        continue
      }
      if (t.startsWith('<![CDATA[', i)) {
        if (openAt.length === 0) return bad(i, 'a CDATA section stands outside the root element.')
        const e = t.indexOf(']]>', i + 9)
        if (e === -1) return bad(i, 'a CDATA section <![CDATA[ is not closed with "]]>".')
        i = e + 3
        continue
      }
      const word = /^<!([A-Za-z]*)/.exec(t.slice(i, i + 20))?.[1]?.toUpperCase() ?? ''
      if (word === 'DOCTYPE') {
        return {
          offset: i,
          code: 'doctype',
          message:
            'The file contains a DOCTYPE declaration. AppLocker policies never have one, and it is refused for safety: entity declarations can expand to gigabytes ("billion laughs") or read other files.',
        }
      }
      if (word === 'ENTITY') {
        return { offset: i, code: 'entity-declaration', message: 'The file declares an entity (<!ENTITY ...>). AppLocker policies never do, and entity declarations are refused for safety (no entity is expanded).' }
      }
      return { offset: i, code: 'not-well-formed', message: `"<!${word}" is not allowed here: only comments (<!-- ... -->) and CDATA sections start with "<!".` }
    }
    if (c1 === 0x3f /* ? */) {
      const ne = nameEnd(t, i + 2)
      const target = t.slice(i + 2, ne)
      if (!isXmlName(target)) return bad(i, `a processing instruction <?${clip(target)} has no valid name.`)
      if (target.toLowerCase() === 'xml') return bad(i, 'the XML declaration <?xml ...?> may only stand at the very start of the file.')
      const c = t.charCodeAt(ne)
      if (!(isS(c) || (c === 0x3f && t.charCodeAt(ne + 1) === 0x3e))) return bad(ne, `the processing instruction <?${clip(target)} is malformed.`)
      const e = t.indexOf('?>', ne)
      if (e === -1) return bad(i, `the processing instruction <?${clip(target)} is not closed with "?>".`)
      i = e + 2
      continue
    }
    // Start tag
    const ne = scanName(t, i + 1)
    // The name as a string only when it is needed (a message, or a non-ASCII name to check).
    if (nameState !== NAME_OK && !(nameState === NAME_CHECK && isXmlName(t.slice(i + 1, ne)))) {
      return bad(i, ne === i + 1 ? 'a "<" that does not start a tag (write &lt;).' : `<${clip(t.slice(i + 1, ne))} is not a valid element name.`)
    }
    if (openAt.length === 0) {
      roots++
      if (roots > 1 && !options.allowMultipleRoots) return { offset: i, code: 'multiple-roots', message: 'The XML has several root elements; it may have one.' }
    }
    let k = ne
    let na = 0
    for (;;) {
      const ws = k
      while (k < n && isS(t.charCodeAt(k))) k++
      const c = t.charCodeAt(k)
      if (c === 0x3e /* > */) {
        openAt.push(i + 1)
        openLen.push(ne - i - 1)
        k++
        break
      }
      if (c === 0x2f /* / */) {
        if (t.charCodeAt(k + 1) !== 0x3e) return bad(k, `"/" in <${clip(t.slice(i + 1, ne))}> must be followed by ">".`)
        k += 2
        break
      }
      if (k >= n) return bad(i, `the start tag <${clip(t.slice(i + 1, ne))} is not closed with ">".`)
      if (k === ws) return bad(k, `a space is missing before "${clip(t.slice(k, nameEnd(t, k)) || t[k])}" in <${clip(t.slice(i + 1, ne))}>.`)
      const ae = scanName(t, k)
      if (nameState !== NAME_OK && !(nameState === NAME_CHECK && isXmlName(t.slice(k, ae)))) {
        return bad(k, `${ae === k ? `"${t[k]}"` : clip(t.slice(k, ae))} is not a valid attribute name in <${clip(t.slice(i + 1, ne))}>.`)
      }
      const alen = ae - k
      for (let a = 0; a < na; a++) {
        if (attrLen[a] === alen && sameText(t, attrAt[a], k, alen)) return bad(k, `attribute ${clip(t.slice(k, ae))} appears twice on the same element.`)
      }
      attrAt[na] = k
      attrLen[na++] = alen
      const aStart = k
      k = ae
      while (k < n && isS(t.charCodeAt(k))) k++
      if (t.charCodeAt(k) !== 0x3d /* = */) return bad(ae, `attribute ${clip(t.slice(aStart, ae))} has no value. Write ${clip(t.slice(aStart, ae))}="...".`)
      k++
      while (k < n && isS(t.charCodeAt(k))) k++
      const q = t.charCodeAt(k)
      if (q !== 0x22 && q !== 0x27) {
        const val = clip(/^[^\s/>]*/.exec(t.slice(k, k + 201))?.[0] ?? '')
        return bad(k, `the value of attribute ${clip(t.slice(aStart, ae))} is not in quotes (${clip(t.slice(aStart, ae))}=${val}). Write ${clip(t.slice(aStart, ae))}="${val}".`)
      }
      const ve = t.indexOf(q === 0x22 ? '"' : "'", k + 1)
      if (ve === -1) return bad(k, `the value of attribute ${clip(t.slice(aStart, ae))} has no closing quote.`)
      if (ltNext !== -1 && ltNext <= k) ltNext = t.indexOf('<', k + 1)
      const ltIn = ltNext
      if (ltIn !== -1 && ltIn < ve) {
        return { offset: ltIn, code: 'not-well-formed', message: `The XML is not well formed: the value of attribute ${clip(t.slice(aStart, ae))} contains a raw "<", which XML does not allow in attribute values (write &lt;).` }
      }
      let a = ampFrom(k + 1)
      if (tabNext !== -1 && tabNext <= k) tabNext = t.indexOf('\t', k + 1)
      if (crNext !== -1 && crNext <= k) crNext = t.indexOf('\r', k + 1)
      if (lfNext !== -1 && lfNext <= k) lfNext = t.indexOf('\n', k + 1)
      if ((a !== -1 && a < ve) || (tabNext !== -1 && tabNext < ve) || (crNext !== -1 && crNext < ve) || (lfNext !== -1 && lfNext < ve)) {
        specials[attributeKey(t.charCodeAt(aStart), ae - aStart)] |= SPECIAL_DECODE
      }
      // Blank at either end: the parser trims values, so the reader takes these from the text.
      if (ve > k + 1 && (isS(t.charCodeAt(k + 1)) || isS(t.charCodeAt(ve - 1)))) specials[attributeKey(t.charCodeAt(aStart), ae - aStart)] |= SPECIAL_EDGE
      while (a !== -1 && a < ve) {
        const r = reference(t, a)
        if (typeof r !== 'number') return r
        a = ampFrom(r)
      }
      k = ve + 1
    }
    i = k
  }
  const depth = openAt.length
  if (depth) {
    const end = t.trimEnd().length
    const open: string[] = []
    for (let d = depth - 1; d >= Math.max(0, depth - 3); d--) open.push(`<${clip(openName(d))}>`)
    return bad(Math.min(end, n), `the file ends before ${open.join(', ')}${depth > 3 ? ', ...' : ''} ${depth === 1 ? 'is' : 'are'} closed (is it truncated?).`)
  }
  return null
}
