/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { buildCli } from './scripts/build-cli.ts'

// The app makes no network request beyond loading itself: the CSP forbids remote connections.
const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'none'"

export default defineConfig({
  // Every production build also builds the command line (dist/cli.mjs), so `npm start`, `npm run build` and the
  // e2e web server leave a current one behind.
  plugins: [
    react(),
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
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    benchmark: { include: ['src/**/*.bench.ts'] },
    testTimeout: 30000,
  },
})
