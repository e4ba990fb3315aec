import { lazy } from 'react'
import { useDocument } from '../../store/document'
import { CommandMenu } from '../../ui/CommandBar'
import { MountOnce } from '../../ui/MountOnce'
import { exportCommands, prepareExport } from './commands'
import { useDocumentRequests } from './requests'

// The question loads the first time an export finds errors.
const ExportWarningDialog = lazy(() => import('./ExportWarningDialog'))

/** "Export policy": downloads the XML Windows imports, in UTF-8 or UTF-16 LE; warns while errors remain. */
export function ExportPolicy() {
  const pending = useDocumentRequests((r) => r.exportPending)
  const document = useDocument()
  return (
    <>
      <CommandMenu name="Export policy" commands={exportCommands} state={{ document }} onIntent={() => prepareExport(useDocument.getState().policy)} />
      <MountOnce when={pending !== null}>
        <ExportWarningDialog />
      </MountOnce>
    </>
  )
}
