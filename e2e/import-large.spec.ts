import { expect, test, type Page } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import { generatePolicy } from '../src/testing/generate'
import { writePolicyXml } from '../src/applocker/xml/write'
import { exportPolicy, importPolicyFile, openFresh, ruleIds } from './helpers'

// Import reads in a Worker: the page stays responsive while a large policy opens, until the policy is
// drawn, saved, validated and counted. The figures are printed; the bounds checked here are generous
// (a loaded machine), the target is under 100 ms.
const status = (p: Page) => p.getByRole('status', { name: 'Document status' })

async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] }
    w.longTasks = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask', buffered: true })
    // When the import's progress panel shows and goes: the stretch in which the file is read.
    const r = window as unknown as { reading: { from: number; to: number } | null }
    r.reading = null
    new MutationObserver(() => {
      const shown = document.querySelector('[role="dialog"][aria-label^="Importing"]') !== null
      if (shown && (!r.reading || r.reading.to > 0)) r.reading = { from: performance.now(), to: 0 }
      if (!shown && r.reading && r.reading.to === 0) r.reading.to = performance.now()
    }).observe(document, { childList: true, subtree: true })
    // When the app is drawn in place of index.html's "Opening the policy saved in this browser...".
    const d = window as unknown as { drawnAt: number }
    d.drawnAt = 0
    const drawn = new MutationObserver(() => {
      const root = document.getElementById('root')
      if (!root || root.querySelector(':scope > p')?.textContent?.startsWith('Opening the policy saved')) return
      d.drawnAt = performance.now()
      drawn.disconnect()
    })
    drawn.observe(document, { childList: true, subtree: true })
  })
}

/** The longest task while the file was being read (the progress panel shown), and the longest overall since `since`. */
const longest = (page: Page, since: number) =>
  page.evaluate((t) => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; reading: { from: number; to: number } | null }
    const r = w.reading ?? { from: t, to: performance.now() }
    const during = w.longTasks.filter((e) => e.start >= r.from && e.start + e.duration <= (r.to || performance.now()))
    return { reading: Math.max(0, ...during.map((e) => e.duration)), overall: Math.max(0, ...w.longTasks.filter((e) => e.start >= t).map((e) => e.duration)) }
  }, since)

/** Picks the file in Import policy's file chooser, without waiting for it to open (the progress is watched). */
async function startImport(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import policy' }).click()
  await (await chooser).setFiles(file)
}

/** Waits until the page has run no long task for `quietMs` (the save, validation and review count are done). */
async function settle(page: Page, quietMs = 3_000): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate((quiet) => {
          const w = window as unknown as { longTasks: { start: number; duration: number }[] }
          const last = Math.max(0, ...w.longTasks.map((e) => e.start + e.duration))
          return performance.now() - last > quiet
        }, quietMs),
      { timeout: 120_000, intervals: [500] },
    )
    .toBe(true)
}

test('a 50,000-rule policy opens without freezing the page', async ({ page }, info) => {
  test.slow()
  const file = info.outputPath('policy-50000.xml')
  writeFileSync(file, writePolicyXml(generatePolicy(50_000, 5)))
  await watchLongTasks(page)
  await openFresh(page)
  await expect(status(page)).toContainText('saved in this browser · 16 rules')
  const t0 = await page.evaluate(() => performance.now())
  await importPolicyFile(page, file)
  await expect(status(page)).toContainText('50,000 rules', { timeout: 60_000 })
  const opened = await page.evaluate(() => performance.now())
  // Until it is saved in the browser, validated and counted by Review (in Workers), and the page is quiet.
  await expect(status(page)).toContainText('saved in this browser · 50,000 rules', { timeout: 60_000 })
  await settle(page)
  const tasks = await longest(page, t0)
  console.log(
    `50,000-rule import: opened in ${Math.round(opened - t0)} ms; longest main-thread task while reading ${Math.round(tasks.reading)} ms, from the click to a quiet page (first drawing, save, validation, review count) ${Math.round(tasks.overall)} ms (target 100 ms)`,
  )
  // The target is 100 ms on a quiet machine; the bound leaves room for a loaded 2-core one (about 150-250 ms
  // measured at a load of 14 on 2 cores, 529 ms once beside another e2e worker; 4,172 ms before validation and
  // serialisation left the page's thread): a freeze of seconds fails it, a busy CI machine does not.
  expect(tasks.reading).toBeLessThan(1500)
  expect(tasks.overall).toBeLessThan(1500)

  // Export: a policy this large is written in the review Worker; the download holds every rule and
  // the page is marked saved (no "not exported" question).
  const t1 = await page.evaluate(() => performance.now())
  const exported = await exportPolicy(page, 'Export as UTF-16 LE')
  const text = new TextDecoder('utf-16le').decode(exported.bytes.subarray(2))
  expect([exported.bytes[0], exported.bytes[1]]).toEqual([0xff, 0xfe])
  expect(ruleIds(text)).toHaveLength(50_000)
  expect(ruleIds(text)).toEqual(ruleIds(readFileSync(file, 'utf-8')))
  const exporting = await longest(page, t1)
  console.log(`50,000-rule export (UTF-16 LE, ${(exported.bytes.length / 1e6).toFixed(1)} MB): longest main-thread task ${Math.round(exporting.overall)} ms (target 100 ms)`)
  expect(exporting.overall).toBeLessThan(1500)

  // Test a file: the policy is compiled in the decision Worker (on the page it froze it for 1.5-1.8 s when
  // the view opened, and again after each edit), and the decision comes when it is ready.
  const t2 = await page.evaluate(() => performance.now())
  await page.getByRole('tab', { name: 'Test a file' }).click()
  await page.getByRole('textbox', { name: 'Path' }).fill('C:\\Windows\\notepad.exe')
  await expect(page.getByRole('region', { name: 'Decision' }).getByLabel('Policy decision')).toHaveText(/^(Allowed|Denied|DeniedByDefault)$/, { timeout: 60_000 })
  const decided = await page.evaluate(() => performance.now())
  await settle(page)
  const testing = await longest(page, t2)
  console.log(`Test a file over 50,000 rules: decision shown ${Math.round(decided - t2)} ms after the tab opened; longest main-thread task ${Math.round(testing.overall)} ms (target 100 ms)`)
  expect(testing.overall).toBeLessThan(1500)
})

test('a saved 50,000-rule policy reopens after a reload without freezing the page', async ({ page }, info) => {
  test.slow()
  const file = info.outputPath('policy-50000.xml')
  writeFileSync(file, writePolicyXml(generatePolicy(50_000, 5)))
  await watchLongTasks(page)
  await openFresh(page)
  await importPolicyFile(page, file)
  await expect(status(page)).toContainText('saved in this browser · 50,000 rules', { timeout: 60_000 })
  await settle(page)

  // The reload: the page shows "Opening the policy saved in this browser..." until the save is read
  // (in the reader Worker), then draws the app; long tasks are counted from the navigation on.
  await page.reload()
  await expect(page.getByText('Opening the policy saved in this browser...').or(status(page)).first()).toBeVisible()
  await expect(status(page)).toContainText('saved in this browser · 50,000 rules', { timeout: 60_000 })
  await expect(page.getByTitle('policy-50000.xml', { exact: true })).toBeVisible()
  await settle(page)
  const tasks = await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; drawnAt: number }
    // Up to and including the task that draws the app.
    const opening = w.longTasks.filter((e) => e.start < w.drawnAt)
    return { drawnAt: w.drawnAt, opening: Math.max(0, ...opening.map((e) => e.duration)), overall: Math.max(0, ...w.longTasks.map((e) => e.duration)) }
  })
  console.log(
    `50,000-rule reload: app drawn ${Math.round(tasks.drawnAt)} ms after the navigation; longest main-thread task while the save was opened ${Math.round(tasks.opening)} ms, from the navigation to a quiet page (first drawing, validation, review count) ${Math.round(tasks.overall)} ms (target 100 ms)`,
  )
  expect(tasks.drawnAt).toBeGreaterThan(0)
  // Generous bounds for a loaded 2-core machine, as above: a parse of the save on the page's thread fails them.
  expect(tasks.opening).toBeLessThan(1500)
  expect(tasks.overall).toBeLessThan(1500)
})

test('a 100 MB policy opens with a progress bar, the page stays responsive, and Cancel leaves the open policy untouched', async ({ page }, info) => {
  test.setTimeout(300_000)
  const file = info.outputPath('policy-200000.xml')
  writeFileSync(file, writePolicyXml(generatePolicy(200_000, 6)))
  await watchLongTasks(page)
  await openFresh(page)
  await expect(status(page)).toContainText('saved in this browser · 16 rules')

  // Cancel: the open policy stays as it was.
  await startImport(page, file)
  const progress = page.getByRole('dialog', { name: 'Importing policy-200000.xml' })
  await expect(progress.getByRole('progressbar')).toBeVisible()
  await progress.getByRole('button', { name: 'Cancel' }).click()
  await expect(progress).toBeHidden()
  await expect(status(page)).toContainText('saved in this browser · 16 rules')

  // Opening it: progress shown, and the page answers (theme switch) while it reads.
  const t0 = await page.evaluate(() => performance.now())
  await startImport(page, file)
  await expect(progress.getByRole('status', { name: 'Import progress text' })).toContainText(/Reading the file|Checking the policy|Opening/)
  const clickedAt = Date.now()
  await page.getByRole('button', { name: 'Use dark theme' }).click()
  await expect(page.getByRole('button', { name: 'Use light theme' })).toBeVisible()
  const answeredIn = Date.now() - clickedAt
  await expect(status(page)).toContainText('200,000 rules', { timeout: 240_000 })
  const opened = await page.evaluate(() => performance.now())
  const tasks = await longest(page, t0)
  console.log(
    `200,000-rule (100 MB) import: opened in ${Math.round(opened - t0)} ms; theme switch answered in ${answeredIn} ms; longest main-thread task while reading ${Math.round(tasks.reading)} ms, including the first drawing ${Math.round(tasks.overall)} ms`,
  )
  expect(tasks.reading).toBeLessThan(1_000)
  expect(answeredIn).toBeLessThan(5_000)
})
