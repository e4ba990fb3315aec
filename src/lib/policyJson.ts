/**
 * The open policy as JSON, made without freezing the page.
 *
 * The JSON is what the browser save stores (src/store/persistence.ts) and what the page sends to its
 * Workers (validation and review). It is handed over as a Blob: storing a Blob in IndexedDB or posting
 * it to a Worker passes a reference, where a 25 MB string (or the policy object itself) would be
 * copied on the page's thread, taking hundreds of milliseconds for 50,000 rules.
 *
 * The Blob is made of runs: consecutive rules of a collection whose JSON is one small Blob, kept by
 * the run's first rule object. Edits share unchanged rule objects, so after an edit the runs around
 * the changed rules are serialised again and the others are reused (an insert or a delete only
 * breaks the run it falls in). Rules read by the reader Worker arrive as JSON text, 250 at a
 * time, and each slice becomes a run as it arrives (rememberRun), so an imported policy is never
 * serialised on the page and its texts are not kept beside the rules. New runs are made in slices
 * of a few milliseconds, yielding to the page in between.
 */
import type { Policy, Rule } from '../applocker/policy'

interface Run {
  /** The rules of the run, in order (the run is valid where the same objects follow each other). */
  rules: readonly Rule[]
  /** Their JSON texts joined by commas. */
  blob: Blob
}

const runs = new WeakMap<Rule, Run>()
// Only the latest policy's Blob is kept: the undo history holds up to 200 policies.
let latest: { policy: Policy; blob: Blob } | null = null

/** Rules per run made on the page. */
const RUN_LENGTH = 1_000
/** How long the page works before it yields (ms). */
const SLICE_MS = 8
/** Parts per intermediate Blob (see policyJsonBlob). */
const GROUP = 32

/**
 * `texts` are JSON.stringify of `rules` (made elsewhere, e.g. the reader Worker), which follow each other
 * in a collection: one text per rule, or all of them already joined by commas.
 */
export function rememberRun(rules: readonly Rule[], texts: readonly string[] | string): void {
  if (rules.length === 0 || (typeof texts !== 'string' && rules.length !== texts.length)) return
  runs.set(rules[0], { rules, blob: new Blob([typeof texts === 'string' ? texts : texts.join(',')]) })
}

/** Lets the page handle input and draw (a macrotask without setTimeout's clamping). */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

/** The remembered run starting at `rules[at]`, when the same rules still follow each other there. */
function runAt(rules: readonly Rule[], at: number): Run | undefined {
  const run = runs.get(rules[at])
  if (!run || at + run.rules.length > rules.length) return undefined
  for (let i = 1; i < run.rules.length; i++) if (rules[at + i] !== run.rules[i]) return undefined
  return run
}

/** The policy's JSON text without its rules, split where each collection's rules go. */
function shellParts(policy: Policy): string[] {
  // The shell with each collection's rules replaced by a marker no policy text can contain.
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`
  const name = (i: number) => `__rules_${i}_${nonce}__`
  const shell = JSON.stringify({ ...policy, collections: policy.collections.map((c, i) => ({ ...c, rules: name(i) })) })
  const out: string[] = []
  let from = 0
  policy.collections.forEach((_, i) => {
    const marker = `"${name(i)}"`
    const at = shell.indexOf(marker, from)
    out.push(shell.slice(from, at))
    from = at + marker.length
  })
  out.push(shell.slice(from))
  return out
}

function abortError(): DOMException {
  return new DOMException('The operation was cancelled.', 'AbortError')
}

/**
 * The build in progress, shared by every caller that asks for the same policy meanwhile (the save and
 * the review Worker ask at once after each change). It stops only when every caller has cancelled.
 */
let building: { policy: Policy; blob: Promise<Blob>; stop: AbortController; waiting: number } | null = null

/**
 * JSON.stringify(policy) as a UTF-8 Blob, made in slices between which the page draws and answers
 * input. Rejects with an AbortError when `signal` is aborted. Callers asking for the policy whose
 * Blob is being made share that work.
 */
export function policyJsonBlob(policy: Policy, signal?: AbortSignal): Promise<Blob> {
  if (latest?.policy === policy) return Promise.resolve(latest.blob)
  if (signal?.aborted) return Promise.reject(abortError())
  let b = building?.policy === policy && !building.stop.signal.aborted ? building : null
  if (b === null) {
    const stop = new AbortController()
    const made = buildBlob(policy, stop.signal)
    const entry = { policy, blob: made, stop, waiting: 0 }
    const done = () => {
      if (building === entry) building = null
    }
    made.then(done, done)
    b = building = entry
  }
  const shared = b
  if (signal === undefined) {
    // A caller that cannot cancel keeps the build going.
    shared.waiting = Infinity
    return shared.blob
  }
  shared.waiting++
  return new Promise<Blob>((resolve, reject) => {
    const cancel = () => {
      if (--shared.waiting === 0) shared.stop.abort()
      reject(abortError())
    }
    signal.addEventListener('abort', cancel, { once: true })
    shared.blob.then(
      (blob) => {
        signal.removeEventListener('abort', cancel)
        resolve(blob)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', cancel)
        reject(e instanceof Error ? e : abortError())
      },
    )
  })
}

async function buildBlob(policy: Policy, signal: AbortSignal): Promise<Blob> {
  const check = () => {
    if (signal.aborted) throw abortError()
  }
  let start = performance.now()
  const breathe = async () => {
    if (performance.now() - start <= SLICE_MS) return
    await yieldToPage()
    check()
    start = performance.now()
  }
  const shell = shellParts(policy)
  // The parts are gathered into Blobs of up to GROUP parts as they come: one Blob of a few hundred
  // parts takes Chromium tens of milliseconds to make (70-80 ms for 50,000 rules on a 2-core machine),
  // a Blob of a few dozen a few.
  const groups: Blob[] = []
  let parts: BlobPart[] = [shell[0]]
  const add = (part: BlobPart) => {
    parts.push(part)
    if (parts.length >= GROUP) {
      groups.push(new Blob(parts))
      parts = []
    }
  }
  for (let c = 0; c < policy.collections.length; c++) {
    const rules = policy.collections[c].rules
    add('[')
    let at = 0
    while (at < rules.length) {
      if (at > 0) add(',')
      let run = runAt(rules, at)
      if (!run) {
        // A new run: up to RUN_LENGTH rules, stopping where a remembered run starts.
        const texts: string[] = []
        let end = at
        do {
          texts.push(JSON.stringify(rules[end]))
          end++
          await breathe()
        } while (end < rules.length && end - at < RUN_LENGTH && !runAt(rules, end))
        run = { rules: rules.slice(at, end), blob: new Blob([texts.join(',')]) }
        runs.set(rules[at], run)
      }
      add(run.blob)
      at += run.rules.length
      await breathe()
    }
    add(']')
    add(shell[c + 1])
  }
  const blob = new Blob([...groups, ...parts], { type: 'application/json' })
  latest = { policy, blob }
  return blob
}

/** JSON.stringify(policy) as a string (made through the Blob, so the page does not freeze). */
export async function policyJson(policy: Policy, signal?: AbortSignal): Promise<string> {
  return (await policyJsonBlob(policy, signal)).text()
}
