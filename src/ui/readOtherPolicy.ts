/** Reading "the other policy" (merge, compare): never throws, a refusal comes back as diagnostics. */
import { readPolicy } from '../applocker/xml/read'
import type { Diagnostic } from '../applocker/diagnostics'
import type { Policy } from '../applocker/policy'

export interface OtherPolicy {
  policy: Policy | null
  diagnostics: Diagnostic[]
}

export function readOtherPolicy(bytes: Uint8Array): OtherPolicy {
  try {
    // Several RuleCollection roots (fragments saved side by side) are wrapped into one policy.
    const r = readPolicy(bytes, { wrapRoots: true })
    return { policy: r.value, diagnostics: r.diagnostics }
  } catch (e) {
    return { policy: null, diagnostics: [{ severity: 'error', code: 'internal', message: `The file could not be read: ${String(e)}` }] }
  }
}
