/** "Discard unsaved changes?" before New policy: loads the first time it is asked (NewPolicy.tsx). */
import { useDocument } from '../../store/document'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { createNewPolicy } from './commands'
import { useDocumentRequests } from './requests'

export default function NewPolicyDialog() {
  const asking = useDocumentRequests((r) => r.askingNew)
  const setAsking = (askingNew: boolean) => useDocumentRequests.setState({ askingNew })
  return (
    <ConfirmDialog
      open={asking}
      title="Discard unsaved changes?"
      keep="Keep editing"
      proceed="Discard and start new"
      onAnswer={(yes) => {
        if (yes) createNewPolicy({ document: useDocument.getState() })
        setAsking(false)
      }}
    >
      The open policy has changes that were not exported. Start a new, empty policy anyway? (Undo brings the old one back.)
    </ConfirmDialog>
  )
}
