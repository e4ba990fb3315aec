import { expect, test, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { openFresh } from './helpers'

// Issue 16 item 18: the drag-and-drop overlay has a real backdrop and an opaque message panel, readable over
// the rows in both themes; the rule details pane says when there is more to read and can show it all.

/** The alpha of a computed CSS colour ("rgb(...)" is opaque). */
function alphaOf(color: string): number {
  const m = /rgba?\(([^)]+)\)/.exec(color)
  if (!m) return 0
  const parts = m[1].split(/[,\s/]+/).filter(Boolean)
  return parts.length >= 4 ? Number(parts[3]) : 1
}

async function dragFileOver(page: Page) {
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['<AppLockerPolicy Version="1" />'], 'p.xml', { type: 'text/xml' }))
    return dt
  }, undefined)
  await page.dispatchEvent('main', 'dragover', { dataTransfer })
}

for (const theme of ['light', 'dark'] as const) {
  test(`the drop overlay dims the rows and shows its message on an opaque panel (${theme})`, async ({ page }) => {
    await openFresh(page)
    if (theme === 'dark') await page.getByRole('button', { name: 'Use dark theme' }).click()
    await dragFileOver(page)
    const message = page.getByRole('status').filter({ hasText: 'Drop a policy XML to import it' })
    await expect(message).toBeVisible()
    const backdrop = page.getByTestId('drop-overlay')
    const [backdropColor, panelColor] = await Promise.all([
      backdrop.evaluate((e) => getComputedStyle(e).backgroundColor),
      message.evaluate((e) => getComputedStyle(e).backgroundColor),
    ])
    // A backdrop that dims (not a 12 % tint), under a panel that hides the rows behind the text.
    expect(alphaOf(backdropColor)).toBeGreaterThanOrEqual(0.3)
    expect(alphaOf(panelColor)).toBe(1)
    const axe = await new AxeBuilder({ page }).include('[data-testid="drop-overlay"]').withRules(['color-contrast']).analyze()
    expect(axe.violations.map((v) => v.id)).toEqual([])
    expect(axe.passes.map((v) => v.id)).toContain('color-contrast')
  })
}

test('the rule details pane shows that more is below, and Show all details shows it all', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  // The Windows folder rule: description, condition and four exceptions do not fit the short pane.
  await page.getByRole('row').filter({ hasText: '(Default Rule) All files located in the Windows folder' }).click()
  const pane = page.getByLabel('Selected rule')
  await expect(pane).toContainText('%SYSTEM32%\\Tasks\\*')
  const cue = page.getByText('More below: scroll the details, or')
  await expect(cue).toBeVisible()
  const fits = () => pane.evaluate((e) => e.scrollHeight <= e.clientHeight + 1)
  expect(await fits()).toBe(false)

  // Scrolled to the end, nothing is below any more.
  await pane.evaluate((e) => (e.scrollTop = e.scrollHeight))
  await expect(cue).toBeHidden()
  await pane.evaluate((e) => (e.scrollTop = 0))
  await expect(cue).toBeVisible()

  // Show all details: the pane grows to fit them.
  const more = page.getByRole('button', { name: 'Show all details' })
  await expect(more).toHaveAttribute('aria-expanded', 'false')
  await more.click()
  await expect(cue).toBeHidden()
  expect(await fits()).toBe(true)
  await page.getByRole('button', { name: 'Show fewer lines' }).click()
  await expect(cue).toBeVisible()
})
