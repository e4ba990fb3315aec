import { expect, test } from '@playwright/test'
import path from 'node:path'
import { CORPUS, importPolicyFile, openFresh } from './helpers'

const NSA = path.join(CORPUS, 'nsacyber-windows11-starter.xml')

test('navigation: Review policy shows its finding count, computed lazily and following edits', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, NSA)
  const reviewTab = page.getByRole('tab', { name: /^Review policy \(\d+\)$/ })
  await expect(reviewTab).toBeVisible()
  // The imported policy is open (the count of the sample before it may still show for a moment).
  await expect(page).toHaveTitle(/nsacyber-windows11-starter/)
  const shownCount = async () => Number((await reviewTab.innerText()).match(/\((\d+)\)/)![1])

  // The same number as the Review view's errors + warnings.
  await reviewTab.click()
  const main = page.getByRole('main')
  await expect(main.getByRole('heading', { name: 'Review policy' })).toBeVisible()
  const errors = Number((await main.getByText(/^\d+ errors?$/).innerText()).match(/\d+/)![0])
  const warnings = Number((await main.getByText(/^\d+ warnings?$/).innerText()).match(/\d+/)![0])
  await expect.poll(shownCount).toBe(errors + warnings)
  const navCount = await shownCount()
  expect(navCount).toBeGreaterThan(0)

  // An edit (New policy) is followed: an empty policy has nothing to review.
  await page.getByRole('button', { name: 'New policy' }).click()
  await expect(page.getByRole('tab', { name: 'Review policy (0)' })).toBeVisible()
  // Undo brings the imported policy's count back.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByRole('tab', { name: `Review policy (${navCount})` })).toBeVisible()
})

test('Not configured is a visible grey outline badge in the light theme (not white on white)', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('button', { name: 'New policy' }).click()
  const exe = page.getByRole('tab', { name: /Executable Rules/ })
  await expect(exe).toContainText('Not configured')
  const header = page.getByRole('main').getByLabel('Enforcement: Not configured')
  await expect(header).toBeVisible()
  for (const badge of [exe.getByText('Not configured').first(), header]) {
    const { color, border } = await badge.evaluate((el) => {
      const cs = getComputedStyle(el)
      return { color: cs.color, border: cs.borderTopColor }
    })
    expect(color).not.toBe('rgb(255, 255, 255)')
    expect(border).not.toBe('rgb(255, 255, 255)')
  }
})

test('at 1024 x 768 nothing is cut off: the rule list fits, the page does not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await openFresh(page)
  await importPolicyFile(page, NSA)
  const grid = page.getByRole('grid', { name: 'Executable Rules: rules' })
  await expect(grid.getByRole('row')).not.toHaveCount(0)
  const last = grid.getByRole('columnheader', { name: 'Exceptions' })
  const box = await last.boundingBox()
  const gridBox = await grid.boundingBox()
  expect(box!.x + box!.width).toBeLessThanOrEqual(gridBox!.x + gridBox!.width + 1)
  expect(gridBox!.x + gridBox!.width).toBeLessThanOrEqual(1024)
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main')!
    return { doc: document.documentElement.scrollWidth, main: main.scrollWidth - main.clientWidth }
  })
  expect(overflow.doc).toBeLessThanOrEqual(1024)
  expect(overflow.main).toBeLessThanOrEqual(0)
  // The navigation's collection names and badges stay on one line each.
  const tab = page.getByRole('tab', { name: /Windows Installer Rules/ })
  const tabBox = await tab.boundingBox()
  expect(tabBox!.height).toBeLessThan(44)
})

test('every view opens without console errors, in both themes', async ({ page }) => {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await openFresh(page)
  await importPolicyFile(page, NSA)
  for (const theme of ['dark', 'light']) {
    await page.getByRole('button', { name: `Use ${theme} theme` }).click()
    const tabs = page.getByRole('tablist', { name: 'Rule collections and tools' }).getByRole('tab')
    const count = await tabs.count()
    for (let i = 0; i < count; i++) {
      await tabs.nth(i).click()
      await expect(page.getByRole('main').getByRole('heading').first()).toBeVisible()
    }
  }
  expect(errors).toEqual([])
})
