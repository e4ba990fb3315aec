/**
 * Reads a policy (a picked or dropped File, or bytes) in a Worker, with progress and cancel; the
 * page only assembles the slices it receives, so it stays responsive even for a 100 MB policy.
 * Where Workers cannot run, the reader runs in the page instead (same result, no progress).
 */
import type { Diagnostic } from '../applocker/diagnostics'
import type { Policy } from '../applocker/policy'
import type { ReadPolicyMessage, ReadPolicyPhase, ReadPolicyRequest } from '../workers/readPolicy.protocol'

export interface ReadPolicyOutcome {
  policy: Policy | null
  diagnostics: Diagnostic[]
  /** JSON.stringify(policy), made in the Worker, when asked for. */
  json: string | null
}

export interface ReadPolicyProgress {
  phase: ReadPolicyPhase
  /** Bytes read, or rules received. */
  done: number
  total: number
}

export interface ReadPolicyOptions {
  wrapRoots?: boolean
  json?: boolean
  signal?: AbortSignal
  onProgress?: (p: ReadPolicyProgress) => void
}

export function abortError(): DOMException {
  return new DOMException('The import was cancelled.', 'AbortError')
}

async function readInPage(input: File | Uint8Array, options: ReadPolicyOptions): Promise<ReadPolicyOutcome> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(await input.arrayBuffer())
  if (options.signal?.aborted) throw abortError()
  const { readPolicy } = await import('../applocker/xml/read')
  try {
    const r = readPolicy(bytes, { wrapRoots: options.wrapRoots })
    return { policy: r.value, diagnostics: r.diagnostics, json: null }
  } catch (e) {
    return { policy: null, diagnostics: [{ severity: 'error', code: 'internal', message: `The file could not be read: ${String(e)}` }], json: null }
  }
}

export function readPolicyFile(input: File | Uint8Array, options: ReadPolicyOptions = {}): Promise<ReadPolicyOutcome> {
  if (options.signal?.aborted) return Promise.reject(abortError())
  let worker: Worker
  try {
    worker = new Worker(new URL('../workers/readPolicy.worker.ts', import.meta.url), { type: 'module' })
  } catch {
    return readInPage(input, options)
  }
  return new Promise<ReadPolicyOutcome>((resolve, reject) => {
    let shell: Policy | null = null
    let diagnostics: Diagnostic[] = []
    let received = 0
    let total = 0
    const finish = () => {
      worker.terminate()
      options.signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = () => {
      finish()
      reject(abortError())
    }
    options.signal?.addEventListener('abort', onAbort)
    worker.onerror = (e) => {
      e.preventDefault()
      finish()
      // The Worker could not start (or died): read in the page instead.
      readInPage(input, options).then(resolve, reject)
    }
    worker.onmessage = (e: MessageEvent<ReadPolicyMessage>) => {
      const m = e.data
      switch (m.type) {
        case 'progress':
          options.onProgress?.({ phase: m.phase, done: m.done, total: m.total })
          return
        case 'head':
          shell = m.shell
          diagnostics = m.diagnostics
          total = m.ruleCounts.reduce((a, b) => a + b, 0)
          options.onProgress?.({ phase: 'receiving', done: 0, total })
          return
        case 'rules': {
          const rules = shell!.collections[m.collection].rules
          for (const r of m.rules) rules.push(r)
          received += m.rules.length
          options.onProgress?.({ phase: 'receiving', done: received, total })
          return
        }
        case 'done':
          finish()
          resolve({ policy: shell, diagnostics, json: m.json })
          return
        case 'error':
          finish()
          resolve({ policy: null, diagnostics: [{ severity: 'error', code: 'internal', message: `The file could not be read: ${m.message}` }], json: null })
      }
    }
    const request: ReadPolicyRequest = { input, wrapRoots: options.wrapRoots ?? false, json: options.json ?? false }
    worker.postMessage(request)
  })
}
