import { expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'

export const CORPUS = path.resolve('src/applocker/__fixtures__/corpus')
export const FIXTURES = path.resolve('e2e/fixtures')

/** Opens the app on a clean browser profile (the sample policy). */
export async function openFresh(page: Page): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  // The app is drawn once the saved policy (here: the sample) is open, later on a loaded machine.
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toBeVisible({ timeout: 30_000 })
}

/** Opens the app fresh and starts a new, empty policy (answering "Discard and start new" when asked). */
export async function newEmptyPolicy(page: Page): Promise<void> {
  await openFresh(page)
  await page.getByRole('button', { name: 'New policy' }).click()
  // The sample policy was never exported, so New policy may ask first: wait for either outcome.
  const discard = page.getByRole('button', { name: 'Discard and start new' })
  const empty = page.getByRole('status', { name: 'Document status' }).filter({ hasText: /\b0 rules/ })
  await expect(discard.or(empty).first()).toBeVisible()
  if (await discard.isVisible()) await discard.click()
  await expect(empty).toBeVisible()
}

/** Imports a policy file through the real file picker of "Import policy". */
export async function importPolicyFile(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import policy' }).click()
  await (await chooser).setFiles(file)
  // The file is read in a Worker: wait until it is open (its name is the document's title) or a
  // dialog asks (unexported changes) or reports (refused, opened with problems).
  const opened = page.getByTitle(path.basename(file), { exact: true })
  const asked = page.getByRole('dialog').filter({ hasText: /Could not import|with problems|not exported/ })
  await expect(opened.or(asked).first()).toBeVisible({ timeout: 120_000 })
}

/** Exports through "Export policy" and returns the downloaded file's bytes. */
export async function exportPolicy(page: Page, item = 'Export as UTF-8'): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export policy' }).click()
  await page.getByRole('menuitem', { name: item }).click()
  const d = await download
  const p = await d.path()
  return { name: d.suggestedFilename(), bytes: readFileSync(p) }
}

/** The rule Ids in an XML text, in document order. */
export function ruleIds(xml: string): string[] {
  return [...xml.matchAll(/<File(?:Path|Publisher|Hash)Rule\b[^>]*?\bId="([^"]+)"/g)].map((m) => m[1].toLowerCase())
}

/** Loads an inventory into Inventory simulation through the real file picker of "Load inventory". */
export async function loadInventory(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles(file)
}

/** One of the simulation's counts ("Files", "Blocked", ...) by its accessible name. */
export function count(page: Page, label: string) {
  return page.getByRole('group', { name: 'Counts' }).getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}: `))
}
