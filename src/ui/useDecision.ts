/**
 * The explained decision for one file over the open policy, from the decision Worker (src/lib/decisionClient.ts),
 * for Test a file and the simulation's explanation panel. The latest answer is kept while a newer one is worked
 * out (`pending`), so the view does not flicker as the user types; a newer question cancels the one before.
 */
import { useEffect, useMemo, useState } from 'react'
import type { MachineSettings } from '../applocker/evaluate/types'
import type { Policy } from '../applocker/policy'
import { decideInWorker, type DecisionAnswer, type DecisionRequest } from '../lib/decisionClient'
import { isAbortError } from '../lib/rpc'

export interface DecisionState {
  /** The answer to the latest question, or to an earlier one while the latest is worked out. */
  answer: DecisionAnswer | null
  /** The answer shown is not (yet) the one for the current question. */
  pending: boolean
  error: string | null
}

/** `request` null: no question (nothing shown). Requests are compared by content (their JSON). */
export function useDecision(policy: Policy, machine: MachineSettings, request: Omit<DecisionRequest, 'generation'> | null): DecisionState {
  const key = request === null ? null : JSON.stringify(request)
  const question = useMemo(() => (key === null ? null : { policy, machine, request: JSON.parse(key) as Omit<DecisionRequest, 'generation'> }), [policy, machine, key])
  const [state, setState] = useState<{ question: typeof question; answer: DecisionAnswer | null; error: string | null } | null>(null)
  useEffect(() => {
    if (question === null) return
    const controller = new AbortController()
    decideInWorker(question.policy, question.machine, question.request, controller.signal).then(
      (answer) => setState({ question, answer, error: null }),
      (e: unknown) => {
        if (!isAbortError(e)) setState((s) => ({ question, answer: s?.answer ?? null, error: e instanceof Error ? e.message : String(e) }))
      },
    )
    return () => controller.abort()
  }, [question])
  if (question === null) return { answer: null, pending: false, error: null }
  return { answer: state?.answer ?? null, pending: state?.question !== question, error: state?.question === question ? state.error : null }
}
