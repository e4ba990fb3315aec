import { expect, test } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { openFresh } from './helpers'

// Every main view, in both themes, has no serious or critical axe violations.
for (const theme of ['light', 'dark'] as const) {
  test(`main views have no serious accessibility violations (${theme})`, async ({ page }) => {
    // An axe scan of every view in turn takes tens of seconds on a loaded 2-core machine.
    test.setTimeout(180_000)
    await openFresh(page)
    if (theme === 'dark') await page.getByRole('button', { name: 'Use dark theme' }).click()
    const tabs = page.getByRole('tab')
    const n = await tabs.count()
    expect(n).toBeGreaterThanOrEqual(5)
    const problems: string[] = []
    for (let i = 0; i < n; i++) {
      const tab = tabs.nth(i)
      const name = (await tab.textContent()) ?? `tab ${i}`
      await tab.click()
      await page.waitForLoadState('networkidle')
      // Fluent's focus manager (tabster) adds aria-hidden focus guards that hand focus on at once;
      // axe counts them as focusable hidden elements, so they are left out of the scan.
      const result = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze()
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') problems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((x) => x.target.join(' ')).slice(0, 3).join(', ')}`)
      }
    }
    expect(problems).toEqual([])
  })
}

test('the app can be used by keyboard alone: reach the collections and switch views', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: /Executable Rules/ }).focus()
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('tab', { name: /Windows Installer Rules/ })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('tab', { name: /Windows Installer Rules/ })).toHaveAttribute('aria-selected', 'true')
  // Tab reaches the top bar's actions from the start of the page.
  await page.keyboard.press('Control+Home')
  await page.locator('body').focus()
  await page.keyboard.press('Tab')
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? '')
  expect(focused.length).toBeGreaterThan(0)
})
