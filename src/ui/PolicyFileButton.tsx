/**
 * A top-bar button that picks a policy file (a real file picker), reads it in the reader Worker with
 * progress and Cancel (src/lib/readOtherPolicy.ts), then shows a dialog for it: "Merge policy..." and
 * "Compare with...". The open policy is not touched while the file is read. The dialog is rendered by
 * the caller (usually a lazy component, shown inside Suspense here) and is given a fresh key for each
 * file read.
 */
import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import type { Command } from '../lib/commands'
import type { Trigger } from '../lib/trigger'
import type { ReadPolicyProgress } from '../lib/readPolicyFile'
import { isAbortError } from '../lib/rpc'
import { readOtherPolicy, type OtherPolicy } from '../lib/readOtherPolicy'
import { CommandButton } from './CommandBar'
import { ReadProgressPanel } from './ReadProgressPanel'

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

interface Reading {
  name: string
  progress: ReadPolicyProgress | null
  controller: AbortController
}

/** The reading's progress with Cancel, in the corner like an import's. */
function ReadingPanel({ reading }: { reading: Reading }) {
  return (
    <ReadProgressPanel
      title={`Reading ${reading.name}`}
      progressLabel="Reading progress"
      progress={reading.progress}
      receiving="Receiving"
      note="The open policy is not changed."
      onCancel={() => reading.controller.abort()}
    />
  )
}

export function PolicyFileButton({ command, pick, inputLabel, children }: PolicyFileButtonProps) {
  const input = useRef<HTMLInputElement>(null)
  const [reading, setReading] = useState<Reading | null>(null)
  const [file, setFile] = useState<(PickedPolicyFile & { key: number }) | null>(null)
  useEffect(() => pick.subscribe(() => input.current?.click()), [pick])
  // A reading still under way when the button goes away is cancelled.
  const current = useRef<AbortController | null>(null)
  useEffect(() => () => current.current?.abort(), [])

  const read = async (f: File) => {
    current.current?.abort()
    const controller = new AbortController()
    current.current = controller
    const mine = () => current.current === controller
    setFile(null)
    setReading({ name: f.name, progress: null, controller })
    try {
      const other = await readOtherPolicy(f, { signal: controller.signal, onProgress: (progress) => mine() && setReading((r) => (r && r.controller === controller ? { ...r, progress } : r)) })
      if (mine()) setFile({ name: f.name, other, key: Date.now() })
    } catch (e) {
      if (!isAbortError(e)) throw e
    } finally {
      if (mine()) {
        current.current = null
        setReading(null)
      }
    }
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
          if (f) void read(f)
        }}
      />
      {reading && <ReadingPanel reading={reading} />}
      {file && (
        <Suspense key={file.key} fallback={null}>
          {children(file, () => setFile(null))}
        </Suspense>
      )}
    </>
  )
}
