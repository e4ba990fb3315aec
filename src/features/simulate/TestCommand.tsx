/** "Copy Test-AppLockerPolicy command": the PowerShell that checks the same files on a real Windows machine. */
import { useState } from 'react'
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text, Textarea } from '@fluentui/react-components'
import { CopyRegular } from '@fluentui/react-icons'
import { testCommandsFor } from '../../applocker/simulate/run'
import type { SimRow } from '../../applocker/simulate/results'
import { useDocument } from '../../store/document'
import { useSimulation } from '../../store/simulation'
import { xmlFileName } from '../../ui/download'

export function TestCommand({ rows, indices }: { rows: readonly SimRow[]; indices: Int32Array | null }) {
  const [open, setOpen] = useState(false)
  const [copied, setCopied] = useState<string | null>(null)
  const name = useDocument((d) => d.name)
  const choice = useSimulation((x) => x.choice)
  const machine = useSimulation((x) => x.machine)
  const [command, setCommand] = useState('')

  const build = () => {
    const chosen = indices ? Array.from(indices, (i) => rows[i]) : rows
    // Test-AppLockerPolicy tests one user: -User is the user the simulation ran as (each event's user, one
    // command per user, or the first additional SID). Paths in AppLocker's variable form are expanded on the
    // simulated machine; packaged apps get -Packages commands.
    setCommand(testCommandsFor(xmlFileName(name), chosen, choice, machine))
  }

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command)
      setCopied('Copied to the clipboard.')
    } catch {
      setCopied('The browser refused the clipboard: select the text and copy it.')
    }
  }

  return (
    <>
      <Button
        icon={<CopyRegular />}
        onClick={() => {
          build()
          setCopied(null)
          setOpen(true)
        }}
      >
        Copy Test-AppLockerPolicy command
      </Button>
      <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
        <DialogSurface style={{ maxWidth: 900 }}>
          <DialogBody>
            <DialogTitle>Test-AppLockerPolicy command</DialogTitle>
            <DialogContent>
              <Text as="p">
                Run this in PowerShell on a Windows machine, next to the exported policy file, to confirm the preview there. It tests{' '}
                {indices ? 'the files shown' : 'every file of the inventory'}
                {choice.useRowUser && rows.some((r) => r.user) ? ", each for the event's user (commands per user)" : choice.customSids.length ? `, for ${choice.customSids[0]}` : ''}. Test-AppLockerPolicy
                tests one user or group, so the simulation&apos;s preset groups are not part of the command; Microsoft&apos;s documentation gives no
                default for -User, so name the user (an additional SID) when the command has none. Files are tested with -Path (paths in
                AppLocker&apos;s variable form as real paths on the simulated machine), packaged apps with -Packages; lines starting with # say what
                was left out and why.
              </Text>
              <Textarea
                aria-label="Test-AppLockerPolicy command"
                value={command}
                readOnly
                resize="vertical"
                style={{ width: '100%' }}
                textarea={{ rows: 10, style: { fontFamily: 'monospace', maxHeight: 'none' } }}
              />
              {copied && <Text role="status">{copied}</Text>}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" icon={<CopyRegular />} onClick={() => void copy()}>
                Copy
              </Button>
              <Button onClick={() => setOpen(false)}>Close</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  )
}
