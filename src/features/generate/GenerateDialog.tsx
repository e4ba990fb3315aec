/**
 * The "Automatically Generate Rules..." dialog: pick files (or a folder), choose the user or group,
 * the rule preference and grouping; the files are read in a Worker (progress, Cancel, throughput);
 * then a review table of the proposed rules (src/applocker/generate.ts) with per-file problems, and
 * "Add rules" applies the chosen ones as one undoable edit.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar, MessageBarBody,
  ProgressBar, Radio, RadioGroup, Select, Text, makeStyles, tokens,
} from '@fluentui/react-components'
import type { FileInfoProgress } from '../../applocker/fileinfo/protocol'
import type { FileInfo } from '../../applocker/fileinfo'
import { addProposedRules, proposeRules, type FileNote, type RulePreference } from '../../applocker/generate'
import { WELL_KNOWN_SIDS } from '../../applocker/sids'
import { isValidSid } from '../../applocker/validate'
import { useDocument } from '../../store/document'
import { FileInfoClient, type FileResult, type RunSummary } from '../../lib/fileinfoClient'
import { ProposedRulesTable } from '../../ui/ProposedRulesTable'
import { plural } from '../../lib/plural'

const useStyles = makeStyles({
  surface: { maxWidth: 'min(1200px, 96vw)', width: '96vw' },
  section: { display: 'flex', flexDirection: 'column', gap: '10px', marginTop: '8px' },
  row: { display: 'flex', gap: '16px', alignItems: 'end', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  notes: { margin: 0, paddingLeft: '20px', maxHeight: '160px', overflowY: 'auto', fontSize: tokens.fontSizeBase200 },
  error: { color: tokens.colorPaletteRedForeground1 },
  hiddenInput: { display: 'none' },
})

const PREFERENCES: { value: RulePreference; label: string }[] = [
  { value: 'publisher', label: 'Publisher rules where signed, hash rules otherwise' },
  { value: 'hash', label: 'File hash rules' },
  { value: 'path', label: 'Path rules' },
]

type Run =
  | { state: 'idle' }
  | { state: 'running'; progress: FileInfoProgress | null }
  | { state: 'done'; summary: RunSummary }
  | { state: 'cancelled' }
  | { state: 'error'; message: string }

function fileLabel(f: File): string {
  return (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`
  return `${n} bytes`
}

export default function GenerateDialog({ onClose }: { onClose: () => void }) {
  const s = useStyles()
  const [files, setFiles] = useState<File[]>([])
  const [sidChoice, setSidChoice] = useState('S-1-1-0')
  const [customSid, setCustomSid] = useState('')
  const [preference, setPreference] = useState<RulePreference>('publisher')
  const [groupSimilar, setGroupSimilar] = useState(true)
  const [folder, setFolder] = useState('%PROGRAMFILES%')
  const [run, setRun] = useState<Run>({ state: 'idle' })
  const [results, setResults] = useState<FileResult[]>([])
  const [off, setOff] = useState<{ key: unknown; set: Set<number> } | null>(null)
  const client = useRef<FileInfoClient | null>(null)
  const filesInput = useRef<HTMLInputElement>(null)
  const folderInput = useRef<HTMLInputElement>(null)

  useEffect(() => () => client.current?.dispose(), [])

  const sid = sidChoice === 'custom' ? customSid.trim() : sidChoice
  const sidOk = isValidSid(sid)
  const existing = useDocument((d) => d.policy)

  const infos = useMemo(() => results.map((r) => r.value).filter((v): v is FileInfo => v !== null), [results])
  const proposal = useMemo(() => {
    if (!sidOk || infos.length === 0) return null
    const base = folder.trim().replace(/[\\/]+$/, '')
    const pathFor = (i: FileInfo) => (base ? `${base}\\` : '') + i.path.replace(/\//g, '\\')
    return proposeRules(infos, { sid, preference, groupSimilar, pathFor, existing })
  }, [infos, sid, sidOk, preference, groupSimilar, folder, existing])

  const excluded = off && off.key === proposal ? off.set : new Set((proposal?.rules ?? []).flatMap((r, i) => (r.existing ? [i] : [])))
  const chosen = (proposal?.rules ?? []).filter((_, i) => !excluded.has(i))

  const readFailures: FileNote[] = results.flatMap((r) =>
    r.value ? [] : [{ path: r.name, severity: 'error' as const, message: r.diagnostics.map((d) => d.message).join(' ') || 'The file cannot be read.' }],
  )
  const notes = [...readFailures, ...(proposal?.notes ?? [])]

  const pick = (list: FileList | null) => {
    if (!list || list.length === 0) return
    setFiles(Array.from(list))
    setResults([])
    setRun({ state: 'idle' })
  }

  const analyze = () => {
    if (files.length === 0) return
    client.current ??= new FileInfoClient()
    const collected: FileResult[] = []
    setResults([])
    setRun({ state: 'running', progress: null })
    client.current.start(
      files.map((f) => ({ name: fileLabel(f), data: f })),
      {
        onProgress: (p) => setRun({ state: 'running', progress: p }),
        onResult: (r, index) => {
          collected[index] = r
        },
        onDone: (summary) => {
          setResults(collected.filter(Boolean))
          setRun({ state: 'done', summary })
        },
        onCancelled: () => {
          setResults([])
          setRun({ state: 'cancelled' })
        },
        onError: (message) => setRun({ state: 'error', message }),
      },
    )
  }

  const add = () => {
    if (chosen.length === 0) return
    useDocument.getState().apply(`Generate ${plural(chosen.length, 'rule')}`, (p) => addProposedRules(p, chosen))
    onClose()
  }

  const toggle = (i: number, on: boolean) => {
    const next = new Set(excluded)
    if (on) next.delete(i)
    else next.add(i)
    setOff({ key: proposal, set: next })
  }

  const totalBytes = files.reduce((a, f) => a + f.size, 0)
  const running = run.state === 'running'
  const progress = run.state === 'running' ? run.progress : null

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
                <input ref={filesInput} className={s.hiddenInput} type="file" multiple aria-label="Files to analyze" onChange={(e) => { pick(e.target.files); e.target.value = '' }} />
                <input
                  ref={folderInput}
                  className={s.hiddenInput}
                  type="file"
                  aria-label="Folder to analyze"
                  {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
                  onChange={(e) => { pick(e.target.files); e.target.value = '' }}
                />
                <Text role="status" aria-label="Selected files">
                  {files.length === 0 ? 'No files chosen.' : `${plural(files.length, 'file')} chosen (${formatBytes(totalBytes)})`}
                </Text>
              </div>

              <div className={s.row}>
                <Field label="User or group">
                  <Select value={sidChoice} onChange={(_, d) => setSidChoice(d.value)} disabled={running}>
                    {WELL_KNOWN_SIDS.map((w) => (
                      <option key={w.sid} value={w.sid}>
                        {w.name} ({w.sid})
                      </option>
                    ))}
                    <option value="custom">Other SID...</option>
                  </Select>
                </Field>
                {sidChoice === 'custom' && (
                  <Field label="SID" validationMessage={customSid && !sidOk ? 'A SID looks like S-1-5-21-…-1001.' : undefined}>
                    <Input className={s.mono} value={customSid} placeholder="S-1-5-21-..." onChange={(_, d) => setCustomSid(d.value)} />
                  </Field>
                )}
              </div>

              <Field label="Rule preference">
                <RadioGroup value={preference} onChange={(_, d) => setPreference(d.value as RulePreference)} disabled={running}>
                  {PREFERENCES.map((p) => (
                    <Radio key={p.value} value={p.value} label={p.label} />
                  ))}
                </RadioGroup>
              </Field>
              {preference === 'path' && (
                <Field label="Folder the files are in on the computers" hint="Each path rule is this folder followed by the file's path as picked (folder pick: its relative path).">
                  <Input className={s.mono} value={folder} onChange={(_, d) => setFolder(d.value)} />
                </Field>
              )}
              <Checkbox
                checked={groupSimilar}
                onChange={(_, d) => setGroupSimilar(!!d.checked)}
                label="Group similar files (reduce the number of rules: one publisher rule per publisher and product, one hash rule per collection, one path rule per folder)"
              />

              <div className={s.row}>
                <Button appearance="primary" disabled={files.length === 0 || running} onClick={analyze}>
                  Analyze files
                </Button>
                {running && <Button onClick={() => client.current?.cancel()}>Cancel</Button>}
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
                    onToggleAll={(on) => setOff({ key: proposal, set: on ? new Set() : new Set(proposal.rules.map((_r, i) => i)) })}
                  />
                </>
              )}
              {run.state === 'done' && notes.length > 0 && (
                <>
                  <Text weight="semibold">Files ({notes.filter((n) => n.severity === 'error').length} without a rule)</Text>
                  <ul className={s.notes} aria-label="File problems" tabIndex={0}>
                    {notes.map((n, i) => (
                      <li key={i} className={n.severity === 'error' ? s.error : undefined}>
                        <span className={s.mono}>{n.path}</span>: {n.message}
                      </li>
                    ))}
                  </ul>
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
