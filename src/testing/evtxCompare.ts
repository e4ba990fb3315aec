/**
 * Compares events read from .evtx with the XML python-evtx prints for the same file, element by
 * element (names, attributes, text). Where python-evtx and wevtutil spell a value differently,
 * the values are compared, not the spelling:
 * - times (FILETIME, SYSTEMTIME): python-evtx `2019-07-18 20:40:00.730675` (microseconds), wevtutil
 *   `2019-07-18T20:40:00.7306756Z` (100 ns); python-evtx converts FILETIMEs through a float, so
 *   its microseconds can be a few off: we compute what python-evtx would print for our value;
 * - GUIDs without regard to case; hex integers by value (python-evtx pads them to 8 or 16
 *   digits, wevtutil does not; size_t values python-evtx prints in decimal);
 * - booleans (`True`/`true`), binary data (python-evtx base64, wevtutil hex);
 * - an empty attribute (python-evtx `Qualifiers=""`) equals a missing one.
 * Whitespace-only text between elements is not significant.
 */
import { XMLParser } from 'fast-xml-parser'
import type { EvtxElement } from '../applocker/inventory/evtx'

export interface XNode {
  name: string
  attrs: Record<string, string>
  children: (XNode | string)[]
}

type Ordered = Record<string, unknown>

function fromOrdered(items: Ordered[]): (XNode | string)[] {
  const out: (XNode | string)[] = []
  for (const item of items) {
    if ('#text' in item) {
      out.push(String(item['#text']))
      continue
    }
    const name = Object.keys(item).find((k) => k !== ':@')
    if (!name) continue
    const attrs: Record<string, string> = {}
    const raw = item[':@']
    if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) attrs[k] = String(v)
    out.push({ name, attrs, children: fromOrdered(item[name] as Ordered[]) })
  }
  return out
}

/** The children elements of the document's root (<Events>): the events. */
export function parseEventsXml(xml: string): XNode[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
  })
  const doc = fromOrdered(parser.parse(xml) as Ordered[])
  const root = doc.find((n): n is XNode => typeof n !== 'string' && !n.name.startsWith('?'))
  if (!root) return []
  return root.children.filter((n): n is XNode => typeof n !== 'string')
}

export function fromEvtx(el: EvtxElement): XNode {
  const attrs: Record<string, string> = {}
  for (const a of el.attributes) attrs[a.name] = a.value
  return { name: el.name, attrs, children: el.children.map((c) => (typeof c === 'string' ? c : fromEvtx(c))) }
}

// python-evtx drops these characters from its output.
// eslint-disable-next-line no-control-regex
const RESTRICTED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g

const WEVTUTIL_TIME = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.(\d{7})Z$/
const PYTHON_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{6}))?$/

function micros(date: string, time: string, fraction: string): number {
  return Date.parse(`${date}T${time}Z`) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6))
}

/**
 * The microseconds python-evtx prints for a FILETIME: `datetime.utcfromtimestamp(float(ticks) *
 * 1e-7 - 11644473600)` (the float loses up to a few microseconds; the fraction is rounded half
 * to even). JavaScript numbers are the same IEEE doubles, so this is exact.
 */
function pythonMicros(isoSeconds: string, ticks100ns: number): number {
  const seconds = Date.parse(isoSeconds) / 1000
  const ticks = (BigInt(seconds) + 11644473600n) * 10000000n + BigInt(ticks100ns)
  const t = Number(ticks) * 1e-7 - 11644473600
  const whole = Math.trunc(t)
  const scaled = (t - whole) * 1e6
  let us = Math.round(scaled)
  if (Math.abs(scaled % 1) === 0.5 && us % 2 !== 0) us -= 1
  return whole * 1e6 + us
}

/** Whether our value (wevtutil's spelling) and python-evtx's denote the same value. */
export function sameValue(mine: string, theirs: string): boolean {
  // XML parsers read CR LF as LF (XML end-of-line handling).
  const a = mine.replace(RESTRICTED, '').replace(/\r\n?/g, '\n')
  const b = theirs.replace(RESTRICTED, '').replace(/\r\n?/g, '\n')
  if (a === b) return true
  const ta = WEVTUTIL_TIME.exec(a)
  const tb = PYTHON_TIME.exec(b)
  if (ta && tb) {
    // FILETIMEs go through python-evtx's float. SYSTEMTIMEs (whole milliseconds): python-evtx
    // passes the milliseconds where datetime wants microseconds (456 ms prints as .000456).
    const theirsMicros = micros(tb[1], tb[2], tb[3] ?? '')
    if (pythonMicros(`${ta[1]}T${ta[2]}Z`, Number(ta[3])) === theirsMicros) return true
    return ta[3].endsWith('0000') && micros(ta[1], ta[2], '') + Number(ta[3].slice(0, 3)) === theirsMicros
  }
  if (/^\{[0-9a-f-]{36}\}$/i.test(a) && a.toLowerCase() === b.toLowerCase()) return true
  if (/^0x[0-9a-f]+$/i.test(a) && /^(0x[0-9a-f]+|\d+)$/i.test(b)) return BigInt(a) === BigInt(b)
  if ((a === 'true' && b === 'True') || (a === 'false' && b === 'False')) return true
  if (/^([0-9A-F]{2})+$/.test(a) && /^[A-Za-z0-9+/]+=*$/.test(b)) {
    const bytes = atob(b)
    let hex = ''
    for (let i = 0; i < bytes.length; i++) hex += bytes.charCodeAt(i).toString(16).padStart(2, '0').toUpperCase()
    return hex === a
  }
  return false
}

const textOf = (n: XNode) => n.children.filter((c): c is string => typeof c === 'string').join('')
const elementsOf = (n: XNode) => n.children.filter((c): c is XNode => typeof c !== 'string')

/** Differences between two element trees, each as "path: what"; empty when they match. */
export function compareElements(mine: XNode, theirs: XNode, path = ''): string[] {
  const here = `${path}/${theirs.name}`
  if (mine.name !== theirs.name) return [`${here}: element <${mine.name}> where python-evtx has <${theirs.name}>`]
  const diffs: string[] = []
  const names = new Set([...Object.keys(mine.attrs), ...Object.keys(theirs.attrs)])
  for (const name of names) {
    const a = mine.attrs[name] ?? ''
    const b = theirs.attrs[name] ?? ''
    if (!sameValue(a, b)) diffs.push(`${here}/@${name}: "${a}" where python-evtx has "${b}"`)
  }
  const ka = elementsOf(mine)
  const kb = elementsOf(theirs)
  const ta = textOf(mine)
  const tb = textOf(theirs)
  // Mixed content: whitespace between elements is not significant.
  const sig = (t: string, kids: XNode[]) => (kids.length > 0 && t.trim() === '' ? '' : t)
  if (!sameValue(sig(ta, ka), sig(tb, kb))) diffs.push(`${here}: text "${ta}" where python-evtx has "${tb}"`)
  if (ka.length !== kb.length) {
    diffs.push(`${here}: ${ka.length} child elements where python-evtx has ${kb.length} (${ka.map((k) => k.name).join(',')} / ${kb.map((k) => k.name).join(',')})`)
    return diffs
  }
  ka.forEach((k, i) => diffs.push(...compareElements(k, kb[i], here)))
  return diffs
}

/** Compares lists of events; the first differences (at most `limit`). */
export function compareEventLists(mine: XNode[], theirs: XNode[], limit = 20): string[] {
  const diffs: string[] = []
  if (mine.length !== theirs.length) diffs.push(`${mine.length} events where python-evtx has ${theirs.length}`)
  for (let i = 0; i < Math.min(mine.length, theirs.length) && diffs.length < limit; i++) {
    for (const d of compareElements(mine[i], theirs[i])) diffs.push(`event ${i + 1}${d}`)
  }
  return diffs.slice(0, limit)
}
