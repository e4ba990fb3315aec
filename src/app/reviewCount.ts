/**
 * The Review policy finding counts for the navigation ("Review policy (4)"), computed lazily: the
 * review code (src/applocker/lint.ts) is not part of the first load. After the first render, and
 * after each change of the document (debounced), the counts are computed in a Worker, or through a
 * dynamic import where Workers are unavailable. Stale answers (an older policy) are dropped.
 */
import { useEffect, useState } from 'react'
import type { Policy } from '../applocker/policy'
import { useDocument } from '../store/document'

export interface ReviewCounts {
  error: number
  warning: number
  info: number
}

/** Wait after the last edit before reviewing again. */
export const REVIEW_COUNT_DEBOUNCE_MS = 400

let worker: Worker | null | undefined
let nextId = 0
const pending = new Map<number, (c: ReviewCounts) => void>()

function getWorker(): Worker | null {
  if (worker !== undefined) return worker
  try {
    worker = new Worker(new URL('./reviewCount.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (e: MessageEvent<{ id: number; counts: ReviewCounts }>) => {
      pending.get(e.data.id)?.(e.data.counts)
      pending.delete(e.data.id)
    }
    worker.onerror = () => {
      // The worker could not run: fall back to the main thread for this and later requests.
      worker?.terminate()
      worker = null
      const waiting = [...pending.values()]
      pending.clear()
      for (const resolve of waiting) void countOnMainThread(useDocument.getState().policy).then(resolve)
    }
  } catch {
    worker = null
  }
  return worker
}

async function countOnMainThread(policy: Policy): Promise<ReviewCounts> {
  const { findingCounts, reviewPolicy } = await import('../applocker/lint')
  return findingCounts(reviewPolicy(policy))
}

function countFindings(policy: Policy): Promise<ReviewCounts> {
  const w = getWorker()
  if (!w) return countOnMainThread(policy)
  return new Promise((resolve) => {
    const id = ++nextId
    pending.set(id, resolve)
    w.postMessage({ id, policy })
  })
}

/** The counts for the open policy, or null until the first review has run. */
export function useReviewCounts(): ReviewCounts | null {
  const policy = useDocument((d) => d.policy)
  const [result, setResult] = useState<{ policy: Policy; counts: ReviewCounts } | null>(null)
  useEffect(() => {
    let current = true
    const timer = setTimeout(() => {
      void countFindings(policy).then((counts) => {
        if (current) setResult({ policy, counts })
      })
    }, REVIEW_COUNT_DEBOUNCE_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [policy])
  return result?.counts ?? null
}
