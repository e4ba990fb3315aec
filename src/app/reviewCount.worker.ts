/// <reference lib="webworker" />
/**
 * Counts the Review policy findings off the main thread (a 50,000-rule policy takes most of a
 * second), for the navigation's "Review policy (N)". Loaded only after the first render.
 */
import { findingCounts, reviewPolicy } from '../applocker/lint'
import type { Policy } from '../applocker/policy'

declare const self: DedicatedWorkerGlobalScope

self.onmessage = (e: MessageEvent<{ id: number; policy: Policy }>) => {
  const { id, policy } = e.data
  self.postMessage({ id, counts: findingCounts(reviewPolicy(policy)) })
}
