/**
 * Review policy off the page's thread: the findings and their counts for a policy, computed in the
 * review Worker (src/workers/review.worker.ts) through the typed client of src/lib/rpc.ts, or in the
 * page where Workers are unavailable. The review code loads with the Worker, not with the page.
 */
import type { Finding } from '../applocker/review'
import type { Policy } from '../applocker/policy'
import { connect } from '../lib/rpc'
import type { ReviewApi, ReviewCounts } from '../workers/review.api'

export type { ReviewCounts }

const review = connect<ReviewApi>(
  () => new Worker(new URL('../workers/review.worker.ts', import.meta.url), { type: 'module' }),
  () => import('../workers/review.api').then((m) => m.reviewApi),
)

export function countFindings(policy: Policy): Promise<ReviewCounts> {
  return review.call('counts', policy)
}

export function reviewFindings(policy: Policy): Promise<Finding[]> {
  return review.call('review', policy)
}
