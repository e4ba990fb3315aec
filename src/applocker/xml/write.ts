/**
 * XML writer: Policy -> the XML Windows takes (APPLOCKER.md section 1, applocker-deep.md 1.3).
 *
 * Element order and attribute names as Windows writes them: rules Id, Name, Description,
 * UserOrGroupSid, Action; Conditions before Exceptions; RuleCollectionExtensions after all rules.
 * Unknown attributes come after the known ones; unknown child elements are written verbatim at the
 * end of their parent (inside Exceptions: at their position). Known attributes listed in
 * extra.absent are left out; invalid raw values in extra.invalid are written back as they were.
 * Collections are written in the policy's order. Pretty-printed with two-space indentation.
 */
import type { BinaryVersionRange, Condition, ExceptionEntry, Extra, FileHash, Policy, Rule, RuleCollection, RuleCollectionExtensions } from '../policy'
import { CONDITION_ELEMENT, RULE_ELEMENT } from '../policy'

export type XmlEncoding = 'utf-8' | 'utf-16le'

// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL = /[&<>"\u0000-\u001f]/
// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL_G = /[&<>"\u0000-\u001f]/g

/** Escapes an attribute value: & < > " and control characters (CR, LF, TAB ...) as references. */
export function escapeAttribute(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return value
  return value.replace(ATTR_SPECIAL_G, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;'
      case '<':
        return '&lt;'
      case '>':
        return '&gt;'
      case '"':
        return '&quot;'
      default:
        return `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`
    }
  })
}

type Attr = [name: string, value: string | undefined]

class Out {
  readonly lines: string[] = []
  push(depth: number, s: string) {
    this.lines.push('  '.repeat(depth) + s)
  }
}

/** `Name="v" ...` for known attributes (absent ones skipped, invalid raw values preferred) then unknown ones. */
function attrs(known: Attr[], extra: Extra | undefined): string {
  let s = ''
  const absent = extra?.absent
  const invalid = extra?.invalid
  for (const [name, value] of known) {
    if (absent && absent.includes(name)) continue
    const v = invalid && invalid[name] !== undefined ? invalid[name] : value
    if (v === undefined) continue
    s += ` ${name}="${escapeAttribute(v)}"`
  }
  const unknown = extra?.attributes
  if (unknown) for (const name in unknown) s += ` ${name}="${escapeAttribute(unknown[name])}"`
  return s
}

/** Writes an element whose children are produced by `body`; self-closing when it writes nothing. */
function element(out: Out, depth: number, name: string, attributes: string, body: (() => void) | null, extra: Extra | undefined) {
  const start = out.lines.length
  out.push(depth, `<${name}${attributes}>`)
  const before = out.lines.length
  if (body) body()
  for (const child of extra?.children ?? []) out.push(depth + 1, child.xml)
  if (out.lines.length === before) out.lines[start] = `${'  '.repeat(depth)}<${name}${attributes} />`
  else out.push(depth, `</${name}>`)
}

function writeVersionRange(out: Out, depth: number, vr: BinaryVersionRange) {
  element(out, depth, 'BinaryVersionRange', attrs([['LowSection', vr.low], ['HighSection', vr.high]], vr.extra), null, vr.extra)
}

function writeHash(out: Out, depth: number, h: FileHash) {
  element(
    out,
    depth,
    'FileHash',
    attrs(
      [
        ['Type', h.type],
        ['Data', h.data],
        ['SourceFileName', h.sourceFileName],
        ['SourceFileLength', h.sourceFileLength],
      ],
      h.extra,
    ),
    null,
    h.extra,
  )
}

function writeCondition(out: Out, depth: number, c: Condition) {
  const name = CONDITION_ELEMENT[c.kind]
  switch (c.kind) {
    case 'path':
      element(out, depth, name, attrs([['Path', c.path]], c.extra), null, c.extra)
      return
    case 'publisher':
      element(
        out,
        depth,
        name,
        attrs(
          [
            ['PublisherName', c.publisherName],
            ['ProductName', c.productName],
            ['BinaryName', c.binaryName],
          ],
          c.extra,
        ),
        () => {
          if (c.versionRange) writeVersionRange(out, depth + 1, c.versionRange)
        },
        c.extra,
      )
      return
    case 'hash':
      element(
        out,
        depth,
        name,
        attrs([], c.extra),
        () => {
          for (const h of c.hashes) writeHash(out, depth + 1, h)
        },
        c.extra,
      )
  }
}

function writeException(out: Out, depth: number, e: ExceptionEntry) {
  if (e.kind === 'unknown') out.push(depth, e.xml)
  else writeCondition(out, depth, e)
}

function writeRule(out: Out, depth: number, r: Rule) {
  const a = attrs(
    [
      ['Id', r.id],
      ['Name', r.name],
      ['Description', r.description],
      ['UserOrGroupSid', r.userOrGroupSid],
      ['Action', r.action],
    ],
    r.extra,
  )
  element(
    out,
    depth,
    RULE_ELEMENT[r.kind],
    a,
    () => {
      element(
        out,
        depth + 1,
        'Conditions',
        attrs([], r.conditionsExtra),
        () => {
          if (r.condition) writeCondition(out, depth + 2, r.condition)
          for (const c of r.extraConditions ?? []) writeCondition(out, depth + 2, c)
        },
        r.conditionsExtra,
      )
      if (r.hasExceptionsElement || r.exceptions.length > 0 || r.exceptionsExtra) {
        element(
          out,
          depth + 1,
          'Exceptions',
          attrs([], r.exceptionsExtra),
          () => {
            for (const e of r.exceptions) writeException(out, depth + 2, e)
          },
          r.exceptionsExtra,
        )
      }
    },
    r.extra,
  )
}

function writeExtensions(out: Out, depth: number, x: RuleCollectionExtensions) {
  element(
    out,
    depth,
    'RuleCollectionExtensions',
    attrs([], x.extra),
    () => {
      if (x.threshold) {
        element(
          out,
          depth + 1,
          'ThresholdExtensions',
          attrs([], x.thresholdExtra),
          () => {
            if (x.services) element(out, depth + 2, 'Services', attrs([['EnforcementMode', x.services.enforcementMode]], x.services.extra), null, x.services.extra)
          },
          x.thresholdExtra,
        )
      }
      if (x.redstone) {
        element(
          out,
          depth + 1,
          'RedstoneExtensions',
          attrs([], x.redstoneExtra),
          () => {
            if (x.systemApps) element(out, depth + 2, 'SystemApps', attrs([['Allow', x.systemApps.allow]], x.systemApps.extra), null, x.systemApps.extra)
          },
          x.redstoneExtra,
        )
      }
    },
    x.extra,
  )
}

function writeCollection(out: Out, depth: number, c: RuleCollection) {
  element(
    out,
    depth,
    'RuleCollection',
    attrs(
      [
        ['Type', c.type ?? undefined],
        ['EnforcementMode', c.enforcementMode],
      ],
      c.extra,
    ),
    () => {
      for (const r of c.rules) writeRule(out, depth + 1, r)
      if (c.extensions) writeExtensions(out, depth + 1, c.extensions)
    },
    c.extra,
  )
}

function policyLines(policy: Policy): string[] {
  const out = new Out()
  element(
    out,
    0,
    'AppLockerPolicy',
    attrs([['Version', policy.version]], policy.extra),
    () => {
      for (const c of policy.collections) writeCollection(out, 1, c)
    },
    policy.extra,
  )
  return out.lines
}

/** The policy as pretty-printed XML (2-space indent, LF line ends) with `<?xml version="1.0" encoding="utf-8"?>`. */
export function writePolicyXml(policy: Policy): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${policyLines(policy).join('\n')}\n`
}

/** A bare <RuleCollection> element (the Intune AppLocker CSP payload), no declaration. */
export function writeRuleCollectionXml(collection: RuleCollection): string {
  const out = new Out()
  writeCollection(out, 0, collection)
  return `${out.lines.join('\n')}\n`
}

/**
 * The file to download: UTF-8 without BOM and encoding="utf-8", or UTF-16 LE with BOM,
 * encoding="utf-16" and CRLF line ends (what Windows tools write).
 */
export function encodePolicy(policy: Policy, encoding: XmlEncoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(writePolicyXml(policy))
  const text = `<?xml version="1.0" encoding="utf-16"?>\r\n${policyLines(policy).join('\r\n').replace(/\r?\n/g, '\r\n')}\r\n`
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
