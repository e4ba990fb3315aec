/**
 * The differences from the open policy to another policy file, by collection: rules added,
 * removed, changed (field by field), re-Id'd rules, mode and extension changes. Live: follows edits
 * of the open policy while the dialog is open.
 */
import { startTransition, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useShown } from '../../ui/useShown'
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarBody, Spinner,
  Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, mergeClasses, tokens,
} from '@fluentui/react-components'
import { AddCircleRegular, SubtractCircleRegular } from '@fluentui/react-icons'
import { COLLECTION_LABELS, ruleCount, type Policy } from '../../applocker/policy'
import { diffPolicies, resolveDiff, type CollectionDiff, type FieldChange, type PolicyDiff, type RuleChange } from '../../applocker/diff'
import { placedDiffInWorker } from '../../store/review'
import { useDocument } from '../../store/document'
import { DiagnosticsList } from '../../ui/DiagnosticsList'
import { ModeBadge } from '../../ui/ModeBadge'
import { ruleLabel } from '../../lib/ruleLabel'
import type { OtherPolicy } from '../../lib/readOtherPolicy'
import { count, plural } from '../../lib/plural'

const useStyles = makeStyles({
  surface: { maxWidth: 'min(1100px, 96vw)', width: '96vw' },
  section: { display: 'flex', flexDirection: 'column', gap: '6px', marginTop: '12px' },
  list: { margin: 0, paddingLeft: '20px', fontSize: tokens.fontSizeBase200 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  // Added / removed are told apart by a label and an icon in brand and neutral colours: green and
  // red mean Allow and Deny everywhere in this app (UX.md), not added and removed.
  marker: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: '2px',
    minWidth: '6.5em',
    fontWeight: tokens.fontWeightSemibold,
    verticalAlign: 'middle',
  },
  added: { color: tokens.colorBrandForeground1 },
  removed: { color: tokens.colorNeutralForeground3 },
  headIcon: { verticalAlign: 'middle', marginRight: '4px' },
  h3: { margin: '8px 0 0', fontSize: tokens.fontSizeBase400 },
  h4: { margin: '6px 0 0', fontSize: tokens.fontSizeBase300 },
})

function FieldTable({ changes, label }: { changes: FieldChange[]; label: string }) {
  const s = useStyles()
  return (
    <Table size="extra-small" aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Field</TableHeaderCell>
          <TableHeaderCell>Open policy</TableHeaderCell>
          <TableHeaderCell>Other policy</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {changes.map((c, i) => (
          <TableRow key={i}>
            <TableCell>{c.field}</TableCell>
            <TableCell className={s.mono}>{c.before || '—'}</TableCell>
            <TableCell className={s.mono}>{c.after || '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

/**
 * The collapsed line of a changed rule: the open policy's rule, then, where they differ, an arrow and
 * the other policy's (name, action, kind, user, Id), so it reads in the direction of the comparison.
 */
function ChangeLine({ c }: { c: RuleChange }) {
  const s = useStyles()
  const before = ruleLabel(c.before)
  const after = ruleLabel(c.after)
  const sameId = c.before.id.toLowerCase() === c.after.id.toLowerCase()
  return (
    <>
      {before} <span className={s.mono}>{c.before.id}</span>
      {(before !== after || !sameId) && (
        <>
          {' → '}
          {before !== after && `${after} `}
          {!sameId && <span className={s.mono}>{c.after.id}</span>}
        </>
      )}
    </>
  )
}

/** The dialog's title; when both files have the same name, which is which. */
export function compareTitle(openName: string, fileName: string): string {
  return openName.toLowerCase() === fileName.toLowerCase() ? `Compare the open policy (${openName}) with ${fileName} from disk` : `Compare ${openName} with ${fileName}`
}

function RuleLines({ items, label, marker }: { items: CollectionDiff['added']; label: string; marker: ReactNode }) {
  const s = useStyles()
  const [shown, more] = useShown(items.length)
  return (
    <>
      <ul className={s.list} aria-label={label}>
        {items.slice(0, shown).map((x, i) => (
          <li key={i}>
            {marker} {ruleLabel(x.rule)} <span className={s.mono}>{x.rule.id}</span>
          </li>
        ))}
      </ul>
      {more}
    </>
  )
}

/** One changed rule: its line, and its table of changed fields, drawn when opened. */
function ChangeItem({ c, collection }: { c: RuleChange; collection: string }) {
  const [open, setOpen] = useState(false)
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <ChangeLine c={c} /> — {plural(c.changes.length, 'field')}
      </summary>
      {open && <FieldTable changes={c.changes} label={`${collection}: changes to ${c.after.name || c.after.id}`} />}
    </details>
  )
}

function ChangeList({ items, title, collection }: { items: RuleChange[]; title: string; collection: string }) {
  const s = useStyles()
  const [shown, more] = useShown(items.length)
  if (items.length === 0) return null
  return (
    <>
      <h4 className={s.h4}>
        {title} ({count(items.length)})
      </h4>
      {items.slice(0, shown).map((c, i) => (
        <ChangeItem key={i} c={c} collection={collection} />
      ))}
      {more}
    </>
  )
}

function CollectionSection({ d }: { d: CollectionDiff }) {
  const s = useStyles()
  const label = COLLECTION_LABELS[d.type]
  const nothing =
    !d.modeChanged && d.added.length + d.removed.length + d.changed.length + d.reIded.length + d.extensionChanges.length === 0 && d.inA === d.inB
  return (
    <section className={s.section} aria-label={`${label} differences`}>
      <h3 className={s.h3}>{label}</h3>
      {nothing ? (
        <Text>No differences ({plural(d.unchanged, 'identical rule')}).</Text>
      ) : (
        <>
          <Text>
            {count(d.added.length)} added, {count(d.removed.length)} removed, {count(d.changed.length)} changed, {count(d.reIded.length)} under a new Id, {count(d.unchanged)}{' '}
            unchanged.
          </Text>
          {d.inA !== d.inB && <Text>{d.inA ? 'Only the open policy has this collection.' : 'Only the other policy has this collection.'}</Text>}
          {d.modeChanged && (
            <Text>
              Enforcement mode: <ModeBadge mode={d.modeBefore} absentLabel="absent" /> → <ModeBadge mode={d.modeAfter} absentLabel="absent" />
            </Text>
          )}
          {d.extensionChanges.length > 0 && <FieldTable changes={d.extensionChanges} label={`${label}: extension changes`} />}
          {d.added.length > 0 && (
            <>
              <h4 className={s.h4}>
                <AddCircleRegular aria-hidden className={mergeClasses(s.headIcon, s.added)} />
                Added in the other policy ({count(d.added.length)})
              </h4>
              <RuleLines items={d.added} label={`${label}: rules added`} marker={<span className={mergeClasses(s.marker, s.added)}>+ Added</span>} />
            </>
          )}
          {d.removed.length > 0 && (
            <>
              <h4 className={s.h4}>
                <SubtractCircleRegular aria-hidden className={mergeClasses(s.headIcon, s.removed)} />
                Not in the other policy ({count(d.removed.length)})
              </h4>
              <RuleLines items={d.removed} label={`${label}: rules removed`} marker={<span className={mergeClasses(s.marker, s.removed)}>− Removed</span>} />
            </>
          )}
          <ChangeList items={d.changed} title="Changed" collection={label} />
          <ChangeList items={d.reIded} title="Same condition under a new Id" collection={label} />
        </>
      )}
    </section>
  )
}

/** Rules in the two policies from which the diff is made in the review Worker; below, on the page at once. */
export const DIFF_IN_WORKER_FROM = 5_000

/**
 * diffPolicies(policy, other), made in the review Worker for large policies (on the page it took a
 * quarter of a second for 50,000 and 20,000 rules): 'pending' until it is there. Should the Worker
 * fail, the diff is made on the page: the comparison is never lost.
 */
function usePolicyDiff(policy: Policy, other: Policy | null): PolicyDiff | null | 'pending' {
  const inWorker = other !== null && ruleCount(policy) + ruleCount(other) >= DIFF_IN_WORKER_FROM
  const onPage = useMemo(() => (other !== null && !inWorker ? diffPolicies(policy, other) : null), [policy, other, inWorker])
  const [made, setMade] = useState<{ a: Policy; b: Policy; diff: PolicyDiff } | null>(null)
  useEffect(() => {
    if (other === null || !inWorker) return
    const controller = new AbortController()
    void (async () => {
      let diff: PolicyDiff
      try {
        diff = resolveDiff(await placedDiffInWorker(policy, other, controller.signal), policy, other)
      } catch {
        if (controller.signal.aborted) return
        diff = diffPolicies(policy, other)
      }
      // Drawn in a transition: React builds the lists' elements in slices between which the page answers.
      if (!controller.signal.aborted) startTransition(() => setMade({ a: policy, b: other, diff }))
    })()
    return () => controller.abort()
  }, [policy, other, inWorker])
  if (other === null) return null
  if (!inWorker) return onPage
  return made !== null && made.a === policy && made.b === other ? made.diff : 'pending'
}

export default function CompareDialog({ fileName, other, onClose }: { fileName: string; other: OtherPolicy; onClose: () => void }) {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const name = useDocument((d) => d.name)
  const made = usePolicyDiff(policy, other.policy)
  // Closing a large comparison (thousands of lines) took 180-250 ms in one task. The lines are hidden
  // first, without drawing anything again: the browser drops their layout in the next frame, and the
  // dialog goes in a task after it.
  const content = useRef<HTMLDivElement>(null)
  const closing = useRef(false)
  const close = () => {
    if (closing.current) return
    closing.current = true
    if (content.current) content.current.style.display = 'none'
    let done = false
    const finish = () => {
      if (done) return
      done = true
      onClose()
    }
    requestAnimationFrame(() => setTimeout(finish, 0))
    // A hidden page draws no frame: it closes anyway.
    setTimeout(finish, 250)
  }
  const pending = made === 'pending'
  const diff = pending ? null : made
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && close()}>
      <DialogSurface className={s.surface}>
        <DialogBody>
          <DialogTitle>{other.policy ? compareTitle(name, fileName) : `Could not read ${fileName}`}</DialogTitle>
          <DialogContent ref={content}>
            {pending ? (
              <Spinner role="status" labelPosition="after" label={`Comparing ${count(ruleCount(policy))} rules with ${count(ruleCount(other.policy!))}…`} />
            ) : !diff ? (
              <>
                <MessageBar intent="error">
                  <MessageBarBody>The file is not an AppLocker policy this app can read. Nothing to compare.</MessageBarBody>
                </MessageBar>
                <DiagnosticsList diagnostics={other.diagnostics} label="Problems in the file" />
              </>
            ) : (
              <>
                <Text as="p" block role="status" aria-label="Comparison summary">
                  {diff.identical
                    ? 'The two policies are identical.'
                    : `${count(diff.counts.added)} added, ${count(diff.counts.removed)} removed, ${count(diff.counts.changed)} changed, ${count(diff.counts.reIded)} under a new Id, ${plural(diff.counts.modeChanges, 'mode change')}, ${plural(diff.counts.extensionChanges, 'extension change')}.`}
                </Text>
                <Text as="p" block size={200}>
                  From the open policy to {fileName}: each changed rule reads open policy → {fileName}. Rules are the same rule when their Id
                  matches.
                </Text>
                {diff.policyChanges.length > 0 && <FieldTable changes={diff.policyChanges} label="Policy-level changes" />}
                {diff.collections.map((c) => (
                  <CollectionSection key={c.type} d={c} />
                ))}
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={close}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
