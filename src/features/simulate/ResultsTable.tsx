/** The results table: every file with its decision, virtualized so 100,000 rows scroll smoothly. */
import { useRef } from 'react'
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import { useVirtualizer } from '@tanstack/react-virtual'
import { EFFECTS, POLICY_DECISIONS, type SimRow, type SimulationResults } from '../../applocker/simulate/results'
import { COLLECTION_TYPES } from '../../applocker/policy'
import { EffectBadge } from '../../ui/EffectBadge'

const COLS = '118px 132px 64px minmax(260px, 3fr) minmax(160px, 2fr) 64px'
const ROW_H = 30

const useStyles = makeStyles({
  table: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, fontSize: tokens.fontSizeBase200 },
  head: {
    display: 'grid',
    gridTemplateColumns: COLS,
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  scroller: { height: '380px', overflowY: 'auto', position: 'relative' },
  row: {
    display: 'grid',
    gridTemplateColumns: COLS,
    alignItems: 'center',
    position: 'absolute',
    left: 0,
    right: 0,
    height: `${ROW_H}px`,
    cursor: 'pointer',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  cell: { padding: '0 6px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
})


export function ResultsTable({
  rows,
  results,
  indices,
  selected,
  onSelect,
}: {
  rows: readonly SimRow[]
  results: SimulationResults
  indices: Int32Array
  selected: number | null
  onSelect: (index: number) => void
}) {
  const s = useStyles()
  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable, as documented.
  const v = useVirtualizer({ count: indices.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 12 })
  return (
    <div className={s.table} role="table" aria-label="Simulation results" aria-rowcount={indices.length + 1}>
      <div role="rowgroup">
        <div className={s.head} role="row" aria-rowindex={1}>
          {['Effect', 'Decision', 'Type', 'Path', 'Deciding rule', 'Event'].map((h) => (
            <div key={h} role="columnheader" className={s.cell}>
              {h}
            </div>
          ))}
        </div>
      </div>
      <div ref={scroller} className={s.scroller} role="rowgroup">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const i = indices[item.index]
            const c = results.collection[i]
            const k = results.rule[i]
            const row = rows[i]
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected === i}
                tabIndex={0}
                className={mergeClasses(s.row, selected === i && s.selected)}
                style={{ top: item.start }}
                onClick={() => onSelect(i)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault()
                    onSelect(i)
                  }
                }}
              >
                <div role="cell" className={s.cell}>
                  <EffectBadge effect={EFFECTS[results.effect[i]]} compact />
                </div>
                <div role="cell" className={s.cell}>
                  {c < 0 ? '-' : POLICY_DECISIONS[results.decision[i]]}
                </div>
                <div role="cell" className={s.cell}>
                  {c < 0 ? '-' : COLLECTION_TYPES[c]}
                </div>
                <div role="cell" className={mergeClasses(s.cell, s.mono)} title={row.path}>
                  {row.path}
                </div>
                <div role="cell" className={s.cell} title={k < 0 ? undefined : results.rules[k].name}>
                  {k < 0 ? (c < 0 ? '' : '(by default)') : results.rules[k].name}
                </div>
                <div role="cell" className={s.cell}>
                  {results.eventId[i] || ''}
                </div>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
