/**
 * The rule list: an ARIA grid, virtualized with @tanstack/react-virtual so only the rows in view
 * (plus a few) are in the DOM, whatever the rule count. Keyboard: arrows / Page Up / Page Down /
 * Home / End move, Shift extends the selection, Space toggles, Ctrl+A selects all, Enter edits,
 * Delete deletes. Mouse: click, Ctrl+click, Shift+click, double-click edits.
 */
import { memo, useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Checkbox, Tooltip, makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import { ArrowSortDownRegular, ArrowSortUpRegular, ErrorCircleFilled, WarningFilled } from '@fluentui/react-icons'
import type { RuleRow, Selection, Sort, SortKey } from './ruleList'

export const ROW_HEIGHT = 32
// Fits the centre pane of a 1024 px wide window (the navigation takes ~240 px there).
const COLUMNS = '36px 26px 64px minmax(110px, 1.2fr) minmax(140px, 2fr) minmax(170px, 3fr) 84px'

const useStyles = makeStyles({
  grid: {
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    flexGrow: 1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    outlineStyle: 'none',
    ':focus-visible': { outlineWidth: '2px', outlineStyle: 'solid', outlineColor: tokens.colorStrokeFocus2, outlineOffset: '1px' },
  },
  scroller: { overflowY: 'auto', overflowX: 'hidden', flexGrow: 1, minHeight: 0, position: 'relative' },
  row: {
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    alignItems: 'center',
    height: `${ROW_HEIGHT}px`,
    boxSizing: 'border-box',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    fontSize: tokens.fontSizeBase200,
    cursor: 'default',
    userSelect: 'none',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  body: { position: 'absolute', left: 0, right: 0, top: 0 },
  header: {
    backgroundColor: tokens.colorNeutralBackground3,
    fontWeight: tokens.fontWeightSemibold,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground3 },
  },
  selected: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  active: { outlineWidth: '2px', outlineStyle: 'solid', outlineColor: tokens.colorStrokeFocus2, outlineOffset: '-2px' },
  cell: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', padding: '0 6px' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  allow: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  deny: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  kind: { color: tokens.colorNeutralForeground3, marginRight: '6px' },
  sortButton: {
    backgroundColor: 'transparent',
    borderTopStyle: 'none',
    borderRightStyle: 'none',
    borderBottomStyle: 'none',
    borderLeftStyle: 'none',
    paddingTop: 0,
    paddingRight: 0,
    paddingBottom: 0,
    paddingLeft: 0,
    fontFamily: 'inherit',
    fontSize: 'inherit',
    fontWeight: 'inherit',
    color: 'inherit',
    textAlign: 'left',
    cursor: 'pointer',
    display: 'inline-flex',
    alignItems: 'center',
    gap: '2px',
    width: '100%',
    ':focus-visible': { outlineWidth: '2px', outlineStyle: 'solid', outlineColor: tokens.colorStrokeFocus2 },
  },
  error: { color: tokens.colorPaletteRedForeground1, display: 'inline-flex' },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1, display: 'inline-flex' },
  empty: { padding: '16px', color: tokens.colorNeutralForeground3 },
})

const SORT_COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'action', label: 'Action' },
  { key: 'user', label: 'User' },
  { key: 'name', label: 'Name' },
  { key: 'condition', label: 'Condition' },
  { key: 'exceptions', label: 'Exceptions' },
]

export interface RuleGridProps {
  label: string
  rows: RuleRow[]
  selection: Selection
  sort: Sort | null
  onSort: (key: SortKey) => void
  onRowClick: (key: string, mods: { shift: boolean; ctrl: boolean }) => void
  onToggle: (key: string) => void
  onToggleAll: () => void
  onSelectKeys: (keys: string[], anchor: string) => void
  onEdit: (row: RuleRow) => void
  /** A key the list does not handle itself (Delete): runs the command bound to it; true when one ran. */
  onCommandKey: (e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }) => boolean
  emptyText: string
  /** A row to bring into view and put the keyboard cursor on (a new nonce each time it is asked). */
  reveal?: { key: string; nonce: number } | null
}

interface RowProps {
  row: RuleRow
  position: number
  start: number
  selected: boolean
  active: boolean
  id: string
  onMouseDown: (e: MouseEvent, row: RuleRow, position: number) => void
  onToggle: (key: string) => void
  onEdit: (row: RuleRow) => void
}

const GridRow = memo(function GridRow({ row, position, start, selected, active, id, onMouseDown, onToggle, onEdit }: RowProps) {
  const s = useStyles()
  const problems = row.errors.length ? row.errors : row.warnings
  const problemText = problems.join('\n')
  return (
    <div
      role="row"
      id={id}
      aria-rowindex={position + 2}
      aria-selected={selected}
      aria-invalid={row.errors.length > 0 || undefined}
      aria-description={problems.length ? `${row.errors.length ? 'Error' : 'Warning'}: ${problemText}` : undefined}
      className={mergeClasses(s.row, selected && s.selected, active && s.active)}
      style={{ transform: `translateY(${start}px)`, position: 'absolute', left: 0, right: 0, top: 0 }}
      onMouseDown={(e) => onMouseDown(e, row, position)}
      onDoubleClick={() => onEdit(row)}
    >
      <div role="gridcell" className={s.cell} onMouseDown={(e) => e.stopPropagation()}>
        <Checkbox checked={selected} aria-label={`Select rule ${row.name}`} tabIndex={-1} onChange={() => onToggle(row.key)} />
      </div>
      <div role="gridcell" className={s.cell}>
        {problems.length > 0 && (
          <Tooltip content={problemText} relationship="description" withArrow>
            <span role="img" aria-label={row.errors.length ? 'Error' : 'Warning'} className={row.errors.length ? s.error : s.warning}>
              {row.errors.length ? <ErrorCircleFilled /> : <WarningFilled />}
            </span>
          </Tooltip>
        )}
      </div>
      <div role="gridcell" className={mergeClasses(s.cell, row.action === 'Deny' ? s.deny : s.allow)}>
        {row.action}
      </div>
      <div role="gridcell" className={s.cell} title={`${row.user}${row.user !== row.sid ? ` (${row.sid})` : ''}`}>
        {row.user === row.sid ? <span className={s.mono}>{row.sid}</span> : row.user}
      </div>
      <div role="gridcell" className={s.cell} title={row.name}>
        {row.name}
      </div>
      <div role="gridcell" className={s.cell} title={`${row.kindLabel}: ${row.condition}`}>
        <span className={s.kind}>{row.kindLabel}</span>
        <span className={row.kind === 'publisher' ? undefined : s.mono}>{row.condition}</span>
      </div>
      <div role="gridcell" className={s.cell}>
        {row.exceptions || '-'}
      </div>
    </div>
  )
})

export function RuleGrid(props: RuleGridProps) {
  const { rows, selection, sort, onSort, onRowClick, onToggle, onToggleAll, onSelectKeys, onEdit, onCommandKey, label, emptyText, reveal } = props
  const s = useStyles()
  const baseId = useId()
  const scroller = useRef<HTMLDivElement>(null)
  const [focus, setFocus] = useState(0)
  // The keyboard cursor (outlined row) shows only while the grid has focus, like a focus ring.
  const [hasFocus, setHasFocus] = useState(false)
  const active = rows.length ? Math.min(focus, rows.length - 1) : -1
  // TanStack Virtual's API is not memoizable by the React compiler; this component is simply not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  })
  // Put the cursor on a revealed row (during render: React's way to follow a prop) and scroll to it.
  const revealIndex = reveal ? rows.findIndex((r) => r.key === reveal.key) : -1
  const [cursorFor, setCursorFor] = useState<number | null>(null)
  if (reveal && revealIndex >= 0 && cursorFor !== reveal.nonce) {
    setCursorFor(reveal.nonce)
    setFocus(revealIndex)
  }
  const revealNonce = reveal && revealIndex >= 0 ? reveal.nonce : null
  useEffect(() => {
    if (revealNonce !== null) virtualizer.scrollToIndex(revealIndex, { align: 'center' })
    // Only when a new reveal arrives, not on every change of the rows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealNonce])
  const items = virtualizer.getVirtualItems()
  const allSelected = rows.length > 0 && rows.every((r) => selection.keys.has(r.key))
  const someSelected = selection.keys.size > 0

  const onMouseDown = (e: MouseEvent, row: RuleRow, position: number) => {
    if (e.button !== 0) return
    setFocus(position)
    onRowClick(row.key, { shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey })
  }

  const move = (to: number, e: KeyboardEvent) => {
    if (!rows.length) return
    const next = Math.max(0, Math.min(rows.length - 1, to))
    setFocus(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
    if (e.shiftKey && selection.anchor !== null) onRowClick(rows[next].key, { shift: true, ctrl: false })
    else if (!e.ctrlKey) onRowClick(rows[next].key, { shift: false, ctrl: false })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1)
    switch (e.key) {
      case 'ArrowDown':
        move(active + 1, e)
        break
      case 'ArrowUp':
        move(active - 1, e)
        break
      case 'PageDown':
        move(active + page, e)
        break
      case 'PageUp':
        move(active - page, e)
        break
      case 'Home':
        move(0, e)
        break
      case 'End':
        move(rows.length - 1, e)
        break
      case ' ':
        // Space selects the row under the cursor (it never unselects a row the arrow keys just
        // selected); Ctrl+Space adds or removes it, as in Windows lists.
        if (active >= 0 && (e.ctrlKey || e.metaKey || !selection.keys.has(rows[active].key))) onToggle(rows[active].key)
        break
      case 'Enter':
        if (active >= 0) onEdit(rows[active])
        break
      case 'a':
      case 'A':
        if (!(e.ctrlKey || e.metaKey)) return
        if (rows.length) onSelectKeys(rows.map((r) => r.key), rows[0].key)
        break
      default:
        // Command keys of the rule list (Delete), from the command records.
        if (!onCommandKey(e)) return
    }
    e.preventDefault()
  }

  return (
    <div
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={7}
      aria-multiselectable
      tabIndex={0}
      aria-activedescendant={active >= 0 && items.some((v) => v.index === active) ? `${baseId}-r${active}` : undefined}
      className={s.grid}
      onKeyDown={onKeyDown}
      onFocus={() => setHasFocus(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHasFocus(false)
      }}
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={mergeClasses(s.row, s.header)}>
          <div role="columnheader" className={s.cell}>
            <Checkbox
              checked={allSelected ? true : someSelected ? 'mixed' : false}
              aria-label="Select all rules"
              tabIndex={-1}
              onChange={onToggleAll}
            />
          </div>
          <div role="columnheader" className={s.cell} aria-label="Problems" />
          {SORT_COLUMNS.map((c) => {
            const dir = sort?.key === c.key ? sort.direction : undefined
            return (
              <div key={c.key} role="columnheader" aria-sort={dir ?? 'none'} className={s.cell}>
                <button type="button" className={s.sortButton} onClick={() => onSort(c.key)}>
                  {c.label}
                  {dir === 'ascending' && <ArrowSortUpRegular aria-hidden />}
                  {dir === 'descending' && <ArrowSortDownRegular aria-hidden />}
                </button>
              </div>
            )
          })}
        </div>
      </div>
      <div ref={scroller} className={s.scroller} data-testid="rule-grid-scroller">
        {rows.length === 0 ? (
          <div className={s.empty}>{emptyText}</div>
        ) : (
          <div role="rowgroup" className={s.body} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const row = rows[v.index]
              return (
                <GridRow
                  key={row.key + ':' + v.index}
                  row={row}
                  position={v.index}
                  start={v.start}
                  selected={selection.keys.has(row.key)}
                  active={hasFocus && v.index === active}
                  id={`${baseId}-r${v.index}`}
                  onMouseDown={onMouseDown}
                  onToggle={onToggle}
                  onEdit={onEdit}
                />
              )
            })}
          </div>
        )}
      </div>
    </div>
  )
}
