import { describe, expect, it } from 'vitest'
import type { Diagnostic } from '../../applocker/diagnostics'
import type { Rule } from '../../applocker/policy'
import { defaultRules } from '../../applocker/defaults'
import {
  EMPTY_SELECTION,
  NO_FILTER,
  buildRows,
  ruleProblems,
  clickSelect,
  conditionSummary,
  distinctUsers,
  filterRows,
  findEditedRule,
  pruneSelection,
  selectedIndices,
  sortRows,
  toggleSelect,
} from './ruleList'

const hashRule: Rule = {
  kind: 'hash',
  id: 'AAAAAAAA-0000-4000-8000-000000000001',
  name: 'agent.exe',
  description: 'the agent',
  userOrGroupSid: 'S-1-5-32-545',
  action: 'Deny',
  condition: { kind: 'hash', hashes: [{ type: 'SHA256', data: '0x' + 'AB'.repeat(32), sourceFileName: 'agent.exe', sourceFileLength: '10' }] },
  exceptions: [],
}
const pubRule: Rule = {
  kind: 'publisher',
  id: 'aaaaaaaa-0000-4000-8000-000000000002',
  name: 'Contoso',
  description: '',
  userOrGroupSid: 'S-1-5-21-1-2-3-1001',
  action: 'Allow',
  condition: { kind: 'publisher', publisherName: 'O=CONTOSO', productName: 'APP', binaryName: 'APP.EXE', versionRange: { low: '2.0.0.0', high: '*' } },
  exceptions: [
    { kind: 'path', path: '%OSDRIVE%\\Temp\\*' },
    { kind: 'unknown', name: 'Foo', xml: '<Foo/>' },
  ],
}
const rules: Rule[] = [...defaultRules('Exe'), hashRule, pubRule]

describe('buildRows', () => {
  it('shows users by name, conditions as summaries, exception counts and validation messages of this collection', () => {
    const diags: Diagnostic[] = [
      { severity: 'error', code: 'x', message: 'bad one', ref: { collection: 1, rule: 3 } },
      { severity: 'warning', code: 'y', message: 'odd one', ref: { collection: 1, rule: 3 } },
      { severity: 'error', code: 'z', message: 'other collection', ref: { collection: 0, rule: 3 } },
    ]
    const rows = buildRows(rules, ruleProblems(rules, diags, 1))
    expect(rows.map((r) => r.user)).toEqual(['Everyone', 'Everyone', 'BUILTIN\\Administrators', 'BUILTIN\\Users', 'S-1-5-21-1-2-3-1001'])
    expect(rows[0].condition).toBe('%PROGRAMFILES%\\*')
    expect(rows[3].condition).toBe('agent.exe (SHA256)')
    expect(rows[4].condition).toBe('O=CONTOSO / APP / APP.EXE / 2.0.0.0 and above')
    expect(rows[4].exceptions).toBe(1)
    expect(rows[3].errors).toEqual(['bad one'])
    expect(rows[3].warnings).toEqual(['odd one'])
    expect(rows[0].errors).toEqual([])
    expect(rows[3].key).toBe('aaaaaaaa-0000-4000-8000-000000000001')
  })
  it('keeps messages on the right rule when they were computed before an edit (keyed by rule, not index)', () => {
    const diags: Diagnostic[] = [{ severity: 'error', code: 'x', message: 'bad hash rule', ref: { collection: 0, rule: 3 } }]
    const problems = ruleProblems(rules, diags, 0)
    const afterDelete = rules.filter((_, i) => i !== 0)
    const rows = buildRows(afterDelete, problems)
    expect(rows[2].name).toBe('agent.exe')
    expect(rows[2].errors).toEqual(['bad hash rule'])
    expect(rows.filter((r) => r.errors.length)).toHaveLength(1)
    // Display strings are reused for unchanged rule objects.
    expect(buildRows(afterDelete)[2].haystack).toBe(rows[2].haystack)
  })
  it('summarises version ranges and several hashes', () => {
    expect(conditionSummary({ kind: 'publisher', publisherName: '*', productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } })).toBe('* / * / * / any version')
    expect(conditionSummary({ kind: 'publisher', publisherName: 'P', productName: 'Q', binaryName: 'R', versionRange: { low: '*', high: '9.9.9.9' } })).toContain('9.9.9.9 and below')
    expect(conditionSummary({ kind: 'publisher', publisherName: 'P', productName: 'Q', binaryName: 'R', versionRange: { low: '1.0.0.0', high: '1.0.0.0' } })).toContain('version 1.0.0.0')
    expect(
      conditionSummary({ kind: 'hash', hashes: [{ type: 'SHA256', data: '0x1', sourceFileName: 'a.exe' }, { type: 'SHA256', data: '0x2', sourceFileName: 'b.exe' }] }),
    ).toBe('2 files: a.exe, b.exe')
    expect(conditionSummary(undefined)).toBe('(no condition)')
  })
})

describe('filterRows and sortRows', () => {
  const rows = buildRows(rules)
  it('filters by words, kind, action and SID', () => {
    expect(filterRows(rows, NO_FILTER)).toBe(rows)
    expect(filterRows(rows, { ...NO_FILTER, text: 'program files' }).map((r) => r.index)).toEqual([0])
    expect(filterRows(rows, { ...NO_FILTER, text: 'AGENT' }).map((r) => r.index)).toEqual([3])
    expect(filterRows(rows, { ...NO_FILTER, kind: 'path' }).map((r) => r.index)).toEqual([0, 1, 2])
    expect(filterRows(rows, { ...NO_FILTER, action: 'Deny' }).map((r) => r.index)).toEqual([3])
    expect(filterRows(rows, { ...NO_FILTER, sid: 's-1-5-32-544' }).map((r) => r.index)).toEqual([2])
    expect(filterRows(rows, { ...NO_FILTER, text: 'administrators', kind: 'hash' })).toEqual([])
  })
  it('sorts by each column, stably, both directions', () => {
    expect(sortRows(rows, null)).toBe(rows)
    expect(sortRows(rows, { key: 'action', direction: 'ascending' }).map((r) => r.index)).toEqual([0, 1, 2, 4, 3])
    expect(sortRows(rows, { key: 'action', direction: 'descending' }).map((r) => r.index)).toEqual([3, 0, 1, 2, 4])
    expect(sortRows(rows, { key: 'exceptions', direction: 'descending' })[0].index).toBe(4)
    expect(sortRows(rows, { key: 'name', direction: 'ascending' }).map((r) => r.name)).toEqual([
      '(Default Rule) All files',
      '(Default Rule) All files located in the Program Files folder',
      '(Default Rule) All files located in the Windows folder',
      'agent.exe',
      'Contoso',
    ])
    expect(sortRows(rows, { key: 'condition', direction: 'ascending' }).map((r) => r.kind)).toEqual(['hash', 'path', 'path', 'path', 'publisher'])
    expect(sortRows(rows, { key: 'user', direction: 'ascending' })[0].user).toBe('BUILTIN\\Administrators')
  })
  it('lists distinct users by name', () => {
    expect(distinctUsers(rows).map((u) => u.name)).toEqual(['BUILTIN\\Administrators', 'BUILTIN\\Users', 'Everyone', 'S-1-5-21-1-2-3-1001'])
  })
})

describe('selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e']
  it('click selects one, ctrl toggles, shift selects a range from the anchor', () => {
    let s = clickSelect(EMPTY_SELECTION, 'b', order, {})
    expect([...s.keys]).toEqual(['b'])
    s = clickSelect(s, 'd', order, { shift: true })
    expect([...s.keys].sort()).toEqual(['b', 'c', 'd'])
    s = clickSelect(s, 'a', order, { shift: true })
    expect([...s.keys].sort()).toEqual(['a', 'b'])
    s = clickSelect(s, 'e', order, { ctrl: true })
    expect([...s.keys].sort()).toEqual(['a', 'b', 'e'])
    s = clickSelect(s, 'a', order, { ctrl: true })
    expect([...s.keys].sort()).toEqual(['b', 'e'])
    // The anchor is now "a" (the last Ctrl+click): Ctrl+Shift adds the range a..c to the selection.
    s = clickSelect(s, 'c', order, { ctrl: true, shift: true })
    expect([...s.keys].sort()).toEqual(['a', 'b', 'c', 'e'])
    s = clickSelect(s, 'c', order, {})
    expect([...s.keys]).toEqual(['c'])
  })
  it('toggles with the checkbox, prunes keys that disappeared and maps to indices', () => {
    let s = toggleSelect(EMPTY_SELECTION, 'x')
    s = toggleSelect(s, 'y')
    s = toggleSelect(s, 'x')
    expect([...s.keys]).toEqual(['y'])
    const kept = pruneSelection(s, ['x', 'y', 'z'])
    expect(kept).toBe(s)
    expect([...pruneSelection(s, ['z']).keys]).toEqual([])
    expect(pruneSelection(EMPTY_SELECTION, ['z'])).toBe(EMPTY_SELECTION)
    // An anchor alone is pruned too.
    expect(pruneSelection({ keys: new Set(), anchor: 'gone' }, ['z'])).toEqual({ keys: new Set(), anchor: null })
    const rows = buildRows(rules)
    const sel = { keys: new Set([rows[4].key, rows[1].key]), anchor: null }
    expect(selectedIndices(rows, sel)).toEqual([1, 4])
  })
})

describe('findEditedRule', () => {
  it('finds the rule opened for editing by identity, then by a unique Id, never another rule', () => {
    expect(findEditedRule(rules, hashRule)).toBe(3)
    // Undo brought back a rule before it: the index moved, the object did not.
    expect(findEditedRule([pubRule, ...rules], hashRule)).toBe(4)
    // Another tab's save: a copy of the rule with the same Id (in another case).
    const copy = { ...hashRule, id: hashRule.id.toLowerCase(), name: 'renamed elsewhere' }
    expect(findEditedRule([pubRule, copy], hashRule)).toBe(1)
    // Gone, or the Id is no longer unique: not found.
    expect(findEditedRule([pubRule], hashRule)).toBe(-1)
    expect(findEditedRule([copy, { ...copy }], hashRule)).toBe(-1)
    expect(findEditedRule([pubRule, { ...hashRule, id: '' }], { ...hashRule, id: '' })).toBe(-1)
  })
})
