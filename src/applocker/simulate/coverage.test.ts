import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compilePolicy } from '../evaluate/compile'
import { decide } from '../evaluate/decide'
import { readInventory } from '../inventory/read'
import { readPolicy } from '../xml/read'
import { coverageFromDecisions, coverageFromResults } from './coverage'
import { ResultsBuilder, resultRow, type SimRow } from './results'
import { generatePolicy } from '../../testing/generate'
import { generateFiles } from '../../testing/files'
import { DEFAULT_PRINCIPAL_CHOICE, simulateSlice } from './run'

const SAMPLES = new URL('../__fixtures__/samples/', import.meta.url)
const policy = readPolicy(readFileSync(new URL('audit-only-defaults.xml', SAMPLES))).value!
const rows = readInventory(readFileSync(new URL('audited-events.xml', SAMPLES))).value!

describe('rule coverage (which rules earn their place)', () => {
  it('counts the files each rule decided, lists the rules that decided none and the broad path rules', () => {
    const compiled = compilePolicy(policy)
    const b = new ResultsBuilder(rows.length)
    simulateSlice({ decide }, compiled, rows, DEFAULT_PRINCIPAL_CHOICE, b, 0, rows.length)
    const report = coverageFromResults(policy, b.results)
    expect(report.files).toBe(12)
    expect(report.decidedByRule).toBe(2)
    expect(report.decidedByDefault).toBe(10)
    expect(report.rules).toHaveLength(policy.collections.reduce((n, c) => n + c.rules.length, 0))
    expect(report.rules.filter((r) => r.files > 0).map((r) => [r.collection, r.name, r.files])).toEqual([
      ['Exe', '(Default Rule) All files located in the Windows folder', 1],
      ['Script', '(Default Rule) All scripts located in the Program Files folder', 1],
    ])
    expect(report.unused).toHaveLength(report.rules.length - 2)
    expect(report.unused[0].name).toBe('(Default Rule) All files located in the Program Files folder')
    expect(report.broadPathRules.map((r) => [r.condition, r.files, r.share])).toEqual([
      ['%WINDIR%\\*', 1, 1],
      ['%PROGRAMFILES%\\*', 1, 1],
    ])
  })

  it('reads the results as it reads the same decisions one by one (a generated policy and inventory)', () => {
    const generated = generatePolicy(3_000, 21)
    const files: SimRow[] = generateFiles(generated, 6_000, 4).map((f, i) => ({ ...f, line: i + 2 }))
    const b = new ResultsBuilder(files.length)
    simulateSlice({ decide }, compilePolicy(generated), files, DEFAULT_PRINCIPAL_CHOICE, b, 0, files.length)
    const decisions = Array.from({ length: files.length }, (_, i) => {
      const row = resultRow(b.results, i)
      return { collection: row.collection, matchingRuleId: row.rule?.id ?? null }
    })
    const report = coverageFromResults(generated, b.results)
    expect(report.decidedByRule).toBeGreaterThan(1_000)
    expect(report).toEqual(coverageFromDecisions(generated, decisions))
  })

  it('credits a rule by collection and Id, case-insensitively; files not governed count for no rule', () => {
    const id = policy.collections[0].rules[1].id.toUpperCase()
    const report = coverageFromDecisions(policy, [
      { collection: 'Exe', matchingRuleId: id },
      { collection: 'Exe', matchingRuleId: id },
      { collection: 'Script', matchingRuleId: id },
      { collection: null, matchingRuleId: null },
      { collection: 'Exe', matchingRuleId: null },
    ])
    expect(report.rules[1].files).toBe(2)
    expect(report.files).toBe(5)
    expect(report.decidedByDefault).toBe(1)
    expect(report.broadPathRules).toEqual([expect.objectContaining({ name: '(Default Rule) All files located in the Windows folder', share: 1 })])
  })
})
