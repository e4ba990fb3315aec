/**
 * Browser rows of `npm run bench` (group `browser`): scripts/browser/hash-bench.ts and decide-bench.ts bundled with
 * esbuild, served from 127.0.0.1 (a secure context, so Web Crypto is there) and run in Debian's
 * Chromium through Playwright. Hashing rows are ratios to crypto.subtle.digest of the same bytes,
 * decision rows the ratios of `npm run bench -- ratio` (a Map lookup per file, a compiled decision),
 * each measured interleaved in the same page.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from '@playwright/test'
import type { BrowserRow } from './browser/hash-bench'
import type { DecideRow } from './browser/decide-bench'

const CHROMIUM = '/usr/bin/chromium'

/** Bundles `entry` (relative to this folder), serves it from 127.0.0.1 and returns what `globalThis[fn]()` gives in Chromium. */
async function inChromium<T>(entry: string, fn: string): Promise<{ result: T; version: string }> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
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
    await page.waitForFunction((name) => typeof (globalThis as Record<string, unknown>)[name] === 'function', fn)
    const result = (await page.evaluate((name) => ((globalThis as Record<string, unknown>)[name] as () => unknown)(), fn)) as T
    return { result, version: browser.version() }
  } finally {
    await browser.close()
    server.close()
  }
}

export async function browserRows(rows: string[][], fmt: (n: number, d?: number) => string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    rows.push(['Browser hashing and decisions (Chromium)', 'skipped', `${CHROMIUM} not installed (scripts/ensure-chromium.sh)`])
    return
  }
  const hashing = await inChromium<BrowserRow[]>('./browser/hash-bench.ts', 'runBench')
  for (const r of hashing.result) {
    rows.push([`Chromium ${hashing.version}: ${r.what} vs crypto.subtle.digest of the same bytes (target at most 1.5x)`, `${fmt(r.ms)} ms vs ${fmt(r.digestMs)} ms`, `${fmt(r.ms / r.digestMs, 2)}x, ${fmt(r.mb / (r.ms / 1000))} MB/s`])
  }
  const deciding = await inChromium<DecideRow[]>('./browser/decide-bench.ts', 'runDecideBench')
  for (const r of deciding.result) {
    const n = fmt(r.rules)
    if (r.rules === 10_000) rows.push([`Chromium ${deciding.version}: compiled decision vs one Map lookup per file (${n} rules, 100,000 files; target at most 8x)`, `${fmt(r.decideNs, 2)} ns vs ${fmt(r.mapNs, 2)} ns`, `${fmt(r.decideNs / r.mapNs, 1)}x`])
    rows.push([`Chromium ${deciding.version}: Test a file, explained vs compiled decision (${n} rules; target at most 10x)`, `${fmt(r.explainedUs, 1)} µs per file`, `${fmt((r.explainedUs * 1000) / r.decideNs, 1)}x`])
  }
}
