import { expect, test } from '@playwright/test'
import { createHash } from 'node:crypto'
import { closeSync, copyFileSync, createReadStream, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import AxeBuilder from '@axe-core/playwright'
import { ensurePeFixtures, fixtureDigests } from '../src/testing/pe-fixtures'
import { exportPolicy, newEmptyPolicy } from './helpers'

// What scripts/fixtures/build-pe.sh puts into the signed files.
const PUBLISHER = 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH'

let dir: string
let digests: ReturnType<typeof fixtureDigests>

test.beforeAll(() => {
  dir = ensurePeFixtures()
  digests = fixtureDigests(dir)
})


interface XmlRule {
  collection: string
  kind: string
  name: string
  sid: string
  publisher?: { PublisherName: string; ProductName: string; BinaryName: string; low: string; high: string }
  hashes?: { data: string; name: string; length: string }[]
}

function rulesOf(xml: string): XmlRule[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['RuleCollection', 'FilePublisherRule', 'FileHashRule', 'FilePathRule', 'FileHash'].includes(n) })
  const doc = parser.parse(xml)
  const out: XmlRule[] = []
  for (const c of doc.AppLockerPolicy.RuleCollection ?? []) {
    for (const r of c.FilePublisherRule ?? []) {
      const p = r.Conditions.FilePublisherCondition
      out.push({
        collection: c.Type,
        kind: 'publisher',
        name: r.Name,
        sid: r.UserOrGroupSid,
        publisher: { PublisherName: p.PublisherName, ProductName: p.ProductName, BinaryName: p.BinaryName, low: p.BinaryVersionRange.LowSection, high: p.BinaryVersionRange.HighSection },
      })
    }
    for (const r of c.FileHashRule ?? []) {
      const hashes = r.Conditions.FileHashCondition.FileHash.map((h: Record<string, string>) => ({ data: h.Data, name: h.SourceFileName, length: h.SourceFileLength }))
      out.push({ collection: c.Type, kind: 'hash', name: r.Name, sid: r.UserOrGroupSid, hashes })
    }
  }
  return out
}

test('pick signed and unsigned programs and a script, generate rules, review, add, export', async ({ page }) => {
  await newEmptyPolicy(page)
  await page.getByRole('button', { name: 'Automatically Generate Rules...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Automatically Generate Rules' })
  await expect(dialog).toBeVisible()

  const names = ['hello64-signed.exe', 'hello64.exe', 'probe64.dll', 'hello.ps1', 'truncated.exe']
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Choose files...' }).click()
  const fc = await chooser
  expect(fc.isMultiple()).toBe(true)
  await fc.setFiles(names.map((n) => join(dir, n)))
  await expect(dialog.getByRole('status', { name: 'Selected files' })).toContainText('5 files chosen')

  await dialog.getByRole('combobox', { name: 'User or group' }).selectOption('S-1-5-32-545')
  await expect(dialog.getByRole('radio', { name: 'Publisher rules where signed, hash rules otherwise' })).toBeChecked()
  // Without grouping: one hash rule per unsigned file.
  await dialog.getByRole('checkbox', { name: /Group similar files/ }).uncheck()
  await dialog.getByRole('button', { name: 'Analyze files' }).click()

  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  await expect(table).toBeVisible({ timeout: 30_000 })
  const throughput = await dialog.getByLabel('Throughput').textContent()
  console.log(`generate e2e: ${throughput}`)
  expect(throughput).toMatch(/Read 5 files, .* MB\/s/)

  const rows = table.getByRole('row')
  // The DLL collection is off: no DLL rule until the user asks for one (issue 16 item 9).
  await expect(rows).toHaveCount(1 + 3)
  await expect(dialog.getByText('1 of the files is a DLL, and the DLL rule collection is off')).toBeVisible()
  await dialog.getByRole('checkbox', { name: 'Create DLL rules too (turns the DLL rule collection on)' }).check()
  await expect(dialog.getByRole('checkbox', { name: 'Also add the default DLL rules (recommended)' })).toBeChecked()
  await expect(rows).toHaveCount(1 + 4)
  await expect(table).toContainText(`HELLO.EXE, version 1.2.3.4 and above, in PROBE PRODUCT, from ${PUBLISHER}`)
  for (const n of ['hello64.exe', 'probe64.dll', 'hello.ps1']) await expect(table.getByRole('cell', { name: `${n} 1 file`, exact: true })).toBeVisible()
  // The truncated program is reported, not turned into a rule; the unsigned files say why they got hash rules.
  const problems = dialog.getByRole('list', { name: 'File problems' })
  await expect(problems).toContainText('truncated.exe')
  await expect(problems).toContainText('hello64.exe: No publisher (it is not signed)')

  // The dialog with its review table has no serious accessibility problems.
  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').exclude('[data-tabster-dummy]').analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([])

  // Untick all, then tick all again.
  await dialog.getByRole('checkbox', { name: 'Add all rules' }).click()
  await expect(dialog.getByRole('button', { name: 'Add rules' })).toBeDisabled()
  await dialog.getByRole('checkbox', { name: 'Add all rules' }).click()
  await expect(dialog.getByText('Proposed rules (4, 4 chosen)')).toBeVisible()

  // Review: leave the script's rule out.
  await dialog.getByRole('checkbox', { name: 'Add rule hello.ps1' }).uncheck()
  await dialog.getByRole('button', { name: 'Add rules' }).click()
  await expect(dialog).toBeHidden()
  // Three generated rules and the three default DLL rules.
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('6 rules')

  const { bytes } = await exportPolicy(page, 'Export as UTF-8')
  const rules = rulesOf(bytes.toString('utf8')).sort((a, b) => `${a.collection}|${a.kind}`.localeCompare(`${b.collection}|${b.kind}`))
  const size = (n: string) => String(statSync(join(dir, n)).size)
  const hex = (n: string) => `0x${digests.get(n)!.authenticode}`
  expect(rules).toEqual([
    {
      collection: 'Dll',
      kind: 'hash',
      name: 'probe64.dll',
      sid: 'S-1-5-32-545',
      hashes: [{ data: hex('probe64.dll'), name: 'probe64.dll', length: size('probe64.dll') }],
    },
    { collection: 'Exe', kind: 'hash', name: 'hello64.exe', sid: 'S-1-5-32-545', hashes: [{ data: hex('hello64.exe'), name: 'hello64.exe', length: size('hello64.exe') }] },
    {
      collection: 'Exe',
      kind: 'publisher',
      name: `HELLO.EXE, version 1.2.3.4 and above, in PROBE PRODUCT, from ${PUBLISHER}`,
      sid: 'S-1-5-32-545',
      publisher: { PublisherName: PUBLISHER, ProductName: 'PROBE PRODUCT', BinaryName: 'HELLO.EXE', low: '1.2.3.4', high: '*' },
    },
  ])

  // One undoable edit.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('0 rules')
})

test('grouping similar files: one publisher rule per product, one hash rule per collection with several hashes', async ({ page }) => {
  await newEmptyPolicy(page)
  await page.getByRole('button', { name: 'Automatically Generate Rules...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Automatically Generate Rules' })
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Choose files...' }).click()
  await (await chooser).setFiles(['hello64-signed.exe', 'hello64.exe', 'hello64-symbols.exe', 'hello.ps1'].map((n) => join(dir, n)))
  await expect(dialog.getByRole('checkbox', { name: /Group similar files/ })).toBeChecked()
  await dialog.getByRole('button', { name: 'Analyze files' }).click()
  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  await expect(table.getByRole('row')).toHaveCount(1 + 3, { timeout: 30_000 })
  await dialog.getByRole('button', { name: 'Add rules' }).click()
  const rules = rulesOf((await exportPolicy(page, 'Export as UTF-8')).bytes.toString('utf8'))
  const exe = rules.filter((r) => r.collection === 'Exe')
  // Named and bounded as Windows-made grouped rules are: the lowest version's first two parts (1.2.3.4 -> 1.2.0.0) and above.
  expect(exe.map((r) => r.name)).toEqual([`PROBE PRODUCT signed by ${PUBLISHER}`, 'hello64.exe, hello64-symbols.exe'])
  expect(exe[0].publisher).toMatchObject({ BinaryName: '*', low: '1.2.0.0', high: '*' })
  expect(exe[1].hashes!.map((h) => h.data)).toEqual([`0x${digests.get('hello64.exe')!.authenticode}`, `0x${digests.get('hello64-symbols.exe')!.authenticode}`])
  const script = rules.filter((r) => r.collection === 'Script')
  expect(script[0].hashes![0].data).toBe(`0x${digests.get('hello.ps1')!.flat.toUpperCase()}`)
  expect(script[0].sid).toBe('S-1-1-0')
})

test('a large selection shows progress, can be cancelled, and reports throughput', async ({ page }, testInfo) => {
  test.setTimeout(180_000)
  // Four 256 MB scripts (flat SHA-256, different contents) and a signed program: long enough to cancel.
  const big = testInfo.outputPath('big')
  mkdirSync(big, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < 4; i++) {
    const f = join(big, `big${i}.ps1`)
    const chunk = Buffer.alloc(1 << 20, `Write-Output "hello ${i}"\r\n`)
    const fd = openSync(f, 'w')
    for (let m = 0; m < 256; m++) writeSync(fd, chunk)
    closeSync(fd)
    files.push(f)
  }
  files.push(join(dir, 'hello64-signed.exe'))

  await newEmptyPolicy(page)
  await page.getByRole('button', { name: 'Automatically Generate Rules...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Automatically Generate Rules' })
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Choose files...' }).click()
  await (await chooser).setFiles(files)

  // Cancel as soon as the progress bar shows.
  await dialog.getByRole('button', { name: 'Analyze files' }).click()
  await expect(dialog.getByRole('progressbar', { name: 'Hashing progress' })).toBeVisible()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog.getByText('Cancelled: no rules were proposed.')).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Add rules' })).toBeDisabled()

  // Then the whole run, with its throughput.
  await dialog.getByRole('button', { name: 'Analyze files' }).click()
  await expect(dialog.getByRole('table', { name: 'Proposed rules' })).toBeVisible({ timeout: 90_000 })
  const throughput = (await dialog.getByLabel('Throughput').textContent()) ?? ''
  console.log(`generate e2e (large): ${throughput}`)
  expect(throughput).toMatch(/Read 5 files, 1\.07 GB in [\d.]+ s \([\d.]+ MB\/s\)/)
  const h = createHash('sha256')
  for await (const part of createReadStream(files[3])) h.update(part as Buffer)
  await expect(dialog.getByRole('table', { name: 'Proposed rules' })).toContainText(`0x${h.digest('hex').toUpperCase()}`)
  rmSync(big, { recursive: true, force: true })
})

test('a folder gives path rules under the folder chosen for the target computers', async ({ page }, testInfo) => {
  const root = testInfo.outputPath('ProbeApp')
  mkdirSync(join(root, 'bin'), { recursive: true })
  for (const [from, to] of [
    ['hello64.exe', 'bin/hello.exe'],
    ['hello64-signed.exe', 'bin/hello-signed.exe'],
    ['hello.ps1', 'setup.ps1'],
  ])
    copyFileSync(join(dir, from), join(root, to))

  await newEmptyPolicy(page)
  await page.getByRole('button', { name: 'Automatically Generate Rules...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Automatically Generate Rules' })
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Choose a folder...' }).click()
  await (await chooser).setFiles(root)
  await expect(dialog.getByRole('status', { name: 'Selected files' })).toContainText('3 files chosen')
  await dialog.getByRole('radio', { name: 'Path rules' }).check()
  await dialog.getByRole('textbox', { name: 'Folder the files are in on the computers' }).fill('%PROGRAMFILES%\\Contoso')
  await dialog.getByRole('button', { name: 'Analyze files' }).click()
  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  await expect(table.getByRole('row')).toHaveCount(1 + 2)
  await expect(table).toContainText('%PROGRAMFILES%\\Contoso\\ProbeApp\\bin\\*')
  await expect(table).toContainText('%PROGRAMFILES%\\Contoso\\ProbeApp\\setup.ps1')
  await dialog.getByRole('button', { name: 'Add rules' }).click()
  const xml = (await exportPolicy(page, 'Export as UTF-8')).bytes.toString('utf8')
  expect(xml).toContain('<FilePathCondition Path="%PROGRAMFILES%\\Contoso\\ProbeApp\\bin\\*"')
  expect(xml).toContain('<FilePathCondition Path="%PROGRAMFILES%\\Contoso\\ProbeApp\\setup.ps1"')
})

test('thousands of ungrouped files: the review table is virtualized and keeps its checkboxes', async ({ page }, testInfo) => {
  const N = 2000
  const root = testInfo.outputPath('Scripts')
  mkdirSync(root, { recursive: true })
  for (let i = 0; i < N; i++) {
    const fd = openSync(join(root, `script-${String(i).padStart(4, '0')}.ps1`), 'w')
    writeSync(fd, `Write-Output ${i}\r\n`)
    closeSync(fd)
  }
  await newEmptyPolicy(page)
  await page.getByRole('button', { name: 'Automatically Generate Rules...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Automatically Generate Rules' })
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Choose a folder...' }).click()
  await (await chooser).setFiles(root)
  await expect(dialog.getByRole('status', { name: 'Selected files' })).toContainText('2,000 files chosen')
  await dialog.getByRole('checkbox', { name: /Group similar files/ }).uncheck()
  await dialog.getByRole('button', { name: 'Analyze files' }).click()
  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  await expect(table).toBeVisible({ timeout: 60_000 })
  await expect(dialog.getByText(`Proposed rules (${N}, ${N} chosen)`)).toBeVisible()
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 1))

  // Only the rows in view (plus a few) are in the DOM.
  const inDom = await table.getByRole('row').count()
  expect(inDom).toBeGreaterThan(1)
  expect(inDom).toBeLessThan(60)
  const rowAt = (index: number) => table.getByRole('row').and(page.locator(`[aria-rowindex="${index}"]`))
  // The picked folder's name is the set's name, the prefix of every rule's name (as in the snap-in).
  await expect(rowAt(2).getByRole('checkbox', { name: /^Add rule Scripts: script-\d{4}\.ps1$/ })).toBeChecked()
  await expect(rowAt(N + 1)).toHaveCount(0)

  // Scroll to the end: the last rule's row and its named checkbox come into the DOM; untick it.
  await table.evaluate((t) => {
    const scroller = t.parentElement!
    scroller.scrollTop = scroller.scrollHeight
  })
  const last = rowAt(N + 1).getByRole('checkbox', { name: /^Add rule Scripts: script-\d{4}\.ps1$/ })
  await expect(last).toBeChecked()
  await expect(rowAt(2)).toHaveCount(0)
  expect(await table.getByRole('row').count()).toBeLessThan(60)
  await last.uncheck()
  await expect(dialog.getByText(`Proposed rules (${N}, ${N - 1} chosen)`)).toBeVisible()
  await expect(dialog.getByRole('checkbox', { name: 'Add all rules' })).toBeChecked({ indeterminate: true })

  await dialog.getByRole('button', { name: 'Add rules' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText(`${(N - 1).toLocaleString('en-US')} rules`)
  rmSync(root, { recursive: true, force: true })
})

test('the DLL collection stays off unless asked; one collection at a time; the name of the set prefixes the rule names', async ({ page }) => {
  await newEmptyPolicy(page)
  await page.getByRole('button', { name: 'Automatically Generate Rules...' }).click()
  const dialog = page.getByRole('dialog', { name: 'Automatically Generate Rules' })
  const chooser = page.waitForEvent('filechooser')
  await dialog.getByRole('button', { name: 'Choose files...' }).click()
  await (await chooser).setFiles(['hello64.exe', 'probe64.dll', 'hello.ps1'].map((n) => join(dir, n)))
  // DLL Rules is not offered while the DLL collection is off.
  const scope = dialog.getByRole('combobox', { name: 'Generate rules for' })
  await expect(scope.getByRole('option')).toHaveText(['All collections', 'Executable Rules', 'Windows Installer Rules', 'Script Rules', 'Packaged app Rules'])
  await dialog.getByRole('button', { name: 'Analyze files' }).click()
  const table = dialog.getByRole('table', { name: 'Proposed rules' })
  await expect(table).toBeVisible({ timeout: 30_000 })
  // The DLL is not turned into a rule; the dialog says what DLL rules would mean.
  await expect(dialog.getByText('1 of the files is a DLL, and the DLL rule collection is off')).toBeVisible()
  await expect(dialog).toContainText('slows every program start')
  await expect(dialog).toContainText('without the default DLL rules')
  await expect(dialog.getByRole('checkbox', { name: 'Create DLL rules too (turns the DLL rule collection on)' })).not.toBeChecked()
  await expect(table.getByRole('row')).toHaveCount(1 + 2)
  await expect(dialog.getByRole('list', { name: 'File problems' })).toContainText('probe64.dll: Left out: a file of DLL Rules')

  // Script Rules only, with the name of the set.
  await scope.selectOption({ label: 'Script Rules' })
  await dialog.getByRole('textbox', { name: 'Name to identify this set of rules' }).fill('Contoso')
  await expect(table.getByRole('row')).toHaveCount(1 + 1)
  await expect(table.getByRole('checkbox', { name: 'Add rule Contoso: hello.ps1' })).toBeChecked()
  await expect(dialog.getByRole('list', { name: 'File problems' })).toContainText('hello64.exe: Left out: a file of Executable Rules, and rules are generated for Script Rules only.')
  await dialog.getByRole('button', { name: 'Add rules' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status', { name: 'Document status' })).toContainText('1 rule')

  // The DLL collection is as it was: off, no rules.
  const dllTab = page.getByRole('tab', { name: /DLL Rules/ })
  await expect(dllTab).toContainText('off')
  await expect(dllTab).toHaveAccessibleName(/\b0 rules$/)
  const rules = rulesOf((await exportPolicy(page, 'Export as UTF-8')).bytes.toString('utf8'))
  expect(rules.map((r) => [r.collection, r.name])).toEqual([['Script', 'Contoso: hello.ps1']])
})
