/**
 * The view of one rule collection, as the snap-in's collection node: its name, enforcement mode
 * and rule count; the actions (Create New Rule..., Create Default Rules, Configure rule
 * enforcement, and Edit / Delete / Duplicate / Move / Copy / bulk changes on the selection); the
 * filters; and the virtualized rule list. Every edit goes through useDocument.apply (undoable).
 */
import { Suspense, lazy, useCallback, useDeferredValue, useMemo, useState, type ReactElement } from 'react'
import {
  Button,
  Dropdown,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Option,
  SearchBox,
  Spinner,
  Text,
  Toolbar,
  ToolbarDivider,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import {
  AddRegular,
  ArrowMoveRegular,
  CopyRegular,
  DeleteRegular,
  DocumentCopyRegular,
  KeyMultipleRegular,
  EditRegular,
  PersonRegular,
  SettingsRegular,
  ShieldAddRegular,
  ShieldCheckmarkRegular,
} from '@fluentui/react-icons'
import {
  COLLECTION_LABELS,
  COLLECTION_TYPES,
  ENFORCEMENT_LABELS,
  RULE_KIND_LABELS,
  type CollectionType,
  type EnforcementMode,
  type RuleAction,
  type RuleKind,
} from '../../applocker/policy'
import { invalidEnforcementMode, validatePolicy } from '../../applocker/validate'
import { quoteValue } from '../../applocker/diagnostics'
import { addDefaultRules } from '../../applocker/defaults'
import {
  copyRules,
  deleteRules,
  duplicateRules,
  renewRuleIds,
  isDllCollectionEnabled,
  moveRules,
  placeableIndices,
  setRulesAction,
  setRulesUser,
} from '../../applocker/ops'
import { sidDisplayName } from '../../applocker/sids'
import { useDocument } from '../../store/document'
import { ModeBadge } from '../../ui/ModeBadge'
import { RuleDetails } from './RuleDetails'
import { RuleGrid } from './RuleGrid'
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
  type Selection,
  type Sort,
  type SortKey,
} from './ruleList'
import { useUi } from '../../store/ui'

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
})

// The dialogs (react-hook-form, the condition editors) load on first use: the first load stays small.
const RuleDialog = lazy(() => import('./RuleDialog').then((m) => ({ default: m.RuleDialog })))
const EnforcementDialog = lazy(() =>
  import('./EnforcementDialog').then((m) => ({ default: m.EnforcementDialog })),
)
const BulkUserDialog = lazy(() => import('./BulkUserDialog').then((m) => ({ default: m.BulkUserDialog })))

type DialogState =
  | { kind: 'rule'; editing: RuleRow['rule'] | null }
  | { kind: 'enforcement' }
  | { kind: 'user'; indices: number[] }
  | null

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

function CollectionViewInner({ type }: { type: CollectionType }) {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const collectionIndex = policy.collections.findIndex((c) => c.type === type)
  const collection = collectionIndex >= 0 ? policy.collections[collectionIndex] : undefined
  // Validation of a big policy takes a while: it runs on a deferred copy so an edit shows at once,
  // and its messages are keyed by rule object so they stay on the right rules meanwhile.
  const validatedPolicy = useDeferredValue(policy)
  const problems = useMemo(() => {
    const i = validatedPolicy.collections.findIndex((c) => c.type === type)
    return i < 0 ? new Map() : ruleProblems(validatedPolicy.collections[i].rules, validatePolicy(validatedPolicy), i)
  }, [validatedPolicy, type])
  const allRows = useMemo(() => buildRows(collection?.rules ?? [], problems), [collection, problems])

  const [filter, setFilter] = useState<RowFilter>({ text: '', kind: 'all', action: 'all', sid: 'all' })
  const deferredText = useDeferredValue(filter.text)
  const [sort, setSort] = useState<Sort | null>(null)
  const [rawSelection, setSelection] = useState<Selection>(EMPTY_SELECTION)
  const [dialog, setDialog] = useState<DialogState>(null)
  const [status, setStatus] = useState('')

  // "Show rule" from another view (Review policy): clear the filter, select the rule, scroll to it.
  const reveal = useUi((u) => u.reveal)
  const [revealed, setRevealed] = useState<{ key: string; nonce: number } | null>(null)
  if (reveal && reveal.type === type && reveal.nonce !== revealed?.nonce) {
    const row = allRows[reveal.ruleIndex]
    setRevealed({ key: row?.key ?? '', nonce: reveal.nonce })
    if (row) {
      setFilter({ text: '', kind: 'all', action: 'all', sid: 'all' })
      setSelection({ keys: new Set([row.key]), anchor: row.key })
    }
  }

  const rows = useMemo(
    () => sortRows(filterRows(allRows, { ...filter, text: deferredText }), sort),
    [allRows, filter, deferredText, sort],
  )
  const order = useMemo(() => rows.map((r) => r.key), [rows])
  const visible = useMemo(() => new Set(order), [order])
  const selection = useMemo(() => pruneSelection(rawSelection, visible), [rawSelection, visible])
  const indices = useMemo(() => selectedIndices(rows, selection), [rows, selection])
  const users = useMemo(() => distinctUsers(allRows), [allRows])

  const apply = useDocument((d) => d.apply)
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
    (key: string, mods: { shift: boolean; ctrl: boolean }) =>
      setSelection((sel) => clickSelect(sel, key, order, mods)),
    [order],
  )
  const onToggle = useCallback((key: string) => setSelection((sel) => toggleSelect(sel, key)), [])
  const onToggleAll = useCallback(
    () =>
      setSelection((sel) =>
        rows.length > 0 && rows.every((r) => sel.keys.has(r.key))
          ? EMPTY_SELECTION
          : { keys: new Set(order), anchor: order[0] ?? null },
      ),
    [rows, order],
  )
  const onSelectKeys = useCallback(
    (keys: string[], anchor: string) => setSelection({ keys: new Set(keys), anchor }),
    [],
  )
  const onEdit = useCallback(
    (row: RuleRow) => setDialog({ kind: 'rule', editing: row.rule }),
    [],
  )

  const del = useCallback(() => {
    if (!indices.length) return
    apply(`Delete ${plural(indices.length, 'rule')}`, (p) => deleteRules(p, type, indices))
    setSelection(EMPTY_SELECTION)
    setStatus(
      `Deleted ${plural(indices.length, 'rule')}. Undo brings ${indices.length === 1 ? 'it' : 'them'} back.`,
    )
  }, [apply, indices, type])

  const duplicate = () => {
    apply(`Duplicate ${plural(indices.length, 'rule')}`, (p) => duplicateRules(p, type, indices))
    setStatus(`Duplicated ${plural(indices.length, 'rule')}; the copies are at the end of the list.`)
  }

  const renewIds = () => {
    apply(`New Id for ${plural(indices.length, 'rule')}`, (p) => renewRuleIds(p, type, indices))
    setStatus(`Gave ${plural(indices.length, 'rule')} a new Id (a new GUID).`)
  }

  const transfer = (to: CollectionType, how: 'move' | 'copy') => {
    const ok = placeableIndices(policy, type, indices, to)
    const skipped = indices.length - ok.length
    if (ok.length) {
      apply(
        `${how === 'move' ? 'Move' : 'Copy'} ${plural(ok.length, 'rule')} to ${COLLECTION_LABELS[to]}`,
        (p) => (how === 'move' ? moveRules(p, type, indices, to) : copyRules(p, type, indices, to)),
      )
      if (how === 'move') setSelection(EMPTY_SELECTION)
    }
    setStatus(
      `${how === 'move' ? 'Moved' : 'Copied'} ${plural(ok.length, 'rule')} to ${COLLECTION_LABELS[to]}.` +
        (skipped
          ? ` ${plural(skipped, 'rule')} stayed: ${COLLECTION_LABELS[to]} take publisher rules only.`
          : ''),
    )
  }

  const setAction = (action: RuleAction) => {
    apply(`Set action ${action} on ${plural(indices.length, 'rule')}`, (p) =>
      setRulesAction(p, type, indices, action),
    )
    setStatus(`${plural(indices.length, 'rule')} now ${action === 'Allow' ? 'allow' : 'deny'}.`)
  }

  const createDefaults = () => {
    const result = addDefaultRules(useDocument.getState().policy, type)
    apply(`Create Default Rules (${label})`, (p) => addDefaultRules(p, type).policy)
    setStatus(
      result.added
        ? `Added ${plural(result.added, 'default rule')}${result.renamed ? ` (${result.renamed} under a new Id: its Id is used by an edited rule)` : ''}${result.skipped ? `; ${result.skipped} already present` : ''}.`
        : 'All default rules of this collection are already present.',
    )
  }

  const one = indices.length === 1 ? allRows[indices[0]] : undefined
  const hasSelection = indices.length > 0
  const filtered = rows.length !== allRows.length
  const others = COLLECTION_TYPES.filter((t) => t !== type)

  return (
    <section className={s.root} aria-label={label}>
      <div className={s.header}>
        <h2 className={s.title}>{label}</h2>
        <ModeBadge mode={mode} invalid={invalidMode} aria-label={`Enforcement: ${ENFORCEMENT_LABELS[mode]}`}>
          {dllOff ? 'Off' : undefined}
        </ModeBadge>
        <Text className={s.count} aria-live="polite">
          {plural(ruleCount, 'rule')}
          {filtered ? ` · showing ${rows.length.toLocaleString('en-US')}` : ''}
          {hasSelection ? ` · ${indices.length.toLocaleString('en-US')} selected` : ''}
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
        <Button
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => setDialog({ kind: 'rule', editing: null })}
        >
          Create New Rule...
        </Button>
        <Button icon={<ShieldAddRegular />} onClick={createDefaults}>
          Create Default Rules
        </Button>
        <Button icon={<SettingsRegular />} onClick={() => setDialog({ kind: 'enforcement' })}>
          Configure rule enforcement
        </Button>
        <ToolbarDivider />
        <Button icon={<EditRegular />} disabled={!one} onClick={() => one && onEdit(one)}>
          Edit rule
        </Button>
        <Button icon={<DeleteRegular />} disabled={!hasSelection} onClick={del}>
          Delete
        </Button>
        <Button icon={<DocumentCopyRegular />} disabled={!hasSelection} onClick={duplicate}>
          Duplicate
        </Button>
        <Tooltip content="Gives the selected rules new GUIDs: fixes a malformed or duplicate rule Id" relationship="description">
          <Button icon={<KeyMultipleRegular />} disabled={!hasSelection} onClick={renewIds}>
            New rule Id
          </Button>
        </Tooltip>
        <CollectionMenu label="Move to" icon={<ArrowMoveRegular />} disabled={!hasSelection} types={others} onPick={(t) => transfer(t, 'move')} />
        <CollectionMenu label="Copy to" icon={<CopyRegular />} disabled={!hasSelection} types={COLLECTION_TYPES} onPick={(t) => transfer(t, 'copy')} />
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button icon={<ShieldCheckmarkRegular />} disabled={!hasSelection}>
              Set action
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => setAction('Allow')}>Allow</MenuItem>
              <MenuItem onClick={() => setAction('Deny')}>Deny</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
        <Button
          icon={<PersonRegular />}
          disabled={!hasSelection}
          onClick={() => setDialog({ kind: 'user', indices })}
        >
          Set user or group...
        </Button>
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
        onDelete={del}
        reveal={revealed}
        emptyText={
          allRows.length
            ? 'No rule matches the filters.'
            : 'This collection has no rules. Use Create New Rule... or Create Default Rules.'
        }
      />
      {one && <RuleDetails row={one} />}
      <Text role="status" size={200} className={s.status}>
        {status}
      </Text>
      <Suspense fallback={<Spinner size="tiny" label="Loading..." />}>
        {dialog?.kind === 'rule' && (
          <RuleDialog
            type={type}
            editing={dialog.editing}
            onClose={(message) => {
              setDialog(null)
              if (message) setStatus(message)
            }}
          />
        )}
        {dialog?.kind === 'enforcement' && (
          <EnforcementDialog
            onClose={(message) => {
              setDialog(null)
              if (message) setStatus(message)
            }}
          />
        )}
        {dialog?.kind === 'user' && (
          <BulkUserDialog
            count={dialog.indices.length}
            onClose={() => setDialog(null)}
            onApply={(sid) => {
              const target = dialog.indices
              apply(`Set user or group ${sidDisplayName(sid)} on ${plural(target.length, 'rule')}`, (p) =>
                setRulesUser(p, type, target, sid),
              )
              setStatus(`${plural(target.length, 'rule')} now apply to ${sidDisplayName(sid)}.`)
              setDialog(null)
            }}
          />
        )}
      </Suspense>
    </section>
  )
}

/** The main view for one rule collection (state resets when the collection changes). */
export function CollectionView({ type }: { type: CollectionType }) {
  return <CollectionViewInner key={type} type={type} />
}

/** "Move to" / "Copy to": a button whose menu lists rule collections by their Windows names. */
function CollectionMenu(props: { label: string; icon: ReactElement; disabled: boolean; types: readonly CollectionType[]; onPick: (t: CollectionType) => void }) {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button icon={props.icon} disabled={props.disabled}>
          {props.label}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {props.types.map((t) => (
            <MenuItem key={t} onClick={() => props.onPick(t)}>
              {COLLECTION_LABELS[t]}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  )
}
