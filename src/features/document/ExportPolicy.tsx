import { MessageBar, MessageBarBody } from '@fluentui/react-components'
import { useDocument } from '../../store/document'
import { CommandMenu } from '../../ui/CommandBar'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { exportCommands, prepareExport, saveExport } from './commands'
import { useDocumentRequests } from './requests'
import { plural, verb } from '../../lib/plural'

/** "Export policy": downloads the XML Windows imports, in UTF-8 or UTF-16 LE; warns while errors remain. */
export function ExportPolicy() {
  const pending = useDocumentRequests((r) => r.exportPending)
  const setPending = (exportPending: null) => useDocumentRequests.setState({ exportPending })
  const document = useDocument()
  return (
    <>
      <CommandMenu name="Export policy" commands={exportCommands} state={{ document }} onIntent={() => prepareExport(useDocument.getState().policy)} />
      <ConfirmDialog
        open={pending !== null}
        title="Export a policy Windows will reject?"
        keep="Cancel"
        proceed="Export anyway"
        onAnswer={(yes) => {
          if (yes && pending) void saveExport({ document: useDocument.getState() }, pending.encoding)
          setPending(null)
        }}
      >
        <MessageBar intent="warning">
          <MessageBarBody>{plural(pending?.errors.length ?? 0, 'error')} {verb(pending?.errors.length ?? 0, 'remains', 'remain')}. Set-AppLockerPolicy and Group Policy refuse a policy with these problems.</MessageBarBody>
        </MessageBar>
        {pending && <DiagnosticsList diagnostics={pending.errors} label="Errors in the policy" />}
      </ConfirmDialog>
    </>
  )
}
