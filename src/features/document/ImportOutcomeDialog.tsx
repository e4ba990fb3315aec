/** What an import found: the file refused, or opened with problems to fix ("Wrap into one policy" where it can). */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarBody, Text } from '@fluentui/react-components'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { importPolicyFile, type ImportOutcome } from './importPolicy'
import { plural } from '../../lib/plural'

export type ImportOutcomeWithFile = ImportOutcome & { file: File }

export default function ImportOutcomeDialog({ outcome, onChange }: { outcome: ImportOutcomeWithFile | null; onChange: (o: ImportOutcomeWithFile | null) => void }) {
  const errors = outcome?.diagnostics.filter((d) => d.severity === 'error').length ?? 0
  return (
    <Dialog open={outcome !== null} onOpenChange={(_, d) => !d.open && onChange(null)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{outcome?.ok ? `Imported ${outcome.fileName} with problems` : `Could not import ${outcome?.fileName}`}</DialogTitle>
          <DialogContent>
            {outcome && (
              <>
                <MessageBar intent={outcome.ok ? 'warning' : 'error'}>
                  <MessageBarBody>
                    {outcome.ok
                      ? `The policy is open. ${plural(errors, 'error')} must be fixed before Windows accepts it; the rules concerned are marked.`
                      : 'The file is not an AppLocker policy this app can open. Your open policy has not changed.'}
                  </MessageBarBody>
                </MessageBar>
                <Text as="p">What was found, with its location in the file:</Text>
                <DiagnosticsList diagnostics={outcome.diagnostics} label="Import problems" />
              </>
            )}
          </DialogContent>
          <DialogActions>
            {outcome?.canWrapRoots && (
              <Button
                appearance="primary"
                onClick={async () => {
                  const wrapped = await importPolicyFile(outcome.fileName, outcome.file, true)
                  onChange(!wrapped || (wrapped.ok && wrapped.diagnostics.every((d) => d.severity === 'info')) ? null : { ...wrapped, file: outcome.file })
                }}
              >
                Wrap into one policy
              </Button>
            )}
            <Button appearance={outcome?.canWrapRoots ? 'secondary' : 'primary'} onClick={() => onChange(null)}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
