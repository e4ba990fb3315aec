/** What the one validator (validate.ts) says Windows refuses, as Review findings. */
import type { Policy } from '../policy'
import { validatePolicy } from '../validate'
import type { Finding } from './context'

/** Validator codes a Review check already reports in its own words (validate.ts -> the check's code). */
const REVIEWED_ELSEWHERE = new Set(['invalid-sid', 'duplicate-rule-id', 'unknown-path-variable', 'appx-non-publisher', 'extensions-incomplete'])

const SCHEMA_FIXES: Record<string, string> = {
  'unknown-exception': 'Edit the rule: remove the placeholder on the Exceptions page, or replace it with real exceptions.',
  'control-character': 'Edit the rule and type the value again without the control character.',
  'invalid-enforcement-mode': 'Choose the mode again with "Configure rule enforcement".',
  'invalid-rule-id': 'Select the rule and use "New Id".',
  'invalid-policy-extensions': 'PolicyExtensions is kept exactly as the file has it and cannot be edited here: correct it in the file (or remove it) and import the file again.',
  'invalid-origin-data-revocation': 'OriginDataRevocation is kept exactly as the file has it and cannot be edited here: correct it in the file (or remove it) and import the file again.',
  'repeated-element': 'The second copy is kept exactly as the file has it and cannot be edited here: merge it into the first one in the file (or remove it) and import the file again.',
  'misspelled-attribute': 'Correct the attribute name in the file (names are case-sensitive) and import the file again.',
}


/**
 * Everything the one validator (validate.ts) says Windows refuses, as findings: Review policy and
 * `cli lint` count the same errors as the import dialog and the export guard.
 */
export function checkSchema(policy: Policy, out: Finding[]): void {
  for (const d of validatePolicy(policy)) {
    if (d.severity !== 'error' || REVIEWED_ELSEWHERE.has(d.code)) continue
    // The version-range check reports inverted ranges in its own words; other bad bounds are the validator's.
    if (d.code === 'invalid-version-range' && / is above the highest version /.test(d.message)) continue
    const ci = d.ref?.collection
    const c = ci !== undefined ? policy.collections[ci] : undefined
    const r = c && d.ref?.rule !== undefined ? c.rules[d.ref.rule] : undefined
    const f: Finding = {
      code: d.code,
      severity: 'error',
      collection: c?.type ?? null,
      message: `${d.message} Windows refuses the policy.`,
      fix: SCHEMA_FIXES[d.code] ?? 'Correct the value (Edit rule, or the collection\'s settings); the import dialog and Export list the same problem.',
    }
    if (ci !== undefined) f.collectionIndex = ci
    if (r) Object.assign(f, { ruleIndex: d.ref!.rule, ruleId: r.id, ruleName: r.name })
    out.push(f)
  }
}
