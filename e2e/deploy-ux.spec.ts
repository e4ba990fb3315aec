import { expect, test } from '@playwright/test'
import path from 'node:path'
import { FIXTURES, count, importPolicyFile, loadInventory, openFresh } from './helpers'

// Issue 16 item 20: the Intune block belongs to the Intune target only; the Test-AppLockerPolicy
// command's text area fills its frame.
// Deploy audit: the support URL keeps the Explorer key's other values, backups are saved with Out-File -LiteralPath,
// the events card reads the four AppLocker logs, the GPO step for AppIDSvc is required, Intune has one grouping
// (a random GUID by default), and the Test-AppLockerPolicy commands take packaged apps by -Packages and
// AppLocker path variables as real paths.

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
  // The dialog does not claim a default for -User that Microsoft does not document.
  const dialog = page.getByRole('dialog', { name: 'Test-AppLockerPolicy command' })
  await expect(dialog).toContainText("Microsoft's documentation gives no default for -User")
  await expect(dialog).not.toContainText('Everyone when -User')
})

const LDAP = 'LDAP://DC1.contoso.com/CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=contoso,DC=com'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('Deploy: the commands keep other registry values, save backups literally, read every AppLocker log and say what Microsoft leaves open', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Deploy...' }).click()
  const card = (title: string) => page.getByRole('region', { name: title, exact: true })
  const text = (title: string) => card(title).locator('pre')

  // GPO: Application Identity = Automatic in the GPO is a required step (a setting, not a command); sc.exe is the per-machine alternative.
  await page.getByRole('radio', { name: 'Group Policy object (domain)' }).check()
  await page.getByRole('textbox', { name: 'GPO LDAP path' }).fill(LDAP)
  const gpoService = card('Set the Application Identity service to start automatically in the GPO')
  await expect(gpoService).toContainText('Required with Group Policy')
  await expect(gpoService.getByLabel('Setting: Set the Application Identity service to start automatically in the GPO')).toContainText(
    'Security Settings\\System Services\\Application Identity',
  )
  await expect(card('Start the Application Identity service')).toContainText('on a test machine the GPO does not reach')
  await expect(card('Start the Application Identity service')).not.toContainText('you can instead')

  // The backup goes through Out-File -LiteralPath: [ ] in the path are not wildcards.
  await page.getByRole('textbox', { name: 'Policy file on the Windows machine' }).fill('C:\\Pol[1]\\p.xml')
  await expect(text("Back up the GPO's current AppLocker policy")).toHaveText(
    `Get-AppLockerPolicy -Domain -Ldap '${LDAP}' -Xml | Out-File -LiteralPath 'C:\\Pol[1]\\p-backup.xml' -Encoding Unicode`,
  )

  // Merging: which copy of a duplicate Id survives is not claimed.
  await page.getByRole('switch', { name: /Merge with the rules already there/ }).check()
  await expect(card('Merge the policy into the GPO')).toContainText('Windows keeps one of them; Microsoft does not say which copy')
  await expect(card('Merge the policy into the GPO')).not.toContainText('skipped')

  // Local: the merge names the enforcement-mode conflict too; the support URL creates the key only when it is missing.
  await page.getByRole('radio', { name: 'Local policy of one machine' }).check()
  await expect(card('Merge the policy into the local policy')).toContainText('Microsoft documents the resulting enforcement mode inconsistently')
  await expect(card('Merge the policy into the local policy')).not.toContainText('skipped')
  await page.getByRole('textbox', { name: 'Support web page shown when an app is blocked (optional)' }).fill('https://help.contoso.com/applocker')
  const supportUrl = text('Set the support web page shown when an app is blocked')
  await expect(supportUrl).toContainText("$key = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer'")
  await expect(supportUrl).toContainText('if (-not (Test-Path -LiteralPath $key)) { New-Item -Path $key -Force | Out-Null }')
  await expect(supportUrl).toContainText("Set-ItemProperty -Path $key -Name 'AdminInfoUrl' -Value 'https://help.contoso.com/applocker' -Type String")
  await expect(supportUrl).not.toContainText("New-Item -Path 'HKLM:")

  // Events: the four AppLocker logs.
  for (const log of ['EXE and DLL', 'MSI and Script', 'Packaged app-Execution', 'Packaged app-Deployment'])
    await expect(text('Read recent AppLocker events')).toContainText(`'Microsoft-Windows-AppLocker/${log}'`)
  await expect(text('Read recent AppLocker events')).toContainText('-ErrorAction SilentlyContinue')

  // The test user: no claimed default.
  await expect(page.getByRole('textbox', { name: 'User to test for (name, DOMAIN\\name or SID)' })).toBeVisible()
  await expect(page.getByText(/empty for Everyone/)).toHaveCount(0)
  await expect(card('Check files against the policy')).toContainText("Microsoft's documentation gives no default for -User")
})

test('Deploy: Intune uses one grouping, a random GUID kept while the app runs, in the commands and the CSP form alike', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Deploy...' }).click()
  await page.getByRole('radio', { name: 'Intune (AppLocker CSP)' }).check()
  const grouping = page.getByRole('textbox', { name: 'Grouping (OMA-URI node name)' })
  const guid = await grouping.inputValue()
  expect(guid).toMatch(GUID)
  const commands = page.getByRole('region', { name: 'Intune: one custom OMA-URI setting per rule collection', exact: true }).locator('pre')
  const exe = page.getByRole('region', { name: 'Intune Executable Rules', exact: true })
  await expect(commands).toContainText(`/ApplicationLaunchRestrictions/${guid}/EXE/Policy`)
  await expect(exe).toContainText(`/ApplicationLaunchRestrictions/${guid}/EXE/Policy`)

  // Switching views keeps it.
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await page.getByRole('tab', { name: 'Deploy...' }).click()
  await expect(grouping).toHaveValue(guid)

  // A typed grouping is used in both places.
  await grouping.fill('Contoso-AppLocker-2024')
  await expect(commands).toContainText('/ApplicationLaunchRestrictions/Contoso-AppLocker-2024/EXE/Policy')
  await expect(commands).not.toContainText(guid)
  await expect(exe).toContainText('/ApplicationLaunchRestrictions/Contoso-AppLocker-2024/EXE/Policy')

  // The service: what the CSP documentation leaves open is said, not guessed.
  const service = page.getByRole('region', { name: 'Check the Application Identity service on a device', exact: true })
  await expect(service).toContainText("Microsoft's AppLocker CSP documentation does not say whether")
  await expect(service.locator('pre')).toHaveText('sc.exe query appidsvc')

  // The support web page: the ADMX-backed policy's value, not a bare URL.
  await page.getByRole('textbox', { name: 'Support web page shown when an app is blocked (optional)' }).fill('https://help.contoso.com/applocker?a=1&b=2')
  const supportUrl = page.getByRole('region', { name: 'Set the support web page shown when an app is blocked', exact: true }).locator('pre')
  await expect(supportUrl).toHaveText(
    './Device/Vendor/MSFT/Policy/Config/ADMX_Explorer/AdminInfoUrl\n<enabled/><data id="AdminInfoUrl_TextBox" value="https://help.contoso.com/applocker?a=1&amp;b=2"/>',
  )
})

test('Copy Test-AppLockerPolicy command: AppLocker path variables are expanded on the simulated machine, or left out with the reason', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  // What Get-AppLockerFileInformation | Export-Csv writes: paths in AppLocker's variable form.
  const csv =
    '#TYPE Microsoft.Security.ApplicationId.PolicyManagement.PolicyModel.FileInformation\r\n"Path","Publisher","Hash","AppX"\r\n' +
    '"%PROGRAMFILES%\\INTERNET EXPLORER\\IEXPLORE.EXE","O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US\\INTERNET EXPLORER\\IEXPLORE.EXE,11.0.19041.1","SHA256 0x5F37AB","False"\r\n' +
    '"%USERPROFILE%\\TOOLS\\X.EXE","","SHA256 0x5F37AC","False"\r\n'
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles({ name: 'fileinfo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await expect(count(page, 'Files')).toContainText('2')
  await page.getByRole('button', { name: 'Copy Test-AppLockerPolicy command' }).click()
  const command = page.getByRole('textbox', { name: 'Test-AppLockerPolicy command' })
  await expect(command).toHaveValue(/^Test-AppLockerPolicy -XmlPolicy '[^']*\.xml' -Path 'C:\\PROGRAM FILES\\INTERNET EXPLORER\\IEXPLORE\.EXE'\n/)
  await expect(command).not.toHaveValue(/-Path [^\n]*%/)
  await expect(command).toHaveValue(/\n# Left out %USERPROFILE%\\TOOLS\\X\.EXE: %USERPROFILE% is not an AppLocker path variable/)
})
