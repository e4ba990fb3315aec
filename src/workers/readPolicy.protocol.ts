/**
 * Messages between the page and the policy-reading Worker (src/workers/readPolicy.worker.ts).
 *
 * The Worker reads the file (with progress), parses and checks it, then sends the policy back in
 * slices (a collection's rules a few thousand at a time), so that no single message costs the page
 * more than a few milliseconds to receive, and, on request, the policy's JSON for the browser save.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import type { Policy, Rule, RuleCollection } from '../applocker/policy'

export interface ReadPolicyRequest {
  /** A File (read in the Worker, piece by piece) or bytes already in memory. */
  input: File | Uint8Array
  wrapRoots: boolean
  /** Also send JSON.stringify(policy), made in the Worker (the save of an imported policy). */
  json: boolean
}

export type ReadPolicyPhase = 'reading' | 'parsing' | 'receiving'

export type ReadPolicyMessage =
  | { type: 'progress'; phase: ReadPolicyPhase; done: number; total: number }
  /** The policy without its rules (each collection's `rules` empty), or null when refused. */
  | { type: 'head'; shell: Policy | null; ruleCounts: number[]; diagnostics: Diagnostic[]; source: string | null; encoding: string }
  | { type: 'rules'; collection: number; rules: Rule[] }
  | { type: 'done'; json: string | null }
  | { type: 'error'; message: string }

/** Rules per 'rules' message. */
export const RULES_PER_MESSAGE = 1_000

/** The policy with every collection's rules left out (they follow in slices). */
export function policyShell(policy: Policy): { shell: Policy; ruleCounts: number[] } {
  const collections: RuleCollection[] = policy.collections.map((c) => ({ ...c, rules: [] }))
  return { shell: { ...policy, collections }, ruleCounts: policy.collections.map((c) => c.rules.length) }
}
