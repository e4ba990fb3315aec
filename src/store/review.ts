/**
 * Review policy and validation off the page's thread: the findings and their counts for a policy,
 * validatePolicy's diagnostics and Compare's diff of large policies, computed in the review Worker
 * (src/workers/review.worker.ts) through the typed client of src/lib/rpc.ts, or in the page where
 * Workers are unavailable. The
 * review and validation code loads with the Worker, not with the page. The policy goes as its JSON in a
 * Blob (policyJson.ts), which costs the page a few milliseconds where cloning the object cost seconds.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import type { PlacedDiff } from '../applocker/diff'
import type { Finding } from '../applocker/review'
import type { Policy } from '../applocker/policy'
import { connect } from '../lib/rpc'
import type { PolicyJson, ReviewApi, ReviewCounts } from '../workers/review.api'
import { policyJsonBlob } from '../lib/policyJson'
import type { XmlEncoding } from '../applocker/xml/write'

export type { ReviewCounts }

const review = connect<ReviewApi>(
  () => new Worker(new URL('../workers/review.worker.ts', import.meta.url), { type: 'module' }),
  () => import('../workers/review.api').then((m) => m.reviewApi),
)

// A number per policy object, so the Worker reads each policy once for all the questions about it.
const keys = new WeakMap<Policy, number>()
let nextKey = 0

async function input(policy: Policy, signal?: AbortSignal): Promise<PolicyJson> {
  let key = keys.get(policy)
  if (key === undefined) keys.set(policy, (key = ++nextKey))
  return { key, json: await policyJsonBlob(policy, signal) }
}

export async function countFindings(policy: Policy, signal?: AbortSignal): Promise<ReviewCounts> {
  return review.call('counts', await input(policy, signal), { signal })
}

export async function reviewFindings(policy: Policy, signal?: AbortSignal): Promise<Finding[]> {
  return review.call('review', await input(policy, signal), { signal })
}

// One validation per policy object, shared by every view that asks (the rule lists, Export).
const validations = new WeakMap<Policy, Promise<Diagnostic[]>>()
const validated = new WeakMap<Policy, Diagnostic[]>()

/** validatePolicy(policy), computed in the Worker once per policy object. */
export function policyDiagnostics(policy: Policy): Promise<Diagnostic[]> {
  let p = validations.get(policy)
  if (!p) {
    p = input(policy).then((i) => review.call('validate', i))
    p.then(
      (d) => validated.set(policy, d),
      () => validations.delete(policy),
    )
    validations.set(policy, p)
  }
  return p
}

/** encodePolicy(policy, encoding) in a Blob, made in the review Worker (or, where Workers are unavailable, here). */
export async function encodeInWorker(policy: Policy, encoding: XmlEncoding): Promise<Blob> {
  return review.call('encode', { policy: await input(policy), encoding })
}

/**
 * diffPolicies(a, b) computed in the review Worker, for Compare of large policies (the diff held the
 * page for a quarter of a second and more). The Worker names the rules by place: resolveDiff
 * (applocker/diff.ts) takes them back from `a` and `b`.
 */
export async function placedDiffInWorker(a: Policy, b: Policy, signal?: AbortSignal): Promise<PlacedDiff> {
  return JSON.parse(await review.call('diff', { a: await input(a, signal), b: await input(b, signal) }, { signal })) as PlacedDiff
}

/** The diagnostics of `policy` when they are known already (else undefined). */
export function knownDiagnostics(policy: Policy): Diagnostic[] | undefined {
  return validated.get(policy)
}
