/**
 * The "Automatically Generate Rules..." dialog: pick files (or a folder), choose the collection (all,
 * or one as the snap-in's per-collection wizard), the name that prefixes the rules, the user or group,
 * the rule preference and grouping (the shared RuleOptionsForm); the files are read in a Worker
 * (progress, Cancel, throughput); then a review table of the proposed rules (src/applocker/generate.ts)
 * with per-file problems, and "Add rules" applies the chosen ones as one undoable edit.
 * State and actions live in generateStore.ts: this component only renders them.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { useStore } from 'zustand'
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar, MessageBarBody,
  MessageBarTitle, ProgressBar, Select, Text, makeStyles, tokens,
} from '@fluentui/react-components'
import { COLLECTION_LABELS, type CollectionType } from '../../applocker/policy'
import { useDocument } from '../../store/document'
import { count, plural } from '../../lib/plural'
import { ProposedRulesTable } from '../../ui/ProposedRulesTable'
import { RuleOptionsForm } from '../../ui/RuleOptionsForm'
import { FileNotesList } from '../../ui/FileNotesList'
import { applyGenerated, createGenerateStore, deriveProposal, selection, type CollectionScope } from './generateStore'

const useStyles = makeStyles({
  surface: { maxWidth: 'min(1200px, 96vw)', width: '96vw' },
  section: { display: 'flex', flexDirection: 'column', gap: '10px', marginTop: '8px' },
  row: { display: 'flex', gap: '16px', alignItems: 'end', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '240px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  error: { color: tokens.colorPaletteRedForeground1 },
  dll: { display: 'flex', flexDirection: 'column', gap: '4px' },
  hiddenInput: { display: 'none' },
})

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`
  return `${n} bytes`
}

export default function GenerateDialog({ onClose }: { onClose: () => void }) {
  const s = useStyles()
  const [store] = useState(createGenerateStore)
  const files = useStore(store, (x) => x.files)
  const options = useStore(store, (x) => x.options)
  const run = useStore(store, (x) => x.run)
  const results = useStore(store, (x) => x.results)
  const off = useStore(store, (x) => x.off)
  const { pick, setOptions, analyze, cancel, setExcluded, dispose } = store.getState()
  const filesInput = useRef<HTMLInputElement>(null)
  const folderInput = useRef<HTMLInputElement>(null)
  const existing = useDocument((d) => d.policy)

  useEffect(() => dispose, [dispose])

  const { sidOk, proposal, notes, dllFiles, askDll, scopes } = useMemo(() => deriveProposal(options, results, existing), [options, results, existing])
  const { excluded, chosen } = selection(proposal, off)

  const add = () => {
    if (chosen.length === 0) return
    useDocument.getState().apply(`Generate ${plural(chosen.length, 'rule')}`, (p) => applyGenerated(p, chosen, options))
    onClose()
  }

  const toggle = (i: number, on: boolean) => {
    if (!proposal) return
    const next = new Set(excluded)
    if (on) next.delete(i)
    else next.add(i)
    setExcluded(proposal, next)
  }

  const totalBytes = files.reduce((a, f) => a + f.size, 0)
  const running = run.state === 'running'
  const progress = run.state === 'running' ? run.progress : null
  const scope = options.scope !== 'all' && !scopes.includes(options.scope) ? 'all' : options.scope

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && !running && onClose()}>
      <DialogSurface className={s.surface} aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Automatically Generate Rules</DialogTitle>
          <DialogContent>
            <div className={s.section}>
              <Text>
                The files are read in this browser only: nothing is uploaded. Each file&apos;s AppLocker hash and publisher are computed as
                Get-AppLockerFileInformation does.
              </Text>
              <div className={s.row}>
                <Button disabled={running} onClick={() => filesInput.current?.click()}>
                  Choose files...
                </Button>
                <Button disabled={running} onClick={() => folderInput.current?.click()}>
                  Choose a folder...
                </Button>
                <input ref={filesInput} className={s.hiddenInput} type="file" multiple aria-label="Files to analyze" onChange={(e) => { pick([...(e.target.files ?? [])]); e.target.value = '' }} />
                <input
                  ref={folderInput}
                  className={s.hiddenInput}
                  type="file"
                  aria-label="Folder to analyze"
                  {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
                  onChange={(e) => { pick([...(e.target.files ?? [])]); e.target.value = '' }}
                />
                <Text role="status" aria-label="Selected files">
                  {files.length === 0 ? 'No files chosen.' : `${plural(files.length, 'file')} chosen (${formatBytes(totalBytes)})`}
                </Text>
              </div>

              <div className={s.row}>
                <Field label="Generate rules for" hint="The snap-in runs this wizard per rule collection; files of the other collections are left out.">
                  <Select value={scope} onChange={(_, d) => setOptions({ scope: d.value as CollectionScope })} disabled={running}>
                    <option value="all">All collections</option>
                    {scopes.map((c: CollectionType) => (
                      <option key={c} value={c}>
                        {COLLECTION_LABELS[c]}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field className={s.grow} label="Name to identify this set of rules" hint={`Each rule's name starts with it ("Contoso: HELLO.EXE, ..."); a picked folder's name by default. Leave empty for the names alone.`}>
                  <Input value={options.prefix} disabled={running} onChange={(_, d) => setOptions({ prefix: d.value })} />
                </Field>
              </div>

              <RuleOptionsForm
                value={options}
                onChange={setOptions}
                disabled={running}
                groupLabel="Group similar files (reduce the number of rules: one publisher rule per publisher and product, one hash rule per collection, one path rule per folder)"
              >
                {options.rule.kind === 'preference' && options.rule.preference === 'path' && (
                  <Field label="Folder the files are in on the computers" hint="Each path rule is this folder followed by the file's path as picked (folder pick: its relative path).">
                    <Input className={s.mono} value={options.folder} onChange={(_, d) => setOptions({ folder: d.value })} />
                  </Field>
                )}
              </RuleOptionsForm>

              <div className={s.row}>
                <Button appearance="primary" disabled={files.length === 0 || running} onClick={analyze}>
                  Analyze files
                </Button>
                {running && <Button onClick={cancel}>Cancel</Button>}
              </div>

              {running && (
                <div>
                  <Text size={200} block aria-live="polite">
                    {progress ? `Reading file ${progress.fileIndex + 1} of ${progress.fileCount}: ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}` : 'Starting...'}
                  </Text>
                  <ProgressBar aria-label="Hashing progress" value={progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : undefined} />
                </div>
              )}
              {run.state === 'cancelled' && (
                <MessageBar intent="warning">
                  <MessageBarBody>Cancelled: no rules were proposed. Analyze again to start over.</MessageBarBody>
                </MessageBar>
              )}
              {run.state === 'error' && (
                <MessageBar intent="error">
                  <MessageBarBody>The files could not be read: {run.message}</MessageBarBody>
                </MessageBar>
              )}
              {run.state === 'done' && (
                <Text size={200} aria-label="Throughput">
                  Read {plural(run.summary.files, 'file')}, {formatBytes(run.summary.bytes)} in {(run.summary.ms / 1000).toFixed(2)} s (
                  {run.summary.mbPerSecond} MB/s).
                </Text>
              )}

              {run.state === 'done' && askDll && (
                <MessageBar intent="warning" layout="multiline">
                  <MessageBarBody className={s.dll}>
                    <MessageBarTitle>
                      {dllFiles === 1 ? '1 of the files is a DLL' : `${count(dllFiles)} of the files are DLLs`}, and the DLL rule collection is off
                    </MessageBarTitle>
                    <Text>
                      No DLL rules are made unless you ask. DLL rules turn the DLL rule collection on: every DLL that every program loads is then checked,
                      which slows every program start, and any DLL no rule allows is blocked, so without the default DLL rules (Windows and Program
                      Files folders, administrators) Windows itself stops working.
                    </Text>
                    <Checkbox
                      checked={options.includeDll}
                      onChange={(_, d) => setOptions({ includeDll: d.checked === true })}
                      label="Create DLL rules too (turns the DLL rule collection on)"
                    />
                    {options.includeDll && (
                      <Checkbox
                        checked={options.dllDefaults}
                        onChange={(_, d) => setOptions({ dllDefaults: d.checked === true })}
                        label="Also add the default DLL rules (recommended)"
                      />
                    )}
                  </MessageBarBody>
                </MessageBar>
              )}

              {run.state === 'done' && !sidOk && <Text className={s.error}>Choose a valid user or group to see the proposed rules.</Text>}

              {run.state === 'done' && proposal && (
                <>
                  <Text weight="semibold">
                    Proposed rules ({proposal.rules.length}, {chosen.length} chosen)
                  </Text>
                  <ProposedRulesTable
                    rules={proposal.rules}
                    excluded={excluded}
                    onToggle={toggle}
                    onToggleAll={(on) => setExcluded(proposal, on ? new Set() : new Set(proposal.rules.map((_r, i) => i)))}
                  />
                </>
              )}
              {run.state === 'done' && notes.length > 0 && (
                <>
                  <Text weight="semibold">Files ({notes.filter((n) => n.severity === 'error').length} without a rule)</Text>
                  <FileNotesList notes={notes} label="File problems" />
                </>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={running || chosen.length === 0} onClick={add}>
              Add rules
            </Button>
            <Button disabled={running} onClick={onClose}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
