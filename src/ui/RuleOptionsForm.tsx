/**
 * The options both rule generators ask for ("Automatically Generate Rules...", "Create rules from these
 * files..."): which kind of rule each file gets, the publisher rule level, the user or group, and
 * grouping of similar files. One form, so the two dialogs cannot drift apart.
 *
 * Rule kinds come in two shapes: the snap-in wizard's single choice (publisher where signed, else hash;
 * hash only; path only) or New-AppLockerPolicy's ordered -RuleType list with a publisher level.
 */
import type { ReactNode } from 'react'
import { Checkbox, Field, Input, Radio, RadioGroup, Select, makeStyles, tokens } from '@fluentui/react-components'
import { PUBLISHER_LEVELS, type PublisherLevel, type RulePreference } from '../applocker/generate'
import { WELL_KNOWN_SIDS } from '../applocker/sids'
import { isValidSid } from '../applocker/validate'

export type RuleKindChoice =
  /** The snap-in wizard's rule preference: one of three. */
  | { kind: 'preference'; preference: RulePreference }
  /** New-AppLockerPolicy -RuleType (a file gets the first it can have) and the publisher rule level. */
  | { kind: 'types'; types: RulePreference[]; level: PublisherLevel }

export interface RuleOptions {
  /** A well-known SID, or "custom" for `customSid`. */
  sidChoice: string
  customSid: string
  groupSimilar: boolean
  rule: RuleKindChoice
}

/** The SID the options stand for (trimmed; may be invalid: check with ruleOptionsSidOk). */
export function ruleOptionsSid(o: Pick<RuleOptions, 'sidChoice' | 'customSid'>): string {
  return o.sidChoice === 'custom' ? o.customSid.trim() : o.sidChoice
}

export function ruleOptionsSidOk(o: Pick<RuleOptions, 'sidChoice' | 'customSid'>): boolean {
  return isValidSid(ruleOptionsSid(o))
}

const PREFERENCE_LABELS: { value: RulePreference; label: string }[] = [
  { value: 'publisher', label: 'Publisher rules where signed, hash rules otherwise' },
  { value: 'hash', label: 'File hash rules' },
  { value: 'path', label: 'Path rules' },
]
const TYPE_LABELS: Record<RulePreference, string> = { publisher: 'Publisher (where the file is signed)', hash: 'File hash', path: 'Path' }
const LEVEL_LABELS: Record<PublisherLevel, string> = {
  publisher: 'Publisher (any file it signs)',
  product: 'Product name',
  file: 'File name (any version)',
  version: 'File name, this version and above',
}

const useStyles = makeStyles({
  row: { display: 'flex', gap: '16px', alignItems: 'end', flexWrap: 'wrap' },
  group: { display: 'flex', gap: '4px 12px', flexWrap: 'wrap', border: 'none', margin: 0, padding: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: '2px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
})

function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item)
}

export interface RuleOptionsFormProps {
  value: RuleOptions
  onChange: (change: Partial<RuleOptions>) => void
  disabled?: boolean
  /** The grouping checkbox's label (what grouping does with these rule kinds). */
  groupLabel: string
  /** Shown after the rule-kind choice (e.g. the folder path rules start with). */
  children?: ReactNode
}

export function RuleOptionsForm({ value, onChange, disabled, groupLabel, children }: RuleOptionsFormProps) {
  const s = useStyles()
  const sidOk = ruleOptionsSidOk(value)
  const rule = value.rule
  const user = (
    <>
      <Field label="User or group">
        <Select value={value.sidChoice} onChange={(_, d) => onChange({ sidChoice: d.value })} disabled={disabled}>
          {WELL_KNOWN_SIDS.map((w) => (
            <option key={w.sid} value={w.sid}>
              {w.name} ({w.sid})
            </option>
          ))}
          <option value="custom">Other SID...</option>
        </Select>
      </Field>
      {value.sidChoice === 'custom' && (
        <Field label="SID" validationMessage={value.customSid && !sidOk ? 'A SID looks like S-1-5-21-…-1001.' : undefined}>
          <Input className={s.mono} value={value.customSid} placeholder="S-1-5-21-..." disabled={disabled} onChange={(_, d) => onChange({ customSid: d.value })} />
        </Field>
      )}
    </>
  )
  return (
    <>
      {rule.kind === 'preference' ? (
        <>
          <div className={s.row}>{user}</div>
          <Field label="Rule preference">
            <RadioGroup value={rule.preference} onChange={(_, d) => onChange({ rule: { kind: 'preference', preference: d.value as RulePreference } })} disabled={disabled}>
              {PREFERENCE_LABELS.map((p) => (
                <Radio key={p.value} value={p.value} label={p.label} />
              ))}
            </RadioGroup>
          </Field>
          {children}
        </>
      ) : (
        <>
          <fieldset className={s.group} disabled={disabled}>
            <legend className={s.legend}>Rule types (a file gets the first it can have)</legend>
            {(['publisher', 'hash', 'path'] as const).map((t) => (
              <Checkbox
                key={t}
                label={TYPE_LABELS[t]}
                checked={rule.types.includes(t)}
                onChange={(_, d) => onChange({ rule: { ...rule, types: toggled(rule.types, t, d.checked === true) } })}
              />
            ))}
          </fieldset>
          {children}
          <div className={s.row}>
            <Field label="Publisher rule level">
              <Select value={rule.level} onChange={(_, d) => onChange({ rule: { ...rule, level: d.value as PublisherLevel } })} disabled={disabled || !rule.types.includes('publisher')}>
                {PUBLISHER_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {LEVEL_LABELS[l]}
                  </option>
                ))}
              </Select>
            </Field>
            {user}
          </div>
        </>
      )}
      <Checkbox checked={value.groupSimilar} disabled={disabled} onChange={(_, d) => onChange({ groupSimilar: d.checked === true })} label={groupLabel} />
    </>
  )
}
