import { expect, test } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Papa from 'papaparse'
import { CORPUS, importPolicyFile, openFresh, FIXTURES, count, loadInventory } from './helpers'


/** Parses the exported CSV with papaparse (quoted fields with commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data
}

test('Inventory simulation: counts, chart, explanation, Enforce vs Audit only, What changes, CSV export', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'nsacyber-windows11-starter.xml'))
  await expect(page.getByText('nsacyber-windows11-starter.xml').first()).toBeVisible()
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()

  await loadInventory(page, path.join(FIXTURES, 'inventory.csv'))
  await expect(page.getByText('inventory.csv: 12 files (CSV)')).toBeVisible()
  // The row without a path is reported with its line and skipped.
  await expect(page.getByRole('list', { name: 'Inventory problems' })).toContainText('Line 13')

  // Counts and the chart. Every collection of this policy is in Audit only: nothing is blocked yet.
  await expect(count(page, 'Files')).toContainText('12')
  await expect(count(page, 'Not governed')).toContainText('1')
  await expect(count(page, 'Blocked')).toContainText('0')
  await expect(count(page, 'Audited (would be blocked)')).toContainText('7')
  const chart = page.getByRole('img', { name: /^Decisions per collection/ })
  await expect(chart).toBeVisible()
  await expect(chart).toHaveAttribute('aria-label', /Executable Rules: 2 run, 3 audited/)
  // run.ps1 is PowerShell: under Enforce it runs in Constrained Language Mode instead of being blocked (issue 15).
  await expect(
    page.getByText('Switching Script Rules to Enforce rules would block 1 file (and 1 PowerShell script would run only in Constrained Language Mode).'),
  ).toBeVisible()
  await expect(page.getByText('Switching Executable Rules to Enforce rules would block 3 files.')).toBeVisible()

  // Switch Executable Rules to Enforce: the effect changes (3 blocked, events 8004).
  await page.getByRole('combobox', { name: 'Enforcement mode of Executable Rules' }).selectOption('Enabled')
  await expect(count(page, 'Blocked')).toContainText('3')
  await expect(count(page, 'Audited (would be blocked)')).toContainText('4')
  await expect(page.getByRole('img', { name: /^Decisions per collection/ })).toHaveAttribute('aria-label', /Executable Rules: 2 run, 3 blocked/)
  // The dropdown is a what-if (issue 16 item 10): the policy changes only through "Apply to policy".
  await page.getByRole('button', { name: 'Apply to policy' }).click()

  // Open one blocked file's explanation.
  const table = page.getByRole('table', { name: 'Simulation results' })
  await page.getByRole('combobox', { name: 'Effect' }).selectOption('blocked')
  await expect(page.getByText('Showing 3 of 12 files')).toBeVisible()
  await table.getByRole('row', { name: /cscript\.exe/ }).click()
  const explanation = page.getByRole('region', { name: 'Explanation' })
  await expect(explanation).toContainText('C:\\Windows\\System32\\cscript.exe')
  await expect(explanation).toContainText('Denied')
  await expect(explanation).toContainText('event 8004')
  await expect(explanation.getByRole('list', { name: 'Matching rules' })).toContainText('CSCRIPT.EXE version 5.812.10240.16384')
  await expect(explanation).toContainText('Blocked')

  // What changes: against the policy before the latest edit (Exe in Audit only), 3 files change.
  await page.getByRole('combobox', { name: 'Compare the open policy with' }).selectOption('previous')
  const changes = page.getByRole('table', { name: 'Files whose decision changes' })
  await expect(page.getByText('3 files change decision between the policy before the latest edit and the open policy.')).toBeVisible()
  await expect(changes).toContainText('C:\\Users\\bob\\Downloads\\setup.exe')
  await expect(changes).toContainText('C:\\Windows\\Temp\\dropper.exe')

  // And back to Audit only: nothing blocked again.
  await page.getByRole('combobox', { name: 'Enforcement mode of Executable Rules' }).selectOption('AuditOnly')
  await expect(count(page, 'Blocked')).toContainText('0')
  await expect(page.getByText('Showing 0 of 12 files')).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page.getByText('Showing 12 of 12 files')).toBeVisible()

  // Export the results as CSV and check it.
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export results' }).click()
  const d = await download
  expect(d.suggestedFilename()).toBe('inventory-results.csv')
  const csv = parseCsv(readFileSync(await d.path(), 'utf-8'))
  expect(csv[0].slice(0, 13)).toEqual(['Path', 'Publisher', 'ProductName', 'BinaryName', 'Version', 'Hash', 'User', 'Collection', 'PolicyDecision', 'Effect', 'EventId', 'MatchingRuleId', 'MatchingRule'])
  expect(csv).toHaveLength(13)
  const byPath = new Map(csv.slice(1).map((r) => [r[0], r]))
  const cscript = byPath.get('C:\\Windows\\System32\\cscript.exe')!
  expect(cscript[1]).toBe('O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US')
  expect(cscript.slice(7, 11)).toEqual(['Exe', 'Denied', 'audited', '8003'])
  expect(cscript[12]).toMatch(/^CSCRIPT\.EXE version/)
  expect(cscript[13]).toBe('blocked')
  expect(byPath.get('C:\\Windows\\System32\\cmd.exe')!.slice(7, 11)).toEqual(['Exe', 'Allowed', 'runs', '8002'])
  expect(byPath.get('C:\\Windows\\System32\\winrm.vbs')!.slice(7, 10)).toEqual(['Script', 'Denied', 'audited'])
  expect(byPath.get('C:\\Users\\bob\\notes.txt')!.slice(7, 10)).toEqual(['', 'AllowedByDefault', 'not-governed'])

  // The Test-AppLockerPolicy command for the same files.
  await page.getByRole('button', { name: 'Copy Test-AppLockerPolicy command' }).click()
  const command = page.getByRole('textbox', { name: 'Test-AppLockerPolicy command' })
  await expect(command).toHaveValue(/^Test-AppLockerPolicy -XmlPolicy 'nsacyber-windows11-starter\.xml' -Path /)
  await expect(command).toHaveValue(/'C:\\Windows\\System32\\cscript\.exe'/)
  await page.getByRole('button', { name: 'Close' }).click()

  // The simulated machine: with the Application Identity service stopped nothing is audited or blocked.
  await page.getByRole('button', { name: /^Simulated machine/ }).click()
  await page.getByRole('checkbox', { name: /Application Identity service/ }).uncheck()
  await expect(count(page, 'Audited (would be blocked)')).toContainText('0')
  await expect(count(page, 'Run')).toContainText('11')
})

test('Inventory simulation of AppLocker events: each event tested for its user', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(CORPUS, 'nsacyber-windows11-starter.xml'))
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  await loadInventory(page, path.join(FIXTURES, 'applocker-events.xml'))
  await expect(page.getByText(/applocker-events\.xml: 4 files \(AppLocker events\)/)).toBeVisible()
  await expect(count(page, 'Files')).toContainText('4')
  const table = page.getByRole('table', { name: 'Simulation results' })
  await expect(table.getByRole('row')).toHaveCount(5)
  await table.getByRole('row', { name: /SetupTool|SETUPTOOL/i }).click()
  const explanation = page.getByRole('region', { name: 'Explanation' })
  await expect(explanation).toContainText('DeniedByDefault')
  await expect(explanation).toContainText('S-1-5-21-1111111111-2222222222-3333333333-1001')
  await expect(explanation).toContainText('Windows logged event 8003 (EXE, no rule: decided by default on WS-0142.corp.contoso.com')
  await expect(explanation).toContainText('The preview agrees.')

  // What changes against a policy file picked with "Compare with policy file" (the Windows default rules).
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Compare with policy file' }).click()
  await (await chooser).setFiles(path.join(CORPUS, 'liamsennitt-windows-default-rules.xml'))
  await expect(page.getByRole('combobox', { name: 'Compare the open policy with' })).toHaveValue('file')
  await expect(page.getByText(/between liamsennitt-windows-default-rules\.xml and the open policy\./)).toBeVisible()

  // The view with results passes an accessibility check (the shell has its own spec).
  const axe = await new AxeBuilder({ page }).include('main').analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([])
})

test('Inventory simulation: an inventory dropped on the drop zone is loaded (not imported as a policy)', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  const csv = readFileSync(path.join(FIXTURES, 'inventory.csv'), 'utf-8')
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer()
    dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }))
    return dt
  }, csv)
  const zone = page.getByText(/or drop a file here/)
  await zone.dispatchEvent('dragover', { dataTransfer: data })
  await zone.dispatchEvent('drop', { dataTransfer: data })
  await expect(page.getByText('dropped.csv: 12 files (CSV)')).toBeVisible()
  await expect(page.getByRole('group', { name: 'Counts' }).getByLabel(/^Files: /)).toContainText('12')
  // The open policy is still the sample.
  await expect(page.getByRole('banner')).not.toContainText('dropped.csv')
})

/** AppLocker file events as wevtutil writes them (Windows 11 layout, reference/applocker-deep.md 8.3), one per line. */
function eventsXml(events: { id: number; filePath: string; fullFilePath?: string; hash?: string; fqbn?: string }[]): string {
  const one = (e: (typeof events)[number]) =>
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-AppLocker' Guid='{cbda4dbf-8d5d-4f69-9578-be14aa540d22}'/><EventID>${e.id}</EventID>` +
    `<TimeCreated SystemTime='2026-09-29T08:12:31.6189560Z'/><Channel>Microsoft-Windows-AppLocker/EXE and DLL</Channel><Computer>Sandbox</Computer><Security UserID='S-1-5-21-1111111111-2222222222-3333333333-1001'/></System>` +
    `<UserData><RuleAndFileData xmlns='http://schemas.microsoft.com/schemas/event/Microsoft.Windows/1.0.0.0'><PolicyNameLength>3</PolicyNameLength><PolicyName>EXE</PolicyName><RuleId>{00000000-0000-0000-0000-000000000000}</RuleId>` +
    `<RuleNameLength>1</RuleNameLength><RuleName>-</RuleName><RuleSddlLength>1</RuleSddlLength><RuleSddl>-</RuleSddl><TargetUser>S-1-5-21-1111111111-2222222222-3333333333-1001</TargetUser><TargetProcessId>7092</TargetProcessId>` +
    `<FilePathLength>${e.filePath.length}</FilePathLength><FilePath>${e.filePath}</FilePath><FileHashLength>${(e.hash ?? '').length / 2}</FileHashLength><FileHash>${e.hash ?? ''}</FileHash>` +
    `<FqbnLength>${(e.fqbn ?? '-').length}</FqbnLength><Fqbn>${e.fqbn ?? '-'}</Fqbn><TargetLogonId>0x72d47</TargetLogonId>` +
    (e.fullFilePath ? `<FullFilePathLength>${e.fullFilePath.length}</FullFilePathLength><FullFilePath>${e.fullFilePath}</FullFilePath>` : '') +
    `</RuleAndFileData></UserData></Event>`
  return `<Events>\n${events.map(one).join('\n')}\n</Events>\n`
}

test('Inventory simulation of AppLocker events: a blocked event without signer or hash is not taken for an unsigned file', async ({ page }) => {
  // The sample policy (Executable Rules in Audit only) allows ContosoUpdater.exe by its hash, for Everyone.
  await openFresh(page)
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  const updater = { filePath: '%OSDRIVE%\\USERS\\PUBLIC\\TOOLS\\CONTOSOUPDATER.EXE', fullFilePath: 'C:\\Users\\Public\\Tools\\ContosoUpdater.exe' }
  // Windows logs a blocked file (8004) without FileHash and with Fqbn "-"; the same file's 8003 had its hash.
  const xml = eventsXml([
    { id: 8003, ...updater, hash: '3B1F4A6C2D8E9F00112233445566778899AABBCCDDEEFF00112233445566778F' },
    { id: 8004, ...updater },
    { id: 8004, filePath: '%OSDRIVE%\\USERS\\PUBLIC\\TOOLS\\PORTSCAN.EXE', fullFilePath: 'C:\\Users\\Public\\Tools\\portscan.exe' },
  ])
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles({ name: 'blocked-events.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) })
  await expect(page.getByText('blocked-events.xml: 3 files (AppLocker events)')).toBeVisible()

  // Each such file is named under the inventory's notes, with what was done about it.
  const notes = page.getByRole('list', { name: 'Inventory problems' })
  await expect(notes).toContainText(
    "Line 3: Event 8004, C:\\Users\\Public\\Tools\\ContosoUpdater.exe: Windows did not record this file's signer or hash (it does not for blocked files); they are taken from event 8003 (line 2) of the same file, so publisher and hash rules are checked with them.",
  )
  await expect(notes).toContainText(
    "Line 4: Event 8004, C:\\Users\\Public\\Tools\\portscan.exe: Windows did not record this file's signer or hash (it does not for blocked files): publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.",
  )

  // The 8004 of ContosoUpdater.exe is decided with its 8003's hash: allowed like it, not DeniedByDefault.
  await expect(count(page, 'Files')).toContainText('3')
  await expect(count(page, 'Run')).toContainText('2')
  await expect(count(page, 'Audited (would be blocked)')).toContainText('1')

  const table = page.getByRole('table', { name: 'Simulation results' })
  const explanation = page.getByRole('region', { name: 'Explanation' })
  await table.getByRole('row', { name: /ContosoUpdater/ }).nth(1).click()
  await expect(explanation).toContainText('Windows logged event 8004')
  await expect(explanation).toContainText('Allowed')
  await expect(explanation).toContainText('0x3B1F4A6C2D8E9F00112233445566778899AABBCCDDEEFF00112233445566778F')
  await expect(explanation).toContainText(
    "Windows did not record this file's signer or hash in event 8004 (it does not for blocked files); they are taken from event 8003 (line 2) of the same file, so publisher and hash rules are checked with them.",
  )

  // portscan.exe has no other event: the decision is path rules' only, and the explanation says so.
  await table.getByRole('row', { name: /portscan/i }).click()
  await expect(explanation).toContainText('DeniedByDefault')
  await expect(explanation).toContainText(
    "Windows did not record this file's signer or hash in event 8004 (it does not for blocked files): publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.",
  )
})

test('Inventory simulation: an administrator running unelevated (UAC) counts in Administrators for Executable rules only', async ({ page }) => {
  // The sample policy's default rules allow Administrators everything, in every collection (all in Audit only).
  await openFresh(page)
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  const files = JSON.stringify([{ path: 'C:\\Users\\bob\\Tools\\tool.exe' }, { path: 'C:\\Users\\bob\\Tools\\helper.dll' }, { path: 'C:\\Users\\bob\\Tools\\setup.ps1' }])
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles({ name: 'tools.json', mimeType: 'application/json', buffer: Buffer.from(files) })
  await expect(page.getByText('tools.json: 3 files')).toBeVisible()
  await page.getByRole('radiogroup', { name: 'Test for' }).getByRole('radio', { name: 'Administrator' }).check()
  await expect(count(page, 'Run')).toContainText('3')

  const elevated = page.getByRole('checkbox', { name: 'Runs elevated (Run as administrator)' })
  await expect(elevated).toBeChecked()
  await elevated.uncheck()
  // The program still runs; the DLL is blocked (DLL Rules have rules and are not configured, which enforces)
  // and the script audited: those collections count Administrators only when elevated.
  await expect(count(page, 'Run')).toContainText('1')
  await expect(count(page, 'Blocked')).toContainText('1')
  await expect(count(page, 'Audited (would be blocked)')).toContainText('1')
  const table = page.getByRole('table', { name: 'Simulation results' })
  const explanation = page.getByRole('region', { name: 'Explanation' })
  await table.getByRole('row', { name: /setup\.ps1/ }).click()
  await expect(explanation).toContainText('The user is an administrator running unelevated (UAC)')
  await elevated.check()
  await expect(count(page, 'Run')).toContainText('3')
})

test('Simulated machine: a file on a mapped drive is matched as the share the drive stands for', async ({ page }) => {
  await openFresh(page)
  const rule = (id: string, path: string) =>
    `<FilePathRule Id="${id}" Name="${path}" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="${path}" /></Conditions></FilePathRule>`
  const xml = `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled">${rule('a61c8b2c-a319-4cd0-9690-d2177cad7b51', '%WINDIR%\\*')}${rule('921cc481-6e17-4653-8f75-050b80acca20', '\\\\MYSERVER\\Apps\\*')}</RuleCollection></AppLockerPolicy>`
  let chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import policy' }).click()
  await (await chooser).setFiles({ name: 'share.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) })
  await expect(page.getByTitle('share.xml', { exact: true })).toBeVisible()

  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles({ name: 'mapped.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([{ path: 'X:\\MyProgram.exe' }])) })
  await expect(page.getByText('mapped.json: 1 file')).toBeVisible()
  await expect(count(page, 'Blocked')).toContainText('1')

  await page.getByRole('button', { name: /^Simulated machine/ }).click()
  const mapped = page.getByRole('textbox', { name: 'Mapped and SUBST drives' })
  await mapped.fill('X: \\\\MYSERVER\\Apps')
  await mapped.press('Tab')
  await expect(page.getByRole('button', { name: /^Simulated machine: .*mapped X:/ })).toBeVisible()
  await expect(count(page, 'Run')).toContainText('1')
  await expect(count(page, 'Blocked')).toContainText('0')
  await page.getByRole('table', { name: 'Simulation results' }).getByRole('row', { name: /MyProgram/ }).click()
  await expect(page.getByRole('region', { name: 'Explanation' })).toContainText('X: is a mapped or SUBST drive for \\\\MYSERVER\\Apps')

  // A typing mistake is named, and the drives typed before it stay.
  await mapped.fill('X: \\\\MYSERVER\\Apps; nonsense')
  await mapped.press('Tab')
  await expect(page.getByText('Not a drive letter and a path: nonsense')).toBeVisible()
  await expect(count(page, 'Run')).toContainText('1')
})
