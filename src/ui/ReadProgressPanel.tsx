/** The corner panel of a policy file being read in the reader Worker (import, merge, compare): title, bar, words, Cancel. */
import { Button, ProgressBar, Text } from '@fluentui/react-components'
import type { ReadPolicyProgress } from '../lib/readPolicyFile'
import { describeReadProgress } from './readProgress'

export interface ReadProgressPanelProps {
  /** The panel's title and accessible name: "Importing X", "Reading X". */
  title: string
  /** The bar's accessible name; its words are named `${progressLabel} text`. */
  progressLabel: string
  progress: ReadPolicyProgress | null
  /** The last step's word (see describeReadProgress). */
  receiving?: string
  /** What happens to the open policy meanwhile. */
  note: string
  onCancel: () => void
}

export function ReadProgressPanel({ title, progressLabel, progress, receiving, note, onCancel }: ReadProgressPanelProps) {
  const described = describeReadProgress(progress, receiving)
  return (
    <div
      role="dialog"
      aria-label={title}
      style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 1000, width: 360, padding: 12, borderRadius: 4, boxShadow: '0 4px 16px rgba(0,0,0,0.25)', background: 'Canvas', color: 'CanvasText' }}
    >
      <Text weight="semibold" block>
        {title}
      </Text>
      <ProgressBar value={described.value} max={1} aria-label={progressLabel} thickness="large" />
      <Text size={200} block role="status" aria-label={`${progressLabel} text`}>
        {described.text}
      </Text>
      <Text size={200} block>
        {note}
      </Text>
      <Button size="small" onClick={onCancel} style={{ marginTop: 8 }}>
        Cancel
      </Button>
    </div>
  )
}
