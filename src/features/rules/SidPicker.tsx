/** "User or group": a combobox of well-known SIDs by name, plus free entry of any SID. */
import { useState } from 'react'
import { Combobox, Option, makeStyles, tokens, type ComboboxProps } from '@fluentui/react-components'
import { WELL_KNOWN_SIDS } from '../../applocker/sids'
import { parseSidInput, sidOptionText } from './ruleForm'

const useStyles = makeStyles({
  sid: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3, marginLeft: '8px' },
})

export interface SidPickerProps extends Omit<ComboboxProps, 'value' | 'onChange' | 'onBlur'> {
  sid: string
  onSidChange: (sid: string) => void
  onBlur?: () => void
}

export function SidPicker({ sid, onSidChange, onBlur, ...rest }: SidPickerProps) {
  const s = useStyles()
  const [text, setText] = useState(() => sidOptionText(sid))
  const [query, setQuery] = useState<string | null>(null)
  const q = query?.trim().toLowerCase() ?? ''
  const options = q ? WELL_KNOWN_SIDS.filter((w) => `${w.name} (${w.sid})`.toLowerCase().includes(q)) : WELL_KNOWN_SIDS
  return (
    <Combobox
      {...rest}
      freeform
      value={text}
      selectedOptions={[sid]}
      onChange={(e) => {
        const value = e.target.value
        setText(value)
        setQuery(value)
        onSidChange(parseSidInput(value))
      }}
      onOptionSelect={(_, d) => {
        if (!d.optionValue) return
        setText(d.optionText ?? d.optionValue)
        setQuery(null)
        onSidChange(d.optionValue)
      }}
      onBlur={() => {
        setQuery(null)
        onBlur?.()
      }}
    >
      {options.map((w) => (
        <Option key={w.sid} value={w.sid} text={`${w.name} (${w.sid})`}>
          {w.name}
          <span className={s.sid}>{w.sid}</span>
        </Option>
      ))}
    </Combobox>
  )
}
