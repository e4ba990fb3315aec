import { expect, test } from '@playwright/test'
import { exportPolicy, newEmptyPolicy } from './helpers'

// Issue 16 item 7: Create Default Rules compares by content, not by Id, so a default rule that
// was edited into something else can be restored.


test('Create Default Rules restores defaults that were edited into something else', async ({ page }) => {
  await newEmptyPolicy(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  const grid = page.getByRole('grid', { name: 'Executable Rules: rules' })
  const rows = grid.locator('[role="row"]:not([aria-rowindex="1"])')
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(rows).toHaveCount(3)

  // Turn the three defaults into Deny rules: same Ids, different behaviour.
  await grid.focus()
  await page.keyboard.press('Control+a')
  await view.getByRole('button', { name: 'Set action' }).click()
  await page.getByRole('menuitem', { name: 'Deny' }).click()
  await expect(rows.filter({ hasText: 'Deny' })).toHaveCount(3)

  // The real defaults are missing now: they are added back, under new Ids.
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(view.getByRole('status')).toContainText('Added 3 default rules (3 under a new Id')
  await expect(rows).toHaveCount(6)
  await expect(rows.filter({ hasText: 'Allow' })).toHaveCount(3)
  await view.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(view.getByRole('status')).toContainText('already present')

  // Ids stay unique in what Windows imports.
  const { bytes } = await exportPolicy(page)
  const ids = [...bytes.toString('utf8').matchAll(/<FilePathRule Id="([^"]+)"/g)].map((m) => m[1].toLowerCase())
  expect(ids).toHaveLength(6)
  expect(new Set(ids).size).toBe(6)
})
