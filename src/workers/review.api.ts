/**
 * Review policy's and the validator's work, for the review Worker (review.worker.ts) or, where
 * Workers are unavailable, the page: the findings of a policy, their counts (the navigation's
 * "Review policy (N)"), validatePolicy's diagnostics (the rule list's marks) and Compare's diff of two
 * large policies. A 50,000-rule policy takes most of a second, so it runs off the page's thread; so
 * does writing a large policy's file for Export.
 *
 * The policy comes as its JSON in a Blob (src/store/policyJson.ts): posting a Blob passes a reference,
 * where a policy object would be cloned field by field on the page's thread (seconds for 50,000
 * rules). `key` names the policy: the last two read are kept parsed, so the counts and the diagnostics
 * of one policy, or the two policies of a comparison, are read once.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import { diffPolicies, placeDiff } from '../applocker/diff'
import { findingCounts, reviewPolicy, type Finding } from '../applocker/review'
import type { Policy } from '../applocker/policy'
import { validatePolicy } from '../applocker/validate'
import { encodePolicy, type XmlEncoding } from '../applocker/xml/write'

export interface ReviewCounts {
  error: number
  warning: number
  info: number
}

/** A policy as the page sends it: JSON.stringify(policy) in a Blob, and a number naming that policy. */
export interface PolicyJson {
  key: number
  json: Blob
}

// The last two policies read (a comparison asks about two at once), the most recent first.
let recent: { key: number; policy: Promise<Policy> }[] = []

function parsed(input: PolicyJson): Promise<Policy> {
  let hit = recent.find((r) => r.key === input.key)
  if (!hit) hit = { key: input.key, policy: input.json.text().then((text) => JSON.parse(text) as Policy) }
  recent = [hit, ...recent.filter((r) => r !== hit)].slice(0, 2)
  return hit.policy
}

/** Export's bytes of a policy, made here for large policies (see saveExport). */
export interface EncodeRequest {
  policy: PolicyJson
  encoding: XmlEncoding
}

export const reviewApi = {
  counts: async (input: PolicyJson): Promise<ReviewCounts> => findingCounts(reviewPolicy(await parsed(input))),
  review: async (input: PolicyJson): Promise<Finding[]> => reviewPolicy(await parsed(input)),
  validate: async (input: PolicyJson): Promise<Diagnostic[]> => validatePolicy(await parsed(input)),
  /**
   * Compare's differences from `a` (the open policy) to `b`, with the rules named by place (placeDiff), as
   * JSON text: the page parses it faster than it would take in a cloned object graph of 70,000 entries.
   */
  diff: async (input: { a: PolicyJson; b: PolicyJson }): Promise<string> => JSON.stringify(placeDiff(diffPolicies(await parsed(input.a), await parsed(input.b)))),
  /** The policy's file as Export writes it (encodePolicy), in a Blob: the page downloads it without copying its bytes. */
  encode: async (input: EncodeRequest): Promise<Blob> => new Blob([encodePolicy(await parsed(input.policy), input.encoding)]),
}

export type ReviewApi = typeof reviewApi
