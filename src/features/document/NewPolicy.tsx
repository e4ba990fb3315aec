import { useDocument } from '../../store/document'
import { CommandButton } from '../../ui/CommandBar'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
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
      <ConfirmDialog
        open={asking}
        title="Discard unsaved changes?"
        keep="Keep editing"
        proceed="Discard and start new"
        onAnswer={(yes) => {
          if (yes) create()
          setAsking(false)
        }}
      >
        The open policy has changes that were not exported. Start a new, empty policy anyway? (Undo brings the old one back.)
      </ConfirmDialog>
    </>
  )
}
