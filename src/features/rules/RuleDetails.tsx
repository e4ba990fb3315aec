/**
 * Details of the one selected rule, below the list: every field, exceptions, and its problems. The pane
 * is short so the list keeps its room; when the details do not fit, fades at the cut edges and a
 * "More below" line say so, and "Show all details" makes the pane as tall as they need (up to 60% of
 * the window) (issue 16 item 18).
 */
import { useEffect, useRef, useState } from 'react'
import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import { RULE_KIND_LABELS, type Condition, type ExceptionEntry } from '../../applocker/policy'
import { conditionSummary, type RuleRow } from './ruleList'

const useStyles = makeStyles({
  pane: { borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: '6px' },
  clip: { position: 'relative' },
  expanded: { maxHeight: '60vh' },
  fade: { position: 'absolute', left: 0, right: 0, height: '32px', pointerEvents: 'none' },
  fadeTop: {
    top: 0,
    backgroundImage: `linear-gradient(to top, transparent, ${tokens.colorNeutralBackground1})`,
  },
  fadeBottom: {
    bottom: 0,
    backgroundImage: `linear-gradient(to bottom, transparent, ${tokens.colorNeutralBackground1})`,
  },
  cue: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  root: {
    maxHeight: '168px',
    overflowY: 'auto',
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: '12px',
    rowGap: '2px',
    fontSize: tokens.fontSizeBase200,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  def: { margin: 0, overflowWrap: 'anywhere' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
})

function ConditionText({ c }: { c: Condition | ExceptionEntry | undefined }) {
  const s = useStyles()
  if (!c) return <>(no condition)</>
  if (c.kind === 'unknown') return <span className={s.mono}>{c.xml}</span>
  if (c.kind === 'path') return <span className={s.mono}>{c.path}</span>
  if (c.kind === 'hash')
    return (
      <>
        {c.hashes.map((h, i) => (
          <div key={i} className={s.mono}>
            {h.type} {h.data}{' '}
            {h.sourceFileName
              ? `(${h.sourceFileName}${h.sourceFileLength ? `, ${h.sourceFileLength} bytes` : ''})`
              : ''}
          </div>
        ))}
      </>
    )
  return <>{conditionSummary(c)}</>
}

/** Whether content is cut off above or below the scroll area's view. */
function useOverflow(ref: React.RefObject<HTMLElement | null>, key: unknown) {
  const [cut, setCut] = useState({ above: false, below: false })
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => {
      const above = el.scrollTop > 1
      const below = el.scrollTop + el.clientHeight < el.scrollHeight - 1
      setCut((c) => (c.above === above && c.below === below ? c : { above, below }))
    }
    measure()
    el.addEventListener('scroll', measure, { passive: true })
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure)
    observer?.observe(el)
    for (const child of el.children) observer?.observe(child)
    return () => {
      el.removeEventListener('scroll', measure)
      observer?.disconnect()
    }
  }, [ref, key])
  return cut
}

export function RuleDetails({ row }: { row: RuleRow }) {
  const s = useStyles()
  const r = row.rule
  const scroller = useRef<HTMLDListElement>(null)
  const [expanded, setExpanded] = useState(false)
  const cut = useOverflow(scroller, `${row.key}|${expanded}`)
  return (
    <div className={s.pane}>
      <div className={s.clip}>
        <dl
          ref={scroller}
          className={mergeClasses(s.root, expanded && s.expanded)}
          aria-label="Selected rule"
          tabIndex={cut.above || cut.below ? 0 : undefined}
        >
          <dt className={s.term}>Name</dt>
          <dd className={s.def}>
            <Text weight="semibold" size={200}>
              {r.name || '(unnamed)'}
            </Text>
          </dd>
          <dt className={s.term}>Id</dt>
          <dd className={`${s.def} ${s.mono}`}>{r.id || '(none)'}</dd>
          {r.description && (
            <>
              <dt className={s.term}>Description</dt>
              <dd className={s.def}>{r.description}</dd>
            </>
          )}
          <dt className={s.term}>User or group</dt>
          <dd className={s.def}>
            {row.user !== row.sid ? `${row.user} ` : ''}
            <span className={s.mono}>{row.sid}</span>
          </dd>
          <dt className={s.term}>{RULE_KIND_LABELS[r.kind]} condition</dt>
          <dd className={s.def}>
            <ConditionText c={r.condition} />
          </dd>
          {r.exceptions.length > 0 && (
            <>
              <dt className={s.term}>Exceptions</dt>
              <dd className={s.def}>
                {r.exceptions.map((e, i) => (
                  <div key={i}>
                    {e.kind === 'unknown' ? `Unknown element <${e.name}>` : RULE_KIND_LABELS[e.kind]}:{' '}
                    <ConditionText c={e} />
                  </div>
                ))}
              </dd>
            </>
          )}
          {row.errors.map((m, i) => (
            <ProblemLine key={`e${i}`} label="Error" message={m} className={s.error} />
          ))}
          {row.warnings.map((m, i) => (
            <ProblemLine key={`w${i}`} label="Warning" message={m} className={s.warning} />
          ))}
        </dl>
        {cut.above && <div className={mergeClasses(s.fade, s.fadeTop)} aria-hidden="true" />}
        {cut.below && <div className={mergeClasses(s.fade, s.fadeBottom)} aria-hidden="true" />}
      </div>
      {(cut.below || cut.above || expanded) && (
        <div className={s.cue}>
          {cut.below && <span>More below: scroll the details, or</span>}
          <Button
            size="small"
            appearance="transparent"
            aria-expanded={expanded}
            onClick={() => setExpanded((x) => !x)}
          >
            {expanded ? 'Show fewer lines' : 'Show all details'}
          </Button>
        </div>
      )}
    </div>
  )
}

function ProblemLine({ label, message, className }: { label: string; message: string; className: string }) {
  const s = useStyles()
  return (
    <>
      <dt className={`${s.term} ${className}`}>{label}</dt>
      <dd className={`${s.def} ${className}`}>{message}</dd>
    </>
  )
}
