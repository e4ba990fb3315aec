/**
 * Reading "the other policy" (merge, compare, What changes) in the reader Worker, with progress and
 * Cancel, like an import: never throws except an AbortError when cancelled; a refusal comes back as
 * diagnostics. Several RuleCollection roots (fragments saved side by side) are wrapped into one policy.
 */
import type { Diagnostic } from '../applocker/diagnostics'
import type { Policy } from '../applocker/policy'
import { readPolicyFile, type ReadPolicyProgress } from './readPolicyFile'

export interface OtherPolicy {
  policy: Policy | null
  diagnostics: Diagnostic[]
}

export interface ReadOtherOptions {
  signal?: AbortSignal
  onProgress?: (p: ReadPolicyProgress) => void
}

export async function readOtherPolicy(input: File | Uint8Array, options: ReadOtherOptions = {}): Promise<OtherPolicy> {
  const r = await readPolicyFile(input, { wrapRoots: true, signal: options.signal, onProgress: options.onProgress })
  return { policy: r.policy, diagnostics: r.diagnostics }
}
