/**
 * "Merge policy...": a top-bar button with a file picker. The dialog (preview, apply, pick rules)
 * loads on first use so the initial bundle stays small.
 */
import { lazy } from 'react'
import { PolicyFileButton } from '../../ui/PolicyFileButton'
import { mergeCommand, pickPolicyToMerge } from './commands'

const MergeDialog = lazy(() => import('./MergeDialog'))

export function MergePolicy() {
  return (
    <PolicyFileButton command={mergeCommand} pick={pickPolicyToMerge} inputLabel="Policy file to merge">
      {(file, close) => <MergeDialog fileName={file.name} other={file.other} onClose={close} />}
    </PolicyFileButton>
  )
}
