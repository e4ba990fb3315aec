import { expect, test, type Locator, type Page } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { strToU8, zipSync } from 'fflate'
import { join } from 'node:path'
import { ensurePeFixtures, fixtureDigests } from '../src/testing/pe-fixtures'
import { newEmptyPolicy } from './helpers'

// Create New Rule, as a Windows administrator who knows the snap-in's wizard uses it (issue 16, "Rule wizard").
let dir: string

test.beforeAll(() => {
  dir = ensurePeFixtures()
})

async function openCreate(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create New Rule' })
  await expect(dialog).toBeVisible()
  return dialog
}

async function chooseCondition(dialog: Locator, name: 'Publisher' | 'Path' | 'File hash'): Promise<void> {
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name }).check()
  await dialog.getByRole('button', { name: 'Next' }).click()
}

async function browse(dialog: Locator, files: string[]): Promise<void> {
  const chooser = dialog.page().waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(files.map((f) => join(dir, f)))
}

test('hash condition: several reference files at once, one row each; a filled row is never replaced', async ({ page }) => {
  await newEmptyPolicy(page)
  const dialog = await openCreate(page)
  await chooseCondition(dialog, 'File hash')
  const digests = fixtureDigests(dir)
  const hash = (f: string) => `0x${digests.get(f)!.authenticode!}`

  // One file fills the first (empty) row.
  await browse(dialog, ['hello64.exe'])
  await expect(dialog.getByRole('textbox', { name: 'Hash 1' })).toHaveValue(hash('hello64.exe'))

  // "Add another file hash", then two files picked together: the new empty row takes the first, a third row the second.
  await dialog.getByRole('button', { name: 'Add another file hash' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Hash 2' })).toHaveValue('')
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  const c = await chooser
  expect(c.isMultiple()).toBe(true)
  await c.setFiles([join(dir, 'hello64-symbols.exe'), join(dir, 'hello64-overlay.exe')])
  await expect(dialog.getByText('Added the hashes of 2 files: hello64-symbols.exe, hello64-overlay.exe.')).toBeVisible()
  await expect(dialog.getByRole('textbox', { name: 'Hash 1' })).toHaveValue(hash('hello64.exe'))
  await expect(dialog.getByRole('textbox', { name: 'File name 1' })).toHaveValue('hello64.exe')
  await expect(dialog.getByRole('textbox', { name: 'Hash 2' })).toHaveValue(hash('hello64-symbols.exe'))
  await expect(dialog.getByRole('textbox', { name: 'File name 2' })).toHaveValue('hello64-symbols.exe')
  await expect(dialog.getByRole('textbox', { name: 'Hash 3' })).toHaveValue(hash('hello64-overlay.exe'))
  await expect(dialog.getByRole('textbox', { name: 'Hash 4' })).toHaveCount(0)

  // A row typed by hand is kept too; a file already listed is not added twice.
  await dialog.getByRole('button', { name: 'Add another file hash' }).click()
  await dialog.getByRole('textbox', { name: 'File name 4' }).fill('typed.exe')
  await browse(dialog, ['hello64.exe'])
  await expect(dialog.getByText('Already listed: hello64.exe.')).toBeVisible()
  await expect(dialog.getByRole('textbox', { name: 'File name 4' })).toHaveValue('typed.exe')
  await expect(dialog.getByRole('textbox', { name: 'Hash 5' })).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Remove hash 4' }).click()

  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  const row = page.getByRole('grid', { name: 'Executable Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')
  await expect(row).toHaveCount(1)
  await expect(row.first()).toContainText('hello64.exe')
})

test('the "cannot be saved yet" banner follows the fields as they are typed', async ({ page }) => {
  await newEmptyPolicy(page)
  const dialog = await openCreate(page)
  await chooseCondition(dialog, 'Path')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  const banner = dialog.getByRole('alert').filter({ hasText: 'The rule cannot be saved yet' })
  await expect(banner).toContainText('Enter a path')
  const pathBox = dialog.getByRole('textbox', { name: 'Path' })
  // A path that is still wrong replaces the message; a valid one removes the banner at once.
  await pathBox.fill('%USERPROFILE%\\Tools\\*')
  await expect(banner).toContainText('%USERPROFILE% is not an AppLocker path variable')
  await expect(banner).not.toContainText('Enter a path')
  await pathBox.fill('%PROGRAMFILES%\\Contoso\\*')
  await expect(banner).toBeHidden()
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
})

test('the hash rows fit inside the dialog at every width; script rules are said to use a flat hash', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await newEmptyPolicy(page)
  const dialog = await openCreate(page)
  await chooseCondition(dialog, 'File hash')
  await dialog.getByRole('button', { name: 'Add another file hash' }).click()
  await expect(dialog.getByText(/SHA256 Authenticode hash/)).toBeVisible()
  const surface = page.locator('.fui-DialogSurface')
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
    { width: 640, height: 700 },
  ]) {
    await page.setViewportSize(size)
    const edge = await surface.boundingBox()
    expect(edge).not.toBeNull()
    for (const group of await dialog.getByRole('group', { name: /^File \d$/ }).all()) {
      for (const control of [...(await group.getByRole('textbox').all()), ...(await group.getByRole('button').all())]) {
        const box = (await control.boundingBox())!
        const name = (await control.getAttribute('name')) ?? (await control.getAttribute('aria-label'))
        expect(box.x, `${name} at ${size.width}px`).toBeGreaterThanOrEqual(edge!.x)
        expect(box.x + box.width, `${name} at ${size.width}px`).toBeLessThanOrEqual(edge!.x + edge!.width - 8)
      }
    }
    // Nothing in the dialog scrolls sideways.
    const overflow = await dialog.locator('.fui-DialogContent').evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow, `horizontal overflow at ${size.width}px`).toBeLessThanOrEqual(0)
  }
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  // Script Rules: the flat hash of the whole file, not the Authenticode hash.
  await page.getByRole('tab', { name: /Script Rules/ }).click()
  const script = await openCreate(page)
  await chooseCondition(script, 'File hash')
  await expect(script.getByText(/SHA256 flat file hash/)).toBeVisible()
  await expect(script.getByText(/Authenticode/)).toHaveCount(0)
})

test('the Conditions page starts on Publisher, explains each choice, and the publisher fields are read-only until "Use custom values"', async ({ page }) => {
  await newEmptyPolicy(page)
  const dialog = await openCreate(page)
  await dialog.getByRole('button', { name: 'Next' }).click()
  const publisher = dialog.getByRole('radio', { name: 'Publisher' })
  await expect(publisher).toBeChecked()
  // The snap-in's one-line explanations, under each choice and read with it.
  await expect(publisher).toHaveAccessibleDescription('Select this option if the application you want to create the rule for is signed by the software publisher.')
  await expect(dialog.getByRole('radio', { name: 'Path' })).toHaveAccessibleDescription(
    'Select this option to create a rule for a specific file or folder path. If you select a folder, all files in the folder will be affected.',
  )
  await expect(dialog.getByRole('radio', { name: 'File hash' })).toHaveAccessibleDescription('Select this option if the application you want to create the rule for is not signed.')
  await expect(dialog.getByText('Select this option if the application you want to create the rule for is not signed.')).toBeVisible()

  await dialog.getByRole('button', { name: 'Next' }).click()
  await expect(dialog.getByRole('tabpanel', { name: 'Publisher' })).toBeVisible()
  // Set by the reference file and the level: read-only, the fields beyond the level show *.
  await dialog.getByRole('radio', { name: 'Publisher and product' }).check()
  for (const name of ['Publisher', 'Product name', 'File name']) await expect(dialog.getByRole('textbox', { name })).toHaveAttribute('readonly', '')
  await expect(dialog.getByRole('textbox', { name: 'File name' })).toHaveValue('*')
  await expect(dialog.getByText(/tick "Use custom values"/).first()).toBeVisible()
  // From a signed reference file: filled, still read-only; the level writes * beyond it.
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64-signed.exe'))
  await expect(dialog.getByRole('textbox', { name: 'Product name' })).toHaveValue('PROBE PRODUCT')
  await expect(dialog.getByRole('textbox', { name: 'Publisher' })).toHaveAttribute('readonly', '')
  await dialog.getByRole('radio', { name: 'Publisher and product' }).check()
  await expect(dialog.getByRole('textbox', { name: 'File name' })).toHaveValue('*')
  // "Use custom values": editable, holding what the rule had (File name * as the level set it).
  await dialog.getByRole('checkbox', { name: 'Use custom values' }).check()
  await expect(dialog.getByRole('textbox', { name: 'File name' })).not.toHaveAttribute('readonly', '')
  await expect(dialog.getByRole('textbox', { name: 'File name' })).toHaveValue('*')
  await dialog.getByRole('textbox', { name: 'Product name' }).fill('PROBE SUITE')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  const rows = page.getByRole('grid', { name: 'Executable Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')
  await expect(rows.first()).toContainText('PROBE SUITE')
})

test('a folder without \\* and a literal C:\\Program Files (x86) path are flagged as typed, each with a one-click fix', async ({ page }) => {
  await newEmptyPolicy(page)
  const dialog = await openCreate(page)
  await chooseCondition(dialog, 'Path')
  const pathBox = dialog.getByRole('textbox', { name: 'Path' })
  await pathBox.fill('C:\\Program Files (x86)\\Contoso\\')
  // At once, without leaving the field or pressing Create.
  await expect(pathBox).toBeFocused()
  await expect(dialog.getByText(/looks like a folder: without "\\\*" the rule matches only a file/)).toBeVisible()
  await expect(dialog.getByText(/%PROGRAMFILES% names it wherever Windows puts it \(C:\\Program Files and C:\\Program Files \(x86\)/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Add \\*' }).click()
  await expect(pathBox).toHaveValue('C:\\Program Files (x86)\\Contoso\\*')
  await expect(dialog.getByRole('button', { name: 'Add \\*' })).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Use %PROGRAMFILES%' }).click()
  await expect(pathBox).toHaveValue('%PROGRAMFILES%\\Contoso\\*')
  await expect(dialog.getByRole('button', { name: /^Use %/ })).toHaveCount(0)

  // The other variables come from the engine's table: C:\Windows\System32 is %SYSTEM32%, C:\Windows is %WINDIR%, C: is %OSDRIVE%.
  for (const [typed, variable, fixed] of [
    ['C:\\Windows\\System32\\Tools\\*', '%SYSTEM32%', '%SYSTEM32%\\Tools\\*'],
    ['C:\\Windows\\Temp\\*', '%WINDIR%', '%WINDIR%\\Temp\\*'],
    ['C:\\Tools\\*', '%OSDRIVE%', '%OSDRIVE%\\Tools\\*'],
  ]) {
    await pathBox.fill(typed)
    await dialog.getByRole('button', { name: `Use ${variable}` }).click()
    await expect(pathBox).toHaveValue(fixed)
  }
  await pathBox.fill('%PROGRAMFILES%\\Contoso\\*')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
})

test('Enter in a text field acts as Next (Create on the last page); focus returns to the rule row or to the opener, never <body>', async ({ page }) => {
  await newEmptyPolicy(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  const grid = page.getByRole('grid', { name: 'Executable Rules: rules' })
  const createButton = view.getByRole('button', { name: 'Create New Rule...' })
  const activeRow = async () => grid.locator(`[id="${await grid.getAttribute('aria-activedescendant')}"]`)

  // Esc and Cancel: back to the button that opened the dialog.
  await createButton.click()
  const dialog = page.getByRole('dialog', { name: 'Create New Rule' })
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(createButton).toBeFocused()
  await createButton.click()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  await expect(createButton).toBeFocused()

  // Enter as Next: refused with the message while the path is empty, then on to Exceptions.
  await createButton.click()
  await chooseCondition(dialog, 'Path')
  const pathBox = dialog.getByRole('textbox', { name: 'Path' })
  await pathBox.press('Enter')
  await expect(dialog.getByRole('tabpanel', { name: 'Path' })).toBeVisible()
  await expect(dialog.getByText(/Enter a path, e.g./)).toBeVisible()
  await pathBox.fill('%PROGRAMFILES%\\Fabrikam\\*')
  await pathBox.press('Enter')
  await expect(dialog.getByRole('tabpanel', { name: 'Exceptions' })).toBeVisible()
  await dialog.getByRole('button', { name: 'Next' }).click()
  const name = dialog.getByRole('textbox', { name: 'Name' })
  await name.fill('Fabrikam tools')
  // On the last page Enter is Create; focus goes to the new rule's row.
  await name.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(grid).toBeFocused()
  await expect(await activeRow()).toContainText('Fabrikam tools')

  // Edit from the keyboard, Save with Enter: focus back on that row, not on <body>.
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await grid.focus()
  await page.keyboard.press('End')
  await page.keyboard.press('Home')
  await expect(await activeRow()).toContainText('Fabrikam tools')
  await page.keyboard.press('Enter')
  const edit = page.getByRole('dialog', { name: 'Edit rule' })
  await edit.getByRole('tab', { name: 'Name' }).click()
  await edit.getByRole('textbox', { name: 'Name' }).fill('Fabrikam tools, edited')
  await edit.getByRole('textbox', { name: 'Name' }).press('Enter')
  await expect(edit).toBeHidden()
  await expect(grid).toBeFocused()
  await expect(await activeRow()).toContainText('Fabrikam tools, edited')
  // Esc in Edit rule opened from the list: back to the list.
  await page.keyboard.press('Enter')
  await expect(edit).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(edit).toBeHidden()
  await expect(grid).toBeFocused()
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false)
})

test('a packaged-app rule from an unsigned .msix offers the manifest identity, not a hash condition', async ({ page }, testInfo) => {
  const manifest = `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">
  <Identity Name="Contoso.Notes" Publisher="CN=Contoso, O=Contoso, C=US" Version="1.2.0.0" ProcessorArchitecture="x64" />
</Package>`
  const file = testInfo.outputPath('Contoso.Notes.msix')
  writeFileSync(file, zipSync({ 'AppxManifest.xml': strToU8(manifest), 'AppxBlockMap.xml': strToU8('<BlockMap/>') }))

  await newEmptyPolicy(page)
  await page.getByRole('tab', { name: /Packaged app Rules/ }).click()
  const dialog = await openCreate(page)
  await dialog.getByRole('tab', { name: 'Publisher' }).click()
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(file)
  await expect(dialog.getByRole('alert')).toContainText('the package is not signed')
  await expect(dialog.getByText(/file hash/i)).toHaveCount(0)
  await dialog.getByRole('button', { name: "Use the manifest's identity" }).click()
  await expect(dialog.getByText(/Windows matches the publisher of the package's signature, which must equal the manifest's Publisher/)).toBeVisible()
  await expect(dialog.getByRole('textbox', { name: 'Publisher' })).toHaveValue('CN=Contoso, O=Contoso, C=US')
  await expect(dialog.getByRole('textbox', { name: 'Package name' })).toHaveValue('Contoso.Notes')
  await dialog.getByRole('radio', { name: 'Publisher, package name and version' }).check()
  await expect(dialog.getByRole('textbox', { name: 'Package version' })).toHaveValue('1.2.0.0')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  const rows = page.getByRole('grid', { name: 'Packaged app Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')
  await expect(rows.first()).toContainText('Contoso.Notes, version 1.2.0.0 and above, from Contoso')
})
