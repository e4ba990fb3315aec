/// <reference lib="webworker" />
/**
 * Reads a policy file off the page's thread: the bytes (with progress), the reader's parse and
 * checks, then the result in slices (readPolicy.protocol.ts). Cancel is the page terminating it.
 */
import { readPolicy } from '../applocker/xml/read'
import { policyShell, RULES_PER_MESSAGE, type ReadPolicyMessage, type ReadPolicyRequest } from './readPolicy.protocol'

declare const self: DedicatedWorkerGlobalScope

function post(message: ReadPolicyMessage): void {
  self.postMessage(message)
}

async function readBytes(file: File): Promise<Uint8Array> {
  const total = file.size
  const out = new Uint8Array(total)
  let done = 0
  let last = 0
  const reader = file.stream().getReader()
  for (;;) {
    const { value, done: end } = await reader.read()
    if (end) break
    if (done + value.length > out.length) throw new Error('The file grew while it was read.')
    out.set(value, done)
    done += value.length
    if (done - last > 1 << 20 || done === total) {
      last = done
      post({ type: 'progress', phase: 'reading', done, total })
    }
  }
  return done === total ? out : out.subarray(0, done)
}

self.onmessage = async (e: MessageEvent<ReadPolicyRequest>) => {
  try {
    const { input, wrapRoots, json } = e.data
    const bytes = input instanceof Uint8Array ? input : await readBytes(input)
    post({ type: 'progress', phase: 'parsing', done: 0, total: 1 })
    const result = readPolicy(bytes, { wrapRoots })
    if (!result.value) {
      post({ type: 'head', shell: null, ruleCounts: [], diagnostics: result.diagnostics, source: result.source, encoding: result.encoding })
      post({ type: 'done', json: null })
      return
    }
    const { shell, ruleCounts } = policyShell(result.value)
    post({ type: 'head', shell, ruleCounts, diagnostics: result.diagnostics, source: result.source, encoding: result.encoding })
    result.value.collections.forEach((c, i) => {
      for (let at = 0; at < c.rules.length; at += RULES_PER_MESSAGE) post({ type: 'rules', collection: i, rules: c.rules.slice(at, at + RULES_PER_MESSAGE) })
    })
    post({ type: 'done', json: json ? JSON.stringify(result.value) : null })
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
  }
}
