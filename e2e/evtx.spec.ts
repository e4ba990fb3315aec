import { expect, test, type Page } from '@playwright/test'
import path from 'node:path'
import { importPolicyFile, openFresh } from './helpers'

const FIXTURES = path.resolve('e2e/fixtures')

function count(page: Page, label: string) {
  return page.getByRole('group', { name: 'Counts' }).getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}: `))
}

// applocker-audit.evtx is a Windows event log (written by scripts/fixtures/write-evtx-fixture.ts, read alike by
// python-evtx): AppLocker 8002, 8003 and 8004 events of a machine in Audit only, and one Sysmon event.
test('Inventory simulation of a Windows event log (.evtx) picked with the file picker', async ({ page }) => {
  await openFresh(page)
  await importPolicyFile(page, path.join(FIXTURES, 'audit-only-defaults.xml'))
  await page.getByRole('tab', { name: 'Inventory simulation' }).click()

  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Load inventory' }).click()
  await (await chooser).setFiles(path.join(FIXTURES, 'applocker-audit.evtx'))

  await expect(page.getByText('applocker-audit.evtx: 4 files (Windows event log .evtx)')).toBeVisible()
  // The event of another provider is skipped, and said so.
  await expect(page.getByRole('list', { name: 'Inventory problems' })).toContainText('Events that are not AppLocker file decisions were skipped: Microsoft-Windows-Sysmon (1).')

  // The default rules in Audit only: powershell.exe is allowed by the Windows folder rule, the three others would be blocked.
  await expect(count(page, 'Files')).toContainText('4')
  await expect(count(page, 'Run')).toContainText('1')
  await expect(count(page, 'Audited (would be blocked)')).toContainText('3')

  const table = page.getByRole('table', { name: 'Simulation results' })
  await expect(table.getByRole('row')).toHaveCount(5)
  await table.getByRole('row', { name: /portscan/i }).click()
  const explanation = page.getByRole('region', { name: 'Explanation' })
  await expect(explanation).toContainText('DeniedByDefault')
  await expect(explanation).toContainText('S-1-5-21-1111111111-2222222222-3333333333-1001')
  await expect(explanation).toContainText('Windows logged event 8004')

  await table.getByRole('row', { name: /powershell/i }).click()
  await expect(explanation).toContainText('(Default Rule) All files located in the Windows folder')
  await expect(explanation).toContainText('Windows logged event 8002')
})
