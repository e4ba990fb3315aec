import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { importPolicyFile, openFresh } from './helpers'

// Issue 16 item 19: Compare reads open policy -> other file, and says which is which when both files
// have the same name; Merge's Pick rules does not add a rule the collection already has; Merge lets
// the user choose how enforcement modes merge.

const A = '11111111-1111-1111-1111-111111111111'
const B = '22222222-2222-2222-2222-222222222222'
const C = '33333333-3333-3333-3333-333333333333'
const D = '44444444-4444-4444-4444-444444444444'

const pathRule = (id: string, name: string, p: string) =>
  `<FilePathRule Id="${id}" Name="${name}" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="${p}" /></Conditions></FilePathRule>`

const policy = (exeMode: string, scriptMode: string, rules: string[]) =>
  `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="${exeMode}">${rules.join('')}</RuleCollection><RuleCollection Type="Script" EnforcementMode="${scriptMode}" /></AppLockerPolicy>`

function files(dir: string): { open: string; other: string } {
  mkdirSync(path.join(dir, 'here'), { recursive: true })
  mkdirSync(path.join(dir, 'disk'), { recursive: true })
  const open = path.join(dir, 'here', 'policy.xml')
  const other = path.join(dir, 'disk', 'policy.xml')
  writeFileSync(open, policy('AuditOnly', 'Enabled', [pathRule(A, 'Program Files', '%PROGRAMFILES%\\*'), pathRule(B, 'Old name', '%WINDIR%\\*')]))
  writeFileSync(
    other,
    policy('Enabled', 'AuditOnly', [
      pathRule(A, 'Program Files', '%PROGRAMFILES%\\*'),
      pathRule(B, 'New name', '%WINDIR%\\*'),
      pathRule(C, 'Tools', '%OSDRIVE%\\Tools\\*'),
      pathRule(D, 'Program Files again', '%PROGRAMFILES%\\*'),
    ]),
  )
  return { open, other }
}

async function pick(page: Page, button: string, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: button }).click()
  await (await chooser).setFiles(file)
}

test('Compare: the title tells two files of the same name apart; a changed rule reads open policy -> other file', async ({ page }, info) => {
  const { open, other } = files(info.outputPath('files'))
  await openFresh(page)
  await importPolicyFile(page, open)
  await pick(page, 'Compare with...', other)
  const dialog = page.getByRole('dialog', { name: 'Compare the open policy (policy.xml) with policy.xml from disk' })
  await expect(dialog).toBeVisible()
  const exe = dialog.getByRole('region', { name: 'Executable Rules differences' })
  const line = exe.locator('summary', { hasText: 'Old name' })
  await expect(line).toHaveText(/^Old name · Allow · Path · Everyone 22222222-2222-2222-2222-222222222222 → New name · Allow · Path · Everyone\s+— 1 field$/)
})

test('Merge, Pick rules: a rule the collection already has is not added again, and the dialog says so', async ({ page }, info) => {
  const { open, other } = files(info.outputPath('files'))
  await openFresh(page)
  await importPolicyFile(page, open)
  const status = page.getByRole('status', { name: 'Document status', includeHidden: true })
  await expect(status).toContainText('2 rules')
  await pick(page, 'Merge policy...', other)
  const dialog = page.getByRole('dialog', { name: 'Merge policy.xml' })
  await dialog.getByRole('tab', { name: 'Pick rules' }).click()
  const list = dialog.getByRole('group', { name: 'Rules in policy.xml' })
  // Program Files (same Id, same rule), Tools (new), Program Files again (another Id, same rule).
  await list.getByRole('checkbox', { name: /^Program Files · / }).check()
  await list.getByRole('checkbox', { name: /^Tools · / }).check()
  await list.getByRole('checkbox', { name: /^Program Files again · / }).check()
  await dialog.getByRole('button', { name: 'Add selected rules' }).click()
  await expect(dialog).toContainText('Added 1 rule; 2 rules not added because the collection already has them (the same rule, whatever its Id).')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(status).toContainText('3 rules')
})

test('Merge: the user chooses how enforcement modes merge', async ({ page }, info) => {
  const { open, other } = files(info.outputPath('files'))
  await openFresh(page)
  await importPolicyFile(page, open)
  await pick(page, 'Merge policy...', other)
  const dialog = page.getByRole('dialog', { name: 'Merge policy.xml' })
  const table = dialog.getByRole('table', { name: 'Merge preview by collection' })
  const modes = dialog.getByRole('combobox', { name: 'Enforcement modes after the merge' })
  // Default: the more restrictive (Set-AppLockerPolicy -Merge, inferred).
  await expect(modes).toHaveValue('restrictive')
  await expect(table.getByRole('row', { name: /Executable Rules/ })).toContainText('Enforce rules (changes)')
  await expect(table.getByRole('row', { name: /Script Rules/ })).not.toContainText('(changes)')
  // Keep the open policy's modes: nothing changes.
  await modes.selectOption({ label: "Keep the open policy's modes" })
  await expect(table.getByRole('row', { name: /Executable Rules/ })).not.toContainText('(changes)')
  await expect(dialog.getByRole('status', { name: 'Merge summary' })).toContainText('0 enforcement modes will change')
  // Take the other file's modes, and apply.
  await modes.selectOption({ label: 'Take the modes of policy.xml' })
  await expect(table.getByRole('row', { name: /Script Rules/ })).toContainText('Audit only (changes)')
  await dialog.getByRole('button', { name: 'Apply merge' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toContainText('Enforce rules')
  await expect(page.getByRole('tab', { name: /Script Rules/ })).toContainText('Audit only')
})
