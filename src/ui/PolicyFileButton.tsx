/**
 * A top-bar button that picks a policy file (a real file picker) and shows a dialog for it:
 * "Merge policy..." and "Compare with...". The dialog is rendered by the caller (usually a lazy
 * component, shown inside Suspense here) and is given a fresh key for each file picked.
 */
import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import type { Command } from '../lib/commands'
import type { Trigger } from '../lib/trigger'
import { CommandButton } from './CommandBar'

export interface PickedPolicyFile {
  name: string
  bytes: Uint8Array
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

export function PolicyFileButton({ command, pick, inputLabel, children }: PolicyFileButtonProps) {
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<(PickedPolicyFile & { key: number }) | null>(null)
  useEffect(() => pick.subscribe(() => input.current?.click()), [pick])
  return (
    <>
      <CommandButton command={command} state={undefined} />
      <input
        ref={input}
        type="file"
        accept=".xml,text/xml,application/xml"
        aria-label={inputLabel}
        hidden
        onChange={async (e) => {
          const f = e.target.files?.[0]
          e.target.value = ''
          if (f) setFile({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()), key: Date.now() })
        }}
      />
      {file && (
        <Suspense key={file.key} fallback={null}>
          {children(file, () => setFile(null))}
        </Suspense>
      )}
    </>
  )
}
