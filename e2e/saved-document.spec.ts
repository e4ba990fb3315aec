import { expect, test, type Page } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import { generatePolicy } from '../src/testing/generate'
import { writePolicyXml } from '../src/applocker/xml/write'
import { importPolicyFile, openFresh } from './helpers'

// A save that cannot be read never breaks the app and is never lost: an empty policy opens, the
// raw text is kept aside (downloadable) and is not overwritten without the user's word.
const KEY = 'applocker-workbench.document'
const status = (p: Page) => p.getByRole('status', { name: 'Document status' })
const v1 = (state: unknown) => JSON.stringify({ state, version: 1 })
const goodV1 = v1({ policy: { version: '1', collections: [] }, name: 'x', dirty: false })

const BAD: [string, string, RegExp][] = [
  ['"policy":null', v1({ policy: null, name: 'Broken', dirty: false }), /policy: expected an object, found null/],
  ['collections:"x"', v1({ policy: { version: '1', collections: 'x' }, name: 'Broken', dirty: false }), /policy\.collections: expected an array/],
  ['rules:[null]', v1({ policy: { version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules: [null] }] }, name: 'Broken', dirty: false }), /rules\[0\]: expected an object, found null/],
  ['garbage', 'this is not JSON {', /not valid JSON/],
  ['truncated JSON', goodV1.slice(0, 40), /cut short/],
  ['a save from a newer version', JSON.stringify({ revision: 9, version: 99, state: {} }), /newer version of this app/],
  ['a dangling IndexedDB pointer', JSON.stringify({ __indexedDb: 'gone', revision: 12345 }), /points to IndexedDB, where nothing is stored/],
]

async function openWithSaved(page: Page, raw: string): Promise<void> {
  await openFresh(page)
  await page.evaluate(
    ([key, value]) =>
      new Promise<void>((resolve) => {
        // Nothing of the previous session in IndexedDB either (so the pointer really dangles).
        const req = indexedDB.deleteDatabase('applocker-workbench')
        req.onsuccess = req.onerror = req.onblocked = () => {
          localStorage.setItem(key, value)
          resolve()
        }
      }),
    [KEY, raw],
  )
  await page.reload()
}

for (const [label, raw, reason] of BAD) {
  test(`a saved value with ${label} opens an empty policy and keeps the raw copy`, async ({ page }) => {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await openWithSaved(page, raw)
    const notice = page.getByRole('alert', { name: 'A saved policy could not be opened' })
    await expect(notice).toContainText('A saved policy could not be opened')
    await expect(notice).toContainText(reason)
    await expect(status(page)).toContainText('saved in this browser · 0 rules')
    await expect(page.getByRole('tab', { name: /Executable Rules/ })).toBeVisible()

    // The raw copy downloads exactly as it was found.
    const download = page.waitForEvent('download')
    await notice.getByRole('button', { name: 'Download the unreadable save' }).click()
    expect(readFileSync(await (await download).path(), 'utf-8')).toBe(raw)

    // It is kept across reloads until deleted; the slot itself now holds a readable save.
    await page.reload()
    await expect(page.getByRole('alert', { name: 'A saved policy could not be opened' })).toContainText(reason)
    await expect(page.getByRole('alert', { name: 'A saved policy could not be opened' })).toHaveCount(1)
    await expect(status(page)).toContainText('saved in this browser · 0 rules')
    await page.getByRole('alert', { name: 'A saved policy could not be opened' }).getByRole('button', { name: 'Delete it' }).click()
    await expect(page.getByRole('alert', { name: 'A saved policy could not be opened' })).toHaveCount(0)
    await page.reload()
    await expect(status(page)).toContainText('saved in this browser · 0 rules')
    await expect(page.getByRole('alert', { name: 'A saved policy could not be opened' })).toHaveCount(0)
    expect(errors).toEqual([])
  })
}

test('an unreadable value written by another tab leaves this tab as it was', async ({ page, context }) => {
  await openFresh(page)
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  const other = await context.newPage()
  await other.goto('/')
  await expect(status(other)).toContainText('16 rules')
  await other.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, BAD[0][1]])
  await expect(page.getByRole('alert').filter({ hasText: 'Another tab saved a policy this tab cannot read' })).toBeVisible()
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toContainText('6')
  // This tab's policy took the slot back once the unreadable text was copied aside: a reload opens it.
  await other.reload()
  await expect(status(other)).toContainText('16 rules')
  await expect(other.getByRole('alert', { name: 'A saved policy could not be opened' })).toContainText('expected an object, found null')
})

test('an unreadable save that cannot be copied aside is not overwritten until the user says so', async ({ page }) => {
  // A hardened browser without IndexedDB, and a save too large to be copied within localStorage's quota.
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('IndexedDB is disabled', 'SecurityError')
      },
    })
  })
  await page.goto('/')
  const raw = `{"state":{"policy":null,"name":"${'x'.repeat(3_000_000)}"},"version":1}`
  await page.evaluate(([key, value]) => {
    localStorage.clear()
    localStorage.setItem(key, value)
  }, [KEY, raw])
  await page.reload()
  await expect(page.getByRole('alert', { name: 'A saved policy could not be opened' })).toContainText('could not be copied aside')
  await expect(status(page)).toContainText('not saved: an unreadable saved policy is kept')
  await page.getByRole('button', { name: 'New policy' }).click()
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await page.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status(page)).toContainText('3 rules')
  expect(await page.evaluate((key) => localStorage.getItem(key)?.length, KEY)).toBe(raw.length)
  // Deleting it is the user's word: the policy is saved in its place.
  await page.getByRole('alert', { name: 'A saved policy could not be opened' }).getByRole('button', { name: 'Delete it' }).click()
  await expect(status(page)).toContainText('saved in this browser · 3 rules')
  expect(await page.evaluate((key) => localStorage.getItem(key)?.length, KEY)).toBeLessThan(10_000)
})

test('a failure while drawing shows the error with "Download the policy" and "Start over", never a blank page', async ({ page }) => {
  await openFresh(page)
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  // An unexpected failure in rendering (here: formatting the number 0 breaks, so showing "0 rules" fails).
  // Counts are formatted by one Intl.NumberFormat (src/lib/plural.ts count()), whose format getter is replaced.
  await page.evaluate(() => {
    const original = Object.getOwnPropertyDescriptor(Intl.NumberFormat.prototype, 'format')!
    ;(window as unknown as { restore: () => void }).restore = () => Object.defineProperty(Intl.NumberFormat.prototype, 'format', original)
    Object.defineProperty(Intl.NumberFormat.prototype, 'format', {
      configurable: true,
      get(this: Intl.NumberFormat) {
        const format = original.get!.call(this) as (n: number) => string
        return (n: number) => {
          if (Number(n) === 0) throw new Error('number formatting failed')
          return format(n)
        }
      },
    })
  })
  // Showing "0 rules" after New policy fails (or an earlier redraw that formats a 0 does, before the click lands).
  await page
    .getByRole('button', { name: 'New policy' })
    .click({ timeout: 5_000 })
    .catch(() => undefined)
  const fallback = page.getByRole('alert')
  await expect(fallback).toContainText('Something went wrong')
  await expect(fallback).toContainText('number formatting failed')
  await page.evaluate(() => (window as unknown as { restore: () => void }).restore())

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download the policy' }).click()
  const d = await download
  expect(d.suggestedFilename()).toMatch(/\.xml$/)
  expect(readFileSync(await d.path(), 'utf-8')).toContain('<AppLockerPolicy Version="1"')

  await page.getByRole('button', { name: 'Start over' }).click()
  await expect(status(page)).toContainText('0 rules')
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toBeVisible()
  // The policy that was open when it failed is kept aside.
  await expect(page.getByRole('alert', { name: 'A saved policy could not be opened' })).toContainText('the app failed while showing')
})

test('where touching IndexedDB throws, a policy too large for localStorage says "not saved" and leaving asks first', async ({ page }, info) => {
  test.slow()
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('IndexedDB is disabled', 'SecurityError')
      },
    })
  })
  await openFresh(page)
  // Small enough for localStorage: saved there.
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  const file = info.outputPath('large.xml')
  writeFileSync(file, writePolicyXml(generatePolicy(20_000, 3)))
  await importPolicyFile(page, file)
  await expect(status(page)).toContainText('not saved', { timeout: 60_000 })
  await expect(status(page)).toContainText('refused to store the policy')
  const dialog = page.waitForEvent('dialog')
  await page.close({ runBeforeUnload: true })
  const d = await dialog
  expect(d.type()).toBe('beforeunload')
  await d.dismiss()
  // Staying kept the page; then it closes without asking, so the context's teardown has no unload pending.
  await expect(status(page)).toContainText('not saved')
  await page.close({ runBeforeUnload: false })
})

test('"saved in this browser" shows only once the IndexedDB write has completed', async ({ page }) => {
  // Writes that never commit (the transaction is aborted after the data was handed over).
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = put.apply(this, args)
      if ((window as unknown as { failWrites?: boolean }).failWrites) this.transaction.abort()
      return request
    }
  })
  await openFresh(page)
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  await page.evaluate(() => ((window as unknown as { failWrites: boolean }).failWrites = true))
  await page.getByRole('button', { name: 'New policy' }).click()
  await expect(status(page)).toContainText('not saved: this browser refused to store the policy (AbortError)')
  await expect(status(page)).not.toContainText('saved in this browser')
  // Writes work again: the next edit is saved, and said to be.
  await page.evaluate(() => ((window as unknown as { failWrites: boolean }).failWrites = false))
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await page.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status(page)).toContainText('saved in this browser · 3 rules')
  await page.reload()
  await expect(status(page)).toContainText('saved in this browser · 3 rules')
})
