/**
 * "Merge policy...": a top-bar button with a file picker. The dialog (preview, apply, pick rules)
 * loads on first use so the initial bundle stays small.
 */
import { Suspense, lazy, useRef, useState } from 'react'
import { Button } from '@fluentui/react-components'
import { MergeRegular } from '@fluentui/react-icons'

const MergeDialog = lazy(() => import('./MergeDialog'))

export function MergePolicy() {
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<{ name: string; bytes: Uint8Array } | null>(null)
  return (
    <>
      <Button icon={<MergeRegular />} onClick={() => input.current?.click()}>
        Merge policy...
      </Button>
      <input
        ref={input}
        type="file"
        accept=".xml,text/xml,application/xml"
        aria-label="Policy file to merge"
        hidden
        onChange={async (e) => {
          const f = e.target.files?.[0]
          e.target.value = ''
          if (f) setFile({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })
        }}
      />
      {file && (
        <Suspense fallback={null}>
          <MergeDialog key={file.name + file.bytes.length} fileName={file.name} bytes={file.bytes} onClose={() => setFile(null)} />
        </Suspense>
      )}
    </>
  )
}
