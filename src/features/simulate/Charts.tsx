/**
 * Small hand-made SVG bar charts (no chart library: two stacked-bar charts do not justify one).
 * Colours follow UX.md: runs green, blocked red, audited amber, not governed grey.
 */
import { makeStyles, tokens } from '@fluentui/react-components'
import { COLLECTION_LABELS } from '../../applocker/policy'
import type { Effect } from '../../applocker/evaluate/types'
import type { CollectionSummary, EffectCounts } from '../../applocker/simulate/results'
import { count } from '../../lib/plural'

export const EFFECT_COLORS: Record<Effect, string> = {
  runs: tokens.colorPaletteGreenBackground3,
  blocked: tokens.colorPaletteRedBackground3,
  audited: tokens.colorPaletteMarigoldBackground3,
  'not-governed': tokens.colorNeutralStroke1,
  'constrained-language': tokens.colorPaletteDarkOrangeBorderActive,
}

const SHORT: Record<Effect, string> = {
  runs: 'run',
  blocked: 'blocked',
  audited: 'audited (would be blocked)',
  'not-governed': 'not governed',
  'constrained-language': 'run in Constrained Language Mode',
}
const ORDER: Effect[] = ['runs', 'audited', 'constrained-language', 'blocked', 'not-governed']
const LEGEND: Record<Effect, string> = {
  runs: 'Runs',
  audited: 'Runs, logged "would have been prevented"',
  'constrained-language': 'PowerShell: runs in Constrained Language Mode',
  blocked: 'Blocked',
  'not-governed': 'Not governed',
}

const useStyles = makeStyles({
  legend: { display: 'flex', gap: '14px', flexWrap: 'wrap', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  swatch: { display: 'inline-block', width: '10px', height: '10px', marginRight: '4px', borderRadius: '2px', verticalAlign: 'middle' },
  svg: { display: 'block', maxWidth: '100%', fontFamily: tokens.fontFamilyBase, fontSize: '12px' },
})

export function Legend({ effects = ORDER }: { effects?: Effect[] }) {
  const s = useStyles()
  return (
    <div className={s.legend} aria-hidden>
      {effects.map((e) => (
        <span key={e}>
          <span className={s.swatch} style={{ background: EFFECT_COLORS[e] }} />
          {LEGEND[e]}
        </span>
      ))}
    </div>
  )
}

function describe(c: EffectCounts): string {
  return ORDER.filter((e) => c[e] > 0)
    .map((e) => `${count(c[e])} ${SHORT[e]}`)
    .join(', ')
}

interface Bar {
  label: string
  counts: EffectCounts
  /** Marks the bar the policy's own mode gives. */
  current?: boolean
}

const LABEL_W = 170
const BAR_W = 420
const ROW_H = 24

function StackedBars({ bars, max, ariaLabel, onSelect }: { bars: Bar[]; max: number; ariaLabel: string; onSelect?: (bar: number, effect: Effect) => void }) {
  const s = useStyles()
  const height = bars.length * ROW_H + 4
  return (
    <svg className={s.svg} role="img" aria-label={ariaLabel} width={LABEL_W + BAR_W + 90} height={height} viewBox={`0 0 ${LABEL_W + BAR_W + 90} ${height}`}>
      {bars.map((bar, i) => {
        let x = LABEL_W
        const total = ORDER.reduce((n, e) => n + bar.counts[e], 0)
        const y = i * ROW_H + 2
        return (
          <g key={i}>
            <text x={LABEL_W - 8} y={y + 15} textAnchor="end" style={{ fill: tokens.colorNeutralForeground1, fontWeight: bar.current ? 600 : 400 }}>
              {bar.label}
            </text>
            {ORDER.map((e) => {
              const n = bar.counts[e]
              if (n === 0) return null
              const w = Math.max(1, (n / Math.max(1, max)) * BAR_W)
              const rect = (
                <rect
                  key={e}
                  x={x}
                  y={y}
                  width={w}
                  height={ROW_H - 6}
                  rx={2}
                  style={{ fill: EFFECT_COLORS[e], cursor: onSelect ? 'pointer' : undefined }}
                  onClick={onSelect ? () => onSelect(i, e) : undefined}
                >
                  <title>{`${bar.label}: ${count(n)} ${SHORT[e]}`}</title>
                </rect>
              )
              x += w
              return rect
            })}
            <text x={x + 6} y={y + 15} style={{ fill: tokens.colorNeutralForeground2 }}>
              {count(total)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

/** Decisions per collection: one stacked bar per collection (runs / audited / blocked). */
export function DecisionsChart({ collections, onSelect }: { collections: CollectionSummary[]; onSelect?: (c: CollectionSummary, e: Effect) => void }) {
  const max = Math.max(1, ...collections.map((c) => c.total))
  const label = `Decisions per collection. ${collections.map((c) => `${COLLECTION_LABELS[c.collection]}: ${describe(c.effects)}`).join('. ')}.`
  return (
    <StackedBars
      ariaLabel={label}
      max={max}
      bars={collections.map((c) => ({ label: COLLECTION_LABELS[c.collection], counts: c.effects }))}
      onSelect={onSelect ? (i, e) => onSelect(collections[i], e) : undefined}
    />
  )
}

/** Audit only and Enforce rules side by side for one collection. */
export function ImpactChart({ summary, mode }: { summary: CollectionSummary; mode: string | null }) {
  const enforced = mode !== 'AuditOnly'
  const name = COLLECTION_LABELS[summary.collection]
  return (
    <StackedBars
      ariaLabel={`${name}, Audit only: ${describe(summary.ifAuditOnly)}; Enforce rules: ${describe(summary.ifEnforced)}.`}
      max={summary.total}
      bars={[
        { label: `Audit only${!enforced ? ' (current)' : ''}`, counts: summary.ifAuditOnly, current: !enforced },
        { label: `Enforce rules${enforced ? ' (current)' : ''}`, counts: summary.ifEnforced, current: enforced },
      ]}
    />
  )
}
