/**
 * "Review policy": the mistakes that lock people out or leave holes, grouped by severity, each
 * with the rule concerned and how to fix it. Recomputed as the policy changes, in the review Worker
 * (src/store/review.ts) so the page stays responsive on a large policy.
 */
import { useEffect, useState } from 'react'
import { Badge, Button, Checkbox, MessageBar, MessageBarBody, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import { COLLECTION_LABELS, type Policy } from '../../applocker/policy'
import { LINT_CHECKS, findingCounts, type Finding, type FindingSeverity } from '../../applocker/review'
import { useDocument } from '../../store/document'
import { reviewFindings } from '../../store/review'
import { useUi } from '../../store/ui'
import { plural } from '../../lib/plural'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '10px', maxWidth: '1100px' },
  counts: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  item: { borderLeft: `4px solid ${tokens.colorNeutralStroke1}`, padding: '6px 10px', backgroundColor: tokens.colorNeutralBackground2 },
  error: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  warning: { borderLeftColor: tokens.colorPaletteMarigoldBorder2 },
  info: { borderLeftColor: tokens.colorNeutralStroke1 },
  head: { display: 'flex', gap: '8px', alignItems: 'baseline', flexWrap: 'wrap' },
  fix: { color: tokens.colorNeutralForeground2 },
  details: { margin: '4px 0 0', paddingLeft: '20px', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, maxHeight: '160px', overflowY: 'auto' },
  h2: { margin: '12px 0 4px', fontSize: tokens.fontSizeBase500 },
})

const PAGE = 200

const CHECK_TITLES = new Map(LINT_CHECKS.map((c) => [c.code, c.title]))

const SEVERITIES: { key: FindingSeverity; title: string; color: 'danger' | 'warning' | 'informative' }[] = [
  { key: 'error', title: 'Errors', color: 'danger' },
  { key: 'warning', title: 'Warnings', color: 'warning' },
  { key: 'info', title: 'Notes', color: 'informative' },
]

function FindingItem({ f }: { f: Finding }) {
  const s = useStyles()
  const setView = useUi((u) => u.setView)
  const showRule = useUi((u) => u.showRule)
  const where = f.collection ? COLLECTION_LABELS[f.collection] : 'Policy'
  return (
    <li className={`${s.item} ${s[f.severity]}`}>
      <div className={s.head}>
        <Text weight="semibold">{CHECK_TITLES.get(f.code) ?? f.code}</Text>
        {f.collection && f.ruleIndex !== undefined ? (
          <Button
            appearance="transparent"
            size="small"
            aria-label={`Show rule ${f.ruleName || f.ruleId || ''} in ${where}`}
            onClick={() => f.collection && f.ruleIndex !== undefined && showRule(f.collection, f.ruleIndex)}
          >
            {f.ruleName || f.ruleId || '(no name)'} · {where}
          </Button>
        ) : f.collection ? (
          <Button appearance="transparent" size="small" aria-label={`Show ${where}`} onClick={() => setView(`collection:${f.collection}`)}>
            {where}
          </Button>
        ) : (
          <Text weight="semibold">{where}</Text>
        )}
      </div>
      <Text as="p" block>
        {f.message}
      </Text>
      <Text as="p" block className={s.fix}>
        How to fix: {f.fix}
      </Text>
      {f.details && f.details.length > 0 && (
        <details>
          <summary>Details ({f.details.length})</summary>
          <ul className={s.details} tabIndex={0} aria-label="Details">
            {f.details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        </details>
      )}
    </li>
  )
}

export default function ReviewView() {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  // The latest answer of the review Worker; a newer policy's answer replaces an older one.
  const [reviewed, setReviewed] = useState<{ policy: Policy; findings: Finding[] } | null>(null)
  useEffect(() => {
    let current = true
    void reviewFindings(policy).then((findings) => {
      if (current) setReviewed({ policy, findings })
    })
    return () => {
      current = false
    }
  }, [policy])
  const [showNotes, setShowNotes] = useState(true)
  // Thousands of findings (a huge policy) would make the view slow: show the first ones, more on request.
  const [limit, setLimit] = useState(PAGE)
  if (!reviewed) return <Spinner label="Reviewing the policy..." />
  const findings = reviewed.findings
  const counts = findingCounts(findings)
  return (
    <div className={s.root}>
      <h1 className={s.h2} style={{ fontSize: tokens.fontSizeBase600 }}>
        Review policy
      </h1>
      <Text>Mistakes that lock people out or leave holes, found before the policy is deployed. Follows your edits as you make them.</Text>
      <div className={s.counts} role="status" aria-label="Review summary">
        <Badge color={counts.error ? 'danger' : 'informative'} appearance={counts.error ? 'filled' : 'outline'}>
          {plural(counts.error, 'error')}
        </Badge>
        <Badge color={counts.warning ? 'warning' : 'informative'} appearance={counts.warning ? 'filled' : 'outline'}>
          {plural(counts.warning, 'warning')}
        </Badge>
        <Badge color="informative" appearance="outline">
          {plural(counts.info, 'note')}
        </Badge>
      </div>
      <Checkbox label="Show notes" checked={showNotes} onChange={(_, d) => setShowNotes(d.checked === true)} />
      {findings.length === 0 && (
        <MessageBar intent="success">
          <MessageBarBody>No findings: none of the checks found a problem.</MessageBarBody>
        </MessageBar>
      )}
      {SEVERITIES.filter((x) => (x.key !== 'info' || showNotes) && counts[x.key] > 0).map((sev) => (
        <section key={sev.key} aria-label={`${sev.title} (${counts[sev.key]})`}>
          <h2 className={s.h2}>
            {sev.title} ({counts[sev.key]})
          </h2>
          <ul className={s.list}>
            {findings
              .filter((f) => f.severity === sev.key)
              .slice(0, limit)
              .map((f, i) => (
                <FindingItem key={`${f.code}:${f.collectionIndex ?? ''}:${f.ruleIndex ?? ''}:${i}`} f={f} />
              ))}
          </ul>
          {counts[sev.key] > limit && (
            <Button onClick={() => setLimit((n) => n + 1000)}>
              Show more {sev.title.toLowerCase()} ({counts[sev.key] - limit} not shown)
            </Button>
          )}
        </section>
      ))}
    </div>
  )
}
