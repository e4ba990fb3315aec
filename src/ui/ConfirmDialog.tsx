/**
 * A question before something is discarded or done against advice ("Discard unsaved changes?", "Export a
 * policy Windows will reject?"): the safe answer is the primary button, and closing the dialog (Escape)
 * gives it too.
 */
import type { ReactNode } from 'react'
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components'

export interface ConfirmDialogProps {
  open: boolean
  title: string
  children: ReactNode
  /** The safe answer's button ("Keep editing", "Cancel"). */
  keep: string
  /** The other answer's button ("Discard and open", "Export anyway"). */
  proceed: string
  /** true: `proceed` was chosen; false: `keep`, or the dialog was closed. */
  onAnswer: (proceed: boolean) => void
}

export function ConfirmDialog({ open, title, children, keep, proceed, onAnswer }: ConfirmDialogProps) {
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onAnswer(false)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{children}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => onAnswer(false)}>
              {keep}
            </Button>
            <Button onClick={() => onAnswer(true)}>{proceed}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
