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
