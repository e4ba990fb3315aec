/**
 * The open policy as JSON, made without freezing the page.
 *
 * The JSON is what the browser save stores (persistence.ts) and what the page sends to its Workers
 * (validation and review). It is handed over as a Blob: storing a Blob in IndexedDB or posting it to a
 * Worker passes a reference, where a 25 MB string (or the policy object itself) would be copied on the
 * page's thread, taking hundreds of milliseconds for 50,000 rules.
 *
 * Each rule's JSON is kept by rule object: edits share unchanged rule objects, so after an edit only
 * the changed rules are serialised again. Rules read by the import Worker arrive with their JSON
 * (rememberRuleJson), so an imported policy is never serialised on the page. The Blob is built a few
 * thousand rules at a time, and rules without a known text are serialised in slices of a few
 * milliseconds, yielding to the page in between.
 */
import type { Policy, Rule } from '../applocker/policy'

const ruleTexts = new WeakMap<Rule, string>()
// Only the latest policy's Blob is kept: the undo history holds up to 200 policies.
let latest: { policy: Policy; blob: Blob } | null = null

/** The JSON of `rule` made elsewhere (the import Worker): JSON.stringify(rule) exactly. */
export function rememberRuleJson(rule: Rule, json: string): void {
  ruleTexts.set(rule, json)
}

/** How long the page works before it yields (ms). */
const SLICE_MS = 8
/** Rules per piece of the Blob (encoding a piece takes a few milliseconds). */
const RULES_PER_PIECE = 2_000

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

function ruleJson(rule: Rule): string {
  let text = ruleTexts.get(rule)
  if (text === undefined) {
    text = JSON.stringify(rule)
    ruleTexts.set(rule, text)
  }
  return text
}

type Piece = string | { rules: readonly Rule[]; from: number; to: number }

/**
 * JSON.stringify(policy) as pieces: the policy's text without its rules (short strings), and runs
 * of rules whose texts go between them, each run inside its collection's `[` `]`.
 */
function pieces(policy: Policy): Piece[] {
  // The shell with each collection's rules replaced by a marker no policy text can contain.
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`
  const name = (i: number) => `__rules_${i}_${nonce}__`
  const shell = JSON.stringify({ ...policy, collections: policy.collections.map((c, i) => ({ ...c, rules: name(i) })) })
  const out: Piece[] = []
  let from = 0
  policy.collections.forEach((c, i) => {
    const marker = `"${name(i)}"`
    const at = shell.indexOf(marker, from)
    out.push(`${shell.slice(from, at)}[`)
    for (let r = 0; r < c.rules.length; r += RULES_PER_PIECE) {
      if (r > 0) out.push(',')
      out.push({ rules: c.rules, from: r, to: Math.min(c.rules.length, r + RULES_PER_PIECE) })
    }
    out.push(']')
    from = at + marker.length
  })
  out.push(shell.slice(from))
  return out
}

function runText(p: Exclude<Piece, string>): string {
  const texts: string[] = []
  for (let r = p.from; r < p.to; r++) texts.push(ruleJson(p.rules[r]))
  return texts.join(',')
}

/** JSON.stringify(policy), on the page's thread in one go (small policies, tests, no Blob). */
export function policyJsonNow(policy: Policy): string {
  return pieces(policy)
    .map((p) => (typeof p === 'string' ? p : runText(p)))
    .join('')
}

function abortError(): DOMException {
  return new DOMException('The operation was cancelled.', 'AbortError')
}

/**
 * JSON.stringify(policy) as a UTF-8 Blob, made in slices between which the page draws and answers
 * input. Rejects with an AbortError when `signal` is aborted.
 */
export async function policyJsonBlob(policy: Policy, signal?: AbortSignal): Promise<Blob> {
  if (latest?.policy === policy) return latest.blob
  const check = () => {
    if (signal?.aborted) throw abortError()
  }
  check()
  const parts: BlobPart[] = []
  let start = performance.now()
  const breathe = async () => {
    if (performance.now() - start <= SLICE_MS) return
    await yieldToPage()
    check()
    start = performance.now()
  }
  for (const p of pieces(policy)) {
    if (typeof p === 'string') {
      parts.push(p)
      continue
    }
    // Serialise the rules without a known text first, yielding as it goes.
    for (let r = p.from; r < p.to; r++) {
      if (ruleTexts.has(p.rules[r])) continue
      ruleJson(p.rules[r])
      await breathe()
    }
    parts.push(new Blob([runText(p)]))
    await breathe()
  }
  const blob = new Blob(parts, { type: 'application/json' })
  latest = { policy, blob }
  return blob
}

/** JSON.stringify(policy) as a string (made through the Blob, so the page does not freeze). */
export async function policyJson(policy: Policy, signal?: AbortSignal): Promise<string> {
  return (await policyJsonBlob(policy, signal)).text()
}
