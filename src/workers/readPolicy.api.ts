/**
 * Reading a policy file, for the reader Worker (readPolicy.worker.ts) or, where Workers cannot run,
 * the page: the bytes (with progress), the reader's parse and checks, then the result in slices (a
 * collection's rules 250 at a time, as the rules' JSON texts joined by commas), so that no single message
 * costs the page more than a few milliseconds to receive. The page keeps each rule's text
 * (src/lib/policyJson.ts): the browser save and the Workers get the policy's JSON without the page
 * serialising it.
 * The same Worker reads the browser save on a reload (`openSave`): the text, JSON.parse, migrations
 * and shape checks of src/lib/savedDocument.ts's readSave, then the rules in the same slices.
 * Called through src/lib/rpc.ts by src/lib/readPolicyFile.ts.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import type { Policy, RuleCollection } from '../applocker/policy'
import { readPolicy } from '../applocker/xml/read'
import { abortError, type CallContext } from '../lib/rpc'
import { readSave } from '../lib/savedDocument'

export interface ReadPolicyRequest {
  /** A File (read in the Worker, piece by piece) or bytes already in memory. */
  input: File | Uint8Array
  wrapRoots: boolean
}

export type ReadPolicyPhase = 'reading' | 'parsing' | 'receiving'

export type ReadPolicyEvent =
  | { type: 'progress'; phase: ReadPolicyPhase; done: number; total: number }
  /** The policy without its rules (each collection's `rules` empty), or null when refused. */
  | { type: 'head'; shell: Policy | null; ruleCounts: number[]; diagnostics: Diagnostic[]; source: string | null; encoding: string }
  /** JSON.stringify of each rule, in order, joined by commas (one string to post and to parse). */
  | { type: 'rules'; collection: number; rules: string }

/** A slice of a collection's rules. */
export type RulesEvent = Extract<ReadPolicyEvent, { type: 'rules' }>

export type OpenSaveEvent =
  /** The save's document without its rules (they follow in slices). */
  | { type: 'save'; ok: true; revision: number; name: string; dirty: boolean; migratedFrom?: number; shell: Policy; ruleCounts: number[] }
  /** The save cannot be read: why (the page copies it aside). */
  | { type: 'save'; ok: false; reason: string }
  | RulesEvent

/** Rules per 'rules' event. */
export const RULES_PER_MESSAGE = 250

/** The policy with every collection's rules left out (they follow in slices). */
export function policyShell(policy: Policy): { shell: Policy; ruleCounts: number[] } {
  const collections: RuleCollection[] = policy.collections.map((c) => ({ ...c, rules: [] }))
  return { shell: { ...policy, collections }, ruleCounts: policy.collections.map((c) => c.rules.length) }
}

async function readBytes(file: File, ctx: CallContext<ReadPolicyEvent>): Promise<Uint8Array> {
  const total = file.size
  const out = new Uint8Array(total)
  let done = 0
  let last = 0
  const reader = file.stream().getReader()
  for (;;) {
    const { value, done: end } = await reader.read()
    if (end) break
    if (ctx.signal.aborted) {
      void reader.cancel()
      throw abortError()
    }
    if (done + value.length > out.length) throw new Error('The file grew while it was read.')
    out.set(value, done)
    done += value.length
    if (done - last > 1 << 20 || done === total) {
      last = done
      ctx.emit({ type: 'progress', phase: 'reading', done, total })
    }
  }
  return done === total ? out : out.subarray(0, done)
}

export const readPolicyApi = {
  /** Events: progress while reading, `head`, then `rules` slices. */
  read: async (request: ReadPolicyRequest, ctx: CallContext<ReadPolicyEvent>): Promise<void> => {
    const { input, wrapRoots } = request
    const bytes = input instanceof Uint8Array ? input : await readBytes(input, ctx)
    ctx.emit({ type: 'progress', phase: 'parsing', done: 0, total: 1 })
    const result = readPolicy(bytes, { wrapRoots })
    if (!result.value) {
      ctx.emit({ type: 'head', shell: null, ruleCounts: [], diagnostics: result.diagnostics, source: result.source, encoding: result.encoding })
      return
    }
    const { shell, ruleCounts } = policyShell(result.value)
    ctx.emit({ type: 'head', shell, ruleCounts, diagnostics: result.diagnostics, source: result.source, encoding: result.encoding })
    emitRules(result.value, ctx)
  },

  /** A browser save (a Blob from IndexedDB or localStorage's text). Events: `save`, then `rules` slices when it is readable. */
  openSave: async (save: Blob | string, ctx: CallContext<OpenSaveEvent>): Promise<void> => {
    const read = readSave(typeof save === 'string' ? save : await save.text())
    if (!read.ok) {
      ctx.emit({ type: 'save', ok: false, reason: read.reason })
      return
    }
    const { revision, state } = read.doc
    const { shell, ruleCounts } = policyShell(state.policy)
    const head = { type: 'save', ok: true, revision, name: state.name, dirty: state.dirty, shell, ruleCounts } as const
    ctx.emit(read.migratedFrom === undefined ? head : { ...head, migratedFrom: read.migratedFrom })
    emitRules(state.policy, ctx)
  },
}

/** Each collection's rules as their JSON texts, RULES_PER_MESSAGE at a time. */
function emitRules(policy: Policy, ctx: CallContext<RulesEvent>): void {
  policy.collections.forEach((c, i) => {
    for (let at = 0; at < c.rules.length; at += RULES_PER_MESSAGE) {
      const slice = c.rules.slice(at, at + RULES_PER_MESSAGE)
      ctx.emit({ type: 'rules', collection: i, rules: slice.map((r) => JSON.stringify(r)).join(',') })
    }
  })
}

export type ReadPolicyApi = typeof readPolicyApi
