/** "Which rules earn their place": files decided per rule, rules that decided none, broad path rules (src/applocker/simulate/coverage.ts). */
import { useDeferredValue, useMemo } from 'react'
import { Text, makeStyles, tokens } from '@fluentui/react-components'
import { COLLECTION_LABELS, type Policy } from '../../applocker/policy'
import { coverageFromResults, type RuleCoverage } from '../../applocker/simulate/coverage'
import type { SimulationResults } from '../../applocker/simulate/results'
import { count, plural } from '../../lib/plural'

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '6px' },
  list: { margin: 0, paddingLeft: '20px', maxHeight: '200px', overflowY: 'auto', fontSize: tokens.fontSizeBase200 },
  mono: { fontFamily: tokens.fontFamilyMonospace },
})

const LIMIT = 200

function RuleLine({ r, extra }: { r: RuleCoverage; extra?: string }) {
  const s = useStyles()
  return (
    <li>
      {COLLECTION_LABELS[r.collection]}: {r.name} (<span className={s.mono}>{r.condition}</span>, {r.action}): {plural(r.files, 'file')}
      {extra}
    </li>
  )
}

export function Coverage({ policy, results }: { policy: Policy; results: SimulationResults }) {
  const s = useStyles()
  // Counted in a render of its own, after the results are drawn: for 100,000 files and 10,000 rules it
  // takes about 40 ms, which would lengthen the task that draws them.
  const input = useMemo(() => ({ policy, results }), [policy, results])
  const shown = useDeferredValue(input, null)
  const report = useMemo(() => (shown ? coverageFromResults(shown.policy, shown.results) : null), [shown])
  const used = useMemo(() => (report ? report.rules.filter((r) => r.files > 0).sort((a, b) => b.files - a.files) : []), [report])
  if (!report) {
    return (
      <section className={s.section} aria-label="Rule coverage" aria-busy="true">
        <Text weight="semibold">Which rules earn their place</Text>
        <Text size={200}>Counting the files each rule decided...</Text>
      </section>
    )
  }
  return (
    <section className={s.section} aria-label="Rule coverage">
      <Text weight="semibold">Which rules earn their place</Text>
      <Text size={200}>
        {plural(report.decidedByRule, 'file')} decided by a rule, {plural(report.decidedByDefault, 'file')} by default. A file counts for the rule that decided it (the first
        matching Deny, else the first matching Allow), for the users tested here.
      </Text>
      <Text weight="semibold" size={200}>
        Files decided per rule ({plural(used.length, 'rule')})
      </Text>
      <ul className={s.list} aria-label="Files decided per rule" tabIndex={0}>
        {used.slice(0, LIMIT).map((r, i) => (
          <RuleLine key={i} r={r} />
        ))}
      </ul>
      <Text weight="semibold" size={200}>
        Rules that decided no file ({report.unused.length}): candidates to remove, if this inventory is representative
      </Text>
      <ul className={s.list} aria-label="Rules that decided no file" tabIndex={0}>
        {report.unused.slice(0, LIMIT).map((r, i) => (
          <RuleLine key={i} r={r} />
        ))}
        {report.unused.length > LIMIT && <li>... and {count(report.unused.length - LIMIT)} more</li>}
      </ul>
      <Text weight="semibold" size={200}>
        Broad path rules ({report.broadPathRules.length}): Allow path rules with a wildcard, most files first
      </Text>
      <ul className={s.list} aria-label="Broad path rules" tabIndex={0}>
        {report.broadPathRules.slice(0, LIMIT).map((r, i) => (
          <RuleLine key={i} r={r} extra={`, ${Math.round(r.share * 100)}% of the files ${COLLECTION_LABELS[r.collection]} allow`} />
        ))}
      </ul>
    </section>
  )
}
