import { defineConfig } from '@playwright/test'

// E2E_PORT lets several checkouts run their e2e tests side by side (default 4173, the README's port).
const port = Number(process.env.E2E_PORT ?? 4173)
const origin = `http://127.0.0.1:${port}`

// Tests that measure the page's longest task or a time bound: run last and one at a time, so another
// test's browser does not take the second core while they measure (a 2-core machine).
const TIMED = /(budget|export-speed|import-large|merge-large|simulate-large)\.spec\.ts$/

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 2,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: origin,
    acceptDownloads: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'main', testIgnore: TIMED },
    { name: 'timed', testMatch: TIMED, workers: 1, dependencies: ['main'] },
  ],
  webServer: {
    command: `npx vite build && npx vite preview --strictPort --port ${port}`,
    url: origin,
    reuseExistingServer: false,
    timeout: 180_000,
  },
})
