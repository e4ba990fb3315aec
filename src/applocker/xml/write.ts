/**
 * XML writer: Policy -> the XML Windows takes (APPLOCKER.md section 1, applocker-deep.md 1.3).
 *
 * Element order and attribute names as Windows writes them: rules Id, Name, Description,
 * UserOrGroupSid, Action; Conditions before Exceptions; RuleCollectionExtensions after all rules.
 * Unknown attributes come after the known ones; unknown child elements are written verbatim where
 * they stood (UnknownElement.at; at the end of their parent when that is unknown), except that
 * PolicyExtensions always follows the last RuleCollection and OriginDataRevocation the SystemApps
 * (AppLocker.xsd sequences; W.mix `last`). Comments and processing instructions (Notes) are
 * written back at their place; the ones directly above a rule or collection travel with it. Known
 * attributes listed in extra.absent are left out; invalid raw values in extra.invalid are written
 * back as they were. Collections are written in the policy's order. Pretty-printed with two-space
 * indentation.
 *
 * The output is always well-formed XML 1.0, whatever the model holds: characters XML 1.0 forbids
 * (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, unpaired surrogates) are written as U+FFFD,
 * comments never contain "--", and a name that is not an XML name is not written as one.
 * (The validator refuses such values where they are typed; this is the last line of defence.)
 *
 * Speed: one pass building strings (V8 ropes, concatenated, never joined or flattened on the way),
 * the common rule (no notes, nothing unknown) in one template (plainRuleMarkup, which writes the
 * same text as the general path: a unit test compares them), and the note/unknown placement
 * machinery only for elements that have notes or unknown children.
 */
import type {
  BinaryVersionRange,
  Condition,
  ExceptionEntry,
  Extra,
  FileHash,
  Notes,
  PlacedNote,
  Policy,
  Rule,
  RuleCollection,
  RuleCollectionExtensions,
  UnknownElement,
  XmlNote,
} from '../policy'
import { CONDITION_ELEMENT, RULE_ELEMENT } from '../policy'
import { checkXml, isXmlName } from './wellformed'

export type XmlEncoding = 'utf-8' | 'utf-16le'

// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL = /[&<>"\u0000-\u001f\ud800-\udfff\ufffe\uffff]/
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
// eslint-disable-next-line no-control-regex
const HAS_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Characters XML 1.0 does not allow at all (not even as references) become U+FFFD. */
export function xmlSafeText(s: string): string {
  return HAS_FORBIDDEN.test(s) ? s.replace(FORBIDDEN, '\uFFFD') : s
}

/**
 * Escapes an attribute value: & < > " as entities, tab/LF/CR as character references (so they
 * survive attribute-value normalisation), characters XML 1.0 forbids as U+FFFD.
 */
export function escapeAttribute(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return value
  let out = ''
  let from = 0
  const n = value.length
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i)
    let rep: string | null = null
    if (c < 0x3f) {
      if (c === 38) rep = '&amp;'
      else if (c === 60) rep = '&lt;'
      else if (c === 62) rep = '&gt;'
      else if (c === 34) rep = '&quot;'
      else if (c === 9) rep = '&#x9;'
      else if (c === 10) rep = '&#xA;'
      else if (c === 13) rep = '&#xD;'
      else if (c < 0x20) rep = '\uFFFD'
    } else if (c >= 0xd800) {
      if (c <= 0xdbff) {
        const d = i + 1 < n ? value.charCodeAt(i + 1) : 0
        if (d >= 0xdc00 && d <= 0xdfff) i++
        else rep = '\uFFFD'
      } else if (c <= 0xdfff || c === 0xfffe || c === 0xffff) rep = '\uFFFD'
    }
    if (rep !== null) {
      out += value.slice(from, i) + rep
      from = i + 1
    }
  }
  return from === 0 ? value : out + value.slice(from)
}

/** `<!--text-->` with the text made legal: no "--", no final "-", no forbidden characters. */
function commentMarkup(text: string): string {
  let t = xmlSafeText(text)
  if (t.includes('--')) t = t.replace(/--/g, '- -').replace(/--/g, '- -')
  if (t.endsWith('-')) t += ' '
  return `<!--${t}-->`
}

/** `<?target data?>`; a PI that is not legal (no name, target "xml", "?>" inside) is kept as a comment. */
function piMarkup(text: string): string {
  const t = xmlSafeText(text).replace(/\r\n?/g, '\n')
  const target = /^[^\s]*/.exec(t)![0]
  if (!isXmlName(target) || target.toLowerCase() === 'xml' || t.includes('?>')) return commentMarkup(`?${t}?`)
  const data = t.slice(target.length).replace(/^\s+/, '')
  // fast-xml-parser reads PI data as attributes: an unpaired quote would make the file unreadable here.
  if ((data.split('"').length - 1) % 2 === 1 || (data.split("'").length - 1) % 2 === 1) return commentMarkup(`?${t}?`)
  return data === '' ? `<?${target}?>` : `<?${target} ${data}?>`
}

function noteMarkup(n: XmlNote): string {
  return n.kind === 'pi' ? piMarkup(n.text) : commentMarkup(n.text)
}

/**
 * Unknown element markup, verbatim. The reader keeps only well-formed elements, but a model from
 * elsewhere (a stored copy, another tool) may hold anything: markup that is not one well-formed
 * element is written as a comment, so the file stays well formed and nothing is lost.
 */
function unknownMarkup(u: UnknownElement): string {
  const p = checkXml(u.xml)
  return p === null ? u.xml : commentMarkup(` not well-formed XML, kept as a comment: ${u.xml} `)
}

/** Per-writer state: the newline, indentation strings, and the notes of the owner being written. */
class W {
  private readonly ind: string[] = []
  /** Notes of the current owner by path ('' = the owner element), or null when it has none. */
  notes: Map<string, PlacedNote[]> | null = null
  /** Paths of the current owner that were written (notes of other paths are written at its end). */
  visited: Set<string> | null = null
  constructor(readonly nl: string) {}

  /** Newline + indentation for `depth`. */
  i(depth: number): string {
    let s = this.ind[depth]
    if (s === undefined) {
      s = this.nl + '  '.repeat(depth)
      this.ind[depth] = s
    }
    return s
  }

  /** Starts an owner of notes (rule, collection, extensions, policy); returns what endOwner restores. */
  beginOwner(notes: Notes | undefined): [Map<string, PlacedNote[]> | null, Set<string> | null] | null {
    const inside = notes?.inside
    if (this.notes === null && (!inside || !inside.length)) return null
    const saved: [Map<string, PlacedNote[]> | null, Set<string> | null] = [this.notes, this.visited]
    if (inside && inside.length) {
      const m = new Map<string, PlacedNote[]>()
      for (const p of inside) {
        const list = m.get(p.path)
        if (list) list.push(p)
        else m.set(p.path, [p])
      }
      for (const list of m.values()) list.sort((a, b) => a.at - b.at)
      this.notes = m
      this.visited = new Set()
    } else {
      this.notes = null
      this.visited = null
    }
    return saved
  }

  /** Notes of the owner whose path was never written (the element is gone): kept, at the owner's end. */
  leftovers(depth: number): string {
    if (!this.notes) return ''
    let s = ''
    for (const [path, list] of this.notes) if (!this.visited!.has(path)) for (const n of list) s += this.i(depth) + noteMarkup(n)
    return s
  }

  endOwner(saved: [Map<string, PlacedNote[]> | null, Set<string> | null] | null) {
    if (saved === null) return
    this.notes = saved[0]
    this.visited = saved[1]
  }

  /** Notes written directly above an element. */
  before(notes: Notes | undefined, depth: number): string {
    const b = notes?.before
    if (!b || !b.length) return ''
    let s = ''
    for (const n of b) s += this.i(depth) + noteMarkup(n)
    return s
  }

  /**
   * The content of an element: its known children (already written, each starting with a newline)
   * with its unknown children and notes put back where they stood. `path` is null when the owner
   * has no notes (then no path strings are built at all). Unknown children named in `last` are
   * ones the schema wants after every known child (PolicyExtensions after the RuleCollections,
   * OriginDataRevocation after SystemApps): one whose place falls before a known child is written
   * after the last one instead, with the notes directly above it and what followed it up to that
   * known child (so a collection added at the end goes before them, not after).
   */
  mix(known: string[] | string, extra: Extra | undefined, path: string | null, depth: number, last?: ReadonlySet<string>): string {
    const unknown = extra?.children
    let notes: PlacedNote[] | undefined
    if (path !== null && this.notes) {
      notes = this.notes.get(path)
      this.visited!.add(path)
    }
    const hasUnknown = unknown !== undefined && unknown.length > 0
    const list = typeof known === 'string' ? null : known
    if (!hasUnknown && !notes) {
      if (list === null) return known as string
      let s = ''
      for (const k of list) s += k
      return s
    }
    const kids = list ?? (known === '' ? [] : [known as string])
    const ind = this.i(depth)
    // Unknown children in file order; those without a place go last (as before places were kept).
    const us = hasUnknown ? unknown.map((u, k) => ({ u, at: u.at ?? Infinity, k })).sort((a, b) => a.at - b.at || a.k - b.k) : []
    const ns = notes ?? []
    const held = last !== undefined && hasUnknown ? last : undefined
    let s = ''
    // What moves after the last known child (see `last`), in file order.
    let moved = ''
    let count = 0
    let ui = 0
    let ni = 0
    const flush = (all: boolean) => {
      // Before a known child: from an element of `last` on, what this gap holds moves to the end.
      let moving = false
      for (;;) {
        if (ni < ns.length && (all ? ns[ni].at <= (ui < us.length ? us[ui].at : Infinity) : ns[ni].at <= count)) {
          // A note directly above an element of `last` that moves, moves with it.
          if (!all && !moving && held !== undefined && ui < us.length && us[ui].at === ns[ni].at && held.has(us[ui].u.name)) moving = true
          if (moving) moved += ind + noteMarkup(ns[ni++])
          else s += ind + noteMarkup(ns[ni++])
        } else if (ui < us.length && (all || us[ui].at <= count)) {
          const u = us[ui++].u
          if (!all && !moving && held !== undefined && held.has(u.name)) moving = true
          if (moving) moved += ind + unknownMarkup(u)
          else s += ind + unknownMarkup(u)
          count++
        } else if (all && ni < ns.length) {
          s += ind + noteMarkup(ns[ni++])
        } else return
      }
    }
    for (const k of kids) {
      flush(false)
      s += k
      count++
    }
    s += moved
    flush(true)
    return s
  }

  /** `<name attrs>content</name>`, or `<name attrs />` when there is no content. */
  el(depth: number, name: string, attributes: string, content: string): string {
    const ind = this.i(depth)
    return content === '' ? `${ind}<${name}${attributes} />` : `${ind}<${name}${attributes}>${content}${ind}</${name}>`
  }
}

const sub = (path: string | null, k: string): string | null => (path === null ? null : path === '' ? k : `${path}/${k}`)

/** ` Name="v"` unless absent; an invalid raw value is preferred to the model's value. */
function attr(name: string, value: string | undefined, extra: Extra | undefined): string {
  if (extra !== undefined) {
    if (extra.absent && extra.absent.includes(name)) return ''
    const inv = extra.invalid
    if (inv && inv[name] !== undefined) value = inv[name]
  }
  return value === undefined ? '' : ` ${name}="${escapeAttribute(value)}"`
}

/** Unknown attributes, after the known ones (a name that is not an XML name cannot be written as one: skipped). */
function unknownAttrs(extra: Extra | undefined): string {
  const unknown = extra?.attributes
  if (!unknown) return ''
  let s = ''
  for (const name in unknown) if (isXmlName(name)) s += ` ${name}="${escapeAttribute(unknown[name])}"`
  return s
}

function writeVersionRange(w: W, depth: number, vr: BinaryVersionRange, path: string | null): string {
  const x = vr.extra
  return w.el(depth, 'BinaryVersionRange', attr('LowSection', vr.low, x) + attr('HighSection', vr.high, x) + unknownAttrs(x), w.mix('', x, path, depth + 1))
}

function writeHash(w: W, depth: number, h: FileHash, path: string | null): string {
  const x = h.extra
  return w.el(
    depth,
    'FileHash',
    attr('Type', h.type, x) + attr('Data', h.data, x) + attr('SourceFileName', h.sourceFileName, x) + attr('SourceFileLength', h.sourceFileLength, x) + unknownAttrs(x),
    w.mix('', x, path, depth + 1),
  )
}

function writeCondition(w: W, depth: number, c: Condition, path: string | null): string {
  const name = CONDITION_ELEMENT[c.kind]
  const x = c.extra
  switch (c.kind) {
    case 'path':
      return w.el(depth, name, attr('Path', c.path, x) + unknownAttrs(x), w.mix('', x, path, depth + 1))
    case 'publisher':
      return w.el(
        depth,
        name,
        attr('PublisherName', c.publisherName, x) + attr('ProductName', c.productName, x) + attr('BinaryName', c.binaryName, x) + unknownAttrs(x),
        w.mix(c.versionRange ? writeVersionRange(w, depth + 1, c.versionRange, sub(path, '0')) : '', x, path, depth + 1),
      )
    case 'hash': {
      const kids: string[] = []
      for (let j = 0; j < c.hashes.length; j++) kids.push(writeHash(w, depth + 1, c.hashes[j], sub(path, String(j))))
      return w.el(depth, name, unknownAttrs(x), w.mix(kids.length === 1 ? kids[0] : kids, x, path, depth + 1))
    }
  }
}

function writeException(w: W, depth: number, e: ExceptionEntry, path: string | null): string {
  return e.kind === 'unknown' ? w.i(depth) + unknownMarkup(e) : writeCondition(w, depth, e, path)
}

/** Whether a condition has nothing but its known attributes (and a plain version range or plain hashes). */
function plainCondition(c: Condition): boolean {
  if (c.extra !== undefined) return false
  if (c.kind === 'publisher') return c.versionRange === undefined || c.versionRange.extra === undefined
  if (c.kind === 'hash') {
    for (const h of c.hashes) if (h.extra !== undefined) return false
  }
  return true
}

/**
 * The markup of a plain condition (see plainCondition) in one template: the same text as
 * writeCondition, without the placement machinery.
 */
function plainConditionMarkup(w: W, depth: number, c: Condition): string {
  const ind = w.i(depth)
  switch (c.kind) {
    case 'path':
      return `${ind}<FilePathCondition Path="${escapeAttribute(c.path)}" />`
    case 'publisher': {
      const head = `${ind}<FilePublisherCondition PublisherName="${escapeAttribute(c.publisherName)}" ProductName="${escapeAttribute(c.productName)}" BinaryName="${escapeAttribute(c.binaryName)}"`
      const vr = c.versionRange
      if (vr === undefined) return `${head} />`
      return `${head}>${w.i(depth + 1)}<BinaryVersionRange LowSection="${escapeAttribute(vr.low)}" HighSection="${escapeAttribute(vr.high)}" />${ind}</FilePublisherCondition>`
    }
    case 'hash': {
      const hs = c.hashes
      if (hs.length === 0) return `${ind}<FileHashCondition />`
      const ind1 = w.i(depth + 1)
      let s = `${ind}<FileHashCondition>`
      for (const h of hs) {
        s += `${ind1}<FileHash Type="${escapeAttribute(h.type)}" Data="${escapeAttribute(h.data)}"`
        if (h.sourceFileName !== undefined) s += ` SourceFileName="${escapeAttribute(h.sourceFileName)}"`
        if (h.sourceFileLength !== undefined) s += ` SourceFileLength="${escapeAttribute(h.sourceFileLength)}"`
        s += ' />'
      }
      return `${s}${ind}</FileHashCondition>`
    }
  }
}

/**
 * The common rule, written in one template (the same text writeRuleGeneral writes): no notes,
 * no unknown attributes or children anywhere, one condition of any kind, exceptions that are
 * conditions. Null when the rule is not such a rule.
 */
function plainRuleMarkup(w: W, depth: number, r: Rule): string | null {
  if (r.extra !== undefined || r.conditionsExtra !== undefined || r.exceptionsExtra !== undefined || r.extraConditions !== undefined) return null
  const c = r.condition
  if (c !== undefined && !plainCondition(c)) return null
  const list = r.exceptions
  for (const e of list) if (e.kind === 'unknown' || !plainCondition(e)) return null
  const ind = w.i(depth)
  const ind1 = w.i(depth + 1)
  const el = RULE_ELEMENT[r.kind]
  const conditions = c === undefined ? `${ind1}<Conditions />` : `${ind1}<Conditions>${plainConditionMarkup(w, depth + 2, c)}${ind1}</Conditions>`
  let exceptions = ''
  if (list.length > 0) {
    exceptions = `${ind1}<Exceptions>`
    for (const e of list) exceptions += plainConditionMarkup(w, depth + 2, e as Condition)
    exceptions += `${ind1}</Exceptions>`
  } else if (r.hasExceptionsElement) exceptions = `${ind1}<Exceptions />`
  return `${ind}<${el} Id="${escapeAttribute(r.id)}" Name="${escapeAttribute(r.name)}" Description="${escapeAttribute(r.description)}" UserOrGroupSid="${escapeAttribute(r.userOrGroupSid)}" Action="${escapeAttribute(r.action)}">${conditions}${exceptions}${ind}</${el}>`
}

function writeRule(w: W, depth: number, r: Rule): string {
  if (w.notes === null && (r.notes === undefined || ((!r.notes.inside || !r.notes.inside.length) && (!r.notes.before || !r.notes.before.length)))) {
    const plain = plainRuleMarkup(w, depth, r)
    if (plain !== null) return plain
  }
  const saved = w.beginOwner(r.notes)
  const path = w.notes ? '' : null
  const x = r.extra
  const a = attr('Id', r.id, x) + attr('Name', r.name, x) + attr('Description', r.description, x) + attr('UserOrGroupSid', r.userOrGroupSid, x) + attr('Action', r.action, x) + unknownAttrs(x)
  const d1 = depth + 1
  const d2 = depth + 2
  // <Conditions>: the rule's condition (path 0/0), then any further ones (0/1, ...).
  const cx = r.conditionsExtra
  const cPath = sub(path, '0')
  const more = r.extraConditions
  let conds: string | string[] = r.condition ? writeCondition(w, d2, r.condition, sub(cPath, '0')) : ''
  if (more && more.length) {
    // Several conditions (invalid, kept): counted one by one for the placement of notes.
    conds = conds === '' ? [] : [conds]
    for (let j = 0; j < more.length; j++) conds.push(writeCondition(w, d2, more[j], sub(cPath, String(j + 1))))
  }
  const conditions = w.el(d1, 'Conditions', unknownAttrs(cx), w.mix(conds, cx, cPath, d2))
  let exceptions = ''
  if (r.hasExceptionsElement || r.exceptions.length > 0 || r.exceptionsExtra) {
    const ex = r.exceptionsExtra
    const ePath = sub(path, '1')
    const list = r.exceptions
    const parts: string[] = []
    for (let j = 0; j < list.length; j++) parts.push(writeException(w, d2, list[j], sub(ePath, String(j))))
    exceptions = w.el(d1, 'Exceptions', unknownAttrs(ex), w.mix(parts, ex, ePath, d2))
  }
  const content = path === null && !x?.children?.length ? conditions + exceptions : w.mix(exceptions === '' ? [conditions] : [conditions, exceptions], x, path, d1) + w.leftovers(d1)
  const s = w.before(r.notes, depth) + w.el(depth, RULE_ELEMENT[r.kind], a, content)
  w.endOwner(saved)
  return s
}

/**
 * Elements of AppLocker.xsd the model keeps verbatim (validate.ts SCHEMA_KEPT_ELEMENTS) that must
 * follow every known child of their parent: PolicyExtensions after the last RuleCollection
 * (PolicyType), OriginDataRevocation after SystemApps (RedstoneCollectionExtensionsType).
 */
const POLICY_LAST: ReadonlySet<string> = new Set(['PolicyExtensions'])
const REDSTONE_LAST: ReadonlySet<string> = new Set(['OriginDataRevocation'])

/**
 * ThresholdExtensions/Services or RedstoneExtensions/SystemApps: the group with its one known item
 * (its attribute `name`: value and extra); `last` as for W.mix.
 */
function writeExtensionGroup(
  w: W,
  depth: number,
  path: string | null,
  group: string,
  ge: Extra | undefined,
  item: string,
  name: string,
  known: [string, Extra | undefined] | undefined,
  last?: ReadonlySet<string>,
): string {
  const inner = known ? w.el(depth + 1, item, attr(name, known[0], known[1]) + unknownAttrs(known[1]), w.mix('', known[1], sub(path, '0'), depth + 2)) : ''
  return w.el(depth, group, unknownAttrs(ge), w.mix(inner, ge, path, depth + 1, last))
}

function writeExtensions(w: W, depth: number, x: RuleCollectionExtensions): string {
  const saved = w.beginOwner(x.notes)
  const path = w.notes ? '' : null
  const kids: string[] = []
  if (x.threshold) kids.push(writeExtensionGroup(w, depth + 1, sub(path, '0'), 'ThresholdExtensions', x.thresholdExtra, 'Services', 'EnforcementMode', x.services && [x.services.enforcementMode, x.services.extra]))
  if (x.redstone) kids.push(writeExtensionGroup(w, depth + 1, sub(path, '1'), 'RedstoneExtensions', x.redstoneExtra, 'SystemApps', 'Allow', x.systemApps && [x.systemApps.allow, x.systemApps.extra], REDSTONE_LAST))
  const s = w.before(x.notes, depth) + w.el(depth, 'RuleCollectionExtensions', unknownAttrs(x.extra), w.mix(kids, x.extra, path, depth + 1) + w.leftovers(depth + 1))
  w.endOwner(saved)
  return s
}

/** Rules per flattened chunk of a collection's markup (a power of two). */
const CHUNK_RULES = 256

/**
 * The string as one flat piece (reading a character makes V8 flatten a rope). A rule's markup is a
 * rope of some fifty pieces; a 50,000-rule policy kept as one rope until the end holds millions of
 * them, which the garbage collector copies to the old generation. Flattening every few hundred rules
 * lets those pieces die young and leaves a rope of a few hundred flat chunks.
 */
function flatten(s: string): string {
  // Stored, so an optimising compiler cannot drop the read as unused.
  _flattened ^= s.charCodeAt(s.length - 1)
  return s
}
let _flattened = 0

function writeCollection(w: W, depth: number, c: RuleCollection): string {
  const saved = w.beginOwner(c.notes)
  const path = w.notes ? '' : null
  const x = c.extra
  const a = attr('Type', c.type ?? undefined, x) + attr('EnforcementMode', c.enforcementMode, x) + unknownAttrs(x)
  let content: string
  if (path === null && !x?.children?.length) {
    // The common case: rules one after the other, in flattened chunks (see flatten).
    let s = ''
    let chunk = ''
    const rules = c.rules
    for (let i = 0; i < rules.length; i++) {
      chunk += writeRule(w, depth + 1, rules[i])
      if ((i & (CHUNK_RULES - 1)) === CHUNK_RULES - 1) {
        s += flatten(chunk)
        chunk = ''
      }
    }
    s += chunk
    if (c.extensions) s += writeExtensions(w, depth + 1, c.extensions)
    content = s
  } else {
    const kids: string[] = []
    for (const r of c.rules) kids.push(writeRule(w, depth + 1, r))
    if (c.extensions) kids.push(writeExtensions(w, depth + 1, c.extensions))
    content = w.mix(kids, x, path, depth + 1) + w.leftovers(depth + 1)
  }
  const s = w.before(c.notes, depth) + w.el(depth, 'RuleCollection', a, content)
  w.endOwner(saved)
  return s
}

/** The root element (starting with a newline) plus the notes before and after it. */
function policyMarkup(w: W, policy: Policy): string {
  const saved = w.beginOwner(policy.notes)
  const path = w.notes ? '' : null
  const x = policy.extra
  const kids: string[] = []
  for (const c of policy.collections) kids.push(writeCollection(w, 1, c))
  const root = w.el(0, 'AppLockerPolicy', attr('Version', policy.version, x) + unknownAttrs(x), w.mix(kids, x, path, 1, POLICY_LAST) + w.leftovers(1))
  w.endOwner(saved)
  let after = ''
  for (const n of policy.notes?.after ?? []) after += w.nl + noteMarkup(n)
  return w.before(policy.notes, 0) + root + after
}

/** The policy as pretty-printed XML (2-space indent, LF line ends) with `<?xml version="1.0" encoding="utf-8"?>`. */
export function writePolicyXml(policy: Policy): string {
  return `<?xml version="1.0" encoding="utf-8"?>${policyMarkup(new W('\n'), policy)}\n`
}

/** A bare <RuleCollection> element (the Intune AppLocker CSP payload), no declaration. */
export function writeRuleCollectionXml(collection: RuleCollection): string {
  return `${writeCollection(new W('\n'), 0, collection).slice(1)}\n`
}

/**
 * The file to download: UTF-8 without BOM and encoding="utf-8", or UTF-16 LE with BOM,
 * encoding="utf-16" and CRLF line ends (what Windows tools write).
 */
export function encodePolicy(policy: Policy, encoding: XmlEncoding): Uint8Array<ArrayBuffer> {
  if (encoding === 'utf-8') return new TextEncoder().encode(writePolicyXml(policy))
  let text = `<?xml version="1.0" encoding="utf-16"?>${policyMarkup(new W('\r\n'), policy)}\r\n`
  // Verbatim unknown elements and notes hold LF line ends: CRLF throughout.
  if (/(?<!\r)\n/.test(text)) text = text.replace(/\r?\n/g, '\r\n')
  const bytes = new Uint8Array(2 + text.length * 2)
  bytes[0] = 0xff
  bytes[1] = 0xfe
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i)
    bytes[2 + 2 * i] = u & 0xff
    bytes[3 + 2 * i] = u >> 8
  }
  return bytes
}
