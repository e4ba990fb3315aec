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
  /**
   * FilePath as Windows wrote it: AppLocker's variable form, upper case, with the most specific
   * variable (`%PROGRAMFILES%\VENDOR\APP.EXE`, `%HOT%\TOOLS\X.EXE`; reference/applocker-deep.md
   * section 8.3). Path rules made from the event use it. Absent for packaged apps and when the event has none.
   */
  filePath?: string
  /**
   * The event carries neither a hash nor a signer (FileHash empty, Fqbn `-`), as the events of blocked
   * files do: the file's signer and hash are unknown, not absent (section 8.3: `-` is "unsigned/not
   * computed"). The entry then takes them from another event of the same file when one has them
   * (`identityFrom`), else it has neither (and `InventoryFile.note` says what that means).
   */
  identityUnrecorded?: true
  /** When `identityUnrecorded`: the event of the same file whose hash and signer the entry took. */
  identityFrom?: EventRef
}

/** Which event of the inventory: its ID, and its line (exported XML) or record (.evtx). */
export interface EventRef {
  id: number
  line?: number
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
  /**
   * What the entry's facts can and cannot tell, in a sentence shown with the file (the simulation's
   * explanation): e.g. a blocked event without signer or hash, checked against path rules only.
   */
  note?: string
}

export type InventoryFormat = 'files-json' | 'csv' | 'events' | 'evtx'

export interface InventoryReadResult {
  /** The files read (bad entries skipped and reported); null when the input as a whole could not be read. */
  value: InventoryFile[] | null
  diagnostics: Diagnostic[]
}
