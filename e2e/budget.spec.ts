import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

// Size budget, not a time: the JavaScript a first visit loads (the entry chunk and what it preloads).
// The build is the one Playwright's web server just made in dist/. Issue 13's target is 150 KB; the rule
// list, the writer and the validator now load on demand (the rule list's chunk starts at boot, beside the
// saved policy), which took the first load from ~254 KB to ~223 KB. 230 KB until the rest is split.
const BUDGET = 230 * 1024

test('initial JavaScript stays under the budget (gzipped)', () => {
  const dist = path.resolve('dist')
  const html = readFileSync(path.join(dist, 'index.html'), 'utf-8')
  const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1])
  expect(scripts.length).toBeGreaterThan(0)
  let total = 0
  for (const s of new Set(scripts)) total += gzipSync(readFileSync(path.join(dist, s.replace(/^\//, '')))).length
  console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`)
  expect(total).toBeLessThan(BUDGET)
})

test('the review code (lint) is not in the initial JavaScript: the navigation count loads it later', () => {
  const dist = path.resolve('dist')
  const html = readFileSync(path.join(dist, 'index.html'), 'utf-8')
  const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1])
  for (const s of new Set(scripts)) {
    const code = readFileSync(path.join(dist, s.replace(/^\//, '')), 'utf-8')
    expect(code, s).not.toContain('Known bypass binaries are allowed')
  }
})
