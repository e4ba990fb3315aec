/**
 * Review policy's and the validator's work, for the review Worker (review.worker.ts) or, where
 * Workers are unavailable, the page: the findings of a policy, their counts (the navigation's
 * "Review policy (N)"), and validatePolicy's diagnostics (the rule list's marks). A 50,000-rule policy
 * takes most of a second, so it runs off the page's thread; so does writing a large policy's file for
 * Export.
 *
 * The policy comes as its JSON in a Blob (src/store/policyJson.ts): posting a Blob passes a reference,
 * where a policy object would be cloned field by field on the page's thread (seconds for 50,000
 * rules). `key` names the policy: the last one read is kept parsed, so the counts and the diagnostics
 * of one policy read it once.
 */
import type { Diagnostic } from '../applocker/diagnostics'
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

let last: { key: number; policy: Promise<Policy> } | null = null

function parsed(input: PolicyJson): Promise<Policy> {
  if (last?.key !== input.key) last = { key: input.key, policy: input.json.text().then((text) => JSON.parse(text) as Policy) }
  return last.policy
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
  /** The policy's file as Export writes it (encodePolicy), in a Blob: the page downloads it without copying its bytes. */
  encode: async (input: EncodeRequest): Promise<Blob> => new Blob([encodePolicy(await parsed(input.policy), input.encoding)]),
}

export type ReviewApi = typeof reviewApi
