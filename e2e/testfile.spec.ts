import { expect, test, type Page } from '@playwright/test'
import path from 'node:path'
import { CORPUS, importPolicyFile, openFresh } from './helpers'

async function openTestFile(page: Page) {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Test a file' }).click()
  await expect(page.getByRole('heading', { name: 'Test a file' })).toBeVisible()
}

test('Test a file: decision, effect, event and explanation, live as the form and the policy change', async ({ page }) => {
  await openTestFile(page)
  const form = page.getByRole('form', { name: 'File and principal' })
  const result = page.getByRole('region', { name: 'Decision' })
  const pathBox = form.getByRole('textbox', { name: 'Path' })

  // The sample policy's Windows rule has an exception for %WINDIR%\Temp: a standard user is denied by default,
  // and the Exe collection is in Audit only, so the file runs but is logged (8003).
  await pathBox.fill('C:\\Windows\\Temp\\evil.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')
  await expect(result.getByText('Runs, logged as "would have been prevented"')).toBeVisible()
  await expect(result.getByLabel('Event ID')).toContainText('8003')
  await expect(result.getByLabel('Exceptions that applied')).toContainText('(Default Rule) All files located in the Windows folder')
  await expect(result.getByLabel('Exceptions that applied')).toContainText('%WINDIR%\\Temp\\*')

  // A file in System32 is allowed by the Windows rule (8002).
  await pathBox.fill('C:\\Windows\\System32\\cmd.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('Allowed')
  await expect(result.getByLabel('Event ID')).toContainText('8002')
  await expect(result.getByLabel('Matching rules')).toContainText('(Default Rule) All files located in the Windows folder')

  // A signed mshta is denied by the publisher Deny rule, whatever allows it.
  await form.getByRole('checkbox', { name: 'The file is signed' }).check()
  await form.getByRole('textbox', { name: 'Publisher' }).fill('O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US')
  await form.getByRole('textbox', { name: 'Product name' }).fill('MICROSOFT® WINDOWS® OPERATING SYSTEM')
  await form.getByRole('textbox', { name: 'Original file name' }).fill('MSHTA.EXE')
  await form.getByRole('textbox', { name: 'File version' }).fill('11.0.22621.1')
  await pathBox.fill('C:\\Windows\\System32\\mshta.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('Denied')
  await expect(result.getByText('Decided by:')).toContainText('Block mshta.exe for everyone')
  await expect(result.getByLabel('Matching rules')).toContainText('Block mshta.exe for everyone')

  // Invalid input is reported next to the field.
  await form.getByRole('textbox', { name: 'File version' }).fill('eleven')
  await expect(form.getByText('A version is up to four numbers')).toBeVisible()
  await form.getByRole('textbox', { name: 'File version' }).fill('11.0.22621.1')
  await form.getByRole('checkbox', { name: 'The file is signed' }).uncheck()

  // The principal: an administrator may run anything (the Administrators "All files" rule).
  await pathBox.fill('C:\\Users\\bob\\Downloads\\tool.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')
  await form.getByRole('radio', { name: /^Administrator/ }).check()
  await expect(result.getByLabel('Policy decision')).toHaveText('Allowed')
  await expect(result.getByLabel('Matching rules')).toContainText('(Default Rule) All files')
  await form.getByRole('radio', { name: /^Standard user/ }).check()

  // Live with the policy: importing another policy changes the answer without touching the form.
  await importPolicyFile(page, path.join(CORPUS, 'nsacyber-windows11-starter.xml'))
  await pathBox.fill('C:\\Windows\\System32\\spool\\PRINTERS\\x.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')
  await expect(result.getByLabel('Event ID')).toContainText('8003')
})
