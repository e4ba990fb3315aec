/**
 * "Compare with...": a top-bar button with a file picker; the differences dialog loads on first use.
 */
import { lazy } from 'react'
import { PolicyFileButton } from '../../ui/PolicyFileButton'
import { compareCommand, pickPolicyToCompare } from './commands'

const CompareDialog = lazy(() => import('./CompareDialog'))

export function CompareWith() {
  return (
    <PolicyFileButton command={compareCommand} pick={pickPolicyToCompare} inputLabel="Policy file to compare with">
      {(file, close) => <CompareDialog fileName={file.name} other={file.other} onClose={close} />}
    </PolicyFileButton>
  )
}
