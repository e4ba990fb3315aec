/**
 * Screenshots of the main views for the README (light and dark), against a running preview:
 *   npm run build && (npx vite preview &) && npx tsx scripts/screenshots.ts
 */
import { chromium } from '@playwright/test'
import path from 'node:path'

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4173'
const out = path.resolve('docs/screenshots')
const corpus = path.resolve('src/applocker/__fixtures__/corpus')

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } })
  await page.goto(BASE)
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import policy' }).click()
  await (await chooser).setFiles(path.join(corpus, 'nsacyber-windows11-starter.xml'))
  await page.getByRole('status', { name: 'Document status' }).filter({ hasText: '170 rules' }).waitFor()
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(out, 'rules.png') })

  await page.getByRole('button', { name: 'Create New Rule...' }).click()
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(out, 'create-rule.png') })
  await page.keyboard.press('Escape')

  await page.getByRole('tab', { name: 'Inventory simulation' }).click()
  const inv = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await inv).setFiles(path.resolve('e2e/fixtures/inventory.csv'))
  await page.waitForTimeout(2000)
  await page.screenshot({ path: path.join(out, 'simulation.png'), fullPage: false })

  await page.getByRole('tab', { name: 'Test a file' }).click()
  await page.getByRole('textbox', { name: /Path/ }).first().fill('C:\\Users\\alice\\AppData\\Local\\Temp\\payload.exe')
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(out, 'test-a-file.png') })

  await page.getByRole('tab', { name: 'Review policy' }).click()
  await page.waitForTimeout(1000)
  await page.screenshot({ path: path.join(out, 'review.png') })

  await page.getByRole('button', { name: 'Use dark theme' }).click()
  await page.getByRole('tab', { name: /Executable Rules/ }).click()
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(out, 'rules-dark.png') })
  await page.getByRole('tab', { name: 'Deploy...' }).click()
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(out, 'deploy-dark.png') })
  await browser.close()
}

void main()
