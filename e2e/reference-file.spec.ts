import { expect, test } from '@playwright/test'
import { join } from 'node:path'
import { ensurePeFixtures, fixtureDigests } from '../src/testing/pe-fixtures'
import { openFresh } from './helpers'

// "Create New Rule..." fills a publisher or hash condition from one picked file, as the snap-in's
// "Browse..." does. The fixtures are real PE files built and signed by scripts/fixtures/build-pe.sh.
let dir: string

test.beforeAll(() => {
  dir = ensurePeFixtures()
})

test('a publisher condition and a hash condition filled from a reference file', async ({ page }) => {
  await openFresh(page)
  await page.getByRole('tab', { name: /Executable Rules/ }).click()

  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  let dialog = page.getByRole('dialog', { name: 'Create New Rule' })
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'Publisher' }).check()
  await dialog.getByRole('button', { name: 'Next' }).click()
  let chooser = page.waitForEvent('filechooser')
  // The file is read in the file-information Worker, not on the page's thread.
  const worker = page.waitForEvent('worker')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64-signed.exe'))
  expect((await worker).url()).toMatch(/fileinfo/)
  await expect(dialog.getByText('Filled from hello64-signed.exe')).toBeVisible()
  await expect(dialog.getByRole('textbox', { name: 'Publisher' })).toHaveValue('O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH')
  await expect(dialog.getByRole('textbox', { name: 'Product name' })).toHaveValue('PROBE PRODUCT')
  await expect(dialog.getByRole('textbox', { name: 'File name' })).toHaveValue('HELLO.EXE')
  await expect(dialog.getByRole('textbox', { name: 'File version' })).toHaveValue('1.2.3.4')

  // An unsigned file gives no publisher: said plainly, nothing filled in.
  chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64.exe'))
  await expect(dialog.getByRole('alert')).toContainText('not signed')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()

  // A hash condition from the unsigned file: its Authenticode hash, name and length.
  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  dialog = page.getByRole('dialog', { name: 'Create New Rule' })
  await dialog.getByRole('tab', { name: 'Conditions' }).click()
  await dialog.getByRole('radio', { name: 'File hash' }).check()
  await dialog.getByRole('button', { name: 'Next' }).click()
  chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Browse for a reference file...' }).click()
  await (await chooser).setFiles(join(dir, 'hello64.exe'))
  const digest = fixtureDigests(dir).get('hello64.exe')!.authenticode!
  await expect(dialog.getByRole('textbox', { name: 'Hash 1' })).toHaveValue(`0x${digest}`)
  await expect(dialog.getByRole('textbox', { name: 'File name 1' })).toHaveValue('hello64.exe')
})
