/** Reading a picked or dropped file into the document; a failure leaves the open policy untouched. */
import type { PolicyReadResult } from '../../applocker/xml/read'
import type { Diagnostic } from '../../applocker/diagnostics'
import { useDocument } from '../../store/document'

export interface ImportOutcome {
  fileName: string
  ok: boolean
  diagnostics: Diagnostic[]
  /** Set when the file holds several RuleCollection roots and can be opened by wrapping them. */
  canWrapRoots: boolean
}

export async function readFileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer())
}

/**
 * Reads the bytes and, when they hold a policy, makes it the open document (undoable).
 * The reader loads on first use, so it is not part of the initial bundle.
 */
export async function importPolicyBytes(fileName: string, bytes: Uint8Array, wrapRoots = false): Promise<ImportOutcome> {
  let result: PolicyReadResult
  try {
    const { readPolicy } = await import('../../applocker/xml/read')
    result = readPolicy(bytes, { wrapRoots })
  } catch (e) {
    // The reader promises not to throw; if it ever does, the open policy still stays as it was.
    result = {
      value: null,
      source: null,
      encoding: 'unknown',
      diagnostics: [{ severity: 'error', code: 'internal', message: `The file could not be read: ${String(e)}` }],
    }
  }
  if (result.value) {
    useDocument.getState().replace(result.value, fileName, `Import ${fileName}`)
  }
  return {
    fileName,
    ok: result.value !== null,
    diagnostics: result.diagnostics,
    canWrapRoots: !result.value && result.diagnostics.some((d) => d.code === 'multiple-roots'),
  }
}
