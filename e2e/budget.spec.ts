import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { openFresh } from './helpers'

// Size budget, not a time: the JavaScript a first visit loads (the entry chunk and what it preloads).
// The build is the one Playwright's web server just made in dist/. Issue 13's target is 150 KB: 146.2 KB measured
// (221.7 KB before dialogs, menus, tooltips, the palette and the dark theme loaded on demand; 156.7 KB before the
// build compiled the app's makeStyles ahead of time, @griffel/vite-plugin, which drops Griffel's runtime style
// compiler, stylis and rtl-css-js, and before the toolbar's divider became a plain separator).
const BUDGET = 150 * 1024

/** The scripts dist/index.html loads at once: the entry and its modulepreload links. */
function initialScripts(dist: string): string[] {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf-8')
  const found = html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)
  return [...new Set([...found].map((m) => m[1]))]
}

test('initial JavaScript stays under the budget (gzipped)', () => {
  const dist = path.resolve('dist')
  const scripts = initialScripts(dist)
  expect(scripts.length).toBeGreaterThan(0)
  let total = 0
  for (const s of scripts) total += gzipSync(readFileSync(path.join(dist, s.replace(/^\//, '')))).length
  console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`)
  expect(total).toBeLessThan(BUDGET)
})

test('the review code (lint) is not in the initial JavaScript: the navigation count loads it later', () => {
  const dist = path.resolve('dist')
  for (const s of initialScripts(dist)) {
    const code = readFileSync(path.join(dist, s.replace(/^\//, '')), 'utf-8')
    expect(code, s).not.toContain('Known bypass binaries are allowed')
  }
})

// The honest measure: every script the browser fetches on a first visit (the entry, its preloads, the chunks
// started at boot), until the sample policy's rule list shows. Each script is fetched again from the same server
// after (Chromium does not keep a reloaded page's response bodies) and gzipped here, as a compressing server
// would send it. The review Worker's script (it validates the policy off the page's thread and may start before
// the list shows) is printed apart and not counted.
// 244.2 KB measured (293.9 KB before the sample shipped as JSON and the first load became one chunk): the rule
// list's own code (the virtual grid, its filters' Dropdown, Checkbox, tooltips) comes on top of the initial JS.
const FIRST_VISIT_BOUND = 260 * 1024
test('a first visit fetches little JavaScript before the rule list shows (gzipped)', async ({ page }) => {
  const urls = new Set<string>()
  let shown = false
  page.on('response', (r) => {
    if (!shown && new URL(r.url()).pathname.endsWith('.js')) urls.add(r.url())
  })
  await openFresh(page)
  const grid = page.getByRole('grid', { name: 'Executable Rules: rules' })
  await expect(grid.getByText('Block mshta.exe for everyone')).toBeVisible()
  shown = true
  let total = 0
  let files = 0
  const sizes: string[] = []
  const workers: string[] = []
  for (const url of urls) {
    const res = await page.request.get(url)
    expect(res.ok(), url).toBe(true)
    const gz = gzipSync(await res.body()).length
    const line = `${path.basename(new URL(url).pathname)} ${(gz / 1024).toFixed(1)}`
    if (/\.worker-[^/]*\.js$/.test(url)) {
      workers.push(line)
      continue
    }
    total += gz
    files++
    sizes.push(line)
  }
  console.log(`first visit JS until the rule list shows: ${(total / 1024).toFixed(1)} KB gzipped in ${files} file(s)`)
  console.log(sizes.join(', '))
  if (workers.length) console.log(`and Worker scripts, not counted: ${workers.join(', ')}`)
  expect(total).toBeLessThan(FIRST_VISIT_BOUND)
})
