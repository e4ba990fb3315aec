/**
 * What the document commands ask of the document's components: open the import file picker, the
 * "Export a policy Windows will reject?" question, the "Discard unsaved changes?" question.
 */
import { create } from 'zustand'
import type { Diagnostic } from '../../applocker/diagnostics'
import type { XmlEncoding } from '../../applocker/xml/write'
import { createTrigger } from '../../lib/trigger'

/** Opens Import policy's file picker. */
export const pickPolicyToImport = createTrigger()

export interface DocumentRequests {
  /** An export waiting for the user's answer because errors remain. */
  exportPending: { encoding: XmlEncoding; errors: Diagnostic[] } | null
  /** New policy asks before discarding unsaved changes. */
  askingNew: boolean
}

export const useDocumentRequests = create<DocumentRequests>()(() => ({ exportPending: null, askingNew: false }))
