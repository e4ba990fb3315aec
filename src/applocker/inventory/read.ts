/**
 * Reads an inventory in any of its formats, recognised by content: an .evtx file ("ElfFile"
 * signature), a JSON array (FILES.json), XML (AppLocker events), anything else CSV.
 */
import type { Diagnostic } from '../diagnostics'
import type { MachineSettings } from '../evaluate/types'
import { detectEncoding } from '../xml/decode'
import { readInventoryCsv } from './csv'
import { readAppLockerEvents } from './events'
import { isEvtx } from './evtx'
import { readAppLockerEvtx } from './evtxInventory'
import { readFilesJson } from './json'
import type { InventoryFormat, InventoryReadResult } from './types'

/** Bytes as text, in the encoding detectEncoding finds (the byte-order mark removed). */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, start } = detectEncoding(bytes)
  return new TextDecoder(encoding).decode(bytes.subarray(start))
}

/** The format of an inventory text, by its first meaningful character. */
export function detectInventoryFormat(text: string): InventoryFormat {
  const t = text.replace(/^\uFEFF/, '').trimStart()
  if (t.startsWith('[')) return 'files-json'
  if (t.startsWith('<')) return 'events'
  return 'csv'
}

export interface InventoryOptions {
  /** Machine for expanding the path variables of events (default: DEFAULT_MACHINE). */
  machine?: MachineSettings
}

/** Reads an inventory, whatever its format. Never throws. */
export function readInventory(input: Uint8Array | string, options: InventoryOptions = {}): InventoryReadResult & { format: InventoryFormat | null } {
  if (typeof input !== 'string' && isEvtx(input)) return { ...readAppLockerEvtx(input, options.machine), format: 'evtx' }
  const text = typeof input === 'string' ? input : decodeText(input)
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    const diagnostics: Diagnostic[] = [{ severity: 'error', code: 'empty', message: 'The file list is empty.' }]
    return { value: null, diagnostics, format: null }
  }
  const format = detectInventoryFormat(text)
  if (text.replace(/^\uFEFF/, '').trimStart().startsWith('{')) {
    return {
      value: null,
      diagnostics: [{ severity: 'error', code: 'not-an-array', message: 'The file list must be a JSON array of files ([{"path": ...}, ...]), not a single object.', line: 1 }],
      format: 'files-json',
    }
  }
  try {
    const result = format === 'files-json' ? readFilesJson(text) : format === 'events' ? readAppLockerEvents(text, options.machine) : readInventoryCsv(text)
    return { ...result, format }
  } catch (e) {
    return { value: null, diagnostics: [{ severity: 'error', code: 'unreadable', message: `The file list could not be read: ${e instanceof Error ? e.message : String(e)}` }], format }
  }
}
