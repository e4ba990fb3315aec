/**
 * "Configure rule enforcement": the enforcement mode of each collection, "Enable the DLL rule
 * collection", and the Services / SystemApps rule collection extensions of Exe and Dll. All
 * changes are applied as one undoable edit.
 */
import { useState } from 'react'
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import {
  COLLECTION_LABELS,
  COLLECTION_TYPES,
  ENFORCEMENT_LABELS,
  ENFORCEMENT_MODES,
  findCollection,
  type CollectionType,
  type EnforcementMode,
  type ServicesEnforcement,
  type SystemAppsAllow,
} from '../../applocker/policy'
import { dllDisableWarning, isDllCollectionEnabled } from '../../applocker/ops'
import { invalidEnforcementMode } from '../../applocker/validate'
import { applyEnforcementDraft, draftOf, type Draft } from './enforcement'
import { useDocument } from '../../store/document'
import { plural } from '../../lib/plural'

const useStyles = makeStyles({
  surface: { width: 'min(760px, 96vw)', maxWidth: '96vw' },
  stack: { display: 'flex', flexDirection: 'column', gap: '12px' },
  grid: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '10px 16px' },
  hint: { color: tokens.colorNeutralForeground3 },
  section: { borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: '10px', display: 'flex', flexDirection: 'column', gap: '8px' },
})

const SERVICES_LABELS: Record<ServicesEnforcement | 'none', string> = {
  none: 'Not set (element absent)',
  NotConfigured: 'Not configured',
  Enabled: 'Enabled: rules apply to services',
  ServicesOnly: 'Services only',
}
const SYSTEMAPPS_LABELS: Record<SystemAppsAllow | 'none', string> = {
  none: 'Not set (element absent)',
  Enabled: 'Enabled: allow Windows system apps',
  NotEnabled: 'Not enabled',
}

/** A raw value as shown in a label: at most 60 characters. */
function shortRaw(raw: string): string {
  return raw.length > 60 ? `${raw.slice(0, 60)}...` : raw
}

export function EnforcementDialog({ onClose }: { onClose: (message?: string) => void }) {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const [draft, setDraft] = useState<Draft>(() => draftOf(policy))
  const ruleCountOf = (t: CollectionType) => findCollection(policy, t)?.rules.length ?? 0
  const invalidModeOf = (t: CollectionType) => {
    const c = findCollection(policy, t)
    return (c && invalidEnforcementMode(c)) ?? ''
  }
  const dllLoss = !draft.dll && isDllCollectionEnabled(policy) ? dllDisableWarning(policy) : null
  const stillEnforced = COLLECTION_TYPES.filter((t) => draft.modes[t] === 'NotConfigured' && ruleCountOf(t) > 0 && (t !== 'Dll' || draft.dll))

  const ok = () => {
    const d = draft
    useDocument.getState().apply('Configure rule enforcement', (p) => applyEnforcementDraft(p, d))
    onClose('Rule enforcement updated.')
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} aria-label="Configure rule enforcement">
        <DialogBody>
          <DialogTitle>Configure rule enforcement</DialogTitle>
          <DialogContent className={s.stack}>
            <Text className={s.hint}>
              For each rule collection: Enforce rules blocks what the rules do not allow; Audit only lets everything run and logs what would have been blocked.
            </Text>
            <div className={s.grid}>
              {COLLECTION_TYPES.map((t) => (
                <Field
                  key={t}
                  label={COLLECTION_LABELS[t]}
                  hint={`${plural(ruleCountOf(t), 'rule')}${t === 'Dll' && !draft.dll ? '; the DLL rule collection is off' : ''}`}
                  validationState={draft.modes[t] === null ? 'error' : 'none'}
                  validationMessage={draft.modes[t] === null ? `The file says EnforcementMode="${shortRaw(invalidModeOf(t))}", which Windows does not accept: choose a mode.` : undefined}
                >
                  <Select
                    value={draft.modes[t] ?? ''}
                    disabled={t === 'Dll' && !draft.dll}
                    onChange={(_, d) => setDraft((x) => ({ ...x, modes: { ...x.modes, [t]: d.value === '' ? null : (d.value as EnforcementMode) } }))}
                  >
                    {draft.modes[t] === null && <option value="">{`"${shortRaw(invalidModeOf(t))}" (invalid)`}</option>}
                    {ENFORCEMENT_MODES.map((m) => (
                      <option key={m} value={m}>
                        {ENFORCEMENT_LABELS[m]}
                      </option>
                    ))}
                  </Select>
                </Field>
              ))}
            </div>
            {stillEnforced.length > 0 && (
              <MessageBar intent="warning" role="status">
                <MessageBarBody>
                  Not configured does not mean the rules are ignored: {stillEnforced.map((t) => COLLECTION_LABELS[t]).join(', ')}{' '}
                  {stillEnforced.length === 1 ? 'has' : 'have'} rules, so Windows enforces {stillEnforced.length === 1 ? 'it' : 'them'} unless a policy
                  with higher precedence says otherwise. Choose Audit only to test without blocking.
                </MessageBarBody>
              </MessageBar>
            )}
            <div className={s.section}>
              <Checkbox
                label="Enable the DLL rule collection"
                checked={draft.dll}
                onChange={(_, d) => setDraft((x) => ({ ...x, dll: Boolean(d.checked) }))}
              />
              <Text size={200} className={s.hint}>
                DLL rules check every library each program loads: they can slow computers down and need rules for every DLL your apps use.
              </Text>
              {dllLoss && (
                <MessageBar intent="warning">
                  <MessageBarBody>{dllLoss}</MessageBarBody>
                </MessageBar>
              )}
            </div>
            <div className={s.section}>
              <Text weight="semibold">Rule collection extensions (Windows 10 and later)</Text>
              <Text size={200} className={s.hint}>
                Services and SystemApps are written together (ThresholdExtensions and RedstoneExtensions), as Windows requires.
              </Text>
              <div className={s.grid}>
                {(['Exe', 'Dll'] as const).map((t) => (
                  <div key={t} className={s.stack}>
                    <Field label={`${COLLECTION_LABELS[t]}: services`}>
                      <Select
                        value={draft.ext[t].services ?? 'none'}
                        onChange={(_, d) =>
                          setDraft((x) => ({ ...x, ext: { ...x.ext, [t]: { ...x.ext[t], services: d.value === 'none' ? null : (d.value as ServicesEnforcement) } } }))
                        }
                      >
                        {(Object.keys(SERVICES_LABELS) as (keyof typeof SERVICES_LABELS)[]).map((k) => (
                          <option key={k} value={k}>
                            {SERVICES_LABELS[k]}
                          </option>
                        ))}
                      </Select>
                    </Field>
                    <Field label={`${COLLECTION_LABELS[t]}: system apps`}>
                      <Select
                        value={draft.ext[t].systemApps ?? 'none'}
                        onChange={(_, d) =>
                          setDraft((x) => ({ ...x, ext: { ...x.ext, [t]: { ...x.ext[t], systemApps: d.value === 'none' ? null : (d.value as SystemAppsAllow) } } }))
                        }
                      >
                        {(Object.keys(SYSTEMAPPS_LABELS) as (keyof typeof SYSTEMAPPS_LABELS)[]).map((k) => (
                          <option key={k} value={k}>
                            {SYSTEMAPPS_LABELS[k]}
                          </option>
                        ))}
                      </Select>
                    </Field>
                  </div>
                ))}
              </div>
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={ok}>
              OK
            </Button>
            <Button onClick={() => onClose()}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
