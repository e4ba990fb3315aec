/**
 * The merge dialog: the other policy's file is read; a refused file shows its located diagnostics
 * and changes nothing. Otherwise two tabs: "Preview" (Set-AppLockerPolicy -Merge semantics, then
 * "Apply merge") and "Pick rules" (manual merge of chosen rules into a chosen collection).
 */
import { useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody,
  Select, Tab, TabList, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens,
} from '@fluentui/react-components'
import {
  COLLECTION_LABELS, COLLECTION_TYPES, type CollectionType, type Policy, type Rule,
} from '../../applocker/policy'
import { copyRulesIntoDetailed, mergePolicies, planMerge, type CollectionMergePreview, type MergePreview, type ModeMerge } from '../../applocker/merge'
import { useDocument } from '../../store/document'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { useShown } from '../../ui/useShown'
import { ModeBadge } from '../../ui/ModeBadge'
import { ruleLabel } from '../../lib/ruleLabel'
import type { OtherPolicy } from '../../lib/readOtherPolicy'
import { count, plural, verb } from '../../lib/plural'

/** Height of a line of the pick list (a checkbox, or a collection's heading). */
const PICK_ROW = 32

const useStyles = makeStyles({
  surface: { maxWidth: 'min(1100px, 96vw)', width: '96vw' },
  section: { display: 'flex', flexDirection: 'column', gap: '10px', marginTop: '10px' },
  list: { margin: 0, paddingLeft: '20px', maxHeight: '180px', overflowY: 'auto', fontSize: tokens.fontSizeBase200 },
  pick: { maxHeight: '340px', overflowY: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '4px 8px' },
  row: { display: 'flex', gap: '12px', alignItems: 'end', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  changed: { fontWeight: tokens.fontWeightSemibold },
  group: { fontWeight: tokens.fontWeightSemibold, paddingTop: '6px' },
  pickLine: { position: 'absolute', top: 0, left: 0, right: 0, height: `${PICK_ROW}px`, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' },
})

/** Rules listed under a preview's heading: drawn when the heading is opened, a part at a time (useShown, as Compare's lists). */
function RuleList({ rules, label }: { rules: Rule[]; label: string }) {
  const s = useStyles()
  // A 20,000-rule file put 20,000 closed lines in the page, which opening and closing the dialog paid for.
  const [open, setOpen] = useState(false)
  const [shown, more] = useShown(rules.length)
  if (rules.length === 0) return null
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {label} ({count(rules.length)})
      </summary>
      <ul className={s.list} aria-label={label} tabIndex={0}>
        {open &&
          rules.slice(0, shown).map((r, i) => (
            <li key={i}>
              {ruleLabel(r)} <span className={s.mono}>{r.id}</span>
            </li>
          ))}
      </ul>
      {open && more}
    </details>
  )
}

const MODE_CHOICES: { value: ModeMerge; label: (fileName: string) => string }[] = [
  { value: 'restrictive', label: () => 'The more restrictive of the two (Enforce over Audit only over Not configured), as Set-AppLockerPolicy -Merge (inferred)' },
  { value: 'target', label: () => "Keep the open policy's modes" },
  { value: 'incoming', label: (f) => `Take the modes of ${f}` },
]

function Preview({ preview, fileName, modes, setModes }: { preview: MergePreview; fileName: string; modes: ModeMerge; setModes: (m: ModeMerge) => void }) {
  const s = useStyles()
  const modeChanges = preview.perCollection.filter((c) => c.modeBefore !== c.modeAfter)
  const conflicts = preview.perCollection.reduce((n, c) => n + c.conflicts.length, 0)
  return (
    <div className={s.section}>
      <Text as="p" role="status" aria-label="Merge summary">
        {plural(preview.addedCount, 'rule')} will be added, {count(preview.duplicateCount)} dropped as duplicates (same Id), {plural(modeChanges.length, 'enforcement mode')}{' '}
        will change.
      </Text>
      <MessageBar intent="info">
        <MessageBarBody>
          Like Set-AppLockerPolicy -Merge: rules are combined per collection, a rule whose Id is already in the open policy is dropped (the open
          policy&apos;s copy is kept). Microsoft&apos;s pages disagree on the mode: one says each collection gets the more restrictive mode
          (Enforce over Audit only over Not configured), the Set-AppLockerPolicy page says the target&apos;s mode is kept. Choose below, and
          check the resulting mode in the table.
        </MessageBarBody>
      </MessageBar>
      <Field label="Enforcement modes after the merge">
        <Select value={modes} onChange={(_, d) => setModes(d.value as ModeMerge)}>
          {MODE_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label(fileName)}
            </option>
          ))}
        </Select>
      </Field>
      <Table size="small" aria-label="Merge preview by collection">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Collection</TableHeaderCell>
            <TableHeaderCell>Added</TableHeaderCell>
            <TableHeaderCell>Dropped as duplicate</TableHeaderCell>
            <TableHeaderCell>Mode now</TableHeaderCell>
            <TableHeaderCell>Mode after merge</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {preview.perCollection.map((c: CollectionMergePreview) => (
            <TableRow key={c.type}>
              <TableCell>{COLLECTION_LABELS[c.type]}</TableCell>
              <TableCell>{count(c.added.length)}</TableCell>
              <TableCell>
                {count(c.duplicates.length)}
                {c.conflicts.length > 0 && ` (${c.conflicts.length} differ from the kept rule)`}
              </TableCell>
              <TableCell>
                <ModeBadge mode={c.modeBefore} absentLabel="absent" />
              </TableCell>
              <TableCell className={c.modeBefore !== c.modeAfter ? s.changed : undefined}>
                <ModeBadge mode={c.modeAfter} absentLabel="absent" />
                {c.modeBefore !== c.modeAfter && ' (changes)'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {conflicts > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {conflicts} incoming rule{conflicts === 1 ? ' has' : 's have'} the Id of a rule in the open policy but different content; the open
            policy&apos;s rule is kept. Use &quot;Pick rules&quot; to add them under new Ids.
          </MessageBarBody>
        </MessageBar>
      )}
      {preview.extensionsChanged.map((e, i) => (
        <MessageBar key={i} intent="info">
          <MessageBarBody>{e.message}</MessageBarBody>
        </MessageBar>
      ))}
      {preview.ignoredCollections > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>{plural(preview.ignoredCollections, 'collection')} of unknown type in the file {verb(preview.ignoredCollections, 'is', 'are')} left out.</MessageBarBody>
        </MessageBar>
      )}
      {preview.perCollection.map((c) => (
        <div key={c.type}>
          <RuleList rules={c.added} label={`${COLLECTION_LABELS[c.type]}: rules to add`} />
          <RuleList rules={c.duplicates} label={`${COLLECTION_LABELS[c.type]}: duplicates dropped`} />
        </div>
      ))}
    </div>
  )
}

type TargetChoice = CollectionType | 'same'

interface PickItem {
  key: string
  rule: Rule
  type: CollectionType
}

/**
 * The incoming rules as checkboxes under their collection's heading, virtualized: only the lines in
 * view are in the page (a 20,000-rule file drew 20,000 checkboxes and froze the page for seconds).
 */
function PickList({ items, checked, setChecked, label }: { items: PickItem[]; checked: Set<string>; setChecked: (next: Set<string>) => void; label: string }) {
  const s = useStyles()
  const lines = useMemo(() => {
    const out: ({ head: CollectionType } | { item: PickItem })[] = []
    items.forEach((x, i) => {
      if (i === 0 || items[i - 1].type !== x.type) out.push({ head: x.type })
      out.push({ item: x })
    })
    return out
  }, [items])
  const scroller = useRef<HTMLDivElement>(null)
  // TanStack Virtual's API is not memoizable by the React compiler; this component is simply not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => PICK_ROW, overscan: 10 })
  return (
    <div ref={scroller} className={s.pick} role="group" aria-label={label}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const line = lines[v.index]
          return (
            <div key={v.key} className={s.pickLine} style={{ transform: `translateY(${v.start}px)` }}>
              {'head' in line ? (
                <div className={s.group}>{COLLECTION_LABELS[line.head]}</div>
              ) : (
                <Checkbox
                  label={ruleLabel(line.item.rule)}
                  checked={checked.has(line.item.key)}
                  onChange={(_, d) => {
                    const next = new Set(checked)
                    if (d.checked) next.add(line.item.key)
                    else next.delete(line.item.key)
                    setChecked(next)
                  }}
                />
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}

function PickRules({ incoming, fileName }: { incoming: Policy; fileName: string }) {
  const s = useStyles()
  const [checked, setChecked] = useState<Set<string>>(new Set())
  const [target, setTarget] = useState<TargetChoice>('same')
  const [result, setResult] = useState<string | null>(null)
  const items = useMemo(
    (): PickItem[] =>
      incoming.collections.flatMap((c, ci) =>
        c.type === null ? [] : c.rules.map((rule, ri) => ({ key: `${ci}:${ri}`, rule, type: c.type as CollectionType })),
      ),
    [incoming],
  )
  const all = items.length > 0 && checked.size === items.length
  const add = () => {
    const chosen = items.filter((x) => checked.has(x.key))
    if (chosen.length === 0) return
    const totals = { added: 0, renamed: 0, skipped: 0, identical: 0 }
    useDocument.getState().apply(`Add ${plural(chosen.length, 'rule')} from ${fileName}`, (p) => {
      let next = p
      const groups = new Map<CollectionType, Rule[]>()
      for (const x of chosen) {
        const t = target === 'same' ? x.type : target
        groups.set(t, [...(groups.get(t) ?? []), x.rule])
      }
      for (const [t, rules] of groups) {
        const r = copyRulesIntoDetailed(next, rules, t)
        totals.added += r.added
        totals.renamed += r.renamed
        totals.skipped += r.skipped
        totals.identical += r.identical
        next = r.policy
      }
      return next
    })
    setResult(
      `Added ${plural(totals.added + totals.renamed, 'rule')}` +
        (totals.renamed ? `, ${totals.renamed} under a new Id because theirs was taken` : '') +
        (totals.skipped ? `; ${totals.skipped} left out (Packaged app rules can only be publisher rules)` : '') +
        (totals.identical
          ? `; ${plural(totals.identical, 'rule')} not added because the collection already has ${verb(totals.identical, 'it', 'them')} (the same rule, whatever its Id)`
          : '') +
        '.',
    )
    setChecked(new Set())
  }
  return (
    <div className={s.section}>
      <Text as="p">
        Choose rules of {fileName} and the collection to copy them into. This is also how packaged app rules are added to an existing rule set.
      </Text>
      <div className={s.row}>
        <Field label="Copy into">
          <Select value={target} onChange={(_, d) => setTarget(d.value as TargetChoice)}>
            <option value="same">The same collection as in the file</option>
            {COLLECTION_TYPES.map((t) => (
              <option key={t} value={t}>
                {COLLECTION_LABELS[t]}
              </option>
            ))}
          </Select>
        </Field>
        <Button appearance="primary" disabled={checked.size === 0} onClick={add}>
          Add selected rules
        </Button>
        <Text>{count(checked.size)} selected</Text>
      </div>
      {result && (
        <MessageBar intent="success">
          <MessageBarBody>{result}</MessageBarBody>
        </MessageBar>
      )}
      <Checkbox
        label={`Select all ${plural(items.length, 'rule')}`}
        checked={all ? true : checked.size > 0 ? 'mixed' : false}
        onChange={() => setChecked(all ? new Set() : new Set(items.map((x) => x.key)))}
      />
      <PickList items={items} checked={checked} setChecked={setChecked} label={`Rules in ${fileName}`} />
    </div>
  )
}

export default function MergeDialog({ fileName, other, onClose }: { fileName: string; other: OtherPolicy; onClose: () => void }) {
  const s = useStyles()
  const target = useDocument((d) => d.policy)
  const [tab, setTab] = useState<'preview' | 'pick'>('preview')
  const [modes, setModes] = useState<ModeMerge>('restrictive')
  const incoming = other.policy
  const problems = other.diagnostics.filter((d) => d.severity !== 'info')
  // Computed once for the preview; Apply takes the policy it previewed (merged again only if the open policy changed meanwhile).
  const plan = useMemo(() => (incoming ? planMerge(target, incoming, { modes }) : null), [target, incoming, modes])
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface}>
        <DialogBody>
          <DialogTitle>{incoming ? `Merge ${fileName}` : `Could not read ${fileName}`}</DialogTitle>
          <DialogContent>
            {!incoming ? (
              <>
                <MessageBar intent="error">
                  <MessageBarBody>The file is not an AppLocker policy this app can read. Nothing was merged; your open policy has not changed.</MessageBarBody>
                </MessageBar>
                <DiagnosticsList diagnostics={other.diagnostics} label="Problems in the file" />
              </>
            ) : (
              <>
                {problems.length > 0 && (
                  <details>
                    <summary>
                      {plural(problems.length, 'problem')} in {fileName}
                    </summary>
                    <DiagnosticsList diagnostics={problems} label="Problems in the file" />
                  </details>
                )}
                <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as 'preview' | 'pick')} aria-label="Merge mode">
                  <Tab value="preview">Merge all (preview)</Tab>
                  <Tab value="pick">Pick rules</Tab>
                </TabList>
                {tab === 'preview' ? plan && <Preview preview={plan.preview} fileName={fileName} modes={modes} setModes={setModes} /> : <PickRules incoming={incoming} fileName={fileName} />}
              </>
            )}
          </DialogContent>
          <DialogActions>
            {incoming && tab === 'preview' && (
              <Button
                appearance="primary"
                onClick={() => {
                  useDocument.getState().apply(`Merge ${fileName}`, (p) => (plan && p === target ? plan.policy : mergePolicies(p, incoming, { modes })))
                  onClose()
                }}
              >
                Apply merge
              </Button>
            )}
            <Button onClick={onClose}>{incoming && tab === 'preview' ? 'Cancel' : 'Close'}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
