import { useState } from 'react'
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, MessageBar, MessageBarBody,
} from '@fluentui/react-components'
import { ArrowExportRegular } from '@fluentui/react-icons'
import { validatePolicy } from '../../applocker/validate'
import { encodePolicy, type XmlEncoding } from '../../applocker/xml/write'
import type { Diagnostic } from '../../applocker/diagnostics'
import { useDocument } from '../../store/document'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { downloadBytes, xmlFileName } from '../../ui/download'

/** "Export policy": downloads the XML Windows imports, in UTF-8 or UTF-16 LE; warns while errors remain. */
export function ExportPolicy() {
  const [pending, setPending] = useState<{ encoding: XmlEncoding; errors: Diagnostic[] } | null>(null)

  const save = (encoding: XmlEncoding) => {
    const { policy, name, markSaved } = useDocument.getState()
    downloadBytes(xmlFileName(name), encodePolicy(policy, encoding), encoding === 'utf-8' ? 'text/xml;charset=utf-8' : 'text/xml;charset=utf-16le')
    markSaved()
  }
  const start = (encoding: XmlEncoding) => {
    const errors = validatePolicy(useDocument.getState().policy).filter((d) => d.severity === 'error')
    if (errors.length > 0) setPending({ encoding, errors })
    else save(encoding)
  }

  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button icon={<ArrowExportRegular />}>Export policy</Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem onClick={() => start('utf-8')}>Export as UTF-8</MenuItem>
            <MenuItem onClick={() => start('utf-16le')}>Export as UTF-16 LE (as Windows writes)</MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <Dialog open={pending !== null} onOpenChange={(_, d) => !d.open && setPending(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Export a policy Windows will reject?</DialogTitle>
            <DialogContent>
              <MessageBar intent="warning">
                <MessageBarBody>{pending?.errors.length} error(s) remain. Set-AppLockerPolicy and Group Policy refuse a policy with these problems.</MessageBarBody>
              </MessageBar>
              {pending && <DiagnosticsList diagnostics={pending.errors} label="Errors in the policy" />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setPending(null)}>
                Cancel
              </Button>
              <Button
                onClick={() => {
                  if (pending) save(pending.encoding)
                  setPending(null)
                }}
              >
                Export anyway
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  )
}
