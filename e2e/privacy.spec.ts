import { expect, test } from '@playwright/test'
import { openFresh } from './helpers'

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`

test('the app makes no network request beyond loading itself, and its CSP forbids remote connections', async ({ page }) => {
  const foreign: string[] = []
  page.on('request', (r) => {
    const url = r.url()
    if (!url.startsWith(ORIGIN) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url)
  })
  const response = await page.goto('/')
  const csp = response?.headers()['content-security-policy'] ?? ''
  expect(csp).toContain("default-src 'self'")
  expect(csp).toContain("connect-src 'self'")
  await openFresh(page)
  // Walk every view in the navigation so lazily loaded parts are fetched too.
  const tabs = page.getByRole('tab')
  const n = await tabs.count()
  for (let i = 0; i < n; i++) {
    await tabs.nth(i).click()
    await page.waitForLoadState('networkidle')
  }
  // A fetch to anywhere else is refused by the CSP.
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('https://example.com/')
      return false
    } catch {
      return true
    }
  })
  expect(blocked).toBe(true)
  expect(foreign.filter((u) => u !== 'https://example.com/')).toEqual([])
})
