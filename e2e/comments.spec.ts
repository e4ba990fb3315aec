import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { CORPUS, exportPolicy, importPolicyFile, openFresh, ruleIds } from './helpers'

/** Comments (and PIs) in document order, line ends normalised. */
const notesOf = (xml: string) => [...xml.replace(/\r\n?/g, '\n').matchAll(/<!--[\s\S]*?-->|<\?(?!xml[\s?])[\s\S]*?\?>/g)].map((m) => m[0])

test('export keeps every comment of an imported policy, in order, also after a reload', async ({ page }) => {
  await openFresh(page)
  // The NSA Windows 11 starter policy: 17 comments, three of them commented-out rules (UTF-16 LE file).
  const source = path.join(CORPUS, 'nsacyber-windows11-starter.xml')
  const sourceText = new TextDecoder('utf-16le').decode(readFileSync(source)).replace(/^\uFEFF/, '')
  const expected = notesOf(sourceText)
  expect(expected).toHaveLength(17)
  const rules = ruleIds(sourceText.replace(/<!--[\s\S]*?-->/g, '')).length
  await importPolicyFile(page, source)
  const status = page.getByRole('status', { name: 'Document status' })
  await expect(status).toContainText(`${rules} rules`)
  const dialog = page.getByRole('dialog')
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: /Close|Open|OK/ }).first().click()

  const utf8 = await exportPolicy(page)
  expect(notesOf(utf8.bytes.toString('utf-8'))).toEqual(expected)
  const utf16 = await exportPolicy(page, 'Export as UTF-16 LE (as Windows writes)')
  expect(notesOf(utf16.bytes.subarray(2).toString('utf16le'))).toEqual(expected)

  // The policy kept in the browser keeps them too.
  await page.reload()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText(`${rules} rules`)
  const again = await exportPolicy(page)
  expect(notesOf(again.bytes.toString('utf-8'))).toEqual(expected)
})
