import { expect, test, type Page } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { CORPUS, exportPolicy, importPolicyFile, openFresh } from './helpers'

const status = (p: Page) => p.getByRole('status', { name: 'Document status' })
const exeView = (p: Page) => p.getByRole('region', { name: 'Executable Rules' })
/** An edit: duplicate the first Executable rule. */
async function duplicateFirstExeRule(p: Page): Promise<void> {
  await p.getByRole('tab', { name: /Executable Rules/ }).click()
  await bodyRows(p).nth(0).click()
  await exeView(p).getByRole('button', { name: 'Duplicate' }).click()
}
const bodyRows = (p: Page) => p.getByRole('grid', { name: 'Executable Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')

test('importing another policy drops the previous one\u2019s messages and selection (even with the same rule Ids)', async ({ page, context }, info) => {
  await openFresh(page)
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  // The same policy exported: every rule Id exists in both.
  const { bytes } = await exportPolicy(page)
  const file = info.outputPath('same-ids.xml')
  writeFileSync(file, bytes)

  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await bodyRows(page).nth(0).click()
  await expect(bodyRows(page).nth(0)).toHaveAttribute('aria-selected', 'true')
  await exeView(page).getByRole('button', { name: 'Duplicate' }).click()
  await expect(exeView(page).getByRole('status')).toContainText('Duplicated 1 rule')
  await bodyRows(page).nth(1).click()
  // A second tab changes the policy: the "changed in another tab" banner.
  const other = await context.newPage()
  await other.goto('/')
  await expect(status(other)).toContainText('17 rules')
  await duplicateFirstExeRule(other)
  await expect(status(other)).toContainText('saved in this browser · 18 rules')
  await expect(page.getByRole('alert').filter({ hasText: 'changed in another tab' })).toBeVisible()
  await other.close()
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await bodyRows(page).nth(1).click()
  await expect(bodyRows(page).nth(1)).toHaveAttribute('aria-selected', 'true')

  await importPolicyFile(page, file)
  await page.getByRole('dialog').getByRole('button', { name: 'Discard and open' }).click()
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  await expect(page.getByRole('banner')).toContainText('same-ids.xml')
  await expect(page.getByRole('alert').filter({ hasText: 'changed in another tab' })).toHaveCount(0)
  await expect(exeView(page).getByRole('status')).toHaveText('')
  await expect(bodyRows(page).first()).toBeVisible()
  await expect(page.getByRole('grid', { name: 'Executable Rules: rules' }).locator('[aria-selected="true"]')).toHaveCount(0)
})

test('undoing back to the imported state clears "*" and "not exported"', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'dcodev1702-lolbins-audit.xml'))
  await expect(status(page)).toContainText('saved in this browser · 159 rules')
  await expect(status(page)).not.toContainText('not exported')
  await expect(page.getByRole('banner')).toContainText('dcodev1702-lolbins-audit.xml')
  await expect(page.getByRole('banner')).not.toContainText('dcodev1702-lolbins-audit.xml*')
  await duplicateFirstExeRule(page)
  await expect(status(page)).toContainText('160 rules · not exported')
  await expect(page.getByRole('banner')).toContainText('dcodev1702-lolbins-audit.xml*')
  expect(await page.title()).toContain('dcodev1702-lolbins-audit.xml*')
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(status(page)).toContainText('saved in this browser · 159 rules')
  await expect(status(page)).not.toContainText('not exported')
  await expect(page.getByRole('banner')).not.toContainText('dcodev1702-lolbins-audit.xml*')
  expect(await page.title()).not.toContain('*')
})

test('Import over unexported changes asks first, as New policy does', async ({ page }) => {
  await openFresh(page)
  await duplicateFirstExeRule(page)
  await expect(status(page)).toContainText('17 rules · not exported')
  const source = path.join(CORPUS, 'dcodev1702-lolbins-audit.xml')
  await importPolicyFile(page, source)
  const ask = page.getByRole('dialog', { name: 'Discard unsaved changes?' })
  await expect(ask).toContainText('dcodev1702-lolbins-audit.xml')
  await ask.getByRole('button', { name: 'Keep editing' }).click()
  await expect(ask).toBeHidden()
  await expect(status(page)).toContainText('17 rules · not exported')
  await importPolicyFile(page, source)
  await page.getByRole('dialog', { name: 'Discard unsaved changes?' }).getByRole('button', { name: 'Discard and open' }).click()
  await expect(status(page)).toContainText('159 rules')
  // Undo brings the discarded policy back.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(status(page)).toContainText('17 rules · not exported')
})

test('dropping several policy files opens one and says which', async ({ page }) => {
  await openFresh(page)
  const a = readFileSync(path.join(CORPUS, 'wdac-toolkit-test-packaged-app-rules.xml'), 'utf-8')
  const b = readFileSync(path.join(CORPUS, 'dcodev1702-lolbins-audit.xml'), 'utf-8')
  const dataTransfer = await page.evaluateHandle(
    ([x, y]) => {
      const dt = new DataTransfer()
      dt.items.add(new File([x], 'packaged.xml', { type: 'text/xml' }))
      dt.items.add(new File([y], 'lolbins.xml', { type: 'text/xml' }))
      return dt
    },
    [a, b],
  )
  await page.dispatchEvent('main', 'dragover', { dataTransfer })
  await page.dispatchEvent('main', 'drop', { dataTransfer })
  await expect(status(page)).toContainText('3 rules')
  await expect(page.getByRole('status', { name: 'Import note' })).toContainText('2 files were dropped; one policy opens at a time, so only packaged.xml was opened')
})
