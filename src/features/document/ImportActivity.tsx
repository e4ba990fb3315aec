/** Loaded when first needed (ImportPolicy.tsx). The import's progress (with Cancel), the "Discard unsaved changes?" question, and notes about the last import. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components'
import { useImportActivity } from './importPolicy'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { ReadProgressPanel } from '../../ui/ReadProgressPanel'

export default function ImportActivity() {
  const job = useImportActivity((s) => s.job)
  const confirm = useImportActivity((s) => s.confirm)
  const note = useImportActivity((s) => s.note)
  return (
    <>
      {job && (
        <ReadProgressPanel
          title={`Importing ${job.fileName}`}
          progressLabel="Import progress"
          progress={job.progress}
          note="The open policy stays as it is until the new one is ready."
          onCancel={job.cancel}
        />
      )}
      {note && (
        <MessageBar intent="info" role="status" aria-label="Import note" style={{ position: 'fixed', left: '50%', transform: 'translateX(-50%)', bottom: 16, zIndex: 999, maxWidth: 640 }}>
          <MessageBarBody>{note}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => useImportActivity.setState({ note: null })}>Dismiss</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <ConfirmDialog open={confirm !== null} title="Discard unsaved changes?" keep="Keep editing" proceed="Discard and open" onAnswer={(yes) => confirm?.answer(yes)}>
        {`The open policy has changes that were not exported. Open ${confirm?.fileName ?? 'the imported policy'} anyway? (Undo brings the old one back.)`}
      </ConfirmDialog>
    </>
  )
}
