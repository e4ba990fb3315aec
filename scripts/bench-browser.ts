/**
 * Browser rows of `npm run bench` (group `browser`): scripts/browser/hash-bench.ts bundled with
 * esbuild, served from 127.0.0.1 (a secure context, so Web Crypto is there) and run in Debian's
 * Chromium through Playwright. Each row is a ratio to crypto.subtle.digest of the same bytes,
 * measured interleaved in the same page.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from '@playwright/test'
import type { BrowserRow } from './browser/hash-bench'

const CHROMIUM = '/usr/bin/chromium'

export async function browserRows(rows: string[][], fmt: (n: number, d?: number) => string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    rows.push(['Browser hashing (Chromium)', 'skipped', `${CHROMIUM} not installed (scripts/ensure-chromium.sh)`])
    return
  }
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser/hash-bench.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  })
  const js = bundle.outputFiles[0].text
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(js)
    } else {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench.js"></script>')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
  try {
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${port}/`)
    await page.waitForFunction(() => typeof (globalThis as { runBench?: unknown }).runBench === 'function')
    const version = browser.version()
    const result = await page.evaluate(() => (globalThis as unknown as { runBench: () => Promise<BrowserRow[]> }).runBench())
    for (const r of result) {
      rows.push([`Chromium ${version}: ${r.what} vs crypto.subtle.digest of the same bytes (target at most 1.5x)`, `${fmt(r.ms)} ms vs ${fmt(r.digestMs)} ms`, `${fmt(r.ms / r.digestMs, 2)}x, ${fmt(r.mb / (r.ms / 1000))} MB/s`])
    }
  } finally {
    await browser.close()
    server.close()
  }
}
