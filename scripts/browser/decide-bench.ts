/**
 * Runs in Chromium (scripts/bench-browser.ts bundles and serves it): a compiled decision against one
 * Map lookup per file, the same measurement as the Node row of `npm run bench -- ratio`.
 */
import { compilePolicy } from '../../src/applocker/evaluate/compile'
import { decide } from '../../src/applocker/evaluate/decide'
import { DEFAULT_MACHINE, type Principal } from '../../src/applocker/evaluate/types'
import { generateFiles } from '../../src/testing/files'
import { generatePolicy } from '../../src/testing/generate'

export interface DecideRow {
  rules: number
  decideNs: number
  mapNs: number
  explainedUs: number
}

function run(): DecideRow[] {
  const principal: Principal = { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545', 'S-1-5-11', 'S-1-5-4'] }
  const out: DecideRow[] = []
  for (const rules of [10_000, 200_000]) {
    const policy = generatePolicy(rules, 42)
    const files = generateFiles(policy, 100_000, 7)
    const compiled = compilePolicy(policy, DEFAULT_MACHINE)
    const lookup = new Map<string, number>()
    files.forEach((f, i) => lookup.set(f.path, i))
    let sink = 0
    let mapMs = Infinity
    let decideMs = Infinity
    let explainMs = Infinity
    const sample = files.slice(0, 2_000)
    for (let k = 0; k < 6; k++) {
      let t = performance.now()
      for (const f of files) sink += lookup.get(f.path) ?? 0
      if (k > 0) mapMs = Math.min(mapMs, performance.now() - t)
      t = performance.now()
      for (const f of files) sink += decide(compiled, f, principal, { explain: false }).eventId ?? 0
      if (k > 0) decideMs = Math.min(decideMs, performance.now() - t)
      t = performance.now()
      for (const f of sample) sink += decide(compiled, f, principal).explanation.steps.length
      if (k > 0) explainMs = Math.min(explainMs, performance.now() - t)
    }
    if (sink === 0.5) console.log(sink)
    out.push({ rules, decideNs: (decideMs / files.length) * 1e6, mapNs: (mapMs / files.length) * 1e6, explainedUs: (explainMs / sample.length) * 1000 })
  }
  return out
}

;(globalThis as { runDecideBench?: () => DecideRow[] }).runDecideBench = run
