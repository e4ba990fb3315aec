/**
 * A top-bar button that picks a policy file (a real file picker), reads it in the reader Worker with
 * progress and Cancel (src/lib/readOtherPolicy.ts), then shows a dialog for it: "Merge policy..." and
 * "Compare with...". The open policy is not touched while the file is read. The dialog is rendered by
 * the caller (usually a lazy component, shown inside Suspense here) and is given a fresh key for each
 * file read.
 */
import { Suspense, lazy, useEffect, useRef, useState, type ReactNode } from 'react'
import type { Command } from '../lib/commands'
import type { Trigger } from '../lib/trigger'
import type { OtherPolicy } from '../lib/readOtherPolicy'
import { CommandButton } from './CommandBar'
import { useReadOtherPolicy, type OtherPolicyReading } from './useReadOtherPolicy'

// The progress panel loads with the first reading.
const ReadProgressPanel = lazy(() => import('./ReadProgressPanel').then((m) => ({ default: m.ReadProgressPanel })))

export interface PickedPolicyFile {
  name: string
  /** The file as read: the policy, or null and the diagnostics saying why not. */
  other: OtherPolicy
}

export interface PolicyFileButtonProps {
  /** The command the button shows ("Merge policy..."); running it fires `pick`. */
  command: Command<unknown>
  /** Opens the file picker (the command, the palette). */
  pick: Trigger
  /** The accessible name of the hidden file input. */
  inputLabel: string
  /** The dialog for the picked file; `close` hides it. */
  children: (file: PickedPolicyFile, close: () => void) => ReactNode
}

/** The reading's progress with Cancel, in the corner like an import's. */
function ReadingPanel({ reading }: { reading: OtherPolicyReading }) {
  return (
    <ReadProgressPanel
      title={`Reading ${reading.name}`}
      progressLabel="Reading progress"
      progress={reading.progress}
      receiving="Receiving"
      note="The open policy is not changed."
      onCancel={reading.cancel}
    />
  )
}

export function PolicyFileButton({ command, pick, inputLabel, children }: PolicyFileButtonProps) {
  const input = useRef<HTMLInputElement>(null)
  const { reading, read } = useReadOtherPolicy()
  const [file, setFile] = useState<(PickedPolicyFile & { key: number }) | null>(null)
  useEffect(() => pick.subscribe(() => input.current?.click()), [pick])

  const open = async (f: File) => {
    setFile(null)
    const other = await read(f)
    if (other) setFile({ name: f.name, other, key: Date.now() })
  }

  return (
    <>
      <CommandButton command={command} state={undefined} />
      <input
        ref={input}
        type="file"
        accept=".xml,text/xml,application/xml"
        aria-label={inputLabel}
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0]
          e.target.value = ''
          if (f) void open(f)
        }}
      />
      {reading && (
        <Suspense fallback={null}>
          <ReadingPanel reading={reading} />
        </Suspense>
      )}
      {file && (
        <Suspense key={file.key} fallback={null}>
          {children(file, () => setFile(null))}
        </Suspense>
      )}
    </>
  )
}
