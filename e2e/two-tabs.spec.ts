import { expect, test, type Page } from '@playwright/test'
import { openFresh } from './helpers'

// Two tabs editing at once: saves are compare-and-set on a revision, so a tab whose copy is stale
// never overwrites a newer save. It says so and offers Keep theirs / Keep mine / Open mine as a copy,
// and its undo history stays.
const status = (p: Page) => p.getByRole('status', { name: 'Document status' })
const DEFAULTS = { Exe: 3, Msi: 3, Script: 3, Dll: 3, Appx: 1 } as const
const TAB = { Exe: /Executable Rules/, Msi: /Windows Installer Rules/, Script: /Script Rules/, Dll: /DLL Rules/, Appx: /Packaged app Rules/ } as const
type T = keyof typeof DEFAULTS

/**
 * Tab B is busy (a long task) while tab A adds the default rules of `a` and saves; at the end of
 * its busy stretch B adds the default rules of `b` to its stale copy and tries to save it.
 */
async function race(a: Page, b: Page, ta: T, tb: T): Promise<void> {
  await b.getByRole('tab', { name: TAB[tb] }).click()
  await a.getByRole('tab', { name: TAB[ta] }).click()
  const busy = b.evaluate(() => {
    const end = Date.now() + 8_000
    while (Date.now() < end) {
      /* a busy tab: a long computation, a slow extension, a frozen background tab */
    }
    ;[...document.querySelectorAll('button')].find((x) => x.textContent === 'Create Default Rules')!.click()
  })
  await a.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status(a)).toContainText('saved in this browser')
  await busy
}

test('a stale tab never overwrites a newer save: keep theirs, keep mine, or open mine as a copy', async ({ page: a, context }) => {
  test.slow()
  await openFresh(a)
  await a.getByRole('button', { name: 'New policy' }).click()
  await expect(status(a)).toContainText('saved in this browser · 0 rules')
  const b = await context.newPage()
  await b.goto('/')
  await expect(status(b)).toContainText('saved in this browser · 0 rules')
  const conflict = b.getByRole('alert').filter({ hasText: 'Another tab saved a newer version' })
  const tab = (p: Page, t: T) => p.getByRole('tab', { name: TAB[t] })

  // Round 1: B is stale. It does not write; it says so, and its edit is still there to undo.
  await race(a, b, 'Exe', 'Script')
  await expect(conflict).toBeVisible()
  await expect(status(b)).toContainText(`not saved: another tab saved a newer version · ${DEFAULTS.Script} rules`)
  await expect(tab(b, 'Script')).toContainText(String(DEFAULTS.Script))
  await expect(b.getByRole('button', { name: 'Undo' })).toBeEnabled()
  // A's save is intact: a reload of A still shows it.
  await a.reload()
  await expect(status(a)).toContainText(`saved in this browser · ${DEFAULTS.Exe} rules`)
  await expect(tab(a, 'Exe')).toContainText(String(DEFAULTS.Exe))

  // Keep theirs: B shows A's version; Undo in B brings B's own edit back.
  await conflict.getByRole('button', { name: 'Keep theirs' }).click()
  await expect(conflict).toBeHidden()
  await expect(status(b)).toContainText(`saved in this browser · ${DEFAULTS.Exe} rules`)
  await expect(tab(b, 'Exe')).toContainText(String(DEFAULTS.Exe))
  await b.getByRole('button', { name: 'Undo' }).click()
  // That undo is an edit like any other: it is saved and A follows it.
  await expect(status(b)).toContainText(`saved in this browser · ${DEFAULTS.Script} rules`)
  await expect(tab(b, 'Script')).toContainText(String(DEFAULTS.Script))
  await expect(tab(a, 'Script')).toContainText(String(DEFAULTS.Script))
  await a.getByRole('button', { name: 'Dismiss' }).click()
  let base = DEFAULTS.Script

  // Round 2: Keep mine. B's version is saved; A follows it and can undo back to its own.
  await race(a, b, 'Appx', 'Dll')
  await expect(conflict).toBeVisible()
  await conflict.getByRole('button', { name: 'Keep mine' }).click()
  await expect(status(b)).toContainText(`saved in this browser · ${base + DEFAULTS.Dll} rules`)
  await expect(status(a)).toContainText(`${base + DEFAULTS.Dll} rules`)
  await expect(a.getByRole('alert').filter({ hasText: 'changed in another tab' })).toBeVisible()
  await a.getByRole('button', { name: 'Undo' }).click()
  await expect(status(a)).toContainText(`saved in this browser · ${base + DEFAULTS.Appx} rules`)
  await expect(status(b)).toContainText(`${base + DEFAULTS.Appx} rules`)
  base += DEFAULTS.Appx

  // Round 3: Open mine as a copy. The saved version stays A's; B keeps its edit as a separate copy,
  // says it is not saved, and asks before leaving.
  await race(a, b, 'Msi', 'Exe')
  await expect(conflict).toBeVisible()
  await conflict.getByRole('button', { name: 'Open mine as a copy' }).click()
  await expect(status(b)).toContainText(`not saved: a copy in this tab only; export it to keep it · ${base + DEFAULTS.Exe} rules`)
  await expect(tab(b, 'Exe')).toContainText(String(DEFAULTS.Exe))
  await expect(b.getByText('(copy)').first()).toBeVisible()
  await a.reload()
  await expect(status(a)).toContainText(`saved in this browser · ${base + DEFAULTS.Msi} rules`)
  await expect(tab(a, 'Msi')).toContainText(String(DEFAULTS.Msi))
  // Later edits of the copy are not written over A's save either.
  await b.getByRole('tab', { name: TAB.Dll }).click()
  await b.getByRole('button', { name: 'Create Default Rules' }).click()
  await expect(status(b)).toContainText(`not saved: a copy in this tab only; export it to keep it · ${base + DEFAULTS.Exe + DEFAULTS.Dll} rules`)
  await a.reload()
  await expect(status(a)).toContainText(`saved in this browser · ${base + DEFAULTS.Msi} rules`)
  const dialog = b.waitForEvent('dialog')
  await b.close({ runBeforeUnload: true })
  const d = await dialog
  expect(d.type()).toBe('beforeunload')
  await d.dismiss()
  // Staying kept the copy; then the tab closes without asking, so the context's teardown has no unload pending.
  await expect(status(b)).toContainText('not saved: a copy in this tab only')
  await b.close({ runBeforeUnload: false })
})
