/**
 * "Compare with...": a top-bar button with a file picker; the differences dialog loads on first use.
 */
import { lazy } from 'react'
import { BranchCompareRegular } from '@fluentui/react-icons'
import { PolicyFileButton } from '../../ui/PolicyFileButton'

const CompareDialog = lazy(() => import('./CompareDialog'))

export function CompareWith() {
  return (
    <PolicyFileButton label="Compare with..." icon={<BranchCompareRegular />} inputLabel="Policy file to compare with">
      {(file, close) => <CompareDialog fileName={file.name} bytes={file.bytes} onClose={close} />}
    </PolicyFileButton>
  )
}
