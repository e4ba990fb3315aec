/** "Set user or group..." on the selected rules. */
import { useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
} from '@fluentui/react-components'
import { isValidSid } from '../../applocker/validate'
import { SidPicker } from './SidPicker'
import { plural } from '../../lib/plural'

export function BulkUserDialog({
  count,
  onApply,
  onClose,
}: {
  count: number
  onApply: (sid: string) => void
  onClose: () => void
}) {
  const [sid, setSid] = useState('S-1-1-0')
  const [tried, setTried] = useState(false)
  const error = !isValidSid(sid.trim())
    ? `"${sid}" is not a SID: a SID looks like S-1-5-32-544. Pick a name from the list or paste a SID.`
    : undefined
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Set user or group">
        <DialogBody>
          <DialogTitle>
            Set user or group of {plural(count, 'rule')}
          </DialogTitle>
          <DialogContent>
            <Field
              label="User or group"
              validationState={tried && error ? 'error' : 'none'}
              validationMessage={tried ? error : undefined}
              required
            >
              <SidPicker sid={sid} onSidChange={setSid} />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              onClick={() => {
                setTried(true)
                if (!error) onApply(sid.trim())
              }}
            >
              Apply
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
