/**
 * Reads a policy (a picked or dropped File, or bytes) in the reader Worker (src/workers/readPolicy.api.ts)
 * through the typed client of src/lib/rpc.ts, with progress and Cancel; the page only assembles the
 * slices it receives, so it stays responsive even for a 100 MB policy. Where Workers cannot run, the
 * same reader runs in the page instead (same result).
 *
 * Each read has its own Worker: the parse itself is one synchronous step, so Cancel stops the Worker
 * (the call rejects with an AbortError at once) rather than waiting for the parse to notice.
 *
 * The browser save is read the same way on a reload (readSaveInWorker), so a large saved policy is
 * not parsed on the page's thread either.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import type { Policy, Rule } from '../applocker/policy'
import { rememberRun } from './policyJson'
import type { OpenSaveEvent, ReadPolicyApi, ReadPolicyEvent, ReadPolicyPhase, RulesEvent } from '../workers/readPolicy.api'
import { abortError, connect, isAbortError } from './rpc'
import type { ReadSave } from './savedDocument'

export interface ReadPolicyOutcome {
  policy: Policy | null
  diagnostics: Diagnostic[]
}

export interface ReadPolicyProgress {
  phase: ReadPolicyPhase
  /** Bytes read, or rules received. */
  done: number
  total: number
}

export interface ReadPolicyOptions {
  wrapRoots?: boolean
  signal?: AbortSignal
  onProgress?: (p: ReadPolicyProgress) => void
}

export { abortError, isAbortError }

function unreadable(message: string): ReadPolicyOutcome {
  return { policy: null, diagnostics: [{ severity: 'error', code: 'internal', message: `The file could not be read: ${message}` }] }
}

/** A client of a new reader Worker (the reader runs in the page where Workers cannot). */
function reader() {
  return connect<ReadPolicyApi>(
    () => new Worker(new URL('../workers/readPolicy.worker.ts', import.meta.url), { type: 'module' }),
    () => import('../workers/readPolicy.api').then((m) => m.readPolicyApi),
  )
}

/**
 * Adds a slice of rules to the policy being received. The slice comes as its rules' JSON texts joined
 * by commas: one parse, and the same text becomes a run of the policy's JSON (policyJson.ts), for the
 * browser save and the Workers.
 */
function receiveRules(shell: Policy, m: RulesEvent): number {
  const rules = shell.collections[m.collection].rules
  const slice = JSON.parse(`[${m.rules}]`) as Rule[]
  for (const r of slice) rules.push(r)
  rememberRun(slice, m.rules)
  return slice.length
}

export async function readPolicyFile(input: File | Uint8Array, options: ReadPolicyOptions = {}): Promise<ReadPolicyOutcome> {
  const { signal, onProgress } = options
  if (signal?.aborted) throw abortError()
  const worker = reader()
  // Stopping the Worker rejects the call with an AbortError.
  const stop = () => worker.dispose()
  signal?.addEventListener('abort', stop)
  let shell: Policy | null = null
  let diagnostics: Diagnostic[] = []
  let received = 0
  let total = 0
  const onEvent = (m: ReadPolicyEvent) => {
    switch (m.type) {
      case 'progress':
        onProgress?.({ phase: m.phase, done: m.done, total: m.total })
        return
      case 'head':
        shell = m.shell
        diagnostics = m.diagnostics
        total = m.ruleCounts.reduce((a, b) => a + b, 0)
        onProgress?.({ phase: 'receiving', done: 0, total })
        return
      case 'rules':
        received += receiveRules(shell!, m)
        onProgress?.({ phase: 'receiving', done: received, total })
        return
    }
  }
  try {
    await worker.call('read', { input, wrapRoots: options.wrapRoots ?? false }, { signal, onEvent })
    return { policy: shell, diagnostics }
  } catch (e) {
    if (isAbortError(e) || signal?.aborted) throw abortError()
    return unreadable(e instanceof Error ? e.message : String(e))
  } finally {
    signal?.removeEventListener('abort', stop)
    worker.dispose()
  }
}

/**
 * Reads a browser save (src/lib/savedDocument.ts's readSave: parse, migrate, check) in the reader
 * Worker; the page only assembles the slices. Never throws: should the Worker fail, the save is read
 * in the page instead, so a readable save is never taken for an unreadable one.
 */
export async function readSaveInWorker(save: Blob | string): Promise<ReadSave> {
  const worker = reader()
  let read: ReadSave | null = null
  const onEvent = (m: OpenSaveEvent) => {
    if (m.type === 'rules') {
      if (read?.ok) receiveRules(read.doc.state.policy, m)
    } else if (!m.ok) {
      read = { ok: false, reason: m.reason }
    } else {
      const doc = { revision: m.revision, state: { policy: m.shell, name: m.name, dirty: m.dirty } }
      read = m.migratedFrom === undefined ? { ok: true, doc } : { ok: true, doc, migratedFrom: m.migratedFrom }
    }
  }
  try {
    await worker.call('openSave', save, { onEvent })
    if (read) return read
  } catch {
    /* read in the page below */
  } finally {
    worker.dispose()
  }
  const { readSave } = await import('./savedDocument')
  try {
    return readSave(typeof save === 'string' ? save : await save.text())
  } catch (e) {
    return { ok: false, reason: `the saved value could not be read (${e instanceof Error ? e.name || e.message : String(e)})` }
  }
}
