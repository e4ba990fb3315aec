/**
 * XML reader: bytes (UTF-8 with/without BOM, UTF-16 LE/BE with BOM, CRLF or LF) -> Policy + diagnostics.
 *
 * Never throws on user input. Refuses (value null, one located error) what cannot be a policy:
 * XML that is not well formed, any DOCTYPE/ENTITY declaration (checked by a scan BEFORE parsing, so
 * there is no entity expansion at all), HTML entities such as &reg;, a root other than
 * AppLockerPolicy (a WDAC/App Control SiPolicy is named as such), several RuleCollection roots
 * (unless options.wrapRoots), and input over maxBytes. A bare <RuleCollection> (Intune CSP payload)
 * is wrapped into a policy. Within a well-formed policy, what Windows would reject opens with the
 * problems listed by location (validatePolicy's diagnostics plus line/column).
 *
 * Parsing uses fast-xml-parser (XMLValidator for well-formedness with line/column, XMLParser with
 * preserveOrder and captureMetaData for element start/end offsets). Unknown elements are kept
 * verbatim as the source text of the element (line ends normalised to LF).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { clipValue, quoteValue, type Diagnostic, type Severity } from '../diagnostics'
import {
  isCollectionType,
  isEnforcementMode,
  isRuleAction,
  type BinaryVersionRange,
  type Condition,
  type ExceptionEntry,
  type Extra,
  type FileHash,
  type Notes,
  type PlacedNote,
  type XmlNote,
  type FileHashCondition,
  type FilePublisherCondition,
  type Policy,
  type Rule,
  type RuleCollection,
  type RuleCollectionExtensions,
  type RuleKind,
  type UnknownElement,
} from '../policy'
import { RuleFacts, SCHEMA_KEPT_ELEMENTS, isNamespaceDeclaration, isRepeatedSchemaElement, misspelledAttribute, namespaceMessage, validatePolicyTargets, type ValidationTarget } from '../validate'
import { LineIndex } from '../lines'
import { decodeXmlBytes } from './decode'
import { decodeAttributeValue } from './references'
import { SPECIAL_DECODE, SPECIAL_EDGE, attributeKey, checkXml, type XmlProblem } from './wellformed'

export { decodeXmlBytes } from './decode'

export interface ReadOptions {
  /** Refuse input larger than this many bytes. Default 128 MiB (a GPO holds at most 100 MB). */
  maxBytes?: number
  /** Wrap several sibling <RuleCollection> roots into one policy instead of refusing them. */
  wrapRoots?: boolean
}

export interface PolicyReadResult {
  value: Policy | null
  diagnostics: Diagnostic[]
  /** What the file was: a whole policy, a bare RuleCollection, or several wrapped RuleCollections. */
  source: 'policy' | 'fragment' | 'wrapped-roots' | null
  /** The encoding the bytes were read as ('utf-8', 'utf-16le', 'utf-16be'; 'text' for string input). */
  encoding: string
}

export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024

/** Codes the reader reports itself at the exact element; the validator's copies are dropped. */
const READER_REPORTED = new Set(['unknown-element', 'unknown-attribute', 'schema-element-kept', 'xml-namespace'])

// ---------------------------------------------------------------------------------------------
// Locations

function refuse(d: Diagnostic, encoding: string, before: Diagnostic[] = []): PolicyReadResult {
  return { value: null, diagnostics: [...before, d], source: null, encoding }
}

/** Offset of the first element start tag (skipping the prolog: declaration, comments, PIs). */
function firstElementOffset(text: string, from = 0): number {
  let i = from
  for (;;) {
    i = text.indexOf('<', i)
    if (i === -1) return -1
    if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4)
      if (e === -1) return -1
      i = e + 3
    } else if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i + 2)
      if (e === -1) return -1
      i = e + 2
    } else if (text[i + 1] === '!' || text[i + 1] === '/') i += 2
    else return i
  }
}

interface WellFormedProblem {
  line: number
  column: number
  message: string
}

function validatorProblem(text: string, lines: LineIndex): WellFormedProblem | 'multiple-roots' | null {
  const r = XMLValidator.validate(text, { allowBooleanAttributes: false })
  if (r === true) return null
  const { code, msg } = r.err
  if (code === 'InvalidXml' && /Multiple possible root nodes/.test(msg)) return 'multiple-roots'
  // The validator counts lines by LF alone; a file with bare CR line ends is placed by ours.
  let { line, col } = r.err
  if (text.indexOf('\r') !== -1) ({ line, column: col } = lines.at(new LineIndex(text, true).offsetOf(line, col)))
  let column = col
  // Names and values the parser quotes ('...') are clipped: a 50 MB name must not become the message.
  let message = clipQuoted(msg)
  const noValue = /^Attribute '([^']+)' is without value\.$/.exec(msg)
  if (code === 'InvalidAttr' && noValue) {
    const fullName = noValue[1]
    const name = clipValue(fullName)
    const off = lines.offsetOf(line, col)
    const after = text.slice(off + fullName.length, off + fullName.length + 200)
    const eq = /^\s*=/.exec(after)
    if (eq) {
      const eqOffset = off + fullName.length + eq[0].length - 1
      const val = clipValue(/^\s*([^\s/>]*)/.exec(text.slice(eqOffset + 1, eqOffset + 201))?.[1] ?? '')
      column = lines.at(eqOffset).column
      message = `The value of attribute ${name} is not in quotes (${name}=${val}). Write ${name}="${val}".`
    } else {
      message = `Attribute ${name} has no value. Write ${name}="...".`
    }
  } else if (code === 'InvalidXml' && /^Invalid '\[/.test(msg)) {
    // "Invalid '["a","b"]' found.": the document ended with these elements still open.
    const open = [...msg.matchAll(/"([^"]+)"/g)].map((m) => m[1])
    const end = lines.at(text.trimEnd().length)
    return {
      line: end.line,
      column: end.column,
      message: `The XML is not well formed: the file ends before ${open.length ? open.map((n) => `<${clipValue(n)}>`).reverse().join(', ') : 'all elements'} ${open.length === 1 ? 'is' : 'are'} closed (is it truncated?).`,
    }
  } else if (code === 'InvalidAttr' && /is repeated/.test(msg)) {
    message = msg.replace(/^Attribute '([^']+)' is repeated\.?/, (_, n: string) => `Attribute ${clipValue(n)} appears twice on the same element.`)
  }
  return { line, column, message: `The XML is not well formed: ${message}` }
}

/** A parser message with every quoted name or value ('...') clipped to quoteValue's length. */
function clipQuoted(msg: string): string {
  const m = msg.length > 400 ? msg.replace(/'([^']*)'/g, (_, v: string) => `'${clipValue(v)}'`) : msg
  return clipValue(m, 1000)
}

/** Offset of the first non-blank text outside the root element(s) (comments and PIs allowed), or -1. */
function textOutsideRoots(text: string, roots: XNode[]): number {
  const gaps: Array<[number, number]> = []
  let from = 0
  for (const r of roots) {
    const { startIndex, endIndex } = meta(r)
    if (startIndex === undefined || endIndex === undefined) return -1
    gaps.push([from, startIndex])
    from = endIndex
  }
  gaps.push([from, text.length])
  for (const [a, b] of gaps) {
    const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|\s+/y
    let i = a
    while (i < b) {
      re.lastIndex = i
      const m = re.exec(text)
      if (!m || m.index !== i || m[0].length === 0) return i
      i += m[0].length
    }
  }
  return -1
}

/** Turns an exception of the parser (after the validator passed) into a located refusal. */
function parserFailure(text: string, lines: LineIndex, message: string): Diagnostic {
  const reserved = /Invalid name: "([^"]+)"/.exec(message)
  if (reserved) {
    const name = reserved[1]
    const m = new RegExp(`[<\\s/]${name.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}[\\s=/>]`).exec(text)
    const at = m ? m.index + 1 : 0
    return { severity: 'error', code: 'reserved-name', message: `The name ${quoteValue(name)} is refused: it is not an AppLocker name and is reserved for safety.`, ...lines.at(at) }
  }
  if (/nested tags/i.test(message)) {
    const at = tooDeep(text, 100)
    return { severity: 'error', code: 'too-deep', message: 'Elements are nested more than 100 levels deep; an AppLocker policy has at most 7 levels.', ...lines.at(at) }
  }
  return { severity: 'error', code: 'not-well-formed', message: `The XML is not well formed: ${clipQuoted(message)}`, line: 1, column: 1 }
}

/** Offset of the first start tag deeper than `limit` (comments, PIs and CDATA skipped). */
function tooDeep(text: string, limit: number): number {
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<\/[^>]*>|<[^>]*?\/>|<[^/!?][^>]*>/g
  let depth = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    const t = m[0]
    if (t.startsWith('</')) depth--
    else if (t.startsWith('<!') || t.startsWith('<?') || t.endsWith('/>')) continue
    else if (++depth > limit) return m.index
  }
  return 0
}

// ---------------------------------------------------------------------------------------------
// Parsed tree access (fast-xml-parser preserveOrder shape)

type XNode = Record<string, unknown>
const META = XMLParser.getMetaDataSymbol() as unknown as string
const ATTRS = ':@'
const TEXT = '#text'
const COMMENT = '#comment'

function tagOf(n: XNode): string {
  for (const k in n) if (k !== ATTRS) return k
  return ''
}
function childrenOf(n: XNode, tag: string): XNode[] {
  const c = n[tag]
  return Array.isArray(c) ? (c as XNode[]) : []
}
function rawAttrs(n: XNode): Record<string, string> {
  return (n[ATTRS] as Record<string, string> | undefined) ?? {}
}
const NO_META: { startIndex?: number; endIndex?: number } = {}
function meta(n: XNode): { startIndex?: number; endIndex?: number } {
  return ((n as Record<string, unknown>)[META] as { startIndex?: number; endIndex?: number } | undefined) ?? NO_META
}

export { decodeAttributeValue }

/**
 * The value of attribute `name` as the start tag at `start` (its "<") has it in the text, before any
 * decoding: fast-xml-parser trims values, and XML keeps their spaces (" x" is not "x"). The strict
 * check has passed, so the tag is well formed. Undefined when there is no such attribute.
 */
export function sourceAttributeValue(text: string, start: number | undefined, name: string): string | undefined {
  if (start === undefined || text.charCodeAt(start) !== 0x3c) return undefined
  const n = text.length
  let i = start + 1
  const isS = (c: number) => c === 0x20 || c === 0x9 || c === 0xa || c === 0xd
  while (i < n && !isS(text.charCodeAt(i)) && text.charCodeAt(i) !== 0x3e && text.charCodeAt(i) !== 0x2f) i++
  for (;;) {
    while (i < n && isS(text.charCodeAt(i))) i++
    const c = text.charCodeAt(i)
    if (i >= n || c === 0x3e || c === 0x2f) return undefined
    const nameStart = i
    while (i < n && !isS(text.charCodeAt(i)) && text.charCodeAt(i) !== 0x3d) i++
    const nameEnd = i
    while (i < n && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x27) i++
    if (i >= n) return undefined
    const end = text.indexOf(text[i], i + 1)
    if (end === -1) return undefined
    if (nameEnd - nameStart === name.length && text.startsWith(name, nameStart)) return text.slice(i + 1, end)
    i = end + 1
  }
}

/** An element the schema places elsewhere: read as it is, and written where the schema puts it. */
const ORDER_MESSAGE = (element: string, owner: string, where: string) =>
  `<${element}> comes too early in ${owner}: AppLocker's schema puts it ${where}, so the file as it is does not follow the schema (Windows may refuse it). It is read all the same, and Export writes it in its place.`

// ---------------------------------------------------------------------------------------------
// Model building

/**
 * Where a collection's parts are: their elements, whose offsets (and, for a rule, those of its
 * condition and exceptions) are looked up only when a message needs them (targetOffset).
 */
interface CollectionPos {
  node: XNode
  extensions?: XNode
  rules: XNode[]
  /** The unknown children of RedstoneExtensions, as its extra.children has them (ValidationTarget.child). */
  redstoneChildren?: XNode[]
}

const CONDITION_KIND: Record<string, RuleKind> = {
  FilePathCondition: 'path',
  FilePublisherCondition: 'publisher',
  FileHashCondition: 'hash',
}
const NO_NAMES: readonly string[] = []
const RULE_ATTRIBUTES = ['Id', 'Name', 'Description', 'UserOrGroupSid', 'Action'] as const
const PATH_ATTRIBUTES = ['Path'] as const
const PUBLISHER_ATTRIBUTES = ['PublisherName', 'ProductName', 'BinaryName'] as const
const RANGE_ATTRIBUTES = ['LowSection', 'HighSection'] as const
const HASH_ATTRIBUTES = ['Type', 'Data', 'SourceFileName', 'SourceFileLength'] as const
const VERSION_ATTRIBUTES = ['Version'] as const
const COLLECTION_ATTRIBUTES = ['Type', 'EnforcementMode'] as const

/** Whether a child is not an element (text, a comment, a processing instruction or declaration): what `other` handles. */
const isOther = (t: string) => t === TEXT || t === COMMENT || t.charCodeAt(0) === 63 /* ? */
/** The start offset of an element (elements always have one: the parser records it for each). */
const startOf = (n: XNode): number | undefined => ((n as Record<string, unknown>)[META] as { startIndex?: number } | undefined)?.startIndex

const RULE_KIND: Record<string, RuleKind> = {
  FilePathRule: 'path',
  FilePublisherRule: 'publisher',
  FileHashRule: 'hash',
}

/**
 * A text for messages (an owner such as 'FilePathCondition (FilePathRule "x")', or a note path)
 * built only when a message or a note needs it: most elements have neither, and a policy has
 * hundreds of thousands of elements. `a` + `b` (quoted when `quote`) + `c`.
 */
class Label {
  constructor(
    private readonly a: string,
    private readonly b: Owner,
    private readonly c: string,
    private readonly quote = false,
  ) {}
  toString(): string {
    return `${this.a}${this.quote ? quoteValue(String(this.b)) : String(this.b)}${this.c}`
  }
}
type Owner = string | Label

class Builder {
  readonly diagnostics: Diagnostic[] = []
  readonly positions: CollectionPos[] = []
  /** validatePolicyTargets' per-rule facts, worked out as each rule is built (while its text is in cache). */
  readonly facts = new RuleFacts()
  rootStart = 0
  /** The unknown children of the policy, as its extra.children has them (ValidationTarget.child). */
  private readonly policyChildren: XNode[] = []
  private ci: number | undefined
  private ri: number | undefined

  constructor(
    private readonly text: string,
    readonly lines: LineIndex,
    /**
     * What the strict check found about attribute values: by attributeKey, whether a value of such
     * an attribute holds a reference, tab or line end (those are decoded; the others are as they are).
     */
    private readonly specialValues?: Uint8Array,
  ) {}

  report(severity: Severity, code: string, message: string, offset: number | undefined) {
    const d: Diagnostic = { severity, code, message }
    if (offset !== undefined) Object.assign(d, this.lines.at(offset))
    if (this.ci !== undefined) d.ref = this.ri !== undefined ? { collection: this.ci, rule: this.ri } : { collection: this.ci }
    this.diagnostics.push(d)
  }

  /** The element's source text, verbatim (line ends normalised); `at` = elements of its parent before it. */
  unknown(n: XNode, owner: Owner, at: number | undefined, inExceptions = false, keptHere?: 'policy' | 'redstone'): UnknownElement {
    const { startIndex, endIndex } = meta(n)
    // The parser renames elements called like Object properties (toString -> __toString); the name
    // people see is the one in their file.
    let name = tagOf(n)
    if (name.startsWith('__') && startIndex !== undefined && this.text.startsWith(`<${name.slice(2)}`, startIndex)) name = name.slice(2)
    const raw = startIndex !== undefined && endIndex !== undefined && endIndex > startIndex ? this.text.slice(startIndex, endIndex) : serialize(n)
    const xml = raw.indexOf('\r') === -1 ? raw : raw.replace(/\r\n?/g, '\n')
    const u: UnknownElement = at === undefined ? { kind: 'unknown', name, xml } : { kind: 'unknown', name, xml, at }
    const shown = clipValue(name)
    if (keptHere && SCHEMA_KEPT_ELEMENTS[name] === keptHere) {
      this.report('info', 'schema-element-kept', `<${shown}> inside ${owner} is part of the AppLocker schema but not editable here; it is kept exactly as it is.`, startIndex)
      return u
    }
    // Inside Exceptions it is an error (validate.ts ruleProblems: unknown-exception), located there.
    // (A second Conditions, BinaryVersionRange, ... is validatePolicy's error, located at its parent.)
    if (!inExceptions && !isRepeatedSchemaElement(name)) this.report('warning', 'unknown-element', `<${shown}> inside ${owner} is not an AppLocker element; it is kept as is but Windows may reject or ignore it.`, startIndex)
    return u
  }

  /** Text where AppLocker has none: reported (at the parent element) and dropped. */
  text_(n: XNode, owner: Owner, parentOffset?: number) {
    const t = String(n[TEXT] ?? '')
    if (t.trim()) {
      this.report('warning', 'unexpected-text', `Text ${quoteValue(t.trim(), 40)} inside ${owner} is not part of an AppLocker policy and is dropped.`, meta(n).startIndex ?? parentOffset ?? this.current)
    }
  }
  /** The element being read (for text nodes, which have no offset of their own: they are reported at it). */
  private currentNode: XNode | undefined
  get current(): number {
    return this.currentNode ? (startOf(this.currentNode) ?? 0) : 0
  }

  // -- Comments and processing instructions ---------------------------------------------------

  /** Notes inside the owner being read (policy, collection, extensions or rule). */
  private inside: PlacedNote[] | null = null

  /** The comment or processing instruction of a node (or null for any other node). */
  noteOf(n: XNode, tag: string): XmlNote | null {
    if (tag === COMMENT) {
      const c = n[COMMENT]
      const t = Array.isArray(c) && c.length ? String((c[0] as XNode)[TEXT] ?? '') : ''
      return { kind: 'comment', text: t.indexOf('\r') === -1 ? t : t.replace(/\r\n?/g, '\n') }
    }
    if (tag.charCodeAt(0) === 63 /* ? */ && tag !== '?xml') {
      const { startIndex, endIndex } = meta(n)
      const t = startIndex !== undefined && endIndex !== undefined ? this.text.slice(startIndex + 2, endIndex - 2) : tag.slice(1)
      return { kind: 'pi', text: t.indexOf('\r') === -1 ? t : t.replace(/\r\n?/g, '\n') }
    }
    return null
  }

  /** Keeps a note inside the current owner at `path`, after `at` child elements. */
  place(note: XmlNote, path: Owner, at: number) {
    ;(this.inside ??= []).push({ kind: note.kind, text: note.text, path: String(path), at })
  }

  /** Starts reading an owner of notes; returns what to pass to `endOwner`. */
  beginOwner(): PlacedNote[] | null {
    const saved = this.inside
    this.inside = null
    return saved
  }
  endOwner(saved: PlacedNote[] | null, target: { notes?: Notes }, before?: XmlNote[]) {
    const inside = this.inside
    this.inside = saved
    if (inside || (before && before.length)) {
      const notes: Notes = {}
      if (before && before.length) notes.before = before
      if (inside) notes.inside = inside
      target.notes = notes
    }
  }

  /**
   * Walks the children of an element: text is reported, notes are placed at `path`, and each
   * element is handed to `element(child, tag, at)` with the number of elements before it.
   */
  walk(n: XNode, tag: string, owner: Owner, path: Owner, element: (child: XNode, tag: string, at: number) => void) {
    let at = 0
    for (const child of childrenOf(n, tag)) {
      const t = tagOf(child)
      if (this.other(child, t, owner, path, at)) continue
      element(child, t, at)
      at++
    }
  }

  /**
   * What walk does with a child that is not an element (text reported, a note placed, an XML
   * declaration skipped): true when `child` was such a node. For the loops over every rule and
   * condition, which do not take a callback per element.
   */
  other(child: XNode, t: string, owner: Owner, path: Owner, at: number): boolean {
    if (t === TEXT) {
      this.text_(child, owner)
      return true
    }
    const note = this.noteOf(child, t)
    if (note) {
      this.place(note, path, at)
      return true
    }
    return t === '?xml'
  }

  /**
   * The strict check's bits for attribute `name` (SPECIAL_DECODE, SPECIAL_EDGE; 0: every value of it
   * in the file is plain), or both when it could not say (no check, or a name that does not start with
   * an ASCII letter: the parser renames none of those, so the name is the one the check saw).
   */
  private specialOf(name: string): number {
    const first = name.charCodeAt(0)
    return this.specialValues !== undefined && ((first | 32) - 97) >>> 0 < 26 ? this.specialValues[attributeKey(first, name.length)] : SPECIAL_DECODE | SPECIAL_EDGE
  }

  /**
   * The values of the known attributes the last `attrs` call read, by their index in its `known`
   * (undefined: absent). Read them before the next call.
   */
  private readonly vals: Array<string | undefined> = [undefined, undefined, undefined, undefined, undefined]

  /**
   * Known attributes (decoded) into `vals`, the others into the Extra returned (made only when there
   * is something to keep); the first `required` of `known` that are missing go to its absent.
   */
  attrs(n: XNode, known: readonly string[], required: number, owner: Owner): Extra | undefined {
    const raw = n[ATTRS] as Record<string, string> | undefined
    const vals = this.vals
    for (let i = 0; i < known.length; i++) vals[i] = undefined
    let extra: Extra | undefined
    if (raw !== undefined) {
      for (const name in raw) {
        const special = this.specialOf(name)
        // The parser trims values: one with a blank at an end is taken from the text (only those).
        const value = special === 0 ? raw[name] : decodeAttributeValue((special & SPECIAL_EDGE ? sourceAttributeValue(this.text, meta(n).startIndex, name) : undefined) ?? raw[name])
        const i = known.indexOf(name)
        if (i !== -1) vals[i] = value
        else {
          extra ??= {}
          ;(extra.attributes ??= {})[name] = value
          if (name === 'xmlns') {
            if (value !== '') this.report('error', 'xml-namespace', namespaceMessage(String(owner), clipValue(value)), meta(n).startIndex)
          } else if (!isNamespaceDeclaration(name) && misspelledAttribute(name) === undefined) {
            // (A misspelt AppLocker attribute is validatePolicy's error, located at this element.)
            this.report('warning', 'unknown-attribute', `Attribute ${clipValue(name)} on ${owner} is not an AppLocker attribute; it is kept as is.`, meta(n).startIndex)
          }
        }
      }
    }
    for (let i = 0; i < required; i++) if (vals[i] === undefined) ((extra ??= {}).absent ??= []).push(known[i])
    return extra
  }

  /**
   * Children of the policy or a collection: notes directly above a child object (collection, rule,
   * extensions) belong to it; the others stay placed at their position.
   */
  walkObjects(n: XNode, tag: string, owner: Owner, element: (child: XNode, tag: string, at: number, before: XmlNote[] | undefined) => boolean) {
    let at = 0
    let pending: XmlNote[] | undefined
    for (const child of childrenOf(n, tag)) {
      const t = tagOf(child)
      if (t === TEXT) {
        this.text_(child, owner)
        continue
      }
      const note = this.noteOf(child, t)
      if (note) {
        ;(pending ??= []).push(note)
        continue
      }
      if (t === '?xml') continue
      // element() returns false when the child is not an object (kept as an unknown element).
      if (!element(child, t, at, pending)) for (const p of pending ?? []) this.place(p, '', at)
      pending = undefined
      at++
    }
    for (const p of pending ?? []) this.place(p, '', at)
  }

  policy(root: XNode): Policy {
    this.currentNode = root
    this.rootStart = meta(root).startIndex ?? 0
    const saved = this.beginOwner()
    let extra = this.attrs(root, VERSION_ATTRIBUTES, 1, 'AppLockerPolicy')
    const policy: Policy = { version: this.vals[0] ?? '1', collections: [] }
    let policyExtensions: XNode | undefined
    this.walkObjects(root, 'AppLockerPolicy', 'AppLockerPolicy', (c, tag, at, before) => {
      if (tag === 'RuleCollection') {
        if (policyExtensions !== undefined) {
          this.report('warning', 'element-order', ORDER_MESSAGE('PolicyExtensions', 'AppLockerPolicy', 'after the last RuleCollection'), meta(policyExtensions).startIndex)
          policyExtensions = undefined
        }
        policy.collections.push(this.collection(c, policy.collections.length, before))
        return true
      }
      if (tag === 'PolicyExtensions' && policyExtensions === undefined) policyExtensions = c
      this.policyChildren.push(c)
      ;((extra ??= {}).children ??= []).push(this.unknown(c, 'AppLockerPolicy', at, false, 'policy'))
      return false
    })
    const e = clean(extra)
    if (e) policy.extra = e
    this.endOwner(saved, policy)
    return policy
  }

  collection(n: XNode, index: number, before?: XmlNote[]): RuleCollection {
    this.currentNode = n
    this.ci = index
    this.ri = undefined
    const pos: CollectionPos = { node: n, rules: [] }
    this.positions[index] = pos
    const saved = this.beginOwner()
    let extra = this.attrs(n, COLLECTION_ATTRIBUTES, 2, 'RuleCollection')
    const type = this.vals[0]
    const mode = this.vals[1]
    const c: RuleCollection = { type: null, enforcementMode: 'NotConfigured', rules: [] }
    if (type !== undefined) {
      if (isCollectionType(type)) c.type = type
      else ((extra ??= {}).invalid ??= {}).Type = type
    }
    if (mode !== undefined) {
      if (isEnforcementMode(mode)) c.enforcementMode = mode
      else ((extra ??= {}).invalid ??= {}).EnforcementMode = mode
    }
    const label = `the ${c.type ?? clipValue(type ?? '')} RuleCollection`.replace('  ', ' ')
    let extensionsBeforeRules = false
    this.walkObjects(n, 'RuleCollection', label, (child, tag, at, before) => {
      const kind = RULE_KIND[tag]
      if (kind) {
        if (pos.extensions !== undefined && !extensionsBeforeRules) {
          extensionsBeforeRules = true
          this.report('warning', 'element-order', ORDER_MESSAGE('RuleCollectionExtensions', label, 'after the last rule'), startOf(pos.extensions))
        }
        const ri = c.rules.length
        this.ri = ri
        pos.rules.push(child)
        const rule = this.rule(child, tag, kind, before)
        c.rules.push(rule)
        this.facts.add(index, ri, rule, c.type)
        this.ri = undefined
        return true
      }
      if (tag === 'RuleCollectionExtensions' && !c.extensions) {
        pos.extensions = child
        c.extensions = this.extensions(child, before)
        return true
      }
      ;((extra ??= {}).children ??= []).push(this.unknown(child, label, at))
      return false
    })
    const e = clean(extra)
    if (e) c.extra = e
    this.endOwner(saved, c, before)
    this.ci = undefined
    return c
  }

  rule(n: XNode, tag: string, kind: RuleKind, before?: XmlNote[]): Rule {
    this.currentNode = n
    const saved = this.beginOwner()
    let extra = this.attrs(n, RULE_ATTRIBUTES, 5, tag)
    const vals = this.vals
    const id = vals[0]
    const name = vals[1]
    const action = vals[4]
    const owner = new Label(`${tag} `, name ?? id ?? '', '', true)
    const rule = { kind, id: id ?? '', name: name ?? '', description: vals[2] ?? '', userOrGroupSid: vals[3] ?? '', action: 'Allow', exceptions: [] } as unknown as Rule
    if (action !== undefined) {
      if (isRuleAction(action)) rule.action = action
      else ((extra ??= {}).invalid ??= {}).Action = action
    }
    let seenConditions = false
    const kids = childrenOf(n, tag)
    for (let i = 0, at = 0; i < kids.length; i++) {
      const child = kids[i]
      const ctag = tagOf(child)
      if (this.other(child, ctag, owner, '', at)) continue
      if (ctag === 'Conditions' && !seenConditions) {
        seenConditions = true
        const cOwner = new Label('the Conditions of ', owner, '')
        let ce = this.attrs(child, NO_NAMES, 0, cOwner)
        const cKids = childrenOf(child, 'Conditions')
        for (let j = 0, cat = 0; j < cKids.length; j++) {
          const cn = cKids[j]
          const t = tagOf(cn)
          if (this.other(cn, t, cOwner, '0', cat)) continue
          const ck = CONDITION_KIND[t]
          if (ck) {
            // Paths follow the model: the rule's condition is 0/0, further ones 0/1, 0/2, ...
            const main = ck === kind && rule.condition === undefined
            const cond = this.condition(cn, t, ck, owner, main ? '0/0' : `0/${(rule.extraConditions?.length ?? 0) + 1}`)
            if (main) (rule as { condition?: Condition }).condition = cond
            else (rule.extraConditions ??= []).push(cond)
          } else ((ce ??= {}).children ??= []).push(this.unknown(cn, cOwner, cat))
          cat++
        }
        const e = clean(ce)
        if (e) rule.conditionsExtra = e
      } else if (ctag === 'Exceptions' && !rule.hasExceptionsElement) {
        rule.hasExceptionsElement = true
        const xOwner = new Label('the Exceptions of ', owner, '')
        const ee = this.attrs(child, NO_NAMES, 0, xOwner)
        const entries: ExceptionEntry[] = []
        const xKids = childrenOf(child, 'Exceptions')
        for (let j = 0, xat = 0; j < xKids.length; j++) {
          const xn = xKids[j]
          const xt = tagOf(xn)
          if (this.other(xn, xt, xOwner, '1', xat)) continue
          const ck = CONDITION_KIND[xt]
          entries.push(ck ? this.condition(xn, xt, ck, owner, new Label('1/', String(entries.length), '')) : this.unknown(xn, owner, undefined, true))
          xat++
        }
        rule.exceptions = entries
        const e = clean(ee)
        if (e) rule.exceptionsExtra = e
      } else ((extra ??= {}).children ??= []).push(this.unknown(child, owner, at))
      at++
    }
    const e = clean(extra)
    if (e) rule.extra = e
    this.endOwner(saved, rule, before)
    return rule
  }

  condition(n: XNode, tag: string, kind: RuleKind, owner: Owner, path: Owner): Condition {
    this.currentNode = n
    const where = new Label(`${tag} (`, owner, ')')
    const vals = this.vals
    let c: Condition
    if (kind === 'path') {
      let extra = this.attrs(n, PATH_ATTRIBUTES, 1, where)
      c = { kind: 'path', path: vals[0] ?? '' }
      extra = this.unknownChildren(n, tag, extra, where, path)
      const e = clean(extra)
      if (e) c.extra = e
    } else if (kind === 'publisher') {
      let extra = this.attrs(n, PUBLISHER_ATTRIBUTES, 3, where)
      const pc: FilePublisherCondition = { kind: 'publisher', publisherName: vals[0] ?? '', productName: vals[1] ?? '', binaryName: vals[2] ?? '' }
      const kids = childrenOf(n, tag)
      for (let i = 0, at = 0; i < kids.length; i++) {
        const child = kids[i]
        const ctag = tagOf(child)
        if (this.other(child, ctag, where, path, at)) continue
        if (ctag === 'BinaryVersionRange' && !pc.versionRange) {
          const rOwner = new Label('BinaryVersionRange (', owner, ')')
          let rExtra = this.attrs(child, RANGE_ATTRIBUTES, 2, rOwner)
          const vr: BinaryVersionRange = { low: vals[0] ?? '', high: vals[1] ?? '' }
          rExtra = this.unknownChildren(child, ctag, rExtra, rOwner, new Label('', path, '/0'))
          const e = clean(rExtra)
          if (e) vr.extra = e
          pc.versionRange = vr
        } else ((extra ??= {}).children ??= []).push(this.unknown(child, where, at))
        at++
      }
      const e = clean(extra)
      if (e) pc.extra = e
      c = pc
    } else {
      let extra = this.attrs(n, NO_NAMES, 0, where)
      const hc: FileHashCondition = { kind: 'hash', hashes: [] }
      const kids = childrenOf(n, tag)
      for (let i = 0, at = 0; i < kids.length; i++) {
        const child = kids[i]
        const ctag = tagOf(child)
        if (this.other(child, ctag, where, path, at)) continue
        if (ctag === 'FileHash') {
          const hOwner = new Label('FileHash (', owner, ')')
          let hExtra = this.attrs(child, HASH_ATTRIBUTES, 2, hOwner)
          const h: FileHash = { type: vals[0] ?? '', data: vals[1] ?? '' }
          if (vals[2] !== undefined) h.sourceFileName = vals[2]
          if (vals[3] !== undefined) h.sourceFileLength = vals[3]
          hExtra = this.unknownChildren(child, ctag, hExtra, hOwner, new Label('', path, `/${hc.hashes.length}`))
          const e = clean(hExtra)
          if (e) h.extra = e
          hc.hashes.push(h)
        } else ((extra ??= {}).children ??= []).push(this.unknown(child, where, at))
        at++
      }
      const e = clean(extra)
      if (e) hc.extra = e
      c = hc
    }
    return c
  }

  /** Unknown children of an element that has none in the schema, kept in its Extra (made if needed, and returned). */
  unknownChildren(n: XNode, tag: string, extra: Extra | undefined, owner: Owner, path: Owner): Extra | undefined {
    this.currentNode = n
    const kids = childrenOf(n, tag)
    for (let i = 0, at = 0; i < kids.length; i++) {
      const child = kids[i]
      if (this.other(child, tagOf(child), owner, path, at)) continue
      ;((extra ??= {}).children ??= []).push(this.unknown(child, owner, at))
      at++
    }
    return extra
  }

  /**
   * ThresholdExtensions (its one Services/@EnforcementMode) or RedstoneExtensions (its one
   * SystemApps/@Allow): that attribute's value, what else the item and the group hold.
   */
  extensionGroup(n: XNode, tag: string, path: string, item: string, name: string, keptHere?: 'redstone'): { value?: string; itemExtra?: Extra; extra?: Extra } {
    const out: { value?: string; itemExtra?: Extra; extra?: Extra } = {}
    let ge = this.attrs(n, NO_NAMES, 0, tag)
    this.walk(n, tag, tag, path, (s, st, sat) => {
      if (st === item && out.value === undefined) {
        let extra = this.attrs(s, [name], 1, item)
        out.value = this.vals[0] ?? ''
        extra = this.unknownChildren(s, item, extra, item, `${path}/0`)
        out.itemExtra = clean(extra)
      } else {
        const pos = keptHere === 'redstone' && this.ci !== undefined ? this.positions[this.ci] : undefined
        if (pos) (pos.redstoneChildren ??= []).push(s)
        ;((ge ??= {}).children ??= []).push(this.unknown(s, tag, sat, false, keptHere))
      }
    })
    out.extra = clean(ge)
    return out
  }

  extensions(n: XNode, before?: XmlNote[]): RuleCollectionExtensions {
    this.currentNode = n
    const saved = this.beginOwner()
    const x: RuleCollectionExtensions = { threshold: false, redstone: false }
    let extra = this.attrs(n, NO_NAMES, 0, 'RuleCollectionExtensions')
    this.walk(n, 'RuleCollectionExtensions', 'RuleCollectionExtensions', '', (child, tag, at) => {
      if (tag === 'ThresholdExtensions' && !x.threshold) {
        x.threshold = true
        const g = this.extensionGroup(child, tag, '0', 'Services', 'EnforcementMode')
        if (g.value !== undefined) x.services = g.itemExtra ? { enforcementMode: g.value, extra: g.itemExtra } : { enforcementMode: g.value }
        if (g.extra) x.thresholdExtra = g.extra
      } else if (tag === 'RedstoneExtensions' && !x.redstone) {
        if (!x.threshold && this.hasLaterChild(n, 'RuleCollectionExtensions', child, 'ThresholdExtensions')) {
          this.report('warning', 'element-order', ORDER_MESSAGE('RedstoneExtensions', 'RuleCollectionExtensions', 'after ThresholdExtensions'), startOf(child))
        }
        x.redstone = true
        const g = this.extensionGroup(child, tag, '1', 'SystemApps', 'Allow', 'redstone')
        if (g.value !== undefined) x.systemApps = g.itemExtra ? { allow: g.value, extra: g.itemExtra } : { allow: g.value }
        if (g.extra) x.redstoneExtra = g.extra
      } else ((extra ??= {}).children ??= []).push(this.unknown(child, 'RuleCollectionExtensions', at))
    })
    const e = clean(extra)
    if (e) x.extra = e
    this.endOwner(saved, x, before)
    return x
  }

  /** Whether an element named `name` follows `child` among the children of `n` (tag `tag`). */
  private hasLaterChild(n: XNode, tag: string, child: XNode, name: string): boolean {
    const kids = childrenOf(n, tag)
    for (let i = kids.indexOf(child) + 1; i < kids.length; i++) if (tagOf(kids[i]) === name) return true
    return false
  }

  /** Offset of the element a validation target points at. */
  targetOffset(t: ValidationTarget): number {
    if (t.collection === undefined) {
      const kept = t.part === 'policy' && t.child !== undefined ? this.policyChildren[t.child] : undefined
      return kept ? (startOf(kept) ?? this.rootStart) : this.rootStart
    }
    const c = this.positions[t.collection]
    if (!c) return this.rootStart
    const cStart = startOf(c.node) ?? 0
    if (t.part === 'extensions') {
      const kept = t.child !== undefined ? c.redstoneChildren?.[t.child] : undefined
      if (kept) return startOf(kept) ?? cStart
      return c.extensions !== undefined ? (startOf(c.extensions) ?? cStart) : cStart
    }
    if (t.rule === undefined) return cStart
    const r = c.rules[t.rule]
    if (!r) return cStart
    const rStart = startOf(r) ?? 0
    if (t.part === 'condition') return startOf(ruleConditionNode(r) ?? r) ?? rStart
    if (t.part === 'exception' && t.index !== undefined) {
      const x = exceptionNode(r, t.index)
      return x ? (startOf(x) ?? rStart) : rStart
    }
    return rStart
  }
}

/** The first child element of a rule called `tag` (what Builder.rule reads as its Conditions or Exceptions). */
function firstChildElement(rule: XNode, tag: string): XNode | undefined {
  for (const child of childrenOf(rule, tagOf(rule))) {
    const t = tagOf(child)
    if (!isOther(t) && t === tag) return child
  }
  return undefined
}

/** The rule's condition element (the first of its kind in its first Conditions), as Builder.rule takes it. */
function ruleConditionNode(rule: XNode): XNode | undefined {
  const conditions = firstChildElement(rule, 'Conditions')
  if (!conditions) return undefined
  const kind = RULE_KIND[tagOf(rule)]
  for (const child of childrenOf(conditions, 'Conditions')) {
    const t = tagOf(child)
    if (!isOther(t) && CONDITION_KIND[t] === kind) return child
  }
  return undefined
}

/** Exception `index` of a rule: element `index` of its first Exceptions, as Builder.rule numbers them. */
function exceptionNode(rule: XNode, index: number): XNode | undefined {
  const exceptions = firstChildElement(rule, 'Exceptions')
  if (!exceptions) return undefined
  let at = 0
  for (const child of childrenOf(exceptions, 'Exceptions')) {
    if (isOther(tagOf(child))) continue
    if (at++ === index) return child
  }
  return undefined
}

function clean(e: Extra | undefined): Extra | undefined {
  if (e === undefined) return undefined
  if (e.attributes === undefined && e.children === undefined && e.invalid === undefined && e.absent === undefined) return undefined
  const out: Extra = {}
  if (e.attributes && Object.keys(e.attributes).length) out.attributes = e.attributes
  if (e.children && e.children.length) out.children = e.children
  if (e.invalid && Object.keys(e.invalid).length) out.invalid = e.invalid
  if (e.absent && e.absent.length) out.absent = e.absent
  return Object.keys(out).length ? out : undefined
}

/** Fallback serialisation of a parsed node (used only if source offsets are missing). */
function serialize(n: XNode): string {
  const tag = tagOf(n)
  if (tag === TEXT) return String(n[TEXT] ?? '')
  const attrs = Object.entries(rawAttrs(n))
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('')
  const kids = childrenOf(n, tag)
  if (!kids.length) return `<${tag}${attrs} />`
  return `<${tag}${attrs}>${kids.map(serialize).join('')}</${tag}>`
}

// ---------------------------------------------------------------------------------------------

/** fast-xml-parser's options for the reader (document order, element positions, comments kept); the bench's bare parse uses them too. */
export const READER_PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
  trimValues: true,
  captureMetaData: true,
  commentPropName: COMMENT,
  // No callback reads the element path, so fast-xml-parser need not build it as a string per tag.
  jPath: false,
} as const

const parser = new XMLParser(READER_PARSER_OPTIONS)

/** Problems the strict check names best itself (the others get fast-xml-parser's validator's wording). */
const OWN_WORDING = new Set(['doctype', 'entity-declaration', 'bare-ampersand', 'html-entity', 'invalid-reference', 'invalid-character'])

/**
 * The located refusal for a file the strict check found not well formed. For plain syntax errors
 * the validator's message and position are used when it sees the problem too (its wording is the one
 * people know from earlier versions); what only the strict check sees keeps the check's own message.
 */
function wellFormednessRefusal(text: string, lines: LineIndex, wf: XmlProblem): Diagnostic {
  const own = (): Diagnostic => ({ severity: 'error', code: wf.code, message: wf.message, ...lines.at(wf.offset) })
  if (OWN_WORDING.has(wf.code) || /raw "<"|contains "--"|XML declaration|processing instruction/.test(wf.message)) return own()
  const problem = validatorProblem(text, lines)
  if (problem === 'multiple-roots') {
    // Check the rest with the validator by validating the roots inside a synthetic wrapper.
    const first = firstElementOffset(text)
    const wrapped = `${text.slice(0, first)}<w>${text.slice(first)}</w>`
    const p2 = validatorProblem(wrapped, new LineIndex(wrapped))
    if (p2 && p2 !== 'multiple-roots') {
      const firstPos = lines.at(first)
      const column = p2.line === firstPos.line && p2.column > firstPos.column ? p2.column - 3 : p2.column
      return { severity: 'error', code: 'not-well-formed', message: p2.message, line: p2.line, column }
    }
    return own()
  }
  if (problem) return { severity: 'error', code: 'not-well-formed', message: problem.message, line: problem.line, column: problem.column }
  return own()
}

/** Reads a policy file (bytes in any encoding real files use, or already-decoded text). Never throws. */
export function readPolicy(input: Uint8Array | string, options: ReadOptions = {}): PolicyReadResult {
  try {
    return readPolicyUnsafe(input, options)
  } catch (e) {
    // Defensive: a bug must not crash the caller; report it as a refusal.
    return refuse({ severity: 'error', code: 'read-failed', message: `The file could not be read: ${clipValue(e instanceof Error ? e.message : String(e), 1000)}` }, typeof input === 'string' ? 'text' : 'unknown')
  }
}

function readPolicyUnsafe(input: Uint8Array | string, options: ReadOptions): PolicyReadResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const size = typeof input === 'string' ? input.length : input.byteLength
  const encodingGuess = typeof input === 'string' ? 'text' : 'unknown'
  if (size > maxBytes) {
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`
    return refuse({ severity: 'error', code: 'too-large', message: `The file is ${mb(size)}, more than the ${mb(maxBytes)} limit; AppLocker policies are far smaller (a GPO holds at most 100 MB).` }, encodingGuess)
  }
  let text: string
  let encoding: string
  const pre: Diagnostic[] = []
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
    encoding = 'text'
  } else {
    const d = decodeXmlBytes(input)
    text = d.text
    encoding = d.encoding
    pre.push(...d.diagnostics)
  }
  const lines = new LineIndex(text)
  const located = (severity: Severity, code: string, message: string, offset: number): Diagnostic => ({ severity, code, message, ...lines.at(offset) })

  if (!text.trim()) return refuse({ severity: 'error', code: 'empty', message: 'The file is empty.' }, encoding, pre)

  // One strict XML 1.0 pass (wellformed.ts): DOCTYPE/ENTITY refused before any parsing, references,
  // characters XML forbids, raw "<" in attribute values, "--" in comments, tags, quotes, nesting.
  const found: { specialValues?: Uint8Array } = {}
  const wf = checkXml(text, { allowMultipleRoots: true, found })
  if (wf) return refuse(wellFormednessRefusal(text, lines, wf), encoding, pre)

  let tree: XNode[]
  try {
    tree = parser.parse(text) as XNode[]
  } catch (e) {
    return refuse(parserFailure(text, lines, e instanceof Error ? e.message : String(e)), encoding, pre)
  }
  const roots: XNode[] = []
  const b = new Builder(text, lines, found.specialValues)
  // Comments and processing instructions around the root(s): before each root, and after the last.
  const aroundRoots: XmlNote[][] = [[]]
  for (const n of tree) {
    const t = tagOf(n)
    if (t === '' || t === TEXT || t === '?xml') continue
    const note = b.noteOf(n, t)
    if (note) aroundRoots[roots.length].push(note)
    else {
      roots.push(n)
      aroundRoots.push([])
    }
  }
  const stray = textOutsideRoots(text, roots)
  if (stray !== -1) {
    const t = clipValue(text.slice(stray, stray + 40).split('\n')[0])
    return refuse(located('error', 'not-well-formed', `The XML is not well formed: text "${t}" stands outside the root element.`, stray), encoding, pre)
  }
  if (roots.length === 0) {
    return refuse({ severity: 'error', code: 'no-root', message: 'The file contains no XML element: it is not an AppLocker policy.' }, encoding, pre)
  }
  const rootTag = tagOf(roots[0])
  const rootOffset = meta(roots[0]).startIndex ?? 0
  let policy: Policy
  let source: PolicyReadResult['source']
  if (roots.length > 1) {
    const all = roots.every((r) => tagOf(r) === 'RuleCollection')
    const second = meta(roots[1]).startIndex ?? 0
    if (!all) {
      return refuse(located('error', 'not-well-formed', `The file has ${roots.length} root elements (<${clipValue(rootTag)}>, <${clipValue(tagOf(roots[1]))}>, ...); XML allows one, and an AppLocker policy has <AppLockerPolicy> as its only root.`, second), encoding, pre)
    }
    if (!options.wrapRoots) {
      return refuse(
        located(
          'error',
          'multiple-roots',
          `The file has several RuleCollection roots (${roots.length}) with no <AppLockerPolicy> around them, so it is not well formed XML (Intune refuses it). It can be opened by wrapping them into one policy.`,
          second,
        ),
        encoding,
        pre,
      )
    }
    policy = { version: '1', collections: roots.map((r, i) => b.collection(r, i, aroundRoots[i])) }
    b.rootStart = rootOffset
    source = 'wrapped-roots'
    b.diagnostics.unshift(located('info', 'wrapped-roots', `The file had ${roots.length} RuleCollection roots without <AppLockerPolicy>; they were wrapped into one policy.`, rootOffset))
  } else if (rootTag === 'AppLockerPolicy') {
    policy = b.policy(roots[0])
    source = 'policy'
    if (aroundRoots[0].length) (policy.notes ??= {}).before = aroundRoots[0]
  } else if (rootTag === 'RuleCollection') {
    b.rootStart = rootOffset
    policy = { version: '1', collections: [b.collection(roots[0], 0, aroundRoots[0])] }
    source = 'fragment'
    b.diagnostics.unshift(located('info', 'fragment', 'The file is a bare <RuleCollection> (an Intune AppLocker CSP payload); it was wrapped into a policy.', rootOffset))
  } else if (rootTag === 'SiPolicy' || rootTag.endsWith(':SiPolicy')) {
    return refuse(
      located('error', 'wdac-policy', 'This is a Windows Defender Application Control (App Control for Business) policy (<SiPolicy>), not an AppLocker policy. It cannot be opened here; AppLocker policies start with <AppLockerPolicy>.', rootOffset),
      encoding,
      pre,
    )
  } else if (/^[^:]+:(AppLockerPolicy|RuleCollection)$/.test(rootTag)) {
    return refuse(
      located('error', 'xml-namespace', `The root element <${clipValue(rootTag)}> has a namespace prefix. AppLocker's schema has no namespace: write <${clipValue(rootTag.replace(/^[^:]+:/, ''))}> without a prefix (and no xmlns), as Windows does.`, rootOffset),
      encoding,
      pre,
    )
  } else {
    return refuse(located('error', 'wrong-root', `The root element is <${clipValue(rootTag)}>; an AppLocker policy starts with <AppLockerPolicy> (or, for an Intune payload, <RuleCollection>).`, rootOffset), encoding, pre)
  }

  const after = aroundRoots[roots.length]
  if (after.length) (policy.notes ??= {}).after = after

  // Model-level problems, located at their element. The reader already reported unknown elements
  // and attributes at their exact position, so the validator's copies are dropped.
  const validation: Diagnostic[] = []
  for (const { diagnostic, target } of validatePolicyTargets(policy, b.facts)) {
    if (READER_REPORTED.has(diagnostic.code)) continue
    validation.push({ ...diagnostic, ...lines.at(b.targetOffset(target)) })
  }
  const body = [...b.diagnostics, ...validation].sort((x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0))
  return { value: policy, diagnostics: [...pre, ...body], source, encoding }
}
