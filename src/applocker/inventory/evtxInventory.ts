/**
 * AppLocker events straight from .evtx files (Event Viewer's "Save All Events As...", `wevtutil
 * epl "Microsoft-Windows-AppLocker/EXE and DLL" applocker.evtx`, or the log file itself), as an
 * inventory: each record is read by the .evtx reader and handled exactly as the same event
 * exported as XML (events.ts). Events of other providers or that are not file decisions are
 * counted and skipped; damaged chunks or records are named (chunk, record, file offset) and
 * skipped.
 */
import type { Diagnostic } from '../diagnostics'
import { DEFAULT_MACHINE, type MachineSettings } from '../evaluate/types'
import { EventScan } from './events'
import { evtxItems, formatEvtxNote, type EvtxElement } from './evtx'
import type { InventoryReadResult } from './types'

type Parsed = Record<string, unknown>

const localName = (name: string) => name.slice(name.indexOf(':') + 1)

/**
 * An element in the shape the XML events reader gets from fast-xml-parser (attributes as
 * "@_Name", text-only elements as their trimmed text, repeated names and Event/Data as arrays).
 */
export function parsedShape(el: EvtxElement): Parsed | string {
  let text = ''
  let hasChildren = false
  const node: Parsed = {}
  for (const a of el.attributes) node[`@_${localName(a.name)}`] = a.value
  for (const c of el.children) {
    if (typeof c === 'string') {
      text += c
      continue
    }
    hasChildren = true
    const name = localName(c.name)
    const value = parsedShape(c)
    const existing = Object.hasOwn(node, name) ? node[name] : undefined
    if (existing === undefined) node[name] = name === 'Data' || name === 'Event' ? [value] : value
    else if (Array.isArray(existing)) existing.push(value)
    else node[name] = [existing, value]
  }
  text = text.trim()
  if (el.attributes.length === 0 && !hasChildren) return text
  if (text !== '') node['#text'] = text
  return node
}

/** Reads the AppLocker file events of an .evtx file. Never throws. */
export function readAppLockerEvtx(bytes: Uint8Array, machine: MachineSettings = DEFAULT_MACHINE): InventoryReadResult {
  const scan = new EventScan(machine)
  const notes: Diagnostic[] = []
  let events = 0
  for (const item of evtxItems(bytes)) {
    if ('element' in item) {
      events++
      const shape = parsedShape(item.element)
      scan.add(typeof shape === 'string' ? {} : shape, { recordId: item.recordId })
    } else if ('message' in item) {
      notes.push({ severity: 'warning', code: 'evtx-damaged', message: formatEvtxNote(item) })
    }
  }
  if (events === 0) {
    notes.push({ severity: 'error', code: 'no-events', message: 'The .evtx file holds no event that could be read.' })
    return { value: null, diagnostics: notes }
  }
  return { value: scan.files, diagnostics: [...notes, ...scan.finish()] }
}
