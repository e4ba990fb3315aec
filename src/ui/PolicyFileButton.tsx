/**
 * A top-bar button that picks a policy file (a real file picker) and shows a dialog for it:
 * "Merge policy..." and "Compare with...". The dialog is rendered by the caller (usually a lazy
 * component, shown inside Suspense here) and is given a fresh key for each file picked.
 */
import { Suspense, useRef, useState, type ReactElement, type ReactNode } from 'react'
import { Button } from '@fluentui/react-components'

export interface PickedPolicyFile {
  name: string
  bytes: Uint8Array
}

export interface PolicyFileButtonProps {
  /** The button's text, e.g. "Merge policy...". */
  label: string
  icon: ReactElement
  /** The accessible name of the hidden file input. */
  inputLabel: string
  /** The dialog for the picked file; `close` hides it. */
  children: (file: PickedPolicyFile, close: () => void) => ReactNode
}

export function PolicyFileButton({ label, icon, inputLabel, children }: PolicyFileButtonProps) {
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<(PickedPolicyFile & { key: number }) | null>(null)
  return (
    <>
      <Button icon={icon} onClick={() => input.current?.click()}>
        {label}
      </Button>
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
