import { expect, test, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import path from 'node:path'
import { CORPUS, importPolicyFile, openFresh } from './helpers'

async function pick(page: Page, button: string, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: button }).click()
  await (await chooser).setFiles(file)
}

/** The open dialog has no serious or critical axe violations (tabster's focus guards left out, as in a11y.spec.ts). */
async function expectNoSeriousAxe(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).include('[role=dialog]').exclude('[data-tabster-dummy]').analyze()
  expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${v.nodes[0]?.target}`)).toEqual([])
}

const AUDIT = path.join(CORPUS, 'dcodev1702-lolbins-audit.xml')
const ENFORCED = path.join(CORPUS, 'dcodev1702-lolbins-enforced.xml')
const PATH_BLOCK = path.join(CORPUS, 'api0cradle-PathBlockRules-EXE.xml')

test('merge: preview, apply (undoable), modes, refused file, pick rules', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, AUDIT)
  const status = page.getByRole('status', { name: 'Document status' })
  await expect(status).toContainText('159 rules')

  // A refused file shows where it is broken and changes nothing.
  await pick(page, 'Merge policy...', path.join(CORPUS, 'invalid', 'nsacyber-windows10-starter-2025-03-unquoted-attribute.xml'))
  let dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Could not read')
  await expect(dialog).toContainText('Line 890, column 260')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
  await expect(status).toContainText('159 rules')

  // Rules added: the preview counts them before anything changes.
  await pick(page, 'Merge policy...', PATH_BLOCK)
  dialog = page.getByRole('dialog')
  await expect(dialog.getByRole('status', { name: 'Merge summary' })).toContainText('36 rules will be added, 0 dropped as duplicates')
  const table = dialog.getByRole('table', { name: 'Merge preview by collection' })
  await expect(table.getByRole('row', { name: /Executable Rules/ })).toContainText('36')
  await expect(dialog).toContainText("Microsoft's pages disagree on the mode")
  // The open modal dialog hides the page from the accessibility tree (as soon as Fluent's modalizer
  // runs): look behind it for the status line.
  await expect(page.getByRole('status', { name: 'Document status', includeHidden: true })).toContainText('159 rules')
  await dialog.getByRole('button', { name: 'Apply merge' }).click()
  await expect(dialog).toBeHidden()
  await expect(status).toContainText('195 rules')
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(status).toContainText('159 rules')
  await page.getByRole('button', { name: 'Redo' }).click()
  await expect(status).toContainText('195 rules')

  // All duplicates: nothing added, the modes become Enforce.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toContainText('Audit only')
  await pick(page, 'Merge policy...', ENFORCED)
  dialog = page.getByRole('dialog')
  await expect(dialog.getByRole('status', { name: 'Merge summary' })).toContainText('0 rules will be added, 159 dropped as duplicates')
  await expect(table.getByRole('row', { name: /Executable Rules/ })).toContainText('Enforce rules (changes)')
  await expectNoSeriousAxe(page)
  await dialog.getByRole('button', { name: 'Apply merge' }).click()
  await expect(status).toContainText('159 rules')
  // Still 159: every incoming rule was a duplicate.
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toContainText('Enforce rules')

  // Manual merge: pick two rules of another policy and copy them into the Script collection.
  await pick(page, 'Merge policy...', PATH_BLOCK)
  dialog = page.getByRole('dialog')
  await dialog.getByRole('tab', { name: 'Pick rules' }).click()
  const list = dialog.getByRole('group', { name: /Rules in api0cradle-PathBlockRules-EXE.xml/ })
  await list.getByRole('checkbox').nth(0).check()
  await list.getByRole('checkbox').nth(1).check()
  await expectNoSeriousAxe(page)
  await dialog.getByRole('combobox', { name: 'Copy into' }).selectOption({ label: 'Script Rules' })
  await dialog.getByRole('button', { name: 'Add selected rules' }).click()
  await expect(dialog).toContainText('Added 2 rules')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(status).toContainText('161 rules')
})

test('compare with another policy: mode changes, added and removed rules, field changes', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, AUDIT)
  await pick(page, 'Compare with...', ENFORCED)
  let dialog = page.getByRole('dialog')
  const summary = dialog.getByRole('status', { name: 'Comparison summary' })
  await expect(summary).toContainText('0 added, 0 removed, 0 changed, 0 under a new Id')
  await expect(summary).toContainText(/[1-9] mode change/)
  await expect(dialog.getByRole('region', { name: 'Executable Rules differences' })).toContainText('Enforcement mode: Audit only → Enforce rules')
  await dialog.getByRole('button', { name: 'Close' }).click()

  await pick(page, 'Compare with...', PATH_BLOCK)
  dialog = page.getByRole('dialog')
  await expect(dialog.getByRole('status', { name: 'Comparison summary' })).toContainText('36 added, 159 removed')
  await expect(dialog.getByRole('list', { name: 'Executable Rules: rules added' }).getByRole('listitem')).toHaveCount(36)
  // Added and removed say so in words, in colours that are not the Allow green and Deny red of the rule list.
  await expect(dialog.getByRole('list', { name: 'Executable Rules: rules added' }).getByRole('listitem').first()).toContainText('+ Added')
  await expect(dialog.getByRole('list', { name: 'Executable Rules: rules removed' }).getByRole('listitem').first()).toContainText('− Removed')
  const colours = await page.evaluate(() => {
    const colourOf = (els: Element[]) => [...new Set(els.map((e) => getComputedStyle(e).color))]
    const spans = [...document.querySelectorAll('[role=dialog] li span')]
    // The theme's Allow green and Deny red, resolved inside the dialog's theme provider.
    const probes = ['--colorPaletteGreenForeground1', '--colorPaletteRedForeground1'].map((v) => {
      const el = document.createElement('span')
      el.style.color = `var(${v})`
      spans[0].parentElement!.appendChild(el)
      return el
    })
    const actions = colourOf(probes)
    probes.forEach((el) => el.remove())
    return { markers: colourOf(spans.filter((e) => /^(\+ Added|− Removed)$/.test(e.textContent ?? ''))), actions }
  })
  expect(colours.markers.length).toBe(2)
  expect(colours.actions.length).toBe(2)
  expect(colours.markers.filter((c) => colours.actions.includes(c))).toEqual([])
  await dialog.getByRole('button', { name: 'Close' }).click()

  // Field by field, and the same conditions under new Ids.
  await importPolicyFile(page, path.join(CORPUS, 'nsacyber-windows10-starter.xml'))
  await pick(page, 'Compare with...', path.join(CORPUS, 'nsacyber-windows11-starter.xml'))
  dialog = page.getByRole('dialog')
  await expect(dialog.getByRole('status', { name: 'Comparison summary' })).toContainText('72 added, 45 removed, 1 changed, 88 under a new Id')
  const script = dialog.getByRole('region', { name: 'Script Rules differences' })
  await script.locator('summary', { hasText: '(Default Rule) All scripts' }).click()
  const fields = script.getByRole('table', { name: /Script Rules: changes to/ })
  await expect(fields.getByRole('row', { name: /^Name/ })).toBeVisible()
  await expect(dialog.getByRole('region', { name: 'Executable Rules differences' })).toContainText('Same condition under a new Id')
  await expectNoSeriousAxe(page)
  await dialog.getByRole('button', { name: 'Close' }).click()

  // Compared with its own file, the open policy is identical.
  await importPolicyFile(page, AUDIT)
  await pick(page, 'Compare with...', AUDIT)
  dialog = page.getByRole('dialog')
  await expect(dialog.getByRole('status', { name: 'Comparison summary' })).toContainText('The two policies are identical.')
  await dialog.getByRole('button', { name: 'Close' }).click()
})

test('review finds problems and links to the rule; deploy commands copy to the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await openFresh(page)
  await importPolicyFile(page, AUDIT)
  await page.getByRole('tab', { name: 'Review policy' }).click()
  const summary = page.getByRole('status', { name: 'Review summary' })
  await expect(summary).toBeVisible()
  const text = (await summary.textContent()) ?? ''
  const [errors, warnings] = [/(\d+) error/, /(\d+) warning/].map((r) => Number(r.exec(text)?.[1] ?? 0))
  expect(errors + warnings).toBeGreaterThan(0)
  await expect(page.getByText(/How to fix:/).first()).toBeVisible()
  // Live: a merge changes the findings without leaving the view.
  await pick(page, 'Merge policy...', PATH_BLOCK)
  await page.getByRole('dialog').getByRole('button', { name: 'Apply merge' }).click()
  await expect(summary).not.toHaveText(text)
  // A finding's rule leads to its collection.
  const showRule = page.getByRole('button', { name: /^Show rule .* in Executable Rules$/ }).last()
  const ruleName = /^Show rule (.*) in Executable Rules$/.exec((await showRule.getAttribute('aria-label')) ?? '')![1]
  await showRule.click()
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toHaveAttribute('aria-selected', 'true')
  // ... with that rule selected and scrolled into view.
  const selected = page.getByRole('row', { selected: true })
  await expect(selected).toHaveCount(1)
  await expect(selected).toContainText(ruleName)
  await expect(selected).toBeInViewport()

  await page.getByRole('tab', { name: 'Deploy...' }).click()
  const ldap = 'LDAP://DC1.contoso.com/CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=contoso,DC=com'
  await page.getByRole('textbox', { name: 'GPO LDAP path' }).fill(ldap)
  await page.getByRole('button', { name: "Copy Replace the GPO's AppLocker policy" }).click()
  await expect(page.getByRole('button', { name: "Copy Replace the GPO's AppLocker policy" })).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    `Set-AppLockerPolicy -XmlPolicy 'C:\\AppLocker\\AppLockerPolicy.xml' -Ldap '${ldap}'`,
  )
  await page.getByRole('switch', { name: /Merge with the rules already there/ }).check()
  await page.getByRole('button', { name: 'Copy Merge the policy into the GPO' }).click()
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(`-Ldap '${ldap}' -Merge`)

  // Intune: the CSP form appears only for that target; one fragment per collection, copy the OMA-URI, download the XML.
  await expect(page.getByRole('heading', { name: 'Intune (AppLocker CSP)' })).toBeHidden()
  await page.getByRole('radio', { name: 'Intune (AppLocker CSP)' }).check()
  await expect(page.getByRole('heading', { name: 'Intune (AppLocker CSP)' })).toBeVisible()
  // The grouping is a random GUID (Microsoft's advice for the AppLocker CSP), the same in every OMA-URI.
  const grouping = await page.getByRole('textbox', { name: 'Grouping (OMA-URI node name)' }).inputValue()
  expect(grouping).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  await page.getByRole('button', { name: 'Copy OMA-URI for Executable Rules' }).click()
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`./Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/${grouping}/EXE/Policy`)
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download XML for Executable Rules' }).click()
  const d = await download
  expect(d.suggestedFilename()).toBe('dcodev1702-lolbins-audit-Exe.xml')
})
