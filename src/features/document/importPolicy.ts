/**
 * Importing a picked or dropped file: read in a Worker (progress, Cancel), then, when the open
 * policy has unexported changes, ask before replacing it. Until the new policy is ready and the
 * user has agreed, the open policy stays exactly as it is.
 */
import { create } from 'zustand'
import type { Diagnostic } from '../../applocker/diagnostics'
import { useDocument } from '../../store/document'
import { readPolicyFile, type ReadPolicyProgress } from '../../lib/readPolicyFile'

export interface ImportOutcome {
  fileName: string
  ok: boolean
  diagnostics: Diagnostic[]
  /** Set when the file holds several RuleCollection roots and can be opened by wrapping them. */
  canWrapRoots: boolean
}

export interface ImportActivityState {
  /** The import under way: what is read, how far, and how to cancel it. */
  job: { fileName: string; progress: ReadPolicyProgress | null; cancel: () => void } | null
  /** Waiting for "Discard unsaved changes?". */
  confirm: { fileName: string; answer: (open: boolean) => void } | null
  /** A note about the last import (several files dropped: which one was opened). */
  note: string | null
}

export const useImportActivity = create<ImportActivityState>()(() => ({ job: null, confirm: null, note: null }))

function askToDiscard(fileName: string): Promise<boolean> {
  return new Promise((resolve) =>
    useImportActivity.setState({
      confirm: {
        fileName,
        answer: (open) => {
          useImportActivity.setState({ confirm: null })
          resolve(open)
        },
      },
    }),
  )
}

/**
 * Reads `input` and, when it holds a policy (and the user agrees to replace unexported changes),
 * makes it the open document (undoable). Null when cancelled or declined.
 */
export async function importPolicyFile(fileName: string, input: File | Uint8Array, wrapRoots = false, note: string | null = null): Promise<ImportOutcome | null> {
  useImportActivity.getState().job?.cancel()
  const controller = new AbortController()
  const cancel = () => controller.abort()
  useImportActivity.setState({ job: { fileName, progress: null, cancel }, note })
  const setProgress = (progress: ReadPolicyProgress) => {
    const job = useImportActivity.getState().job
    if (job?.cancel === cancel && !controller.signal.aborted) useImportActivity.setState({ job: { ...job, progress } })
  }
  let result
  try {
    result = await readPolicyFile(input, { wrapRoots, signal: controller.signal, onProgress: setProgress })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return null
    result = { policy: null, diagnostics: [{ severity: 'error' as const, code: 'internal', message: `The file could not be read: ${String(e)}` }] }
  } finally {
    // This import's panel goes (a newer import has its own).
    if (useImportActivity.getState().job?.cancel === cancel) useImportActivity.setState({ job: null })
  }
  if (result.policy) {
    if (useDocument.getState().dirty && !(await askToDiscard(fileName))) return null
    useDocument.getState().replace(result.policy, fileName, `Import ${fileName}`)
  }
  return {
    fileName,
    ok: result.policy !== null,
    diagnostics: result.diagnostics,
    canWrapRoots: !result.policy && result.diagnostics.some((d) => d.code === 'multiple-roots'),
  }
}

/** Of several dropped files, the one to open (the first policy-looking one) and what to tell the user. */
export function pickDroppedFile(files: readonly File[]): { file: File; note: string | null } | null {
  if (files.length === 0) return null
  const file = files.find((f) => /\.xml$/i.test(f.name)) ?? files[0]
  if (files.length === 1) return { file, note: null }
  return { file, note: `${files.length} files were dropped; one policy opens at a time, so only ${file.name} was opened. Use Merge policy... to add another policy's rules.` }
}
