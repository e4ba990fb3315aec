/** The import's progress (with Cancel), the "Discard unsaved changes?" question, and notes about the last import. */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarActions, MessageBarBody, ProgressBar, Text } from '@fluentui/react-components'
import { useImportActivity } from './importPolicy'
import { describeReadProgress } from '../../ui/readProgress'

export function ImportActivity() {
  const job = useImportActivity((s) => s.job)
  const confirm = useImportActivity((s) => s.confirm)
  const note = useImportActivity((s) => s.note)
  const progress = describeReadProgress(job?.progress ?? null)
  return (
    <>
      {job && (
        <div role="dialog" aria-label={`Importing ${job.fileName}`} style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 1000, width: 360, padding: 12, borderRadius: 4, boxShadow: '0 4px 16px rgba(0,0,0,0.25)', background: 'Canvas', color: 'CanvasText' }}>
          <Text weight="semibold" block>{`Importing ${job.fileName}`}</Text>
          <ProgressBar value={progress.value} max={1} aria-label="Import progress" thickness="large" />
          <Text size={200} block role="status" aria-label="Import progress text">
            {progress.text}
          </Text>
          <Text size={200} block>
            The open policy stays as it is until the new one is ready.
          </Text>
          <Button size="small" onClick={job.cancel} style={{ marginTop: 8 }}>
            Cancel
          </Button>
        </div>
      )}
      {note && (
        <MessageBar intent="info" role="status" aria-label="Import note" style={{ position: 'fixed', left: '50%', transform: 'translateX(-50%)', bottom: 16, zIndex: 999, maxWidth: 640 }}>
          <MessageBarBody>{note}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => useImportActivity.setState({ note: null })}>Dismiss</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <Dialog open={confirm !== null} onOpenChange={(_, d) => !d.open && confirm?.answer(false)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Discard unsaved changes?</DialogTitle>
            <DialogContent>{`The open policy has changes that were not exported. Open ${confirm?.fileName ?? 'the imported policy'} anyway? (Undo brings the old one back.)`}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => confirm?.answer(false)}>
                Keep editing
              </Button>
              <Button onClick={() => confirm?.answer(true)}>Discard and open</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  )
}
