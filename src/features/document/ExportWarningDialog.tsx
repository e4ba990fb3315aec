/** "Export a policy Windows will reject?": loads the first time an export finds errors (ExportPolicy.tsx). */
import { MessageBar, MessageBarBody } from '@fluentui/react-components'
import { useDocument } from '../../store/document'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { saveExport } from './commands'
import { useDocumentRequests } from './requests'
import { plural, verb } from '../../lib/plural'

export default function ExportWarningDialog() {
  const pending = useDocumentRequests((r) => r.exportPending)
  const setPending = (exportPending: null) => useDocumentRequests.setState({ exportPending })
  return (
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
  )
}
