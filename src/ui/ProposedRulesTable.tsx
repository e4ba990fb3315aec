/**
 * The review table of proposed rules ("Automatically Generate Rules...", "Create rules from these files..."): one row per proposed rule with its
 * checkbox. Virtualized with @tanstack/react-virtual: a folder of thousands of ungrouped files puts
 * only the rows in view (plus a few) in the DOM. It stays a real table (the rows above and below
 * the window are two spacer rows hidden from assistive technology; aria-rowcount/aria-rowindex give
 * the true size), and rows are measured, since a long name or condition wraps.
 */
import { useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  Badge, Checkbox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens,
} from '@fluentui/react-components'
import { describeCondition, type ProposedRule } from '../applocker/generate'
import { COLLECTION_LABELS, RULE_KIND_LABELS } from '../applocker/policy'
import { plural } from '../lib/plural'

const ESTIMATED_ROW_HEIGHT = 52

const useStyles = makeStyles({
  scroller: { maxHeight: '360px', overflowY: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}` },
  head: { position: 'sticky', top: 0, zIndex: 1, backgroundColor: tokens.colorNeutralBackground1 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  spacer: { padding: 0, border: 'none' },
})

export interface ProposedRulesTableProps {
  rules: readonly ProposedRule[]
  /** Indices of the rules left out. */
  excluded: ReadonlySet<number>
  onToggle: (index: number, on: boolean) => void
  onToggleAll: (on: boolean) => void
}

export function ProposedRulesTable({ rules, excluded, onToggle, onToggleAll }: ProposedRulesTableProps) {
  const s = useStyles()
  const scroller = useRef<HTMLDivElement>(null)
  // TanStack Virtual's API is not memoizable by the React compiler; this component is simply not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rules.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_HEIGHT,
    overscan: 6,
  })
  const items = virtualizer.getVirtualItems()
  const before = items.length ? items[0].start : 0
  const after = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0
  const chosen = rules.length - excluded.size

  return (
    <div ref={scroller} className={s.scroller}>
      <Table size="small" aria-label="Proposed rules" aria-rowcount={rules.length + 1}>
        <TableHeader className={s.head}>
          <TableRow aria-rowindex={1}>
            <TableHeaderCell style={{ width: 40 }}>
              <Checkbox
                aria-label="Add all rules"
                checked={chosen === rules.length ? true : chosen === 0 ? false : 'mixed'}
                onChange={(_, d) => onToggleAll(d.checked === true)}
              />
            </TableHeaderCell>
            <TableHeaderCell style={{ width: 150 }}>Collection</TableHeaderCell>
            <TableHeaderCell style={{ width: 90 }}>Condition</TableHeaderCell>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Condition details</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {before > 0 && (
            <tr aria-hidden>
              <td colSpan={5} className={s.spacer} style={{ height: before }} />
            </tr>
          )}
          {items.map((v) => {
            const p = rules[v.index]
            return (
              <TableRow key={v.key} data-index={v.index} ref={virtualizer.measureElement} aria-rowindex={v.index + 2}>
                <TableCell>
                  <Checkbox aria-label={`Add rule ${p.rule.name}`} checked={!excluded.has(v.index)} onChange={(_, d) => onToggle(v.index, !!d.checked)} />
                </TableCell>
                <TableCell>{COLLECTION_LABELS[p.collection]}</TableCell>
                <TableCell>{RULE_KIND_LABELS[p.rule.kind]}</TableCell>
                <TableCell>
                  {p.rule.name}{' '}
                  {p.existing && (
                    <Badge appearance="outline" color="informative">
                      already in the policy
                    </Badge>
                  )}
                  <Text size={200} block>
                    {plural(p.files.length, 'file')}
                  </Text>
                </TableCell>
                <TableCell className={s.mono}>{p.rule.condition ? describeCondition(p.rule.condition) : ''}</TableCell>
              </TableRow>
            )
          })}
          {after > 0 && (
            <tr aria-hidden>
              <td colSpan={5} className={s.spacer} style={{ height: after }} />
            </tr>
          )}
        </TableBody>
      </Table>
    </div>
  )
}
