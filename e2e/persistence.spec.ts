import { expect, test } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { generatePolicy } from '../src/testing/generate'
import { writePolicyXml } from '../src/applocker/xml/write'
import { importPolicyFile, openFresh } from './helpers'

// Nothing lost: edits survive a reload, and an edit in a second tab is neither overwritten nor
// overwrites the first tab's edit without a warning.
test('edits survive a reload and a second tab', async ({ page, context }) => {
  await openFresh(page)
  const status = (p: typeof page) => p.getByRole('status', { name: 'Document status' })
  await expect(status(page)).toContainText('16 rules')

  // Edit 1 in the first tab: a new, empty policy; it survives a reload.
  await page.getByRole('button', { name: 'New policy' }).click()
  await expect(status(page)).toContainText('saved in this browser · 0 rules')
  await page.reload()
  await expect(status(page)).toContainText('0 rules')

  // Edit 2 in a second tab: the Exe default rules.
  const second = await context.newPage()
  await second.goto('/')
  await expect(status(second)).toContainText('0 rules')
  await second.getByRole('tab', { name: /Executable Rules/ }).click()
  await second.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status(second)).toContainText('3 rules')

  // The first tab is told and shows the second tab's edit instead of silently keeping its stale copy.
  await expect(page.getByRole('alert')).toContainText('changed in another tab')
  await expect(status(page)).toContainText('3 rules')

  // Edit 3 back in the first tab builds on edit 2; after a reload of both, all edits are there.
  await page.getByRole('tab', { name: /Script Rules/ }).click()
  await page.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status(page)).toContainText('6 rules')
  await expect(status(second)).toContainText('6 rules')
  await second.reload()
  await expect(status(second)).toContainText('6 rules')
})

test('when the browser refuses to store the policy, the user is told and warned before leaving', async ({ page }) => {
  await openFresh(page)
  const status = page.getByRole('status', { name: 'Document status' })
  await expect(status).toContainText('16 rules')
  // A full quota, as a very large policy would hit.
  await page.evaluate(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
  })
  await page.getByRole('button', { name: 'New policy' }).click()
  await expect(status).toContainText('refused to store the policy')
  await expect(status).toContainText('export it')
  // Leaving now asks first.
  const dialog = page.waitForEvent('dialog')
  await page.close({ runBeforeUnload: true })
  const d = await dialog
  expect(d.type()).toBe('beforeunload')
  await d.dismiss()
  // Staying kept the page and its policy; then it closes without asking, so the teardown has nothing pending
  // (closing the context over a page that was asked to unload failed once with "Test ended" under load).
  await expect(status).toContainText('refused to store the policy')
  await page.close({ runBeforeUnload: false })
})

test('a policy too large for localStorage is kept in IndexedDB and is back after a reload, in every tab', async ({ page, context }, info) => {
  test.slow()
  await openFresh(page)
  // 20,000 rules: about 8.5 million characters of JSON, more than localStorage takes.
  const file = info.outputPath('large-policy.xml')
  writeFileSync(file, writePolicyXml(generatePolicy(20_000, 3)))
  await importPolicyFile(page, file)
  const status = page.getByRole('status', { name: 'Document status' })
  await expect(status).toContainText('20,000 rules')
  await expect(status).toContainText('saved in this browser')
  // localStorage keeps only a pointer once the write to IndexedDB is done.
  await expect.poll(() => page.evaluate(() => (localStorage.getItem('applocker-workbench.document') ?? '').length)).toBeLessThan(200)
  await page.reload()
  await expect(status).toContainText('20,000 rules', { timeout: 20_000 })
  await expect(page.getByText('large-policy.xml').first()).toBeVisible()

  // An edit in a second tab reaches the first one through the pointer's change.
  const second = await context.newPage()
  await second.goto('/')
  const status2 = second.getByRole('status', { name: 'Document status' })
  await expect(status2).toContainText('20,000 rules', { timeout: 20_000 })
  await second.getByRole('tab', { name: /Script Rules/ }).click()
  await second.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status2).toContainText(/20,00[0-3] rules/)
  const after = (await status2.textContent()) ?? ''
  await expect(page.getByRole('alert')).toContainText('changed in another tab', { timeout: 20_000 })
  await expect(status).toContainText(/20,00\d rules/)
  expect(await status.textContent()).toContain(/(20,00\d) rules/.exec(after)![1])
})
