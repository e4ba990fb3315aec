import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'

// Issue 11 §4: the Content-Security-Policy travels in the built index.html, so the app keeps it on any static server.

test('the built index.html carries the Content-Security-Policy as a meta tag, and the app works under it', async ({ page }) => {
  const html = readFileSync(path.resolve('dist/index.html'), 'utf8')
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)
  expect(meta).not.toBeNull()
  // Attribute text as the browser reads it (Vite writes ' as &#39;).
  const csp = meta![1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')
  expect(csp).toContain("default-src 'self'")
  expect(csp).toContain("connect-src 'self'")
  expect(csp).toContain("object-src 'none'")
  expect(csp).not.toContain("'unsafe-eval'")
  expect(csp).not.toMatch(/https?:/)

  // The page as served has the meta tag, and nothing in it is refused by the policy.
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text())
  })
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(csp)
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toBeVisible()
  // Views that start Workers and load code on demand.
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  await page.getByRole('tab', { name: /^Review policy/ }).click()
  await expect(page.getByRole('main').getByRole('heading', { name: 'Review policy' })).toBeVisible()
  expect(violations).toEqual([])
})
