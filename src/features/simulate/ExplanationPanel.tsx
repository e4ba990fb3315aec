/** Why one file of the inventory got its decision: decided again with the full explanation (in the decision Worker). */
import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import { COLLECTION_LABELS, ENFORCEMENT_LABELS, type CollectionType, type EnforcementMode, type Policy } from '../../applocker/policy'
import type { MachineSettings } from '../../applocker/evaluate/types'
import { sidDisplayName } from '../../applocker/sids'
import { EFFECT_LABELS, type SimRow } from '../../applocker/simulate/results'
import { principalFor, type PrincipalChoice } from '../../applocker/simulate/run'
import { EffectBadge } from '../../ui/EffectBadge'
import { ExplanationDetails } from '../../ui/ExplanationDetails'
import { useDecision } from '../../ui/useDecision'

const useStyles = makeStyles({
  panel: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '10px 14px', display: 'flex', flexDirection: 'column', gap: '6px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '12px', rowGap: '2px', fontSize: tokens.fontSizeBase200 },
})

export function ExplanationPanel({
  policy,
  machine,
  row,
  choice,
  whatIf,
}: {
  policy: Policy
  machine: MachineSettings
  row: SimRow
  choice: PrincipalChoice
  /** What-if enforcement modes the simulation uses instead of the policy's. */
  whatIf?: Partial<Record<CollectionType, EnforcementMode>>
}) {
  const s = useStyles()
  const principal = principalFor(choice, row)
  // Decided in the decision Worker, which compiles the policy (about a second at 50,000 rules) off the page.
  const { answer, pending, error } = useDecision(policy, machine, { file: row, principal, options: whatIf && Object.keys(whatIf).length ? { explain: true, modeOverride: whatIf } : { explain: true } })
  const d = pending ? null : (answer?.decision ?? null)
  if (!d) {
    return (
      <section className={s.panel} aria-label="Explanation" aria-busy={pending}>
        <Text weight="semibold" size={400} className={s.mono}>
          {row.path}
        </Text>
        {error ? <Text role="alert">The decision could not be worked out: {error}</Text> : <Spinner size="tiny" labelPosition="after" label="Working out the decision..." />}
      </section>
    )
  }
  const x = d.explanation
  return (
    <section className={s.panel} aria-label="Explanation">
      <Text weight="semibold" size={400} className={s.mono}>
        {row.path}
      </Text>
      <div>
        <EffectBadge effect={d.effect} compact /> <Text weight="semibold">{d.collection ? d.decision : 'Not governed'}</Text>
        {d.eventId !== null && <Text> · event {d.eventId}</Text>}
      </div>
      <Text>{EFFECT_LABELS[d.effect]}.</Text>
      <div className={s.facts}>
        <span>Collection</span>
        <span>{d.collection ? `${COLLECTION_LABELS[d.collection]} (${d.mode ? ENFORCEMENT_LABELS[d.mode] : 'absent from the policy'})` : 'none'}</span>
        <span>Tested for</span>
        <span className={s.mono}>{[principal.user, ...principal.groups].filter(Boolean).map((sid) => sidDisplayName(sid!)).join(', ')}</span>
        {row.publisher && (
          <>
            <span>Signed by</span>
            <span className={s.mono}>
              {row.publisher.name} \ {row.publisher.product} \ {row.publisher.binary} \ {row.publisher.version}
            </span>
          </>
        )}
        {row.hash && (
          <>
            <span>Hash</span>
            <span className={s.mono}>{row.hash}</span>
          </>
        )}
        {row.line !== undefined && (
          <>
            <span>Inventory line</span>
            <span>{row.line}</span>
          </>
        )}
      </div>
      {row.event && (
        <Text>
          Windows logged event {row.event.id} ({row.event.policyName}
          {row.event.ruleName ? `, rule ${row.event.ruleName}` : ', no rule: decided by default'}
          {row.event.computer ? ` on ${row.event.computer}` : ''}
          {row.event.time ? ` at ${row.event.time}` : ''}).{' '}
          {row.event.id === d.eventId
            ? 'The preview agrees.'
            : `The preview says ${d.eventId ?? 'no event'} with the open policy: the policy or the principal differs from what that machine had.`}
        </Text>
      )}
      {/* What the inventory could not tell about this file (a blocked event without signer or hash, inventory/events.ts). */}
      {row.note && <Text>{row.note}</Text>}
      <ExplanationDetails explanation={x} />
    </section>
  )
}
