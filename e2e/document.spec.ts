import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { CORPUS, exportPolicy, importPolicyFile, openFresh, ruleIds } from './helpers'

test('opens on the sample policy', async ({ page }) => {
  await openFresh(page)
  await expect(page.getByText(/Sample policy/).first()).toBeVisible()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('16 rules')
})

test('imports a corpus policy through the file picker, exports it, refuses a broken file and survives a reload', async ({ page }) => {
  await openFresh(page)
  const source = path.join(CORPUS, 'dcodev1702-lolbins-audit.xml')
  await importPolicyFile(page, source)
  const status = page.getByRole('status', { name: 'Document status' })
  await expect(status).toContainText('159 rules')
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await expect(page.getByText('LOLBin Block: AddInProcess.exe').first()).toBeVisible()

  // Export: the downloaded XML holds exactly the imported rules.
  const { name, bytes } = await exportPolicy(page)
  expect(name).toBe('dcodev1702-lolbins-audit.xml')
  const xml = bytes.toString('utf-8')
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true)
  expect(ruleIds(xml).sort()).toEqual(ruleIds(readFileSync(source, 'utf-8')).sort())
  expect(xml).toContain('<RuleCollectionExtensions>')

  // UTF-16 LE export starts with the byte-order mark.
  const utf16 = await exportPolicy(page, 'Export as UTF-16 LE (as Windows writes)')
  expect([...utf16.bytes.subarray(0, 2)]).toEqual([0xff, 0xfe])
  expect(ruleIds(utf16.bytes.toString('utf16le')).length).toBe(159)

  // A broken file is refused with its location; the open policy stays.
  await importPolicyFile(page, path.join(CORPUS, 'invalid', 'nsacyber-windows10-starter-2025-03-unquoted-attribute.xml'))
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Could not import')
  await expect(dialog).toContainText('Line 890, column 260')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(status).toContainText('159 rules')

  // The policy is back after a reload.
  await page.reload()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('159 rules')
  await expect(page.getByText('dcodev1702-lolbins-audit.xml').first()).toBeVisible()
})

test('a file with several RuleCollection roots can be wrapped into one policy', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'invalid', 'asd-blueprint-block-apps-local-admins-2021-multiroot.xml'))
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('several RuleCollection roots')
  await dialog.getByRole('button', { name: 'Wrap into one policy' }).click()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('18 rules')
})

test('a policy with a group name instead of a SID opens with the problem listed', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'invalid', 'marckean-avd-2023-07-group-name-instead-of-sid.xml'))
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('AVD Users')
  await expect(dialog).toContainText(/Line \d+, column \d+/)
  await dialog.getByRole('button', { name: 'Close' }).click()
  // Exporting warns and names the errors.
  await page.getByRole('button', { name: 'Export policy' }).click()
  await page.getByRole('menuitem', { name: 'Export as UTF-8' }).click()
  await expect(page.getByRole('dialog')).toContainText('AVD Users')
  await page.getByRole('button', { name: 'Cancel' }).click()
})

test('a policy dropped anywhere on the page is imported', async ({ page }) => {
  await openFresh(page)
  const xml = readFileSync(path.join(CORPUS, 'wdac-toolkit-test-packaged-app-rules.xml'), 'utf-8')
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer()
    dt.items.add(new File([text], 'packaged.xml', { type: 'text/xml' }))
    return dt
  }, xml)
  await page.dispatchEvent('main', 'dragover', { dataTransfer })
  await expect(page.getByText('Drop a policy XML to import it')).toBeVisible()
  await page.dispatchEvent('main', 'drop', { dataTransfer })
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('3 rules')
  await expect(page.getByText('packaged.xml').first()).toBeVisible()
})

test('a hand-written policy with wrong values opens with them listed and is fixed in the app', async ({ page }) => {
  await openFresh(page)
  // Shift-JIS comments, Type="Executable", EnforcementMode="Enforced", 23 rules with Ids 1..33.
  await importPolicyFile(page, path.join(CORPUS, 'invalid', 'esuko-support-wrong-enums-shiftjis.xml'))
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Imported esuko-support-wrong-enums-shiftjis.xml with problems')
  await expect(dialog).toContainText(/not (valid )?UTF-8/i)
  await expect(dialog).toContainText('Executable')
  await expect(dialog).toContainText('Enforced')
  await dialog.getByRole('button', { name: 'Close' }).click()

  // The collection of unknown type is named above the view; the user gives it its type.
  await expect(page.getByText('Unknown rule collection type "Executable"')).toBeVisible()
  await page.getByRole('button', { name: 'Use this type' }).click()
  await expect(page.getByText('Unknown rule collection type "Executable"')).toBeHidden()
  const exe = page.getByRole('tab', { name: /Executable Rules/ })
  await exe.click()
  await expect(exe).toContainText('23')
  await expect(page.getByText('23 rules with errors')).toBeVisible()

  // Malformed Ids: select all, "New rule Id"; the Id errors are gone.
  await page.getByRole('checkbox', { name: 'Select all rules' }).check()
  await page.getByRole('button', { name: 'New rule Id' }).click()
  await expect(page.getByText(/rules? with errors/)).toBeHidden()

  // The invalid enforcement mode is replaced by choosing one; then the export has no errors to warn about.
  await page.getByRole('button', { name: 'Configure rule enforcement' }).click()
  const enforcement = page.getByRole('dialog')
  await enforcement.getByRole('combobox', { name: 'Executable Rules', exact: true }).selectOption('Enabled')
  await enforcement.getByRole('button', { name: 'OK' }).click()
  const { bytes } = await exportPolicy(page)
  const xml = bytes.toString('utf-8')
  expect(xml).toContain('<RuleCollection Type="Exe" EnforcementMode="Enabled">')
  expect(ruleIds(xml)).toHaveLength(23)
  expect(ruleIds(xml).every((id) => /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(id))).toBe(true)
})
