import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components'
import { useDocument } from '../../store/document'
import { CommandButton } from '../../ui/CommandBar'
import { createNewPolicy, newPolicyCommand } from './commands'
import { useDocumentRequests } from './requests'

/** "New policy": asks before discarding unsaved changes (the old policy stays reachable through Undo). */
export function NewPolicy() {
  const asking = useDocumentRequests((r) => r.askingNew)
  const setAsking = (askingNew: boolean) => useDocumentRequests.setState({ askingNew })
  const create = () => createNewPolicy({ document: useDocument.getState() })
  const dirty = useDocument((d) => d.dirty)
  return (
    <>
      <CommandButton command={newPolicyCommand} state={{ document: { ...useDocument.getState(), dirty } }} />
      <Dialog open={asking} onOpenChange={(_, d) => setAsking(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Discard unsaved changes?</DialogTitle>
            <DialogContent>The open policy has changes that were not exported. Start a new, empty policy anyway? (Undo brings the old one back.)</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setAsking(false)}>
                Keep editing
              </Button>
              <Button
                onClick={() => {
                  create()
                  setAsking(false)
                }}
              >
                Discard and start new
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  )
}
