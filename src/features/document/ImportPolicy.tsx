import { lazy, useCallback, useEffect, useRef, useState } from 'react'
import { makeStyles, tokens } from '@fluentui/react-components'
import { useDocument } from '../../store/document'
import { CommandButton } from '../../ui/CommandBar'
import { MountOnce } from '../../ui/MountOnce'
import { importPolicyFile, pickDroppedFile, useImportActivity } from './importPolicy'
import { importCommand } from './commands'
import { pickPolicyToImport } from './requests'
import type { ImportOutcomeWithFile } from './ImportOutcomeDialog'

// The import's progress, question and notes, and the dialog about a refused or flawed file, load when first shown.
const ImportActivity = lazy(() => import('./ImportActivity'))
const ImportOutcomeDialog = lazy(() => import('./ImportOutcomeDialog'))

const useStyles = makeStyles({
  backdrop: {
    position: 'fixed',
    inset: 0,
    zIndex: 1000,
    pointerEvents: 'none',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorBackgroundOverlay,
    backdropFilter: 'blur(2px)',
  },
  panel: {
    padding: '32px 48px',
    borderRadius: tokens.borderRadiusXLarge,
    border: `3px dashed ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxShadow: tokens.shadow28,
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
  },
})

/** "Import policy": a button with a file picker, drag and drop anywhere on the page, and the result dialog. */
export function ImportPolicy() {
  const s = useStyles()
  const input = useRef<HTMLInputElement>(null)
  const [outcome, setOutcome] = useState<ImportOutcomeWithFile | null>(null)
  const active = useImportActivity((a) => a.job !== null || a.confirm !== null || a.note !== null)
  const [dragging, setDragging] = useState(false)
  // The Import policy command (button, palette) asks for the file picker.
  useEffect(() => pickPolicyToImport.subscribe(() => input.current?.click()), [])

  const importFile = useCallback(async (file: File, note: string | null = null) => {
    const result = await importPolicyFile(file.name, file, false, note)
    // Show the dialog when the file was refused or opened with problems to fix.
    if (result && (!result.ok || result.diagnostics.some((d) => d.severity !== 'info'))) setOutcome({ ...result, file })
    else setOutcome(null)
  }, [])

  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return
      e.preventDefault()
      setDragging(true)
    }
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false)
    }
    const drop = (e: DragEvent) => {
      const picked = pickDroppedFile([...(e.dataTransfer?.files ?? [])])
      setDragging(false)
      // A drop zone of a view (e.g. "Load inventory") took this file already.
      if (!picked || e.defaultPrevented) return
      e.preventDefault()
      void importFile(picked.file, picked.note)
    }
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [importFile])

  return (
    <>
      <CommandButton command={importCommand} state={{ document: useDocument.getState() }} />
      <input
        ref={input}
        type="file"
        accept=".xml,text/xml,application/xml"
        aria-label="Policy file to import"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void importFile(file)
        }}
      />
      <MountOnce when={active}>
        <ImportActivity />
      </MountOnce>
      {dragging && (
        // A real backdrop (the theme's dialog overlay) dims the rows, and the message sits on an opaque
        // panel in the theme's colours, so it reads over any content in both themes (issue 16 item 18).
        <div className={s.backdrop} data-testid="drop-overlay">
          <div role="status" className={s.panel}>
            Drop a policy XML to import it
          </div>
        </div>
      )}
      <MountOnce when={outcome !== null}>
        <ImportOutcomeDialog outcome={outcome} onChange={setOutcome} />
      </MountOnce>
    </>
  )
}
