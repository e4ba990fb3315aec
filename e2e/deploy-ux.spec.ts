import { expect, test } from '@playwright/test'
import path from 'node:path'
import { FIXTURES, importPolicyFile, loadInventory, openFresh } from './helpers'

// Issue 16 item 20: the Intune block belongs to the Intune target only; the Test-AppLockerPolicy
// command's text area fills its frame.

test('Deploy: the Intune (AppLocker CSP) form shows only when Intune is the target', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Deploy...' }).click()
  const intune = page.getByRole('heading', { name: 'Intune (AppLocker CSP)' })
  await page.getByRole('radio', { name: 'Group Policy object (domain)' }).check()
  await expect(page.getByRole('textbox', { name: 'GPO LDAP path' })).toBeVisible()
  await expect(intune).toBeHidden()
  await expect(page.getByRole('button', { name: /^Copy OMA-URI for / })).toHaveCount(0)
  await page.getByRole('radio', { name: 'Local policy of one machine' }).check()
  await expect(intune).toBeHidden()
  await page.getByRole('radio', { name: 'Intune (AppLocker CSP)' }).check()
  await expect(intune).toBeVisible()
  await expect(page.getByRole('button', { name: 'Copy OMA-URI for Executable Rules' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'GPO LDAP path' })).toBeHidden()
})

test('the Test-AppLockerPolicy command text area shows several lines and fills its frame', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(FIXTURES, 'audit-only-defaults.xml'))
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  await loadInventory(page, path.join(FIXTURES, 'audited-events.xml'))
  await page.getByRole('button', { name: 'Copy Test-AppLockerPolicy command' }).click()
  const box = page.getByRole('textbox', { name: 'Test-AppLockerPolicy command' })
  await expect(box).toBeVisible()
  const m = await box.evaluate((el) => {
    const frame = el.parentElement!.getBoundingClientRect()
    const line = parseFloat(getComputedStyle(el).lineHeight) || 20
    return { inner: el.getBoundingClientRect().height, frame: frame.height, lines: el.clientHeight / line }
  })
  expect(m.lines).toBeGreaterThanOrEqual(8)
  expect(m.frame - m.inner).toBeLessThan(12)
})
