import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { exportPolicy, importPolicyFile, openFresh, FIXTURES, count, loadInventory } from './helpers'


/** The exported results as rows of fields (this fixture's fields hold no quotes; publisher names hold commas). */
async function exportResults(page: Page): Promise<{ path: string; decision: string; effect: string; ruleId: string }[]> {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export results' }).click()
  const text = readFileSync(await (await download).path(), 'utf-8')
  const out: { path: string; decision: string; effect: string; ruleId: string }[] = []
  for (const line of text.split('\r\n').slice(1).filter(Boolean)) {
    const fields = [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, ''))
    out.push({ path: fields[0], decision: fields[8], effect: fields[9], ruleId: fields[11] })
  }
  return out
}

test('Audit only -> events -> rules: every audited file is then allowed, and nothing allowed before changes', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(FIXTURES, 'audit-only-defaults.xml'))
  await expect(page.getByText('audit-only-defaults.xml').first()).toBeVisible()
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  await loadInventory(page, path.join(FIXTURES, 'audited-events.xml'))
  await expect(page.getByText(/audited-events\.xml: 10 files \(AppLocker events\)/)).toBeVisible()
  await expect(count(page, 'Audited (would be blocked)')).toContainText('8')
  await expect(count(page, 'Run')).toContainText('2')
  const before = await exportResults(page)
  // Which rules earn their place: the rules that decided a file, those that decided none, the broad path rules.
  const coverage = page.getByRole('region', { name: 'Rule coverage' })
  await expect(coverage.getByRole('list', { name: 'Files decided per rule' })).toContainText('(Default Rule) All files located in the Windows folder')
  await expect(coverage.getByRole('list', { name: 'Rules that decided no file' })).toContainText('(Default Rule) All files located in the Program Files folder')
  await expect(coverage.getByRole('list', { name: 'Broad path rules' })).toContainText('%WINDIR%\\*')
  expect(before.filter((r) => r.effect === 'audited')).toHaveLength(8)

  await page.getByRole('button', { name: 'Create rules from these files...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create rules from these files' })
  await expect(dialog.getByRole('checkbox', { name: /^Audited \(8003, 8006, 8021, 8024\): 8/ })).toBeChecked()
  await expect(dialog.getByRole('checkbox', { name: /^Blocked \(8004, 8007, 8022, 8025\): 0/ })).not.toBeChecked()
  await expect(dialog.getByRole('checkbox', { name: /^Path/ })).not.toBeChecked()
  await expect(dialog.getByRole('status')).toHaveText('8 entries chosen (7 distinct files): 6 proposed rules, 6 to add')
  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  await expect(table.getByRole('row', { name: /CONTOSO SYNC signed by O=CONTOSO LTD/ })).toContainText('2 files')
  await expect(table.getByRole('row', { name: /SetupTool\.exe/ })).toContainText('File hash')
  await expect(table.getByRole('row', { name: /CONTOSO\.NOTESAPP, from CONTOSO LTD/ })).toContainText('Packaged app Rules')

  // The publisher level follows the wizard's choices: the file name, this version and above.
  await dialog.getByLabel('Publisher rule level').selectOption({ label: 'File name, this version and above' })
  await expect(dialog.getByRole('status')).toHaveText('8 entries chosen (7 distinct files): 7 proposed rules, 7 to add')
  await expect(table.getByRole('row', { name: /SYNCUPDATER\.EXE, version 4\.2\.1\.0 and above/ })).toBeVisible()
  // Only the events of one user.
  await dialog.getByLabel('Files of user').selectOption({ label: 'S-1-5-21-1111111111-2222222222-3333333333-1002 (3)' })
  await expect(dialog.getByRole('status')).toHaveText('2 entries chosen (2 distinct files): 2 proposed rules, 2 to add')
  await dialog.getByLabel('Files of user').selectOption({ label: 'All users' })
  await dialog.getByLabel('Publisher rule level').selectOption({ label: 'Product name' })
  await dialog.getByRole('button', { name: 'Add 6 rules' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: 'Added 6 rules to the policy' })).toBeVisible()

  // The simulation runs again by itself: nothing is audited any more.
  await expect(count(page, 'Audited (would be blocked)')).toContainText('0')
  await expect(count(page, 'Run')).toContainText('10')
  await expect(coverage.getByRole('list', { name: 'Files decided per rule' })).toContainText('CONTOSO SYNC signed by O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US (O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US \\ CONTOSO SYNC \\ * \\ 4.2.0.0 and above, Allow): 2 files')
  const after = await exportResults(page)
  expect(after.map((r) => r.path)).toEqual(before.map((r) => r.path))
  before.forEach((b, i) => {
    const a = after[i]
    if (b.effect === 'audited') expect([b.path, a.decision, a.effect]).toEqual([b.path, 'Allowed', 'runs'])
    else expect(a).toEqual(b)
  })
  expect(before.filter((r) => r.effect === 'runs')).toHaveLength(2)

  // Again: every proposal is already in the policy, nothing to add.
  await page.getByRole('button', { name: 'Create rules from these files...' }).click()
  await expect(dialog.getByRole('status')).toHaveText('8 entries chosen (7 distinct files): 6 proposed rules, 0 to add')
  await expect(dialog.getByText('already in the policy')).toHaveCount(6)
  await expect(dialog.getByRole('button', { name: 'Add 0 rules' })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Close' }).click()

  // One undoable step.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(count(page, 'Audited (would be blocked)')).toContainText('8')
})

test('Enforce versus Audit only is a what-if: the policy changes only through "Apply to policy" (issue 16 item 10)', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(FIXTURES, 'audit-only-defaults.xml'))
  const exeTab = page.getByRole('tab', { name: /Executable Rules/ })
  await expect(exeTab).toContainText('Audit only')
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  await loadInventory(page, path.join(FIXTURES, 'audited-events.xml'))
  await expect(count(page, 'Audited (would be blocked)')).toContainText('8')

  const exeMode = page.getByRole('combobox', { name: 'Enforcement mode of Executable Rules' })
  await exeMode.selectOption('Enabled')
  // The simulation shows the what-if...
  await expect(count(page, 'Blocked')).toContainText('5')
  await expect(count(page, 'Audited (would be blocked)')).toContainText('3')
  await expect(page.getByText(/What-if: Executable Rules as Enforce rules \(the policy: Audit only\)/)).toBeVisible()
  // ...and the policy is untouched: same mode in the collection list and in the exported XML.
  await expect(exeTab).toContainText('Audit only')
  const exported = (await exportPolicy(page)).bytes.toString('utf-8')
  expect(exported).toContain('<RuleCollection Type="Exe" EnforcementMode="AuditOnly">')

  // Back to the policy's modes.
  await page.getByRole('button', { name: "Back to the policy's modes" }).click()
  await expect(count(page, 'Blocked')).toContainText('0')
  await expect(exeMode).toHaveValue('AuditOnly')

  // Apply to policy: one undoable edit.
  await exeMode.selectOption('Enabled')
  await page.getByRole('button', { name: 'Apply to policy' }).click()
  await expect(exeTab).toContainText('Enforce rules')
  await expect(page.getByText(/What-if:/)).toBeHidden()
  await expect(count(page, 'Blocked')).toContainText('5')
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(exeTab).toContainText('Audit only')
  await expect(count(page, 'Blocked')).toContainText('0')
})

test('Copy Test-AppLockerPolicy command names the user the simulation ran as (issue 16 item 11)', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(FIXTURES, 'audit-only-defaults.xml'))
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  await loadInventory(page, path.join(FIXTURES, 'audited-events.xml'))
  await expect(count(page, 'Files')).toContainText('10')
  const command = page.getByRole('textbox', { name: 'Test-AppLockerPolicy command' })

  // Each event ran as its own user: commands per user, each with -User. The packaged app (event 8021) is tested
  // with -Packages (Get-AppxPackage by package name), never as a -Path.
  await page.getByRole('button', { name: 'Copy Test-AppLockerPolicy command' }).click()
  const lines = (await command.inputValue()).split('\n')
  expect(lines).toHaveLength(4)
  expect(lines[0]).toMatch(/^Test-AppLockerPolicy -XmlPolicy 'audit-only-defaults\.xml' -Path 'C:\\Users\\bob\\.* -User 'S-1-5-21-1111111111-2222222222-3333333333-1001'$/)
  expect(lines[1]).toBe(
    "Test-AppLockerPolicy -XmlPolicy 'audit-only-defaults.xml' -Packages (Get-AppxPackage -Name 'Contoso.NotesApp') -User 'S-1-5-21-1111111111-2222222222-3333333333-1001'",
  )
  expect(lines[2]).toMatch(/'C:\\Users\\alice\\Downloads\\FabrikamViewer\.msi'.* -User 'S-1-5-21-1111111111-2222222222-3333333333-1002'$/)
  expect(lines[3]).toMatch(/^# Packaged apps are tested with -Packages: Get-AppxPackage /)
  expect(lines.filter((l) => / -Path .*Contoso\.NotesApp_/.test(l))).toEqual([])
  await page.getByRole('button', { name: 'Close' }).click()

  // A chosen user instead of the events' users.
  await page.getByRole('checkbox', { name: "For events, test for the event's user" }).uncheck()
  await page.getByRole('textbox', { name: 'Additional SIDs' }).fill('S-1-5-21-5-6-7-1107')
  await page.getByRole('textbox', { name: 'Additional SIDs' }).blur()
  await page.getByRole('button', { name: 'Copy Test-AppLockerPolicy command' }).click()
  await expect(command).toHaveValue(/^Test-AppLockerPolicy -XmlPolicy 'audit-only-defaults\.xml' -Path [^\n]* -User 'S-1-5-21-5-6-7-1107'\n/)
  await expect(command).toHaveValue(/\nTest-AppLockerPolicy -XmlPolicy 'audit-only-defaults\.xml' -Packages \(Get-AppxPackage -Name 'Contoso\.NotesApp'\) -User 'S-1-5-21-5-6-7-1107'\n/)
})

test('Path rules from events keep AppLocker path variables (%PROGRAMFILES%, %HOT%, %SYSTEM32%) as Windows logged them', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  // Events without FullFilePath (older Windows builds): only FilePath, in the variable form; no hash, Fqbn "-".
  const event = (filePath: string) =>
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-AppLocker'/><EventID>8003</EventID><Computer>PC-1</Computer></System>` +
    `<UserData><RuleAndFileData xmlns='http://schemas.microsoft.com/schemas/event/Microsoft.Windows/1.0.0.0'><PolicyName>EXE</PolicyName><RuleId>{00000000-0000-0000-0000-000000000000}</RuleId><RuleName>-</RuleName>` +
    `<TargetUser>S-1-5-21-1111111111-2222222222-3333333333-1001</TargetUser><FilePath>${filePath}</FilePath><FileHash></FileHash><Fqbn>-</Fqbn></RuleAndFileData></UserData></Event>`
  const xml = `<Events>\n${['%PROGRAMFILES%\\VENDOR\\APP.EXE', '%HOT%\\TOOLS\\X.EXE', '%SYSTEM32%\\X.EXE'].map(event).join('\n')}\n</Events>\n`
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles({ name: 'variable-paths.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) })
  await expect(page.getByText('variable-paths.xml: 3 files (AppLocker events)')).toBeVisible()
  // The sample policy allows Program Files and Windows by path; the USB drive's file would be blocked.
  await expect(count(page, 'Audited (would be blocked)')).toContainText('1')

  await page.getByRole('button', { name: 'Create rules from these files...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create rules from these files' })
  await dialog.getByRole('checkbox', { name: /^Path/ }).check()
  await expect(dialog.getByRole('status')).toHaveText('3 entries chosen (3 distinct files): 3 proposed rules, 3 to add')
  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  // Not C:\PROGRAM FILES\..., E:\TOOLS\..., C:\WINDOWS\SYSTEM32\...: those would miss Program Files (x86), another USB drive, SysWOW64.
  await expect(table).toContainText('%PROGRAMFILES%\\VENDOR\\APP.EXE')
  await expect(table).toContainText('%HOT%\\TOOLS\\X.EXE')
  await expect(table).toContainText('%SYSTEM32%\\X.EXE')
  await expect(table).not.toContainText('C:\\PROGRAM FILES')
  await expect(table).not.toContainText('E:\\TOOLS')
  // Why a path rule: the events did not record the signer or hash.
  await expect(dialog.getByRole('list', { name: 'Files without a rule or with another kind of rule' })).toContainText(
    'No publisher (Windows did not record the signer in event 8003) and no hash: a path rule is proposed instead.',
  )
  await dialog.getByRole('button', { name: 'Add 3 rules' }).click()
  await expect(dialog).toBeHidden()
  // The simulation runs again: the file on the USB drive is now allowed.
  await expect(count(page, 'Audited (would be blocked)')).toContainText('0')
  await expect(count(page, 'Run')).toContainText('3')

  // The policy written keeps the variables.
  const exported = (await exportPolicy(page)).bytes.toString('utf-8')
  expect(exported).toContain('<FilePathCondition Path="%PROGRAMFILES%\\VENDOR\\APP.EXE" />')
  expect(exported).toContain('<FilePathCondition Path="%HOT%\\TOOLS\\X.EXE" />')
  expect(exported).toContain('<FilePathCondition Path="%SYSTEM32%\\X.EXE" />')
})
