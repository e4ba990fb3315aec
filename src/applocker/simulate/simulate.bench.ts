import { bench, describe } from 'vitest'
import { compilePolicy } from '../evaluate/compile'
import { decide } from '../evaluate/decide'
import { generateFiles } from '../../testing/files'
import { generatePolicy } from '../../testing/generate'
import { ResultsBuilder, compareResults, resultsToCsv, summarize } from './results'
import { DEFAULT_PRINCIPAL_CHOICE, simulateSlice } from './run'

// What the Worker does for an inventory: every file decided three times (the policy's modes, Enforce, Audit only).
const policy = generatePolicy(10_000, 11)
const compiled = compilePolicy(policy)
const files = generateFiles(policy, 20_000, 5)

function run() {
  const b = new ResultsBuilder(files.length)
  simulateSlice({ decide }, compiled, files, DEFAULT_PRINCIPAL_CHOICE, b, 0, files.length)
  return b.results
}
const results = run()

describe('inventory simulation, 20,000 files x 10,000 rules', () => {
  bench('simulateSlice (decide + Enforce / Audit-only what-ifs)', () => {
    run()
  })
  bench('summarize', () => {
    summarize(results)
  })
  bench('compareResults', () => {
    compareResults(results, results)
  })
  bench('resultsToCsv', () => {
    resultsToCsv(files, results)
  })
})
