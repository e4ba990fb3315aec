import { expect, test, type Locator, type Page } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { XMLParser } from 'fast-xml-parser'
import AxeBuilder from '@axe-core/playwright'
import { generatePolicy } from '../src/testing/generate'
import { writePolicyXml } from '../src/applocker/xml/write'
import type { Rule } from '../src/applocker/policy'
import { exportPolicy, importPolicyFile, openFresh, newEmptyPolicy } from './helpers'

const HASH = '0x' + '3F2A9C0D11B7E4A85566778899AABBCCDDEEFF00112233445566778899AABBCC'.slice(0, 64)


function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Executable Rules: rules' })
}

/** Body rows of the grid (the header row has aria-rowindex 1). */
function bodyRows(page: Page): Locator {
  return grid(page).locator('[role="row"]:not([aria-rowindex="1"])')
}

async function openCreate(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create New Rule' })
  await expect(dialog).toBeVisible()
  return dialog
}

async function pickUser(dialog: Locator, typed: string, option: RegExp): Promise<void> {
  const box = dialog.getByRole('combobox', { name: 'User or group' })
  await box.clear()
  await box.pressSequentially(typed)
  await dialog.page().getByRole('option', { name: option }).click()
}

type Action = { key: string } | { click: string } | { input: string; value: string }
type Until = { selector: string } | { text: string }

/**
 * Runs one interaction inside the page and returns the milliseconds until the first animation
 * frame at which the DOM shows its result (checked once per frame).
 */
async function timeInPage(page: Page, action: Action, until: Until): Promise<number> {
  return page.evaluate(
    async ({ action, until }) => {
      const done = () =>
        'selector' in until ? document.querySelector(until.selector) !== null : (document.querySelector('main')?.textContent ?? '').includes(until.text)
      const t0 = performance.now()
      if ('key' in action) {
        const target = (document.activeElement as HTMLElement | null) ?? document.body
        target.dispatchEvent(new KeyboardEvent('keydown', { key: action.key, bubbles: true, cancelable: true }))
      } else if ('click' in action) {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === action.click)
        if (!button) throw new Error(`no button ${action.click}`)
        button.click()
      } else {
        const input = document.querySelector(action.input) as HTMLInputElement
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, action.value)
        input.dispatchEvent(new Event('input', { bubbles: true }))
      }
      while (!done()) {
        await new Promise((r) => requestAnimationFrame(r))
        if (performance.now() - t0 > 30_000) throw new Error('timed out')
      }
      return Math.round(performance.now() - t0)
    },
    { action, until },
  )
}

type Parsed = Record<string, unknown>
const asArray = <T,>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x])

test('authoring walkthrough: path rule with exception, publisher "And above", hash rule, defaults, Audit only, undo/redo, export', async ({ page }) => {
  await newEmptyPolicy(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })

  // 1. A path rule with an exception, built with the path-variable helper.
  let dialog = await openCreate(page)
  await expect(dialog.getByRole('radio', { name: 'Allow' })).toBeChecked()
  await dialog.getByRole('button', { name: 'Next' }).click()
  // The Conditions page starts on Publisher, as the snap-in's does: pick Path.
  await expect(dialog.getByRole('radio', { name: 'Publisher' })).toBeChecked()
  await dialog.getByRole('radio', { name: 'Path' }).check()
  await expect(dialog.getByRole('radio', { name: 'Path' })).toBeChecked()
  await dialog.getByRole('button', { name: 'Next' }).click()
  await dialog.getByRole('button', { name: 'Insert path variable' }).click()
  await page.getByRole('menuitem', { name: '%PROGRAMFILES%' }).click()
  const pathBox = dialog.getByRole('textbox', { name: 'Path' })
  await expect(pathBox).toHaveValue('%PROGRAMFILES%')
  await pathBox.press('End')
  await pathBox.pressSequentially('\\Contoso\\*')
  await dialog.getByRole('button', { name: 'Next' }).click()
  await dialog.getByRole('button', { name: 'Add exception' }).click()
  await page.getByRole('menuitem', { name: 'Path exception' }).click()
  await dialog.getByRole('textbox', { name: 'Exception 1 Path' }).fill('%PROGRAMFILES%\\Contoso\\Temp\\*')
  await dialog.getByRole('button', { name: 'Next' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('%PROGRAMFILES%\\Contoso\\*')
  await dialog.getByRole('textbox', { name: 'Description' }).fill('Contoso apps')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(bodyRows(page)).toHaveCount(1)
  await expect(bodyRows(page).first()).toContainText('%PROGRAMFILES%\\Contoso\\*')
  await expect(bodyRows(page).first()).toContainText('Everyone')

  // 2. A publisher rule, "And above", for BUILTIN\Users.
  dialog = await openCreate(page)
  await pickUser(dialog, 'Users', /^BUILTIN\\Users/)
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'Publisher' }).check()
  await dialog.getByRole('button', { name: 'Next' }).click()
  await dialog.getByRole('radio', { name: 'Publisher, product, file name and version' }).check()
  // Without a reference file the values are typed with "Use custom values" (the fields are read-only otherwise).
  await expect(dialog.getByRole('textbox', { name: 'Publisher' })).toHaveAttribute('readonly', '')
  await dialog.getByRole('checkbox', { name: 'Use custom values' }).check()
  await dialog.getByRole('textbox', { name: 'Publisher' }).fill('O=CONTOSO LTD, L=LONDON, C=GB')
  await dialog.getByRole('textbox', { name: 'Product name' }).fill('CONTOSO VIEWER')
  await dialog.getByRole('textbox', { name: 'File name' }).fill('VIEWER.EXE')
  await dialog.getByRole('radio', { name: 'And above' }).check()
  await dialog.getByRole('textbox', { name: 'File version' }).fill('2.5.0.0')
  await dialog.getByRole('tab', { name: 'Name' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('VIEWER.EXE, version 2.5.0.0 and above, in CONTOSO VIEWER, from O=CONTOSO LTD, L=LONDON, C=GB')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(bodyRows(page)).toHaveCount(2)

  // 3. A file hash rule, denied.
  dialog = await openCreate(page)
  await dialog.getByRole('radio', { name: 'Deny' }).check()
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'File hash' }).check()
  await dialog.getByRole('button', { name: 'Next' }).click()
  await dialog.getByRole('textbox', { name: 'Hash 1' }).fill(HASH)
  await dialog.getByRole('textbox', { name: 'File name 1' }).fill('tool.exe')
  await dialog.getByRole('textbox', { name: 'File length 1' }).fill('123456')
  await expect(dialog.getByRole('tab', { name: 'Exceptions' })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(bodyRows(page)).toHaveCount(3)

  // 4. Default rules.
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(view.getByRole('status')).toContainText('Added 3 default rules')
  await expect(view.getByText('6 rules', { exact: true })).toBeVisible()
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(view.getByRole('status')).toContainText('already present')

  // 5. Audit only.
  await view.getByRole('button', { name: 'Configure rule enforcement' }).click()
  const enforcement = page.getByRole('dialog', { name: 'Configure rule enforcement' })
  await expect(enforcement.getByText('Not configured does not mean the rules are ignored')).toBeVisible()
  await enforcement.getByRole('combobox', { name: 'Executable Rules', exact: true }).selectOption('AuditOnly')
  await expect(enforcement.getByText('Not configured does not mean the rules are ignored')).toBeHidden()
  await enforcement.getByRole('button', { name: 'OK' }).click()
  const badge = view.getByLabel('Enforcement: Audit only')
  await expect(badge).toBeVisible()

  // 6. Undo and redo (top bar buttons), then Ctrl+Z / Ctrl+Y.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(view.getByLabel('Enforcement: Not configured')).toBeVisible()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(view.getByText('3 rules', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Redo' }).click()
  await expect(view.getByText('6 rules', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Redo' }).click()
  await expect(badge).toBeVisible()
  await grid(page).focus()
  await page.keyboard.press('Control+z')
  await expect(view.getByLabel('Enforcement: Not configured')).toBeVisible()
  await page.keyboard.press('Control+y')
  await expect(badge).toBeVisible()

  // 7. Sorting, filtering and selection on the real rows.
  await grid(page).getByRole('button', { name: 'Action' }).click()
  await expect(grid(page).getByRole('columnheader', { name: 'Action' })).toHaveAttribute('aria-sort', 'ascending')
  await grid(page).getByRole('button', { name: 'Action' }).click()
  await expect(bodyRows(page).first()).toContainText('tool.exe')
  await view.getByRole('combobox', { name: 'Kind' }).click()
  await page.getByRole('option', { name: 'Publisher' }).click()
  await expect(bodyRows(page)).toHaveCount(1)
  await view.getByRole('combobox', { name: 'Kind' }).click()
  await page.getByRole('option', { name: 'All kinds' }).click()
  await view.getByRole('combobox', { name: 'User or group' }).click()
  await page.getByRole('option', { name: 'BUILTIN\\Administrators' }).click()
  await expect(bodyRows(page)).toHaveCount(1)
  await view.getByRole('combobox', { name: 'User or group' }).click()
  await page.getByRole('option', { name: 'All users and groups' }).click()
  await view.getByRole('searchbox', { name: 'Filter rules by text' }).fill('contoso')
  await expect(bodyRows(page)).toHaveCount(2)
  await view.getByRole('searchbox', { name: 'Filter rules by text' }).fill('')
  await expect(bodyRows(page)).toHaveCount(6)

  // 8. Export and parse: exactly those rules, Audit only.
  const { bytes } = await exportPolicy(page)
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false })
  const doc = parser.parse(bytes.toString('utf-8')) as { AppLockerPolicy: { RuleCollection: Parsed | Parsed[] } }
  const collections = asArray(doc.AppLockerPolicy.RuleCollection)
  const withRules = collections.filter((c) => c.FilePathRule || c.FilePublisherRule || c.FileHashRule)
  expect(withRules).toHaveLength(1)
  const exe = withRules[0]
  expect(exe.Type).toBe('Exe')
  expect(exe.EnforcementMode).toBe('AuditOnly')
  const pathRules = asArray(exe.FilePathRule as Parsed[])
  const pubRules = asArray(exe.FilePublisherRule as Parsed[])
  const hashRules = asArray(exe.FileHashRule as Parsed[])
  expect(pathRules.map((r) => r.Name).sort()).toEqual([
    '%PROGRAMFILES%\\Contoso\\*',
    '(Default Rule) All files',
    '(Default Rule) All files located in the Program Files folder',
    '(Default Rule) All files located in the Windows folder',
  ])
  const contoso = pathRules.find((r) => r.Name === '%PROGRAMFILES%\\Contoso\\*') as Parsed
  expect(contoso).toMatchObject({ Action: 'Allow', UserOrGroupSid: 'S-1-1-0', Description: 'Contoso apps' })
  expect((contoso.Conditions as Parsed).FilePathCondition).toEqual({ Path: '%PROGRAMFILES%\\Contoso\\*' })
  expect((contoso.Exceptions as Parsed).FilePathCondition).toEqual({ Path: '%PROGRAMFILES%\\Contoso\\Temp\\*' })
  expect(pathRules.map((r) => String(r.Id)).filter((id) => id.startsWith('921cc481') || id.startsWith('a61c8b2c') || id.startsWith('fd686d83'))).toHaveLength(3)
  expect(pubRules).toHaveLength(1)
  expect(pubRules[0]).toMatchObject({ Action: 'Allow', UserOrGroupSid: 'S-1-5-32-545' })
  expect((pubRules[0].Conditions as Parsed).FilePublisherCondition).toEqual({
    PublisherName: 'O=CONTOSO LTD, L=LONDON, C=GB',
    ProductName: 'CONTOSO VIEWER',
    BinaryName: 'VIEWER.EXE',
    BinaryVersionRange: { LowSection: '2.5.0.0', HighSection: '*' },
  })
  expect(hashRules).toHaveLength(1)
  expect(hashRules[0]).toMatchObject({ Action: 'Deny', UserOrGroupSid: 'S-1-1-0', Name: 'tool.exe' })
  expect(((hashRules[0].Conditions as Parsed).FileHashCondition as Parsed).FileHash).toEqual({
    Type: 'SHA256',
    Data: HASH,
    SourceFileName: 'tool.exe',
    SourceFileLength: '123456',
  })
})

test('editing a rule, bulk changes, move and delete, all from the keyboard and the toolbar', async ({ page }) => {
  await newEmptyPolicy(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(bodyRows(page)).toHaveCount(3)

  // Keyboard: focus the grid, move down, Enter edits.
  await grid(page).focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Edit rule' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('tab', { name: 'Name' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('(Default Rule) All files located in the Windows folder')
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Windows folder')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(bodyRows(page).nth(1)).toContainText('Windows folder')
  await bodyRows(page).nth(1).click()
  const details = view.getByRole('definition').filter({ hasText: 'a61c8b2c-a319-4cd0-9690-d2177cad7b51' })
  await expect(details).toBeVisible()
  await expect(view.getByLabel('Selected rule')).toContainText('%WINDIR%\\*')

  // Ctrl+A selects all, then Set action: Deny.
  await grid(page).focus()
  await page.keyboard.press('Control+a')
  await expect(view.getByText(/3 selected/)).toBeVisible()
  await view.getByRole('button', { name: 'Set action' }).click()
  await page.getByRole('menuitem', { name: 'Deny' }).click()
  await expect(bodyRows(page).filter({ hasText: 'Deny' })).toHaveCount(3)

  // Set user or group on the selection.
  await view.getByRole('button', { name: 'Set user or group...' }).click()
  const userDialog = page.getByRole('dialog', { name: 'Set user or group' })
  await pickUser(userDialog, 'Authenticated', /Authenticated Users/)
  await userDialog.getByRole('button', { name: 'Apply' }).click()
  await expect(bodyRows(page).filter({ hasText: 'NT AUTHORITY\\Authenticated Users' })).toHaveCount(3)

  // Click the first row, Shift+click the second: move both to Script Rules.
  await bodyRows(page).nth(0).click()
  await bodyRows(page).nth(1).click({ modifiers: ['Shift'] })
  await expect(view.getByText(/2 selected/)).toBeVisible()
  await view.getByRole('button', { name: 'Move to' }).click()
  await page.getByRole('menuitem', { name: 'Script Rules' }).click()
  await expect(bodyRows(page)).toHaveCount(1)
  await page.getByRole('tab', { name: /Script Rules/ }).click()
  await expect(page.getByRole('grid', { name: 'Script Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')).toHaveCount(2)

  // Duplicate then Delete key.
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await bodyRows(page).first().getByRole('checkbox').check()
  await view.getByRole('button', { name: 'Duplicate' }).click()
  await expect(bodyRows(page)).toHaveCount(2)
  await bodyRows(page).nth(1).click()
  await grid(page).press('Delete')
  await expect(bodyRows(page)).toHaveCount(1)
})

test('an undo while "Edit rule" is open: Save updates the rule it was opened for, or says it is gone', async ({ page }) => {
  await newEmptyPolicy(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(bodyRows(page)).toHaveCount(3)
  await expect(bodyRows(page).nth(0)).toContainText('Program Files folder')

  // Delete the first rule, then edit the rule now first (the Windows folder one).
  await bodyRows(page).nth(0).click()
  await view.getByRole('button', { name: 'Delete' }).click()
  await expect(bodyRows(page)).toHaveCount(2)
  await bodyRows(page).nth(0).click()
  await view.getByRole('button', { name: 'Edit rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'Edit rule' })
  // The modal dialog hides the page from the accessibility tree; the grid is still there.
  const behindDialog = page
    .getByRole('grid', { name: 'Executable Rules: rules', includeHidden: true })
    .locator('[role="row"]:not([aria-rowindex="1"])')
  await dialog.getByRole('tab', { name: 'Name' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('(Default Rule) All files located in the Windows folder')
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Windows folder, edited')
  // Ctrl+Z in the page (focus on a tab, not in a text field) undoes the delete under the dialog.
  await dialog.getByRole('tab', { name: 'Name' }).focus()
  await page.keyboard.press('Control+z')
  await expect(behindDialog).toHaveCount(3)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(bodyRows(page).nth(0)).toContainText('(Default Rule) All files located in the Program Files folder')
  await expect(bodyRows(page).nth(1)).toContainText('Windows folder, edited')
  await expect(bodyRows(page).filter({ hasText: 'Windows folder, edited' })).toHaveCount(1)

  // The rule is gone (its creation undone) while the dialog is open: Save says so and changes nothing.
  await bodyRows(page).nth(2).click()
  await view.getByRole('button', { name: 'Edit rule' }).click()
  await expect(dialog).toBeVisible()
  await dialog.getByRole('tab', { name: 'Name' }).click()
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Admins, edited')
  await dialog.getByRole('tab', { name: 'Name' }).focus()
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Control+z')
  await expect(behindDialog).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByRole('alert')).toContainText('no longer in Executable Rules')
  await expect(dialog).toBeVisible()
  await expect(behindDialog).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
})

test('a form with an invalid SID, an unknown path variable or a version range low > high refuses to save and says why', async ({ page }) => {
  await newEmptyPolicy(page)
  const dialog = await openCreate(page)

  // Invalid SID.
  await dialog.getByRole('combobox', { name: 'User or group' }).fill('S-1-5-oops')
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'Path' }).check()
  await dialog.getByRole('tab', { name: 'Path' }).click()
  await dialog.getByRole('textbox', { name: 'Path' }).fill('%WINDIR%\\Tools\\*')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('"S-1-5-oops" is not a SID')
  const sidBox = dialog.getByRole('combobox', { name: 'User or group' })
  await expect(sidBox).toBeVisible() // the dialog went back to the Permissions step
  await expect(sidBox).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByText(/"S-1-5-oops" is not a SID: a SID looks like S-1-5-32-544/).first()).toBeVisible()
  await pickUser(dialog, 'Everyone', /^Everyone/)

  // Unknown path variable: flagged as typed, and saving is refused.
  await dialog.getByRole('tab', { name: 'Path' }).click()
  const pathBox = dialog.getByRole('textbox', { name: 'Path' })
  await pathBox.fill('%USERPROFILE%\\Downloads\\*')
  // The field says it as typed (the banner of the refused save above follows the fields too).
  await expect(dialog.getByRole('tabpanel', { name: 'Path' }).getByText(/%USERPROFILE% is not an AppLocker path variable/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('%USERPROFILE% is not an AppLocker path variable')
  await expect(pathBox).toHaveAttribute('aria-invalid', 'true')

  // Version range with low > high.
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'Publisher' }).check()
  await dialog.getByRole('tab', { name: 'Publisher' }).click()
  await dialog.getByRole('checkbox', { name: 'Use custom values' }).check()
  await dialog.getByRole('textbox', { name: 'Publisher' }).fill('O=CONTOSO LTD, L=LONDON, C=GB')
  await dialog.getByRole('textbox', { name: 'Product name' }).fill('*')
  await dialog.getByRole('textbox', { name: 'File name' }).fill('*')
  await dialog.getByRole('radio', { name: 'Between' }).check()
  await dialog.getByRole('textbox', { name: 'Lowest version' }).fill('10.0.0.0')
  await dialog.getByRole('textbox', { name: 'Highest version' }).fill('9.0.0.0')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('The lowest version 10.0.0.0 is above the highest version 9.0.0.0')
  await expect(dialog.getByRole('textbox', { name: 'Highest version' })).toHaveAttribute('aria-invalid', 'true')

  // Nothing was added; fixing the range lets it save.
  await dialog.getByRole('textbox', { name: 'Highest version' }).fill('11.0.0.0')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(bodyRows(page)).toHaveCount(1)
  await expect(bodyRows(page).first()).toContainText('10.0.0.0 to 11.0.0.0')
})

test('50,000 rules: import, render and scroll to the end with fewer than 200 rows in the DOM', async ({ page }, testInfo) => {
  test.setTimeout(180_000)
  // One Executable Rules collection holding all 50,000 generated rules (valid, mixed kinds).
  const generated = generatePolicy(50_000, 7)
  const rules: Rule[] = generated.collections.flatMap((c) => c.rules)
  const policy = { version: '1', collections: [{ type: 'Exe' as const, enforcementMode: 'AuditOnly' as const, rules }] }
  const file = testInfo.outputPath('50k-rules.xml')
  writeFileSync(file, writePolicyXml(policy))

  await openFresh(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  const t0 = Date.now()
  await importPolicyFile(page, file)
  await expect(view.getByText('50,000 rules', { exact: true })).toBeVisible({ timeout: 120_000 })
  await expect(bodyRows(page).first()).toBeVisible()
  const importMs = Date.now() - t0
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '50001')

  // Scroll to the end in 40 steps, one frame each, measuring frame times and counting rows in the DOM.
  const scroll = await page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid="rule-grid-scroller"]') as HTMLElement
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r))
    const steps = 40
    const frames: number[] = []
    let maxRows = 0
    performance.mark('scroll-start')
    for (let i = 1; i <= steps; i++) {
      const before = performance.now()
      scroller.scrollTop = (scroller.scrollHeight * i) / steps
      await frame()
      await frame()
      frames.push(performance.now() - before)
      maxRows = Math.max(maxRows, document.querySelectorAll('[role="grid"] [role="row"]').length)
    }
    performance.mark('scroll-end')
    const total = performance.measure('scroll', 'scroll-start', 'scroll-end').duration
    const last = document.querySelector('[role="grid"] [role="row"][aria-rowindex="50001"]')
    frames.sort((a, b) => a - b)
    return { total, maxRows, median: frames[Math.floor(frames.length / 2)], worst: frames[frames.length - 1], lastRendered: last !== null }
  })
  expect(scroll.lastRendered).toBe(true)
  expect(scroll.maxRows).toBeLessThan(200)
  await expect(bodyRows(page).last()).toBeVisible()

  // Each interaction below is timed inside the page: from the event to the first animation frame
  // after which the DOM shows the result (polled once per frame), so Playwright's own polling does not count.
  await grid(page).focus()
  const homeMs = await timeInPage(page, { key: 'Home' }, { selector: '[role="grid"] [role="row"][aria-rowindex="2"]' })
  const endMs = await timeInPage(page, { key: 'End' }, { selector: '[role="grid"] [role="row"][aria-rowindex="50001"]' })
  const filterMs = await timeInPage(page, { input: 'input[aria-label="Filter rules by text"]', value: 'deny' }, { text: 'showing' })
  const sortMs = await timeInPage(page, { click: 'Name' }, { selector: '[role="columnheader"][aria-sort="ascending"]' })
  expect(await grid(page).locator('[role="row"]').count()).toBeLessThan(200)

  // One edit on the 50,000-rule policy (delete the first shown rule), then undo it.
  await bodyRows(page).first().click()
  await grid(page).focus()
  const deleteMs = await timeInPage(page, { key: 'Delete' }, { text: '49,999 rules' })
  const undoMs = await timeInPage(page, { click: 'Undo' }, { text: '50,000 rules' })
  await expect(view.getByText(/^50,000 rules/)).toBeVisible()

  const report = {
    importAndFirstRenderMs: importMs,
    scrollToEndMs: Math.round(scroll.total),
    scrollFrameMedianMs: Math.round(scroll.median),
    scrollFrameWorstMs: Math.round(scroll.worst),
    maxRowsInDom: scroll.maxRows,
    homeKeyMs: homeMs,
    endKeyMs: endMs,
    filterMs,
    sortByNameMs: sortMs,
    deleteOneRuleMs: deleteMs,
    undoMs,
  }
  console.log(`50k rules: ${JSON.stringify(report)}`)
  testInfo.annotations.push({ type: 'performance', description: JSON.stringify(report) })
})

test('rules with validation errors are marked, explained, and can be fixed in the edit dialog', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, 'src/applocker/__fixtures__/corpus/invalid/marckean-avd-2023-07-group-name-instead-of-sid.xml')
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
  const view = page.getByRole('region', { name: 'Executable Rules' })
  await expect(view.getByText(/1 rule with errors/)).toBeVisible()
  const bad = bodyRows(page).filter({ hasText: 'AVD User rules' })
  await expect(bad).toHaveAttribute('aria-invalid', 'true')
  await expect(bad).toHaveAttribute('aria-description', /AVD Users/)
  await expect(bad.getByRole('img', { name: 'Error' })).toBeVisible()
  await bad.hover()
  await bad.getByRole('img', { name: 'Error' }).hover()
  await expect(page.getByRole('tooltip')).toContainText('AVD Users')

  // Double-click opens the rule in the edit dialog; the invalid SID is refused until fixed.
  await bad.dblclick()
  const dialog = page.getByRole('dialog', { name: 'Edit rule' })
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByRole('alert').filter({ hasText: 'cannot be saved' })).toContainText('"AVD Users" is not a SID')
  await pickUser(dialog, 'Everyone', /^Everyone/)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(view.getByText(/with errors/)).toBeHidden()
  await expect(bodyRows(page).filter({ hasText: 'AVD User rules' })).toContainText('Everyone')
  await expect(bodyRows(page).filter({ hasText: 'AVD User rules' })).not.toHaveAttribute('aria-invalid', 'true')
})

test('the rule and enforcement dialogs have no serious accessibility violations; packaged apps take publisher rules only', async ({ page }) => {
  // Eight axe runs: on the shared 2-core machine they alone take most of a minute.
  test.setTimeout(150_000)
  await newEmptyPolicy(page)
  const problems: string[] = []
  const check = async (where: string) => {
    // Let the dialog's opening animation finish: axe measures colour contrast with the opacity of the moment.
    await page.locator('.fui-DialogSurface').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((x) => x.finished)))
    const result = await new AxeBuilder({ page }).include('.fui-DialogSurface').analyze()
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical') problems.push(`${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  }
  const dialog = await openCreate(page)
  await check('Permissions')
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await check('Conditions')
  await dialog.getByRole('radio', { name: 'Path' }).check()
  await dialog.getByRole('tab', { name: 'Path' }).click()
  await dialog.getByRole('textbox', { name: 'Path' }).fill('%APPDATA%\\x?')
  await check('Path (with messages)')
  await dialog.getByRole('tab', { name: 'Exceptions' }).click()
  await dialog.getByRole('button', { name: 'Add exception' }).click()
  await page.getByRole('menuitem', { name: 'Publisher exception' }).click()
  await check('Exceptions')
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'Publisher' }).check()
  await dialog.getByRole('tab', { name: 'Publisher' }).click()
  await dialog.getByRole('radio', { name: 'Publisher, product, file name and version' }).check()
  await check('Publisher')
  await dialog.getByRole('checkbox', { name: 'Use custom values' }).check()
  await dialog.getByRole('radio', { name: 'Between' }).check()
  await check('Publisher (custom values)')
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'File hash' }).check()
  await dialog.getByRole('tab', { name: 'File hash' }).click()
  await dialog.getByRole('button', { name: 'Add another file hash' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Hash 2' })).toBeVisible()
  await check('File hash')
  await dialog.getByRole('tab', { name: 'Name' }).click()
  await check('Name')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  await page.getByRole('button', { name: 'Configure rule enforcement' }).click()
  await expect(page.getByRole('dialog', { name: 'Configure rule enforcement' })).toBeVisible()
  await check('Configure rule enforcement')
  await page.getByRole('dialog', { name: 'Configure rule enforcement' }).getByRole('button', { name: 'Cancel' }).click()
  expect(problems).toEqual([])

  // Packaged app Rules: publisher only, with the packaged-app slider.
  await page.getByRole('tab', { name: /Packaged app Rules/ }).click()
  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  const appx = page.getByRole('dialog', { name: 'Create New Rule' })
  await appx.getByRole('tab', { name: 'Conditions' }).click()
  await expect(appx.getByRole('radio', { name: 'Publisher' })).toBeChecked()
  await expect(appx.getByRole('radio', { name: 'Path' })).toBeDisabled()
  await expect(appx.getByRole('radio', { name: 'File hash' })).toBeDisabled()
  await appx.getByRole('tab', { name: 'Publisher' }).click()
  await appx.getByRole('radio', { name: 'Publisher, package name and version' }).check()
  await appx.getByRole('checkbox', { name: 'Use custom values' }).check()
  await appx.getByRole('textbox', { name: 'Publisher' }).fill('CN=Contoso, O=Contoso, C=US')
  await appx.getByRole('textbox', { name: 'Package name' }).fill('Contoso.Notes')
  await appx.getByRole('textbox', { name: 'Package version' }).fill('1.2.0.0')
  await appx.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(appx).toBeHidden()
  const rows = page.getByRole('grid', { name: 'Packaged app Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Contoso.Notes, version 1.2.0.0 and above, from Contoso')
})
