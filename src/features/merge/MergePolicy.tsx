/**
 * "Merge policy...": a top-bar button with a file picker. The dialog (preview, apply, pick rules)
 * loads on first use so the initial bundle stays small.
 */
import { lazy } from 'react'
import { MergeRegular } from '@fluentui/react-icons'
import { PolicyFileButton } from '../../ui/PolicyFileButton'

const MergeDialog = lazy(() => import('./MergeDialog'))

export function MergePolicy() {
  return (
    <PolicyFileButton label="Merge policy..." icon={<MergeRegular />} inputLabel="Policy file to merge">
      {(file, close) => <MergeDialog fileName={file.name} bytes={file.bytes} onClose={close} />}
    </PolicyFileButton>
  )
}
