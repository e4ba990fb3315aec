/**
 * "Automatically Generate Rules...": a light top-bar button. The dialog (file pickers, the hashing
 * Worker, the review table) loads on first use so the initial bundle stays small.
 */
import { Suspense, lazy, useState } from 'react'
import { Button } from '@fluentui/react-components'
import { DocumentSearchRegular } from '@fluentui/react-icons'

const GenerateDialog = lazy(() => import('./GenerateDialog'))

export function GenerateRules() {
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button icon={<DocumentSearchRegular />} onClick={() => setOpen(true)}>
        Automatically Generate Rules...
      </Button>
      {open && (
        <Suspense fallback={null}>
          <GenerateDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  )
}
