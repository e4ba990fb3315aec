import { expect, test, type Locator, type Page } from '@playwright/test'
import { openFresh } from './helpers'

function bodyRows(page: Page): Locator {
  return page.getByRole('grid', { name: 'Executable Rules: rules' }).locator('[role="row"]:not([aria-rowindex="1"])')
}

async function openPalette(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+k')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await expect(palette).toBeVisible()
  await expect(palette.getByRole('searchbox', { name: 'Search commands' })).toBeFocused()
  return palette
}

test('the command palette (Ctrl+K) lists the enabled commands by their snap-in names and runs them', async ({ page }) => {
  await openFresh(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  await expect(bodyRows(page).first()).toBeVisible()
  const total = await bodyRows(page).count()

  // Nothing selected: the collection's commands are offered, the selection's are not.
  let palette = await openPalette(page)
  const list = palette.getByRole('listbox', { name: 'Commands' })
  for (const name of ['Create New Rule...', 'Create Default Rules', 'Configure rule enforcement', 'Import policy', 'Export policy as UTF-8', 'New policy', 'Merge policy...', 'Compare with...', 'Automatically Generate Rules...', 'Review policy']) {
    await expect(list.getByRole('option', { name, exact: true })).toBeVisible()
  }
  await expect(list.getByRole('option', { name: 'Delete', exact: true })).toHaveCount(0)
  await expect(list.getByRole('option', { name: 'Move to Script Rules' })).toHaveCount(0)

  // Type to narrow, Enter runs the first match.
  await palette.getByRole('searchbox', { name: 'Search commands' }).fill('new rule')
  await expect(list.getByRole('option')).toHaveCount(1)
  await expect(list.getByRole('option', { name: 'Create New Rule...' })).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(palette).toBeHidden()
  const create = page.getByRole('dialog', { name: 'Create New Rule' })
  await expect(create).toBeVisible()
  await create.getByRole('button', { name: 'Cancel' }).click()
  await expect(create).toBeHidden()

  // With a rule selected, the selection's commands are there: Delete says what it did, with Undo.
  await bodyRows(page).first().click()
  await expect(view.getByText(/1 selected/)).toBeVisible()
  palette = await openPalette(page)
  await expect(list.getByRole('option', { name: 'Move to Script Rules' })).toBeVisible()
  await expect(list.getByRole('option', { name: 'Move to Executable Rules' })).toHaveCount(0)
  await palette.getByRole('searchbox', { name: 'Search commands' }).fill('delete')
  await list.getByRole('option', { name: 'Delete', exact: true }).click()
  await expect(palette).toBeHidden()
  await expect(bodyRows(page)).toHaveCount(total - 1)
  await expect(view.getByRole('status')).toHaveText('Deleted 1 rule - Undo')
  await view.getByRole('status').getByRole('button', { name: 'Undo' }).click()
  await expect(bodyRows(page)).toHaveCount(total)

  // A view by its name; arrow keys choose in the list.
  palette = await openPalette(page)
  await palette.getByRole('searchbox', { name: 'Search commands' }).fill('policy')
  const options = list.getByRole('option')
  const names = await options.allInnerTexts()
  const review = names.findIndex((n) => n.startsWith('Review policy'))
  expect(review).toBeGreaterThan(0)
  for (let i = 0; i < review; i++) await page.keyboard.press('ArrowDown')
  await expect(options.nth(review)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('main').getByRole('heading', { name: 'Review policy' })).toBeVisible()

  // Escape closes it without running anything; the top bar's button opens it too.
  await page.getByRole('button', { name: 'Command palette' }).click()
  await expect(palette).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(palette).toBeHidden()
})

test('keyboard in the rule list: Space keeps the row the arrow keys selected, Delete says "Deleted N rules - Undo"', async ({ page }) => {
  await openFresh(page)
  const view = page.getByRole('region', { name: 'Executable Rules' })
  const grid = page.getByRole('grid', { name: 'Executable Rules: rules' })
  await expect(bodyRows(page).first()).toBeVisible()
  const total = await bodyRows(page).count()
  await grid.focus()
  await page.keyboard.press('ArrowDown')
  await expect(view.getByText(/1 selected/)).toBeVisible()
  await page.keyboard.press(' ')
  await expect(view.getByText(/1 selected/)).toBeVisible()
  // Shift+Down adds the next row; Ctrl+Space takes the cursor's row out again, Space puts it back.
  await page.keyboard.press('Shift+ArrowDown')
  await expect(view.getByText(/2 selected/)).toBeVisible()
  await page.keyboard.press('Control+ ')
  await expect(view.getByText(/1 selected/)).toBeVisible()
  await page.keyboard.press(' ')
  await expect(view.getByText(/2 selected/)).toBeVisible()
  await page.keyboard.press('Delete')
  await expect(bodyRows(page)).toHaveCount(total - 2)
  await expect(view.getByRole('status')).toHaveText('Deleted 2 rules - Undo')
  await page.keyboard.press('Control+z')
  await expect(bodyRows(page)).toHaveCount(total)
})
