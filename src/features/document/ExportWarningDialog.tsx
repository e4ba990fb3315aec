/**
 * "Export a policy Windows will reject?": loads the first time an export finds errors (ExportPolicy.tsx).
 * Refusals and rules that only never match (Windows accepts them) are named apart.
 */
import { MessageBar, MessageBarBody } from '@fluentui/react-components'
import { useDocument } from '../../store/document'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { refusedByWindows } from '../../applocker/validate'
import { saveExport } from './commands'
import { useDocumentRequests } from './requests'
import { plural, verb } from '../../lib/plural'

export default function ExportWarningDialog() {
  const pending = useDocumentRequests((r) => r.exportPending)
  const setPending = (exportPending: null) => useDocumentRequests.setState({ exportPending })
  const errors = pending?.errors ?? []
  const refused = errors.filter(refusedByWindows)
  const neverMatch = errors.filter((d) => !refusedByWindows(d))
  return (
    <ConfirmDialog
      open={pending !== null}
      title={refused.length > 0 || neverMatch.length === 0 ? 'Export a policy Windows will reject?' : 'Export rules that never match?'}
      keep="Cancel"
      proceed="Export anyway"
      onAnswer={(yes) => {
        if (yes && pending) void saveExport({ document: useDocument.getState() }, pending.encoding)
        setPending(null)
      }}
    >
      {refused.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {plural(refused.length, 'error')} {verb(refused.length, 'remains', 'remain')}. Set-AppLockerPolicy and Group Policy refuse a policy with these problems.
          </MessageBarBody>
        </MessageBar>
      )}
      {neverMatch.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {plural(neverMatch.length, 'error')} {verb(neverMatch.length, 'makes', 'make')} a rule never match as written. Windows accepts the policy, but these rules do nothing.
          </MessageBarBody>
        </MessageBar>
      )}
      {refused.length > 0 && <DiagnosticsList diagnostics={refused} label="Errors in the policy" />}
      {neverMatch.length > 0 && <DiagnosticsList diagnostics={neverMatch} label="Rules that never match" />}
    </ConfirmDialog>
  )
}
