/**
 * Review policy's work, for the review Worker (review.worker.ts) or, where Workers are unavailable,
 * the page: the findings of a policy, or only their counts (the navigation's "Review policy (N)").
 * A 50,000-rule policy takes most of a second, so it runs off the page's thread.
 */
import { findingCounts, reviewPolicy, type Finding } from '../applocker/review'
import type { Policy } from '../applocker/policy'

export interface ReviewCounts {
  error: number
  warning: number
  info: number
}

export const reviewApi = {
  counts: (policy: Policy): ReviewCounts => findingCounts(reviewPolicy(policy)),
  review: (policy: Policy): Finding[] => reviewPolicy(policy),
}

export type ReviewApi = typeof reviewApi
