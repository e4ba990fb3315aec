/**
 * "Automatically Generate Rules...": a light top-bar button. The dialog (file pickers, the hashing
 * Worker, the review table) loads on first use so the initial bundle stays small.
 */
import { Suspense, lazy, useEffect, useState } from 'react'
import { CommandButton } from '../../ui/CommandBar'
import { generateCommand, openGenerateDialog } from './commands'

const GenerateDialog = lazy(() => import('./GenerateDialog'))

export function GenerateRules() {
  const [open, setOpen] = useState(false)
  useEffect(() => openGenerateDialog.subscribe(() => setOpen(true)), [])
  return (
    <>
      <CommandButton command={generateCommand} state={undefined} />
      {open && (
        <Suspense fallback={null}>
          <GenerateDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  )
}
