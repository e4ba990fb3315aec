/** Inventories: lists of files to decide, as people bring them (FILES.json, CSV, AppLocker events). */
import type { Diagnostic } from '../diagnostics'
import type { FileFacts } from '../evaluate/types'

/** What Windows recorded for a file, when the inventory is a set of AppLocker events. */
export interface RecordedEvent {
  /** 8002 to 8007, 8020 to 8025. */
  id: number
  /** EXE, DLL, MSI, SCRIPT or APPX. */
  policyName: string
  /** The deciding rule's Id without braces, null when decided by default (all-zero RuleId). */
  ruleId: string | null
  ruleName: string | null
  /** TimeCreated/@SystemTime. */
  time?: string
  computer?: string
  /** EventRecordID, when read from an .evtx file. */
  recordId?: number
}

/** One file of an inventory: its facts, plus the user when the source names one, and where it came from. */
export interface InventoryFile extends FileFacts {
  /** The user's SID (events: TargetUser; FILES.json and CSV: an optional user column). */
  user?: string | null
  /** 1-based line in the source text where the entry starts. */
  line?: number
  /** For events: what Windows logged. */
  event?: RecordedEvent
}

export type InventoryFormat = 'files-json' | 'csv' | 'events' | 'evtx'

export interface InventoryReadResult {
  /** The files read (bad entries skipped and reported); null when the input as a whole could not be read. */
  value: InventoryFile[] | null
  diagnostics: Diagnostic[]
}
