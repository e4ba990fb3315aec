/**
 * "Compare with...": a top-bar button with a file picker; the differences dialog loads on first use.
 */
import { Suspense, lazy, useRef, useState } from 'react'
import { Button } from '@fluentui/react-components'
import { BranchCompareRegular } from '@fluentui/react-icons'

const CompareDialog = lazy(() => import('./CompareDialog'))

export function CompareWith() {
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<{ name: string; bytes: Uint8Array } | null>(null)
  return (
    <>
      <Button icon={<BranchCompareRegular />} onClick={() => input.current?.click()}>
        Compare with...
      </Button>
      <input
        ref={input}
        type="file"
        accept=".xml,text/xml,application/xml"
        aria-label="Policy file to compare with"
        hidden
        onChange={async (e) => {
          const f = e.target.files?.[0]
          e.target.value = ''
          if (f) setFile({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })
        }}
      />
      {file && (
        <Suspense fallback={null}>
          <CompareDialog key={file.name + file.bytes.length} fileName={file.name} bytes={file.bytes} onClose={() => setFile(null)} />
        </Suspense>
      )}
    </>
  )
}
