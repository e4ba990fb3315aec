/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import griffel from '@griffel/vite-plugin'
import { buildCli } from './scripts/build-cli.ts'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { readPolicy } from './src/applocker/xml/read.ts'

/**
 * `virtual:sample-policy`: the sample policy a first visit opens (src/app/sample-policy.xml), read at build time
 * and shipped as its model's JSON, the form the browser save keeps. The first visit then loads a few KB of JSON
 * instead of the XML reader (about 30 KB gzipped) and reads no XML before it draws.
 */
const SAMPLE_ID = 'virtual:sample-policy'
const samplePolicy = {
  name: 'applocker-sample-policy',
  resolveId: (id: string) => (id === SAMPLE_ID ? `\0${SAMPLE_ID}` : null),
  load(this: { addWatchFile(file: string): void }, id: string) {
    if (id !== `\0${SAMPLE_ID}`) return null
    const file = path.resolve('src/app/sample-policy.xml')
    this.addWatchFile(file)
    const read = readPolicy(readFileSync(file, 'utf-8'))
    if (!read.value) throw new Error(`src/app/sample-policy.xml does not read: ${read.diagnostics.map((d) => d.message).join('; ')}`)
    return `export default ${JSON.stringify(JSON.stringify(read.value))}`
  },
}

/**
 * What the first visit loads at once goes in one chunk beside the entry ("shell") instead of the twenty-odd small
 * shared chunks the automatic splitting makes of it: they gzip worse apart (each file is compressed alone) and
 * cost a request each. It holds the app modules src/main.tsx imports statically (directly or through others) and
 * the packages the first drawing uses (React, Fluent's core, tabster, the shell's components: FIRST_DRAWING).
 * Everything loaded on demand keeps its own chunks; e2e/budget.spec.ts measures the result.
 */
const FIRST_DRAWING = /[\\/]node_modules[\\/](?:react|react-dom|scheduler|zustand|use-sync-external-store|tabster|keyborg|stylis|rtl-css-js|@emotion[\\/]hash|@griffel[\\/][^\\/]+|@fluentui[\\/](?:tokens|react-(?:provider|utilities|shared-contexts|jsx-runtime|context-selector|tabster|aria|button|toolbar|tabs|badge|text)))[\\/]/
function firstLoadGroup() {
  const entry = path.resolve('src/main.tsx')
  let app: Set<string> | null = null
  return (id: string, ctx: { getModuleInfo(id: string): { importedIds: readonly string[] } | null }): string | null => {
    if (!app) {
      app = new Set([entry])
      const todo = [entry]
      for (let m = todo.pop(); m !== undefined; m = todo.pop())
        for (const dep of ctx.getModuleInfo(m)?.importedIds ?? [])
          if (!dep.includes('node_modules') && !app.has(dep)) todo.push((app.add(dep), dep))
    }
    // The dark theme's tokens load when it is chosen (src/app/theme.ts).
    return app.has(id) || (FIRST_DRAWING.test(id) && !/[\\/]tokens[\\/].*dark/i.test(id)) ? 'shell' : null
  }
}

// The app makes no network request beyond loading itself: the CSP forbids remote connections.
const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'none'"

export default defineConfig(({ command }) => ({
  // Every production build also builds the command line (dist/cli.mjs), so `npm start`, `npm run build` and the
  // e2e web server leave a current one behind.
  plugins: [
    react(),
    command === 'build' && griffel(),
    samplePolicy,
    { name: 'applocker-cli', apply: 'build', closeBundle: () => buildCli() },
    {
      // The built page carries its CSP itself, so any static server applies it (the preview header is a second copy).
      // frame-ancestors is not allowed in a <meta> CSP and is not used.
      name: 'applocker-csp-meta',
      apply: 'build',
      transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: csp }, injectTo: 'head-prepend' }],
    },
  ],
  server: { host: '127.0.0.1', port: 5173, headers: { 'Content-Security-Policy': csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") } },
  preview: { host: '127.0.0.1', port: 4173, headers: { 'Content-Security-Policy': csp } },
  build: { rolldownOptions: { output: { codeSplitting: { groups: [{ name: firstLoadGroup() }] } } } },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    benchmark: { include: ['src/**/*.bench.ts'] },
    testTimeout: 30000,
  },
}))
