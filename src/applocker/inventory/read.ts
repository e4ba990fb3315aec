/**
 * Reads an inventory in any of the three formats, recognised by content: a JSON array
 * (FILES.json), XML (AppLocker events), anything else CSV.
 */
import type { Diagnostic } from '../diagnostics'
import type { MachineSettings } from '../evaluate/types'
import { readInventoryCsv } from './csv'
import { readAppLockerEvents } from './events'
import { readFilesJson } from './json'
import type { InventoryFormat, InventoryReadResult } from './types'

/** Bytes as text: UTF-8 (BOM optional), UTF-16 LE/BE with BOM, UTF-16 LE without BOM recognised by its zero bytes. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3))
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return new TextDecoder('utf-16le').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
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
