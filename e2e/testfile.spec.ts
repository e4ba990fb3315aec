import { expect, test, type Page } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import path, { join } from 'node:path'
import { ensurePeFixtures, fixtureDigests } from '../src/testing/pe-fixtures'
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

  // Unelevated (UAC), the administrator still counts for Executable rules, but not for scripts (AaronLocker).
  const elevated = form.getByRole('checkbox', { name: 'Runs elevated (Run as administrator)' })
  await expect(elevated).toBeChecked()
  await elevated.uncheck()
  await expect(result.getByLabel('Policy decision')).toHaveText('Allowed')
  await pathBox.fill('C:\\Users\\bob\\Downloads\\tool.ps1')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')
  await expect(result).toContainText('The user is an administrator running unelevated (UAC)')
  await expect(result).toContainText('unelevated (Administrators counts for Executable rules only)')
  await elevated.check()
  await expect(result.getByLabel('Policy decision')).toHaveText('Allowed')
  await expect(result.getByLabel('Matching rules')).toContainText('(Default Rule) All scripts')
  await form.getByRole('radio', { name: /^Standard user/ }).check()

  // Live with the policy: importing another policy changes the answer without touching the form.
  await importPolicyFile(page, path.join(CORPUS, 'nsacyber-windows11-starter.xml'))
  await pathBox.fill('C:\\Windows\\System32\\spool\\PRINTERS\\x.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')
  await expect(result.getByLabel('Event ID')).toContainText('8003')
})

// Issue 16 item 12: "Browse for a reference file..." fills the path's file name, the signer and the hash
// from a real file (read in the file-information Worker), and the decision follows.
test('Test a file: Browse for a reference file fills publisher and hash from a real signed or unsigned file', async ({ page }, testInfo) => {
  const dir = ensurePeFixtures()
  const digests = fixtureDigests(dir)
  const PUBLISHER = 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH'
  // A policy that allows the signed fixture by publisher and the unsigned one by its hash, enforced.
  const policy = testInfo.outputPath('probe-allow.xml')
  writeFileSync(
    policy,
    `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled">
  <FilePublisherRule Id="0b1d2a33-5b0a-4c27-9a59-0d6d6b8a0001" Name="Probe by publisher" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
    <Conditions><FilePublisherCondition PublisherName="${PUBLISHER}" ProductName="PROBE PRODUCT" BinaryName="HELLO.EXE"><BinaryVersionRange LowSection="1.2.3.4" HighSection="*" /></FilePublisherCondition></Conditions>
  </FilePublisherRule>
  <FileHashRule Id="0b1d2a33-5b0a-4c27-9a59-0d6d6b8a0002" Name="Probe by hash" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
    <Conditions><FileHashCondition><FileHash Type="SHA256" Data="0x${digests.get('hello64.exe')!.authenticode}" SourceFileName="hello64.exe" SourceFileLength="1" /></FileHashCondition></Conditions>
  </FileHashRule>
</RuleCollection></AppLockerPolicy>`,
  )
  await openFresh(page)
  await importPolicyFile(page, policy)
  await page.getByRole('tab', { name: 'Test a file' }).click()
  const form = page.getByRole('form', { name: 'File and principal' })
  const result = page.getByRole('region', { name: 'Decision' })
  const pathBox = form.getByRole('textbox', { name: 'Path' })
  await pathBox.fill('C:\\Users\\bob\\Downloads\\tool.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')

  // The signed program: publisher, product, file name and version from its signature and version resource.
  let chooser = page.waitForEvent('filechooser')
  const worker = page.waitForEvent('worker')
  await form.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64-signed.exe'))
  expect((await worker).url()).toMatch(/fileinfo/)
  await expect(form.getByRole('status')).toContainText('Filled from hello64-signed.exe')
  await expect(pathBox).toHaveValue('C:\\Users\\bob\\Downloads\\hello64-signed.exe')
  await expect(form.getByRole('checkbox', { name: 'The file is signed' })).toBeChecked()
  await expect(form.getByRole('textbox', { name: 'Publisher' })).toHaveValue(PUBLISHER)
  await expect(form.getByRole('textbox', { name: 'Product name' })).toHaveValue('PROBE PRODUCT')
  await expect(form.getByRole('textbox', { name: 'Original file name' })).toHaveValue('HELLO.EXE')
  await expect(form.getByRole('textbox', { name: 'File version' })).toHaveValue('1.2.3.4')
  await expect(form.getByRole('textbox', { name: 'File hash (SHA256)' })).toHaveValue(`0x${digests.get('hello64-signed.exe')!.authenticode}`)
  await expect(result.getByLabel('Policy decision')).toHaveText('Allowed')
  await expect(result).toContainText('Probe by publisher')

  // The unsigned program: no publisher (the box is unticked), its hash; allowed by the hash rule.
  chooser = page.waitForEvent('filechooser')
  await form.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64.exe'))
  await expect(form.getByRole('status')).toContainText('Filled from hello64.exe (not signed)')
  await expect(form.getByRole('checkbox', { name: 'The file is signed' })).not.toBeChecked()
  await expect(form.getByRole('textbox', { name: 'File hash (SHA256)' })).toHaveValue(`0x${digests.get('hello64.exe')!.authenticode}`)
  await expect(result.getByLabel('Policy decision')).toHaveText('Allowed')
  await expect(result).toContainText('Probe by hash')

  // Another unsigned program is denied by default: the decision follows the file.
  chooser = page.waitForEvent('filechooser')
  await form.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64-symbols.exe'))
  await expect(form.getByRole('status')).toContainText('Filled from hello64-symbols.exe')
  await expect(result.getByLabel('Policy decision')).toHaveText('DeniedByDefault')
})
