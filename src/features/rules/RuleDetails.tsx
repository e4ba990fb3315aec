/** Details of the one selected rule, below the list: every field, exceptions, and its problems. */
import { Text, makeStyles, tokens } from '@fluentui/react-components'
import { RULE_KIND_LABELS, type Condition, type ExceptionEntry } from '../../applocker/policy'
import { conditionSummary, type RuleRow } from './ruleList'

const useStyles = makeStyles({
  root: {
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: '6px',
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
            {h.type} {h.data} {h.sourceFileName ? `(${h.sourceFileName}${h.sourceFileLength ? `, ${h.sourceFileLength} bytes` : ''})` : ''}
          </div>
        ))}
      </>
    )
  return <>{conditionSummary(c)}</>
}

export function RuleDetails({ row }: { row: RuleRow }) {
  const s = useStyles()
  const r = row.rule
  return (
    <dl className={s.root} aria-label="Selected rule">
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
                {e.kind === 'unknown' ? `Unknown element <${e.name}>` : RULE_KIND_LABELS[e.kind]}: <ConditionText c={e} />
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
