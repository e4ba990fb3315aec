/**
 * Issue 11 "one validator": what the rule form refuses, the import counts, the export guard warns
 * about and the views show all come from applocker/validate.ts.
 */
import { expect, test, type Locator, type Page } from '@playwright/test'
import path from 'node:path'
import { CORPUS, importPolicyFile, openFresh } from './helpers'

function rows(page: Page, name: string): Locator {
  return page.getByRole('grid', { name: `${name}: rules` }).locator('[role="row"]:not([aria-rowindex="1"])')
}

test('Create New Rule refuses the user or group S-1-5-21-abc, which Windows cannot convert', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create New Rule' })
  const sid = dialog.getByRole('combobox', { name: 'User or group' })
  await sid.clear()
  await sid.fill('S-1-5-21-abc')
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'Path' }).check()
  await dialog.getByRole('tab', { name: 'Path' }).click()
  await dialog.getByRole('textbox', { name: 'Path' }).fill('%PROGRAMFILES%\\Contoso\\*')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('"S-1-5-21-abc" is not a SID')
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('"abc" is not a decimal number')
  await expect(sid).toHaveAttribute('aria-invalid', 'true')
})

test('AaronLocker placeholders: counted at import, listed by Edit rule, removable, and warned about at export', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'aaronlocker-DefaultRulesWithPlaceholders.xml'))
  const imported = page.getByRole('dialog')
  await expect(imported).toContainText('7 errors must be fixed')
  await expect(imported).toContainText('PLACEHOLDER_PF_WRITABLEDIRS')
  await imported.getByRole('button', { name: 'Close' }).click()

  const row = rows(page, 'Executable Rules').filter({ hasText: 'All files located in the Program Files folder' })
  await expect(row).toHaveAttribute('aria-invalid', 'true')
  await row.dblclick()
  const dialog = page.getByRole('dialog', { name: 'Edit rule' })
  await dialog.getByRole('tab', { name: 'Exceptions' }).click()
  await expect(dialog.getByText('This rule has no exceptions.')).toBeHidden()
  const placeholder = dialog.getByRole('region', { name: 'Unknown exception PLACEHOLDER_PF_WRITABLEDIRS' })
  await expect(placeholder).toContainText('<PLACEHOLDER_PF_WRITABLEDIRS>')
  await expect(placeholder).toContainText('Windows refuses the policy')
  // Saving with the placeholder is refused, as Windows would refuse the policy.
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('PLACEHOLDER_PF_WRITABLEDIRS')
  await placeholder.getByRole('button', { name: 'Remove PLACEHOLDER_PF_WRITABLEDIRS' }).click()
  await expect(dialog.getByText('This rule has no exceptions.')).toBeVisible()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(row).not.toHaveAttribute('aria-invalid', 'true')

  // Export still warns about the six that remain.
  await page.getByRole('button', { name: 'Export policy' }).click()
  await page.getByRole('menuitem', { name: 'Export as UTF-8' }).click()
  const guard = page.getByRole('dialog', { name: /Export a policy Windows will reject/ })
  await expect(guard).toContainText('6 errors remain')
  await expect(guard).toContainText('PLACEHOLDER_WINDIR_WRITABLEDIRS')
  await guard.getByRole('button', { name: 'Cancel' }).click()
})

test('an invalid EnforcementMode is shown as the file says it, marked invalid, until a mode is chosen', async ({ page }) => {
  await openFresh(page)
  const xml = '<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enforced"><FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="Program Files" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%PROGRAMFILES%\\*" /></Conditions></FilePathRule></RuleCollection></AppLockerPolicy>'
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import policy' }).click()
  await (await chooser).setFiles({ name: 'enforced.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) })
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()

  const view = page.getByRole('region', { name: 'Executable Rules' })
  await expect(view.getByText('"Enforced" (invalid)')).toBeVisible()
  await expect(view.getByText(/The file says EnforcementMode="Enforced", which Windows does not accept/)).toBeVisible()
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toContainText('"Enforced" (invalid)')
  await expect(view.getByText('Not configured with rules still enforces')).toBeHidden()

  await page.getByRole('button', { name: 'Configure rule enforcement' }).click()
  const dialog = page.getByRole('dialog', { name: 'Configure rule enforcement' })
  const select = dialog.getByRole('combobox', { name: 'Executable Rules', exact: true })
  await expect(select.locator('option:checked')).toHaveText('"Enforced" (invalid)')
  await expect(dialog.getByText(/The file says EnforcementMode="Enforced"/)).toBeVisible()
  await select.selectOption('AuditOnly')
  await dialog.getByRole('button', { name: 'OK' }).click()
  await expect(view.getByText('"Enforced" (invalid)')).toBeHidden()
  await expect(view.getByText('Audit only')).toBeVisible()
})

test('Export names rules that never match (%USERNAME% paths) apart from refusals: Windows accepts them', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'mhaggis-applockergen-blockextensions.xml'))
  // The import reports the 48 rules (errors) in its dialog first.
  const report = page.getByRole('dialog').filter({ hasText: /with problems/ })
  await expect(report).toContainText('%USERNAME%')
  await report.getByRole('button', { name: 'Close' }).click()
  await expect(report).toBeHidden()
  await page.getByRole('button', { name: 'Export policy' }).click()
  await page.getByRole('menuitem', { name: 'Export as UTF-8' }).click()
  const guard = page.getByRole('dialog', { name: 'Export rules that never match?' })
  await expect(guard).toContainText('48 errors make a rule never match as written. Windows accepts the policy, but these rules do nothing.')
  await expect(guard).not.toContainText('refuse a policy')
  await expect(guard.getByRole('list', { name: 'Rules that never match' })).toContainText('%USERNAME%')
  const download = page.waitForEvent('download')
  await guard.getByRole('button', { name: 'Export anyway' }).click()
  expect((await download).suggestedFilename()).toMatch(/\.xml$/)
})
