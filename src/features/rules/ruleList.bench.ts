/** The rule list's work on 50,000 rules: rows, rows after one edit (cached strings), filter, sort, validation. */
import { bench, describe } from 'vitest'
import { generatePolicy } from '../../testing/generate'
import { validatePolicy } from '../../applocker/validate'
import type { Policy, Rule } from '../../applocker/policy'
import { NO_FILTER, buildRows, filterRows, ruleProblems, sortRows } from './ruleList'

const rules: Rule[] = generatePolicy(50_000, 7).collections.flatMap((c) => c.rules)
const policy: Policy = { version: '1', collections: [{ type: 'Exe', enforcementMode: 'AuditOnly', rules }] }
const rows = buildRows(rules)
const afterEdit = rules.slice(1)

describe('rule list, 50,000 rules', () => {
  bench('buildRows after an edit (display strings cached per rule)', () => {
    buildRows(afterEdit)
  })
  bench('buildRows, fresh rule objects (first display)', () => {
    buildRows(rules.map((r) => ({ ...r })))
  })
  bench('filter by text', () => {
    filterRows(rows, { ...NO_FILTER, text: 'deny program' })
  })
  bench('sort by name', () => {
    sortRows(rows, { key: 'name', direction: 'ascending' })
  })
  bench('validatePolicy + ruleProblems', () => {
    ruleProblems(rules, validatePolicy(policy), 0)
  })
})
