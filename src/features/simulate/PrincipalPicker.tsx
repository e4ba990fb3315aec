/** Who the inventory is tested for: a preset token, extra SIDs, and for events each event's user. */
import { useState } from 'react'
import { Checkbox, Field, Input, Radio, RadioGroup, makeStyles } from '@fluentui/react-components'
import { PRINCIPAL_PRESETS, isValidPrincipalSid, splitSids, type PrincipalPresetId } from '../../applocker/sids'
import { useSimulation } from '../../store/simulation'

const useStyles = makeStyles({
  row: { display: 'flex', gap: '16px', flexWrap: 'wrap', alignItems: 'end' },
})

export function PrincipalPicker() {
  const s = useStyles()
  const choice = useSimulation((x) => x.choice)
  const setChoice = useSimulation((x) => x.setChoice)
  const [sidText, setSidText] = useState(choice.customSids.join(', '))
  const invalid = splitSids(sidText).filter((x) => !isValidPrincipalSid(x))
  return (
    <div className={s.row}>
      <Field label="Test for">
        <RadioGroup layout="horizontal" value={choice.preset} onChange={(_, d) => setChoice({ preset: d.value as PrincipalPresetId })} aria-label="Principal">
          {PRINCIPAL_PRESETS.map((p) => (
            <Radio key={p.id} value={p.id} label={p.label} />
          ))}
        </RadioGroup>
      </Field>
      <Field
        label="Additional SIDs"
        validationState={invalid.length ? 'error' : 'none'}
        validationMessage={invalid.length ? `Not a SID: ${invalid.join(', ')}` : undefined}
      >
        <Input
          style={{ minWidth: 300, fontFamily: 'monospace' }}
          placeholder="S-1-5-21-...-1001, S-1-5-21-...-513"
          value={sidText}
          onChange={(_, d) => setSidText(d.value)}
          onBlur={() => setChoice({ customSids: splitSids(sidText).filter(isValidPrincipalSid) })}
        />
      </Field>
      <Checkbox
        checked={choice.useRowUser}
        onChange={(_, d) => setChoice({ useRowUser: d.checked === true })}
        label="For events, test for the event's user"
      />
      <Checkbox
        checked={choice.elevated !== false}
        onChange={(_, d) => setChoice({ elevated: d.checked === true })}
        label="Runs elevated (Run as administrator)"
        title="Unchecked: an administrator's programs running unelevated, as UAC starts them. Windows then counts the user in Administrators for Executable rules only."
      />
    </div>
  )
}
