/**
 * "Create rules from these files...": the inventory's events (or files with hashes or signers) turned into rules,
 * as `Get-AppLockerFileInformation -EventLog -EventType Audited | New-AppLockerPolicy -RuleType Publisher,Hash`
 * and the snap-in's "Automatically Generate Rules..." do (src/applocker/inventory-rules.ts). Choose the events,
 * the rule types, the publisher level, the user or group and grouping; review; add in one undoable step.
 */
import { useMemo, useState } from 'react'
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody,
  Select, Text, makeStyles, tokens,
} from '@fluentui/react-components'
import { EVENT_IDS, EVENT_KINDS, addRulesWithoutDuplicates, additionWarnings, inventoryFacets, proposeRulesFromInventory, type EventKind } from '../../applocker/inventory-rules'
import type { RulePreference } from '../../applocker/generate'
import { COLLECTION_LABELS, COLLECTION_TYPES, type CollectionType } from '../../applocker/policy'
import type { SimRow } from '../../applocker/simulate/results'
import { sidDisplayName } from '../../applocker/sids'
import { useDocument } from '../../store/document'
import { ProposedRulesTable } from '../../ui/ProposedRulesTable'
import { RuleOptionsForm, ruleOptionsSid, ruleOptionsSidOk, type RuleOptions } from '../../ui/RuleOptionsForm'
import { plural } from '../../lib/plural'

const useStyles = makeStyles({
  surface: { maxWidth: 'min(1200px, 96vw)', width: '96vw' },
  section: { display: 'flex', flexDirection: 'column', gap: '10px' },
  group: { display: 'flex', gap: '4px 12px', flexWrap: 'wrap', border: 'none', margin: 0, padding: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: '2px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  notes: { margin: 0, paddingLeft: '20px', maxHeight: '140px', overflowY: 'auto', fontSize: tokens.fontSizeBase200 },
  error: { color: tokens.colorPaletteRedForeground1 },
})

const KIND_LABELS: Record<EventKind, string> = { audited: 'Audited', blocked: 'Blocked', allowed: 'Allowed' }
/** The rule types when the options hold none: one array, so the proposal below is not made again on every drawing. */
const NO_TYPES: readonly RulePreference[] = []

function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item)
}

export function CreateRulesDialog({ rows, onClose, onAdded }: { rows: readonly SimRow[]; onClose: () => void; onAdded: (message: string) => void }) {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const facets = useMemo(() => inventoryFacets(rows), [rows])
  const hasEvents = facets.files < rows.length
  const presentCollections = COLLECTION_TYPES.filter((c) => (facets.collections[c] ?? 0) > 0)

  const [events, setEvents] = useState<EventKind[]>(['audited'])
  const [collections, setCollections] = useState<CollectionType[]>(presentCollections)
  const [eventUser, setEventUser] = useState('')
  const [options, setOptions] = useState<RuleOptions>({ sidChoice: 'S-1-1-0', customSid: '', groupSimilar: true, rule: { kind: 'types', types: ['publisher', 'hash'], level: 'product' } })
  const [off, setOff] = useState<{ key: unknown; set: Set<number> } | null>(null)

  const sid = ruleOptionsSid(options)
  const sidOk = ruleOptionsSidOk(options)
  const { groupSimilar } = options
  const types = options.rule.kind === 'types' ? options.rule.types : NO_TYPES
  const level = options.rule.kind === 'types' ? options.rule.level : 'product'

  const proposal = useMemo(() => {
    if (!sidOk || types.length === 0 || collections.length === 0) return null
    return proposeRulesFromInventory(
      rows,
      { events, collections, users: eventUser ? [eventUser] : undefined },
      { sid, preference: 'publisher', ruleTypes: types, publisherLevel: level, groupSimilar, existing: policy },
    )
  }, [rows, events, collections, eventUser, types, level, groupSimilar, sid, sidOk, policy])

  const excluded = off && off.key === proposal ? off.set : new Set((proposal?.rules ?? []).flatMap((r, i) => (r.existing ? [i] : [])))
  const chosen = (proposal?.rules ?? []).filter((_, i) => !excluded.has(i))
  const warnings = additionWarnings(policy, chosen)
  const noRule = proposal?.notes.filter((n) => n.severity === 'error') ?? []

  const toggle = (i: number, on: boolean) => {
    const next = new Set(excluded)
    if (on) next.delete(i)
    else next.add(i)
    setOff({ key: proposal, set: next })
  }

  const add = () => {
    if (chosen.length === 0) return
    let added = 0
    let skipped = 0
    useDocument.getState().apply(`Create ${plural(chosen.length, 'rule')} from the inventory`, (p) => {
      const r = addRulesWithoutDuplicates(p, chosen)
      added = r.added.length
      skipped = r.skipped.length
      return r.policy
    })
    onAdded(`Added ${plural(added, 'rule')} to the policy${skipped ? ` (${skipped} already there)` : ''}; the simulation runs again. Undo removes them.`)
    onClose()
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Create rules from these files</DialogTitle>
          <DialogContent>
            <div className={s.section}>
              <Text>
                Allow rules for the chosen files, as New-AppLockerPolicy makes them from Get-AppLockerFileInformation -EventLog: a publisher rule where the file
                is signed, else a file hash rule; path rules only when asked. Rules the policy already has are not added again.
              </Text>
              {hasEvents && (
                <fieldset className={s.group}>
                  <legend className={s.legend}>Events</legend>
                  {EVENT_KINDS.map((k) => (
                    <Checkbox
                      key={k}
                      label={`${KIND_LABELS[k]} (${EVENT_IDS[k].join(', ')}): ${facets.events[k]}`}
                      checked={events.includes(k)}
                      onChange={(_, d) => setEvents((e) => toggled(e, k, d.checked === true))}
                    />
                  ))}
                </fieldset>
              )}
              <fieldset className={s.group}>
                <legend className={s.legend}>Collections</legend>
                {presentCollections.map((c) => (
                  <Checkbox
                    key={c}
                    label={`${COLLECTION_LABELS[c]} (${facets.collections[c] ?? 0})`}
                    checked={collections.includes(c)}
                    onChange={(_, d) => setCollections((x) => toggled(x, c, d.checked === true))}
                  />
                ))}
              </fieldset>
              {facets.users.length > 0 && (
                <Field label="Files of user">
                  <Select value={eventUser} onChange={(_, d) => setEventUser(d.value)}>
                    <option value="">All users</option>
                    {facets.users.map((u) => (
                      <option key={u.sid} value={u.sid}>
                        {sidDisplayName(u.sid)} ({u.count})
                      </option>
                    ))}
                  </Select>
                </Field>
              )}
              <RuleOptionsForm
                value={options}
                onChange={(change) => setOptions((o) => ({ ...o, ...change }))}
                groupLabel="Group similar files (one hash rule per collection, one path rule per folder)"
              />

              {types.length === 0 && <Text className={s.error}>Choose at least one rule type.</Text>}
              {collections.length === 0 && <Text className={s.error}>Choose at least one collection.</Text>}
              {!sidOk && <Text className={s.error}>Choose a valid user or group to see the proposed rules.</Text>}

              {proposal && (
                <>
                  <Text weight="semibold" role="status">
                    {plural(proposal.selected.length, 'entry', 'entries')} chosen ({plural(proposal.distinct, 'distinct file')}):{' '}
                    {plural(proposal.rules.length, 'proposed rule')}, {chosen.length} to add
                  </Text>
                  <ProposedRulesTable
                    rules={proposal.rules}
                    excluded={excluded}
                    onToggle={toggle}
                    onToggleAll={(on) => setOff({ key: proposal, set: on ? new Set() : new Set(proposal.rules.map((_r, i) => i)) })}
                  />
                  {warnings.map((w) => (
                    <MessageBar key={w} intent="warning">
                      <MessageBarBody>{w}</MessageBarBody>
                    </MessageBar>
                  ))}
                  {proposal.notes.length > 0 && (
                    <>
                      <Text weight="semibold">
                        Files ({noRule.length} without a rule)
                      </Text>
                      <ul className={s.notes} aria-label="Files without a rule or with another kind of rule" tabIndex={0}>
                        {proposal.notes.map((n, i) => (
                          <li key={i} className={n.severity === 'error' ? s.error : undefined}>
                            <span className={s.mono}>{n.path}</span>: {n.message}
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={chosen.length === 0} onClick={add}>
              {`Add ${plural(chosen.length, 'rule')}`}
            </Button>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
