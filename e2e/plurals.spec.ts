import { expect, test } from '@playwright/test'
import path from 'node:path'
import { CORPUS, importPolicyFile, openFresh } from './helpers'

// Issue 16 item 16: counts of one read "1 rule", never "1 rules" or "1 rule(s)", in visible text and accessible names.
test('a count of one is singular: collection tab, collection header, document status', async ({ page }) => {
  await openFresh(page)
  // The sample policy's Packaged app Rules hold the one default rule.
  const appx = page.getByRole('tab', { name: /Packaged app Rules/ })
  await expect(appx).toHaveAccessibleName(/\b1 rule$/)
  await appx.click()
  await expect(page.getByText(/^1 rule$/).first()).toBeVisible()

  // A policy with one rule: the document status line reads "1 rule".
  await importPolicyFile(page, path.join(CORPUS, 'aaronlocker-Deny-OldBginfo.xml'))
  const status = page.getByRole('status', { name: 'Document status' })
  await expect(status).toContainText(/· 1 rule\b/)
  await expect(status).not.toContainText('1 rules')
  // Collections with no rules are plural ("0 rules"), the one with a rule singular.
  await expect(page.getByRole('tab', { name: /Executable Rules/ })).toHaveAccessibleName(/\b1 rule$/)
  await expect(page.getByRole('tab', { name: /Script Rules/ })).toHaveAccessibleName(/\b0 rules$/)
})
