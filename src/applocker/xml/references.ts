/**
 * XML references decoded: a small module of its own, so the readers of other XML (AppLocker events
 * in the simulation Worker) take it without the policy reader.
 */

const ATTRIBUTE_SPECIAL = /[\t\n\r&]/
const NAMED_REF: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const NUMERIC_REF = /^#(?:x[0-9a-fA-F]+|[0-9]+)$/

/** Attribute-value normalisation (XML 1.0 section 3.3.3) then character/entity references. */
export function decodeAttributeValue(raw: string): string {
  // One test for the common value, which has neither a reference nor a tab or line end.
  if (!ATTRIBUTE_SPECIAL.test(raw)) return raw
  return decodeReferences(/[\t\n\r]/.test(raw) ? raw.replace(/[\t\n\r]/g, ' ') : raw)
}

/**
 * The five entities and numeric character references of a text (element text keeps its tabs and line
 * ends; decodeAttributeValue turns them into spaces first).
 */
export function decodeReferences(v: string): string {
  // &name; or &#...; where `name` is one of the five: a reference ends at the first ";" after its
  // "&" (no reference holds one); anything else is left as it is, and the search goes on after the "&".
  let out = ''
  let from = 0
  for (let i = v.indexOf('&'); i !== -1; i = v.indexOf('&', i + 1)) {
    const end = v.indexOf(';', i + 1)
    if (end === -1) break
    const ref = v.slice(i + 1, end)
    let rep: string | undefined = Object.hasOwn(NAMED_REF, ref) ? NAMED_REF[ref] : undefined
    if (rep === undefined && NUMERIC_REF.test(ref)) {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      if (cp > 0 && cp <= 0x10ffff) rep = String.fromCodePoint(cp)
    }
    if (rep === undefined) continue
    out += v.slice(from, i) + rep
    from = end + 1
    i = end
  }
  return from === 0 ? v : out + v.slice(from)
}
