import { Badge, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { Explanation } from '../applocker/evaluate/types'
import { plural, verb } from '../lib/plural'

const useStyles = makeStyles({
  list: { margin: '0', paddingLeft: '20px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
})

/**
 * Why a file got its decision: what decided, the steps, the matching rules and the rules an
 * exception ruled out. Shared by "Test a file" and the inventory simulation's explanation panel.
 */
export function ExplanationDetails({ explanation: x }: { explanation: Explanation }) {
  const s = useStyles()
  return (
    <>
      {x.decidedBy && (
        <Text>
          Decided by: <strong>{x.decidedBy}</strong>
        </Text>
      )}
      {x.steps.length > 0 && (
        <ol className={s.list} aria-label="Decision steps">
          {x.steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      )}
      <Text weight="semibold">
        Matching rules ({x.matchedCount}){x.matchedCount > x.matched.length ? `, the first ${x.matched.length} and the deciding rule listed` : ''}
      </Text>
      {x.matched.length === 0 ? (
        <Text>No rule matched.</Text>
      ) : (
        <ul className={s.list} aria-label="Matching rules">
          {x.matched.map((r) => (
            <li key={r.ruleId}>
              <Badge size="small" appearance="tint" color={r.action === 'Deny' ? 'danger' : 'success'}>
                {r.action}
              </Badge>{' '}
              {r.name}
            </li>
          ))}
        </ul>
      )}
      <Text weight="semibold">
        Exceptions that applied ({x.excludedCount}){x.excludedCount > x.excludedByException.length ? `, the first ${x.excludedByException.length} listed` : ''}
      </Text>
      {x.excludedByException.length > 0 && (
        <ul className={s.list} aria-label="Exceptions that applied">
          {x.excludedByException.map((r) => (
            <li key={r.ruleId}>
              {r.action} rule {r.name} does not apply: exception <span className={s.mono}>{r.exception}</span>
            </li>
          ))}
        </ul>
      )}
      {x.notApplicableToPrincipal > 0 && <Text size={200}>{plural(x.notApplicableToPrincipal, 'rule')} of this collection {verb(x.notApplicableToPrincipal, 'is', 'are')} for other users or groups.</Text>}
    </>
  )
}
