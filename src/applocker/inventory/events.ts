/**
 * AppLocker events exported from Windows, as an inventory: the XML `wevtutil qe LOG /f:xml`
 * writes (with `/e:Events`, a wrapping <Events> root; without it, bare <Event> siblings with no
 * root, which is also what `Get-WinEvent ... | ForEach-Object { $_.ToXml() }` writes).
 *
 * From each file event (8002 to 8007, 8020 to 8025; reference/applocker-deep.md section 8.3):
 * the path (FullFilePath, else FilePath with its path variables expanded on the simulated
 * machine; for packaged apps the Package), the hash (FileHash, bare hex, given the `0x` prefix),
 * the signer (Fqbn `PUBLISHER\PRODUCT\BINARY\VERSION`, `-` = unsigned when the event has a hash) and
 * the user (TargetUser).
 * An event with neither hash nor signer (empty FileHash, Fqbn `-`: what Windows logs for a blocked
 * file) leaves them unknown, not absent: the entry takes them from another event of the same file
 * when one has them, and says so in a note either way (EventScan.finish).
 * Values are decoded as XML has them: the five entities and numeric character references
 * (`&#233;`, `&#xE9;`). A DOCTYPE or entity declaration is refused (no entity expansion).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { clipValue, type Diagnostic } from '../diagnostics'
import { parseCollectionName } from '../evaluate/collection'
import { expandVariablePath } from '../evaluate/paths'
import { DEFAULT_MACHINE, type MachineSettings, type PublisherFacts } from '../evaluate/types'
import { LineIndex } from '../lines'
import { decodeAttributeValue, decodeReferences } from '../xml/references'
import { normalizeHashText } from './facts'
import type { EventRef, InventoryFile, InventoryReadResult } from './types'

const ROOT = 'AppLockerInventoryRoot'

type Node = Record<string, unknown>
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v)

function textOf(v: unknown): string {
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'number') return String(v)
  if (isNode(v) && typeof v['#text'] === 'string') return (v['#text'] as string).trim()
  if (isNode(v) && typeof v['#text'] === 'number') return String(v['#text'])
  return ''
}

/**
 * Element text with its references decoded (the five entities, `&#NNN;`, `&#xHH;`), tabs and line
 * ends kept (only attribute values turn them into spaces).
 */
export function decodeTextValue(value: string): string {
  return value.includes('&') ? decodeReferences(value) : value
}

/** Event IDs of file decisions. */
export function isFileEventId(id: number): boolean {
  return (id >= 8002 && id <= 8007) || (id >= 8020 && id <= 8025)
}

/**
 * Splits an Fqbn `PUBLISHER\PRODUCT\BINARY\VERSION` (the publisher holds commas but no
 * backslashes). `-` or empty means no signer (null): unsigned, or not recorded when the event has no
 * hash either (EventScan marks those `identityUnrecorded`).
 */
export function parseFqbn(fqbn: string): PublisherFacts | null | 'invalid' {
  const t = fqbn.trim()
  if (t === '' || t === '-') return null
  const parts = t.split('\\')
  if (parts.length < 4) return 'invalid'
  return {
    name: parts[0],
    product: parts.slice(1, -2).join('\\'),
    binary: parts[parts.length - 2],
    version: parts[parts.length - 1],
  }
}

function collectEvents(node: unknown, out: Node[], depth: number): void {
  if (!isNode(node) || depth > 3) return
  for (const [k, v] of Object.entries(node)) {
    if (k === 'Event') {
      for (const e of Array.isArray(v) ? v : [v]) if (isNode(e)) out.push(e)
    } else if (k !== 'System' && k !== 'UserData' && k !== 'EventData') {
      for (const child of Array.isArray(v) ? v : [v]) collectEvents(child, out, depth + 1)
    }
  }
}

/** RuleAndFileData (UserData) or EventData/Data[@Name] as a name -> text map. */
function eventFields(event: Node): Map<string, string> | null {
  const fields = new Map<string, string>()
  const userData = event.UserData
  if (isNode(userData)) {
    const data = Object.values(userData).find(isNode)
    if (data) {
      for (const [k, v] of Object.entries(data)) if (!k.startsWith('@_')) fields.set(k, textOf(v))
      return fields
    }
  }
  const eventData = event.EventData
  if (isNode(eventData) && Array.isArray(eventData.Data)) {
    for (const d of eventData.Data) if (isNode(d) && typeof d['@_Name'] === 'string') fields.set(d['@_Name'] as string, textOf(d))
    return fields
  }
  return null
}

/** Where an event is: its line (exported XML) or its record (.evtx). */
export interface EventPlace {
  line?: number
  /** EventRecordID of an .evtx record. */
  recordId?: number
}

/** Files named one by one in the diagnostics for events without signer or hash; the others are counted in one more. */
export const UNRECORDED_NAMED = 20

/** A path for a message: its end kept when it is long (the file name says most), invisible characters shown. */
function pathForMessage(path: string): string {
  const max = 200
  if (path.length <= max) return clipValue(path)
  let start = path.length - (max - 1)
  const c = path.charCodeAt(start)
  if (c >= 0xdc00 && c <= 0xdfff) start++
  return `…${clipValue(path.slice(start))}`
}

/** Events of the same file: the same computer (when named) and the same path, whatever the case. */
function sameFileKey(f: InventoryFile): string {
  return `${(f.event?.computer ?? '').toUpperCase()}|${f.path.toUpperCase()}`
}

const publisherText = (p: PublisherFacts) => [p.name, p.product, p.binary, p.version].join('\\').toUpperCase()

/**
 * The hash and signer the other events of a file recorded, when they agree (at most one hash and one
 * signer among them); 'conflict' when they do not (the file changed between them); null when there
 * is none. `from` names the event they come from: the first with both, else the first.
 */
function agreedIdentity(others: readonly InventoryFile[]): { hash: string | null; publisher: PublisherFacts | null; from: EventRef } | 'conflict' | null {
  let hash: string | null = null
  let publisher: PublisherFacts | null = null
  let from: InventoryFile | null = null
  for (const o of others) {
    if (o.hash) {
      if (hash !== null && hash.toUpperCase() !== o.hash.toUpperCase()) return 'conflict'
      hash = o.hash
    }
    if (o.publisher) {
      if (publisher !== null && publisherText(publisher) !== publisherText(o.publisher)) return 'conflict'
      publisher = o.publisher
    }
    // The event named is the first with the most: a signer and a hash over either alone.
    if (!from || (!(from.hash && from.publisher) && o.hash && o.publisher)) from = o
  }
  if (!from || !from.event) return null
  const e = from.event
  const ref: EventRef = { id: e.id, ...(from.line !== undefined ? { line: from.line } : {}), ...(e.recordId !== undefined ? { recordId: e.recordId } : {}) }
  return { hash, publisher, from: ref }
}

const isBlockedEventId = (id: number) => id === 8004 || id === 8007 || id === 8022 || id === 8025

/** Where an event is, in words: "line 12", "record 4101" or "". */
function placeText(ref: EventRef): string {
  return ref.recordId !== undefined ? `record ${ref.recordId}` : ref.line !== undefined ? `line ${ref.line}` : ''
}

/**
 * The note of an entry whose event recorded neither signer nor hash: facts taken from another event of the
 * same file (`from`), or none because those events disagree ('conflict') or there is none (null).
 */
export function unrecordedNote(id: number, from: EventRef | 'conflict' | null, nameEvent = true): string {
  const lead = `Windows did not record this file's signer or hash${nameEvent ? ` in event ${id}` : ''}${isBlockedEventId(id) ? ' (it does not for blocked files)' : ''}`
  if (from !== null && from !== 'conflict') {
    const where = placeText(from)
    return `${lead}; they are taken from event ${from.id}${where ? ` (${where})` : ''} of the same file, so publisher and hash rules are checked with them.`
  }
  const why = from === 'conflict' ? ', and the other events of the same file recorded different signers or hashes (the file changed between them), so none is used' : ''
  return `${lead}${why}: publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.`
}

/**
 * Turns events, one at a time, into inventory files: shared by the XML reader and the .evtx
 * reader (which gives the same parsed shape). Events that are not AppLocker file decisions are
 * counted by provider or event ID and summed up by finish().
 */
export class EventScan {
  readonly files: InventoryFile[] = []
  readonly diagnostics: Diagnostic[] = []
  private readonly otherIds = new Map<string, number>()
  /** Events that are not file decisions. */
  skipped = 0
  private readonly machine: MachineSettings

  constructor(machine: MachineSettings = DEFAULT_MACHINE) {
    this.machine = machine
  }

  /** One <Event> as fast-xml-parser gives it (attributes as "@_Name", removeNSPrefix). */
  add(event: Node, place: EventPlace): void {
    const { machine, diagnostics, otherIds, files } = this
    const line = place.line
    const at = place.recordId !== undefined ? ` (record ${place.recordId})` : ''
    const loc = line !== undefined ? { line } : {}
    const system = isNode(event.System) ? event.System : {}
    const provider = isNode(system.Provider) ? String(system.Provider['@_Name'] ?? '') : ''
    const id = Number(textOf(system.EventID))
    if ((provider !== '' && provider !== 'Microsoft-Windows-AppLocker') || !isFileEventId(id)) {
      const key = provider !== '' && provider !== 'Microsoft-Windows-AppLocker' ? provider : `event ${textOf(system.EventID) || '?'}`
      otherIds.set(key, (otherIds.get(key) ?? 0) + 1)
      this.skipped++
      return
    }
    const fields = eventFields(event)
    if (!fields) {
      diagnostics.push({ severity: 'error', code: 'no-event-data', message: `Event ${id}${at} has no RuleAndFileData; skipped.`, ...loc })
      return
    }
    const get = (k: string) => {
      const v = fields.get(k) ?? ''
      return v === '-' ? '' : v
    }
    const packaged = id >= 8020 || get('PolicyName').toUpperCase() === 'APPX' || get('Package') !== ''
    const pkg = get('Package')
    const path = packaged && pkg !== '' ? pkg : get('FullFilePath') || (get('FilePath') ? expandVariablePath(get('FilePath'), machine) : '')
    if (path === '') {
      diagnostics.push({ severity: 'error', code: 'missing-path', message: `Event ${id}${at} names no file (no FullFilePath, FilePath or Package); skipped.`, ...loc })
      return
    }
    const file: InventoryFile = { path, line, publisher: null }
    if (line === undefined) delete file.line
    // Windows says which collection decided the file (a PE file is Exe or Dll whatever its extension).
    const decidedBy = packaged ? null : parseCollectionName(get('PolicyName'))
    if (decidedBy !== null) file.collection = decidedBy
    if (packaged) {
      file.package = pkg || path
      file.packageInstall = id >= 8023 && id <= 8025
    }
    const fqbn = (fields.get('Fqbn') ?? '').trim()
    const publisher = parseFqbn(fqbn)
    if (publisher === 'invalid') {
      diagnostics.push({
        severity: 'warning',
        code: 'invalid-fqbn',
        message: `Event ${id}${at}: Fqbn "${fields.get('Fqbn')}" is not PUBLISHER\\PRODUCT\\BINARY\\VERSION; the file is treated as unsigned.`,
        ...loc,
      })
    } else file.publisher = publisher
    const hash = get('FileHash')
    if (hash !== '') {
      const h = normalizeHashText(hash)
      if (h === null) diagnostics.push({ severity: 'warning', code: 'invalid-hash', message: `Event ${id}${at}: FileHash "${hash}" is not hexadecimal; ignored.`, ...loc })
      else file.hash = h
    }
    const security = isNode(system.Security) ? system.Security : {}
    const user = get('TargetUser') || (typeof security['@_UserID'] === 'string' ? (security['@_UserID'] as string) : '')
    if (user !== '') file.user = user
    const ruleId = get('RuleId').replace(/[{}]/g, '')
    const timeCreated = isNode(system.TimeCreated) ? system.TimeCreated['@_SystemTime'] : undefined
    const filePath = packaged ? '' : get('FilePath')
    file.event = {
      id,
      policyName: get('PolicyName'),
      ruleId: ruleId === '' || /^[0-]+$/.test(ruleId) ? null : ruleId,
      ruleName: get('RuleName') || null,
      ...(typeof timeCreated === 'string' ? { time: timeCreated } : {}),
      ...(textOf(system.Computer) ? { computer: textOf(system.Computer) } : {}),
      ...(place.recordId !== undefined ? { recordId: place.recordId } : {}),
      ...(filePath !== '' ? { filePath } : {}),
      // No hash and Fqbn "-": Windows did not record the file's identity (section 8.3), it is not unsigned.
      ...(!packaged && hash === '' && (fqbn === '' || fqbn === '-') ? { identityUnrecorded: true as const } : {}),
    }
    files.push(file)
  }

  private resolved = false

  /**
   * The entries whose event recorded neither signer nor hash: each takes them from the other events
   * of the same file (same computer and path) that have them, when those agree; each gets a note
   * (InventoryFile.note), and each such file one diagnostic at its first event.
   */
  private resolveUnrecorded(): Diagnostic[] {
    if (this.resolved) return []
    this.resolved = true
    const unrecorded = this.files.filter((f) => f.event?.identityUnrecorded)
    if (unrecorded.length === 0) return []
    const known = new Map<string, InventoryFile[]>()
    for (const f of this.files) {
      if (f.event?.identityUnrecorded || f.package || (!f.hash && !f.publisher)) continue
      const k = sameFileKey(f)
      const list = known.get(k)
      if (list) list.push(f)
      else known.set(k, [f])
    }
    const perFile = new Map<string, { first: InventoryFile; count: number; text: string; warn: boolean }>()
    for (const f of unrecorded) {
      const event = f.event!
      const k = sameFileKey(f)
      const identity = agreedIdentity(known.get(k) ?? [])
      const from = identity === null || identity === 'conflict' ? identity : identity.from
      if (identity !== null && identity !== 'conflict') {
        if (identity.hash) f.hash = identity.hash
        f.publisher = identity.publisher ? { ...identity.publisher } : null
        event.identityFrom = identity.from
      }
      f.note = unrecordedNote(event.id, from)
      const entry = perFile.get(k)
      if (entry) entry.count++
      else perFile.set(k, { first: f, count: 1, text: unrecordedNote(event.id, from, false), warn: !event.identityFrom })
    }
    const out: Diagnostic[] = []
    let restTaken = 0
    let restUnknown = 0
    for (const { first, count, text, warn } of perFile.values()) {
      if (out.length === UNRECORDED_NAMED) {
        if (warn) restUnknown++
        else restTaken++
        continue
      }
      const e = first.event!
      const at = e.recordId !== undefined ? ` (record ${e.recordId})` : ''
      const more = count > 1 ? ` and ${count - 1} more ${count === 2 ? 'event' : 'events'} of the same file` : ''
      out.push({
        severity: warn ? 'warning' : 'info',
        code: warn ? 'identity-unrecorded' : 'identity-from-other-event',
        message: `Event ${e.id}${at}${more}, ${pathForMessage(first.path)}: ${text}`,
        ...(first.line !== undefined ? { line: first.line } : {}),
      })
    }
    if (restTaken + restUnknown > 0) {
      const n = restTaken + restUnknown
      const parts = [
        restTaken ? `${restTaken} took them from another event of the same file` : '',
        restUnknown ? `for ${restUnknown} only path rules can be checked` : '',
      ].filter(Boolean)
      out.push({
        severity: restUnknown ? 'warning' : 'info',
        code: 'identity-unrecorded-more',
        message: `${n} more ${n === 1 ? 'file has' : 'files have'} events in which Windows did not record the signer or hash: ${parts.join('; ')} (each file's explanation says which).`,
      })
    }
    return out
  }

  /** The diagnostics, with the summary of skipped events. */
  finish(): Diagnostic[] {
    const out = [...this.diagnostics, ...this.resolveUnrecorded()]
    if (this.otherIds.size > 0) {
      const list = [...this.otherIds].map(([k, n]) => `${k} (${n})`).join(', ')
      out.push({ severity: 'info', code: 'not-file-events', message: `Events that are not AppLocker file decisions were skipped: ${list}.` })
    }
    return out
  }
}

/** Reads AppLocker events. Events that are not file decisions are counted and skipped. */
export function readAppLockerEvents(text: string, machine: MachineSettings = DEFAULT_MACHINE): InventoryReadResult {
  const diagnostics: Diagnostic[] = []
  let source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lines = new LineIndex(source)
  const doctype = /<!(DOCTYPE|ENTITY)/i.exec(source)
  if (doctype) {
    diagnostics.push({
      severity: 'error',
      code: 'doctype-refused',
      message: 'The events file contains a DOCTYPE or entity declaration, which is refused (Windows never writes one in exported events).',
      ...lines.at(doctype.index),
    })
    return { value: null, diagnostics }
  }
  // XML declarations (one per concatenated export) are blanked out, keeping every offset.
  source = source.replace(/<\?xml[^?]*\?>/g, (m) => ' '.repeat(m.length))
  const wrapped = `<${ROOT}>${source}</${ROOT}>`
  const valid = XMLValidator.validate(wrapped)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    const column = line === 1 ? Math.max(1, col - ROOT.length - 2) : col
    diagnostics.push({ severity: 'error', code: 'not-well-formed', message: `The events file is not well-formed XML: ${msg}`, line, column })
    return { value: null, diagnostics }
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    removeNSPrefix: true,
    trimValues: true,
    // References are decoded here, all of them (fast-xml-parser's own decoding leaves &#233; as it is).
    processEntities: false,
    htmlEntities: false,
    tagValueProcessor: (_name, value) => decodeTextValue(value),
    attributeValueProcessor: (_name, value) => decodeAttributeValue(value),
    isArray: (name) => name === 'Event' || name === 'Data',
  })
  let doc: unknown
  try {
    doc = parser.parse(wrapped)
  } catch (e) {
    diagnostics.push({ severity: 'error', code: 'not-well-formed', message: `The events file could not be read: ${e instanceof Error ? e.message : String(e)}` })
    return { value: null, diagnostics }
  }
  const events: Node[] = []
  collectEvents(doc, events, 0)
  if (events.length === 0) {
    diagnostics.push({ severity: 'error', code: 'no-events', message: 'No <Event> elements were found: expected AppLocker events exported with wevtutil or Get-WinEvent.' })
    return { value: null, diagnostics }
  }
  // Line of each <Event> start tag, in document order (events are not nested).
  const starts: number[] = []
  for (const m of source.matchAll(/<(?:[A-Za-z_][\w.-]*:)?Event(?=[\s>/])/g)) starts.push(m.index ?? 0)

  const scan = new EventScan(machine)
  events.forEach((event, i) => scan.add(event, starts[i] !== undefined ? { line: lines.at(starts[i]).line } : {}))
  diagnostics.push(...scan.finish())
  return { value: scan.files, diagnostics }
}

