import { lazy } from 'react'
import { useDocument } from '../../store/document'
import { CommandButton } from '../../ui/CommandBar'
import { MountOnce } from '../../ui/MountOnce'
import { newPolicyCommand } from './commands'
import { useDocumentRequests } from './requests'

// The question loads the first time it is asked.
const NewPolicyDialog = lazy(() => import('./NewPolicyDialog'))

/** "New policy": asks before discarding unsaved changes (the old policy stays reachable through Undo). */
export function NewPolicy() {
  const asking = useDocumentRequests((r) => r.askingNew)
  const dirty = useDocument((d) => d.dirty)
  return (
    <>
      <CommandButton command={newPolicyCommand} state={{ document: { ...useDocument.getState(), dirty } }} />
      <MountOnce when={asking}>
        <NewPolicyDialog />
      </MountOnce>
    </>
  )
}
