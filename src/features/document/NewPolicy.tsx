import { useState } from 'react'
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components'
import { DocumentAddRegular } from '@fluentui/react-icons'
import { emptyPolicy } from '../../applocker/policy'
import { useDocument } from '../../store/document'

/** "New policy": asks before discarding unsaved changes (the old policy stays reachable through Undo). */
export function NewPolicy() {
  const [asking, setAsking] = useState(false)
  const create = () => useDocument.getState().replace(emptyPolicy(), 'Untitled policy', 'New policy')
  return (
    <>
      <Button icon={<DocumentAddRegular />} onClick={() => (useDocument.getState().dirty ? setAsking(true) : create())}>
        New policy
      </Button>
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
