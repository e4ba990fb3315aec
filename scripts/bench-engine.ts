/**
 * Decision engine benchmark: 100,000 generated files against a generated 10,000-rule policy,
 * compiled engine (fast path) versus the reference evaluator that walks every rule.
 *   npx tsx scripts/bench-engine.ts [files] [rules] [referenceFiles]
 * The reference evaluator is timed on the first `referenceFiles` files (default 1,000) because it
 * would need minutes for all of them; both rates are per decision.
 */
import os from 'node:os'
import { compilePolicy } from '../src/applocker/evaluate/compile'
import { decide } from '../src/applocker/evaluate/decide'
import { decideReference } from '../src/testing/reference'
import { generateFiles, samplePrincipals } from '../src/testing/files'
import { DEFAULT_MACHINE } from '../src/applocker/evaluate/types'
import { generatePolicy } from '../src/testing/generate'

const fileCount = Number(process.argv[2] ?? 100_000)
const ruleCount = Number(process.argv[3] ?? 10_000)
const referenceCount = Math.min(fileCount, Number(process.argv[4] ?? 1_000))

const policy = generatePolicy(ruleCount, 42)
const files = generateFiles(policy, fileCount, 7)
const principals = samplePrincipals()
const principal = principals[2] // Standard user

let t = performance.now()
const compiled = compilePolicy(policy, DEFAULT_MACHINE)
const compileMs = performance.now() - t

// Warm-up (JIT), then the timed runs.
for (let i = 0; i < Math.min(20_000, files.length); i++) decide(compiled, files[i], principal, { explain: false })

const counts: Record<string, number> = {}
const runs = 3
let best = Infinity
let bestCpu = Infinity
for (let run = 0; run < runs; run++) {
  t = performance.now()
  const cpu = process.cpuUsage()
  for (const f of files) {
    const d = decide(compiled, f, principal, { explain: false })
    if (run === 0) counts[d.decision] = (counts[d.decision] ?? 0) + 1
  }
  const used = process.cpuUsage(cpu)
  bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000)
  best = Math.min(best, performance.now() - t)
}
const compiledRate = fileCount / (best / 1000)
const compiledCpuRate = fileCount / (bestCpu / 1000)

t = performance.now()
let mismatches = 0
for (let i = 0; i < referenceCount; i++) {
  const r = decideReference(policy, files[i], principal, DEFAULT_MACHINE, { explain: false })
  const d = decide(compiled, files[i], principal, { explain: false })
  if (r.decision !== d.decision || r.matchingRuleId !== d.matchingRuleId) mismatches++
}
const referenceMs = performance.now() - t
// The loop above also ran the compiled engine; take its share out.
t = performance.now()
for (let i = 0; i < referenceCount; i++) decide(compiled, files[i], principal, { explain: false })
const referenceRate = referenceCount / ((referenceMs - (performance.now() - t)) / 1000)

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(`policy: ${fmt(ruleCount)} rules (generatePolicy seed 42), files: ${fmt(fileCount)} (generateFiles seed 7), principal: Standard user`)
console.log(`compile: ${compileMs.toFixed(1)} ms`)
console.log(`decisions: ${Object.entries(counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`)
console.log(`compiled:  ${fmt(compiledRate)} decisions/s (best of ${runs} runs over ${fmt(fileCount)} files: ${best.toFixed(1)} ms wall clock)`)
console.log(`           ${fmt(compiledCpuRate)} decisions/s by CPU time (${bestCpu.toFixed(1)} ms; differs from wall clock when other processes share the CPU)`)
console.log(`load:      ${os.loadavg()[0].toFixed(2)} (1-minute load average, ${os.cpus().length} CPUs)`)
console.log(`reference: ${fmt(referenceRate)} decisions/s (over the first ${fmt(referenceCount)} files)`)
console.log(`ratio:     ${(compiledRate / referenceRate).toFixed(1)}x`)
console.log(`agreement: ${referenceCount - mismatches}/${referenceCount} decisions identical (decision and matching rule)`)
process.exitCode = mismatches === 0 ? 0 : 1
