/**
 * The view of one rule collection, as the snap-in's collection node: its name, enforcement mode
 * and rule count; the actions (Create New Rule..., Create Default Rules, Configure rule
 * enforcement, and Edit / Delete / Duplicate / Move / Copy / bulk changes on the selection); the
 * filters; and the virtualized rule list. Every edit goes through useDocument.apply (undoable).
 */
import { Suspense, lazy, useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { Button, Dropdown, MessageBar, MessageBarBody, Option, SearchBox, Spinner, Text, Toolbar, makeStyles, tokens } from '@fluentui/react-components'
import {
  COLLECTION_LABELS,
  ENFORCEMENT_LABELS,
  RULE_KIND_LABELS,
  type CollectionType,
  type EnforcementMode,
  type RuleAction,
  type Policy,
  type RuleKind,
  invalidEnforcementMode,
} from '../../applocker/policy'
import type { Diagnostic } from '../../applocker/diagnostics'
import { quoteValue } from '../../applocker/diagnostics'
import { isDllCollectionEnabled } from '../../applocker/ops'
import { sidDisplayName } from '../../applocker/sids'
import { commandForKey } from '../../lib/commands'
import { useDocument } from '../../store/document'
import { knownDiagnostics, policyDiagnostics } from '../../store/review'
import { useUi } from '../../store/ui'
import { CommandBar } from '../../ui/CommandBar'
import { ModeBadge } from '../../ui/ModeBadge'
import { RuleDetails } from './RuleDetails'
import { RuleGrid } from './RuleGrid'
import type { RuleDialogAfter } from './RuleDialog'
import { RULES_COMMANDS, applyUser, type RulesCommandState } from './commands'
import { count, plural } from '../../lib/plural'
import {
  EMPTY_SELECTION,
  buildRows,
  clickSelect,
  distinctUsers,
  filterRows,
  pruneSelection,
  ruleProblems,
  selectedIndices,
  sortRows,
  toggleSelect,
  type RowFilter,
  type RuleRow,
  type Sort,
  type SortKey,
} from './ruleList'
import { useRulesView } from './viewStore'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '8px', height: '100%', minHeight: '420px' },
  header: { display: 'flex', alignItems: 'center', gap: '10px', flexWrap: 'wrap' },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  count: { color: tokens.colorNeutralForeground3 },
  toolbar: { flexWrap: 'wrap', padding: 0 },
  filters: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  search: { minWidth: '240px', flexGrow: 1, maxWidth: '420px' },
  dropdown: { minWidth: '150px' },
  status: { color: tokens.colorNeutralForeground2, minHeight: '1.2em' },
  undo: { minWidth: 0, padding: 0, height: 'auto', verticalAlign: 'baseline' },
})

// The dialogs (react-hook-form, the condition editors) load on first use: the first load stays small.
const RuleDialog = lazy(() => import('./RuleDialog').then((m) => ({ default: m.RuleDialog })))
const EnforcementDialog = lazy(() =>
  import('./EnforcementDialog').then((m) => ({ default: m.EnforcementDialog })),
)
const BulkUserDialog = lazy(() => import('./BulkUserDialog').then((m) => ({ default: m.BulkUserDialog })))

function CollectionViewInner({ type }: { type: CollectionType }) {
  const s = useStyles()
  const doc = useDocument()
  const policy = doc.policy
  const collectionIndex = policy.collections.findIndex((c) => c.type === type)
  const collection = collectionIndex >= 0 ? policy.collections[collectionIndex] : undefined
  // Validation of a big policy takes a while: it runs in the review Worker (once per policy, shared
  // with Export) so an edit or an import shows at once; its messages are keyed by rule object so the
  // last ones stay on the right rules until the new answer comes.
  const [validated, setValidated] = useState<{ policy: Policy; diagnostics: readonly Diagnostic[] } | null>(() => {
    const known = knownDiagnostics(policy)
    return known ? { policy, diagnostics: known } : null
  })
  useEffect(() => {
    let current = true
    policyDiagnostics(policy).then(
      (diagnostics) => {
        if (current) setValidated((v) => (v?.policy === policy ? v : { policy, diagnostics }))
      },
      () => {
        /* the Worker failed: the rules show no marks (Export and Review still check) */
      },
    )
    return () => {
      current = false
    }
  }, [policy])
  const problems = useMemo(() => {
    const i = validated ? validated.policy.collections.findIndex((c) => c.type === type) : -1
    return i < 0 ? new Map() : ruleProblems(validated!.policy.collections[i].rules, validated!.diagnostics, i)
  }, [validated, type])
  const allRows = useMemo(() => buildRows(collection?.rules ?? [], problems), [collection, problems])

  const [filter, setFilter] = useState<RowFilter>({ text: '', kind: 'all', action: 'all', sid: 'all' })
  const deferredText = useDeferredValue(filter.text)
  const [sort, setSort] = useState<Sort | null>(null)

  // Selection, dialog and status live in the view's store: the commands read and change them.
  const view = useRulesView()
  const { select, enter, leave, setIndices } = view
  useLayoutEffect(() => {
    enter(type)
    return () => leave(type)
  }, [type, enter, leave])

  // "Show rule" from another view (Review policy): clear the filter, select the rule, scroll to it.
  const reveal = useUi((u) => u.reveal)
  // The row the list brings into view and selects (a new nonce each time): from "Show rule", or the
  // rule just created or saved in the rule dialog.
  // `select`: "Show rule" selects the row; after the dialog only the list's cursor goes there.
  const [revealed, setRevealed] = useState<{ key: string; nonce: number; select?: boolean } | null>(null)
  const [shownReveal, setShownReveal] = useState<number | null>(null)
  if (reveal && reveal.type === type && reveal.nonce !== shownReveal) {
    const row = allRows[reveal.ruleIndex]
    setShownReveal(reveal.nonce)
    setRevealed((cur) => ({ key: row?.key ?? '', nonce: (cur?.nonce ?? 0) + 1, select: true }))
    if (row) setFilter({ text: '', kind: 'all', action: 'all', sid: 'all' })
  }
  useLayoutEffect(() => {
    if (revealed?.key && revealed.select) select({ keys: new Set([revealed.key]), anchor: revealed.key })
  }, [revealed, select])

  const rows = useMemo(
    () => sortRows(filterRows(allRows, { ...filter, text: deferredText }), sort),
    [allRows, filter, deferredText, sort],
  )
  const order = useMemo(() => rows.map((r) => r.key), [rows])
  const selection = useMemo(() => pruneSelection(view.selection, order), [view.selection, order])
  const indices = useMemo(() => selectedIndices(rows, selection), [rows, selection])
  // The users and groups the rules name, for the filter's options: looked for when the filter is first opened
  // (80,000 rows took 10-15 ms of a large policy's first drawing).
  const [usersWanted, setUsersWanted] = useState(false)
  const users = useMemo(() => (usersWanted ? distinctUsers(allRows) : []), [usersWanted, allRows])
  // The palette and the keyboard run commands from the store: tell it what the selection means here.
  useEffect(() => setIndices(indices), [indices, setIndices])
  const state: RulesCommandState = { document: doc, rules: { ...view, type, indices } }

  const label = COLLECTION_LABELS[type]
  const mode: EnforcementMode = collection?.enforcementMode ?? 'NotConfigured'
  const invalidMode = collection ? invalidEnforcementMode(collection) : undefined
  const dllOff = type === 'Dll' && !isDllCollectionEnabled(policy)
  const ruleCount = collection?.rules.length ?? 0
  // Counted once per rule list, not on every keystroke or selection change (50,000 rows).
  const errorCount = useMemo(() => allRows.reduce((n, r) => n + (r.errors.length > 0 ? 1 : 0), 0), [allRows])

  const onSort = useCallback(
    (key: SortKey) =>
      setSort((cur) =>
        cur?.key !== key
          ? { key, direction: 'ascending' }
          : cur.direction === 'ascending'
            ? { key, direction: 'descending' }
            : null,
      ),
    [],
  )
  const onRowClick = useCallback(
    (key: string, mods: { shift: boolean; ctrl: boolean }) => select((sel) => clickSelect(sel, key, order, mods)),
    [order, select],
  )
  const onToggle = useCallback((key: string) => select((sel) => toggleSelect(sel, key)), [select])
  const onToggleAll = useCallback(
    () =>
      select((sel) =>
        rows.length > 0 && rows.every((r) => sel.keys.has(r.key))
          ? EMPTY_SELECTION
          : { keys: new Set(order), anchor: order[0] ?? null },
      ),
    [rows, order, select],
  )
  const onSelectKeys = useCallback((keys: string[], anchor: string) => select({ keys: new Set(keys), anchor }), [select])
  const openDialog = view.openDialog
  const onEdit = useCallback((row: RuleRow) => openDialog({ kind: 'rule', editing: row.rule }), [openDialog])
  // The rule list's own keys (Delete): the same command records as the toolbar.
  const onCommandKey = (e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }) => {
    const c = commandForKey(RULES_COMMANDS, 'rule list', e, state)
    if (!c) return false
    void c.run(state)
    return true
  }

  const one = indices.length === 1 ? allRows[indices[0]] : undefined
  const hasSelection = indices.length > 0
  const filtered = rows.length !== allRows.length
  const dialog = view.dialog
  const status = view.status

  // Where focus goes when the rule dialog closes (never to <body>): after Create or Save to the rule's
  // row (the rule list, its cursor on that row; the selection stays as it was); after Cancel or Esc
  // back to what opened the dialog (the button or the rule list).
  const sectionRef = useRef<HTMLElement>(null)
  const [focusAfter, setFocusAfter] = useState<{ ruleKey?: string; opener?: HTMLElement | null; nonce: number } | null>(null)
  const closeRuleDialog = (message?: string, after?: RuleDialogAfter) => {
    view.closeDialog(message)
    const ruleKey = after?.ruleId?.toLowerCase()
    setFocusAfter((cur) => ({ ruleKey, opener: after?.opener, nonce: (cur?.nonce ?? 0) + 1 }))
    if (ruleKey) setRevealed((cur) => ({ key: ruleKey, nonce: (cur?.nonce ?? 0) + 1 }))
  }
  useEffect(() => {
    if (!focusAfter || dialog) return
    // After the dialog's own focus handling has run (it unmounts in this commit).
    const id = requestAnimationFrame(() => {
      const grid = sectionRef.current?.querySelector<HTMLElement>('[role="grid"]')
      const target = focusAfter.ruleKey ? grid : focusAfter.opener?.isConnected ? focusAfter.opener : grid
      target?.focus()
    })
    return () => cancelAnimationFrame(id)
  }, [focusAfter, dialog])

  return (
    <section ref={sectionRef} className={s.root} aria-label={label}>
      <div className={s.header}>
        <h2 className={s.title}>{label}</h2>
        <ModeBadge mode={mode} invalid={invalidMode} aria-label={`Enforcement: ${ENFORCEMENT_LABELS[mode]}`}>
          {dllOff ? 'Off' : undefined}
        </ModeBadge>
        <Text className={s.count} aria-live="polite">
          {plural(ruleCount, 'rule')}
          {filtered ? ` · showing ${count(rows.length)}` : ''}
          {hasSelection ? ` · ${count(indices.length)} selected` : ''}
          {errorCount ? ` · ${plural(errorCount, 'rule')} with errors` : ''}
        </Text>
      </div>
      {dllOff && (
        <MessageBar intent="info">
          <MessageBarBody>
            The DLL rule collection is off. Turn it on in Configure rule enforcement, or create a rule here (a
            DLL collection with rules is active).
          </MessageBarBody>
        </MessageBar>
      )}
      {invalidMode !== undefined && (
        <MessageBar intent="error">
          <MessageBarBody>
            The file says EnforcementMode={quoteValue(invalidMode, 80)}, which Windows does not accept (NotConfigured, Enabled or AuditOnly): the policy is refused until you choose a mode in Configure rule enforcement.
          </MessageBarBody>
        </MessageBar>
      )}
      {mode === 'NotConfigured' && invalidMode === undefined && ruleCount > 0 && !dllOff && (
        <MessageBar intent="warning">
          <MessageBarBody>
            Not configured with rules still enforces: these rules block what they do not allow. Choose Audit
            only in Configure rule enforcement to test first.
          </MessageBarBody>
        </MessageBar>
      )}
      <Toolbar aria-label={`${label} actions`} className={s.toolbar} size="small">
        <CommandBar commands={RULES_COMMANDS} state={state} />
      </Toolbar>
      <div className={s.filters} role="search" aria-label="Filter rules">
        <SearchBox
          className={s.search}
          aria-label="Filter rules by text"
          placeholder="Filter by name, path, publisher, user..."
          value={filter.text}
          onChange={(_, d) => setFilter((f) => ({ ...f, text: d.value }))}
        />
        <Dropdown
          className={s.dropdown}
          aria-label="Kind"
          value={filter.kind === 'all' ? 'All kinds' : RULE_KIND_LABELS[filter.kind]}
          selectedOptions={[filter.kind]}
          onOptionSelect={(_, d) =>
            setFilter((f) => ({ ...f, kind: (d.optionValue ?? 'all') as RuleKind | 'all' }))
          }
        >
          <Option value="all">All kinds</Option>
          {(Object.keys(RULE_KIND_LABELS) as RuleKind[]).map((k) => (
            <Option key={k} value={k}>
              {RULE_KIND_LABELS[k]}
            </Option>
          ))}
        </Dropdown>
        <Dropdown
          className={s.dropdown}
          aria-label="Action"
          value={filter.action === 'all' ? 'All actions' : filter.action}
          selectedOptions={[filter.action]}
          onOptionSelect={(_, d) =>
            setFilter((f) => ({ ...f, action: (d.optionValue ?? 'all') as RuleAction | 'all' }))
          }
        >
          <Option value="all">All actions</Option>
          <Option value="Allow">Allow</Option>
          <Option value="Deny">Deny</Option>
        </Dropdown>
        <Dropdown
          className={s.dropdown}
          aria-label="User or group"
          value={filter.sid === 'all' ? 'All users and groups' : sidDisplayName(filter.sid)}
          selectedOptions={[filter.sid]}
          onOpenChange={(_, d) => d.open && setUsersWanted(true)}
          onOptionSelect={(_, d) => setFilter((f) => ({ ...f, sid: d.optionValue ?? 'all' }))}
        >
          <Option value="all">All users and groups</Option>
          {users.map((u) => (
            <Option key={u.sid} value={u.sid} text={u.name}>
              {u.name}
            </Option>
          ))}
        </Dropdown>
      </div>
      <RuleGrid
        label={`${label}: rules`}
        rows={rows}
        selection={selection}
        sort={sort}
        onSort={onSort}
        onRowClick={onRowClick}
        onToggle={onToggle}
        onToggleAll={onToggleAll}
        onSelectKeys={onSelectKeys}
        onEdit={onEdit}
        onCommandKey={onCommandKey}
        reveal={revealed}
        emptyText={
          allRows.length
            ? 'No rule matches the filters.'
            : 'This collection has no rules. Use Create New Rule... or Create Default Rules.'
        }
      />
      {one && <RuleDetails row={one} />}
      <Text role="status" size={200} className={s.status}>
        {status?.text}
        {status?.undoLabel && (
          <>
            {' - '}
            <Button
              appearance="transparent"
              size="small"
              className={s.undo}
              disabled={doc.past[doc.past.length - 1]?.label !== status.undoLabel}
              onClick={() => {
                doc.undo()
                view.say(`Undid ${status.undoLabel}.`)
              }}
            >
              Undo
            </Button>
          </>
        )}
      </Text>
      <Suspense fallback={<Spinner size="tiny" label="Loading..." />}>
        {dialog?.kind === 'rule' && <RuleDialog type={type} editing={dialog.editing} onClose={closeRuleDialog} />}
        {dialog?.kind === 'enforcement' && <EnforcementDialog onClose={view.closeDialog} />}
        {dialog?.kind === 'user' && (
          <BulkUserDialog count={dialog.indices.length} onClose={() => view.closeDialog()} onApply={(sid) => applyUser(state, dialog.indices, sid)} />
        )}
      </Suspense>
    </section>
  )
}

/** The main view for one rule collection (state resets when the collection changes). */
export function CollectionView({ type }: { type: CollectionType }) {
  return <CollectionViewInner key={type} type={type} />
}
