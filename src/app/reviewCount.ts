/**
 * The Review policy finding counts for the navigation ("Review policy (4)"), computed lazily: the
 * review code (src/applocker/review/) is not part of the first load. After the first render, and
 * after each change of the document (debounced), the counts are computed in the review Worker
 * (src/store/review.ts). Stale answers (an older policy) are dropped.
 */
import { useEffect, useState } from 'react'
import type { Policy } from '../applocker/policy'
import { useDocument } from '../store/document'
import { countFindings, type ReviewCounts } from '../store/review'

/** Wait after the last edit before reviewing again. */
export const REVIEW_COUNT_DEBOUNCE_MS = 400

/** The counts for the open policy, or null until the first review has run. */
export function useReviewCounts(): ReviewCounts | null {
  const policy = useDocument((d) => d.policy)
  const [result, setResult] = useState<{ policy: Policy; counts: ReviewCounts } | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      countFindings(policy, controller.signal).then(
        (counts) => {
          if (!controller.signal.aborted) setResult({ policy, counts })
        },
        () => {
          /* a newer policy is being counted (or the Worker failed: the label shows no count) */
        },
      )
    }, REVIEW_COUNT_DEBOUNCE_MS)
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
  }, [policy])
  return result?.counts ?? null
}
