/**
 * The decision engine's speed: a generated 10,000-rule policy, 100,000 generated files.
 * `npm run bench -- src/applocker/evaluate/decide.bench.ts` (the script scripts/bench-engine.ts
 * prints decisions per second and the compiled/reference ratio).
 */
import { bench, describe } from 'vitest'
import { generatePolicy } from '../../testing/generate'
import { compilePolicy } from './compile'
import { decide } from './decide'
import { decideReference } from '../../testing/reference'
import { generateFiles, samplePrincipals } from '../../testing/files'
import { DEFAULT_MACHINE } from './types'

const policy = generatePolicy(10_000, 42)
const files = generateFiles(policy, 100_000, 7)
const principal = samplePrincipals()[2]
const compiled = compilePolicy(policy, DEFAULT_MACHINE)
const sample = files.slice(0, 200)

describe('10,000-rule policy', () => {
  bench('compilePolicy', () => {
    compilePolicy(policy, DEFAULT_MACHINE)
  }, { iterations: 5, time: 0 })
  bench('decide (compiled, fast path): 100,000 files', () => {
    for (const f of files) decide(compiled, f, principal, { explain: false })
  }, { iterations: 5, time: 0 })
  bench('decide (compiled, fast path): 200 files', () => {
    for (const f of sample) decide(compiled, f, principal, { explain: false })
  })
  bench('decideReference: 200 files', () => {
    for (const f of sample) decideReference(policy, f, principal, DEFAULT_MACHINE, { explain: false })
  }, { iterations: 2, time: 0 })
  bench('decide with explanation: 20 files', () => {
    for (const f of sample.slice(0, 20)) decide(compiled, f, principal)
  }, { iterations: 5, time: 0 })
})
