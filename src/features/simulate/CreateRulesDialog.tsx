/**
 * "Create rules from these files...": the inventory's events (or files with hashes or signers) turned into rules,
 * as `Get-AppLockerFileInformation -EventLog -EventType Audited | New-AppLockerPolicy -RuleType Publisher,Hash`
 * and the snap-in's "Automatically Generate Rules..." do (src/applocker/inventory-rules.ts). Choose the events,
 * the rule types, the publisher level, the user or group and grouping; review; add in one undoable step.
 */
import { useEffect, useMemo, useState } from 'react'
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody,
  Select, Spinner, Text, makeStyles, tokens,
} from '@fluentui/react-components'
import { EVENT_IDS, EVENT_KINDS, addRulesWithoutDuplicates, additionWarnings, type EventKind } from '../../applocker/inventory-rules'
import type { PublisherLevel, RulePreference } from '../../applocker/generate'
import { COLLECTION_LABELS, COLLECTION_TYPES, type CollectionType, type Policy } from '../../applocker/policy'
import { sidDisplayName } from '../../applocker/sids'
import { useDocument } from '../../store/document'
import { useSimulation, type InventoryRulesProposal, type LoadedInventory } from '../../store/simulation'
import { isAbortError } from '../../lib/rpc'
import { FileNotesList } from '../../ui/FileNotesList'
import { ProposedRulesTable } from '../../ui/ProposedRulesTable'
import { RuleOptionsForm, ruleOptionsSid, ruleOptionsSidOk, type RuleOptions } from '../../ui/RuleOptionsForm'
import { count, plural } from '../../lib/plural'

const useStyles = makeStyles({
  surface: { maxWidth: 'min(1200px, 96vw)', width: '96vw' },
  section: { display: 'flex', flexDirection: 'column', gap: '10px' },
  group: { display: 'flex', gap: '4px 12px', flexWrap: 'wrap', border: 'none', margin: 0, padding: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: '2px' },
  error: { color: tokens.colorPaletteRedForeground1 },
})

const KIND_LABELS: Record<EventKind, string> = { audited: 'Audited', blocked: 'Blocked', allowed: 'Allowed' }
/** The rule types when the options hold none: one array, so the proposal below is not made again on every drawing. */
const NO_TYPES: readonly RulePreference[] = []

function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item)
}

/** What the proposal was made for: a new one is asked for whenever this object changes. */
interface ProposalInputs {
  inventory: LoadedInventory
  events: EventKind[]
  collections: CollectionType[]
  eventUser: string
  types: readonly RulePreference[]
  level: PublisherLevel
  groupSimilar: boolean
  sid: string
  policy: Policy
}

export function CreateRulesDialog({ inventory, onClose, onAdded }: { inventory: LoadedInventory; onClose: () => void; onAdded: (message: string) => void }) {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const facets = inventory.facets
  const hasEvents = facets.files < inventory.rows.length
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

  // The proposal is made in the simulation Worker, which holds the rows (100,000 rows take it about half
  // a second); the latest answer is shown, and a change of the options asks again (the question before is cancelled).
  const inputs = useMemo<ProposalInputs | null>(
    () => (!sidOk || types.length === 0 || collections.length === 0 ? null : { inventory, events, collections, eventUser, types, level, groupSimilar, sid, policy }),
    [inventory, events, collections, eventUser, types, level, groupSimilar, sid, sidOk, policy],
  )
  const [answer, setAnswer] = useState<{ inputs: ProposalInputs; proposal: InventoryRulesProposal | null; error: string | null } | null>(null)
  useEffect(() => {
    if (!inputs) return
    const controller = new AbortController()
    useSimulation
      .getState()
      .proposeRules(
        { events: inputs.events, collections: inputs.collections, users: inputs.eventUser ? [inputs.eventUser] : undefined },
        { sid: inputs.sid, preference: 'publisher', ruleTypes: inputs.types, publisherLevel: inputs.level, groupSimilar: inputs.groupSimilar },
        inputs.policy,
        controller.signal,
      )
      .then(
        (proposal) => setAnswer({ inputs, proposal, error: null }),
        (e: unknown) => {
          if (!isAbortError(e)) setAnswer({ inputs, proposal: null, error: e instanceof Error ? e.message : String(e) })
        },
      )
    return () => controller.abort()
  }, [inputs])
  const pending = inputs !== null && answer?.inputs !== inputs
  const proposal = inputs !== null && answer ? answer.proposal : null

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
    if (pending || chosen.length === 0) return
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

              {pending && <Spinner size="tiny" labelPosition="after" label="Proposing rules for the chosen files..." />}
              {answer?.error && !pending && (
                <MessageBar intent="error">
                  <MessageBarBody>The rules could not be proposed: {answer.error}</MessageBarBody>
                </MessageBar>
              )}
              {proposal && (
                <>
                  <Text weight="semibold" role="status">
                    {plural(proposal.selected, 'entry', 'entries')} chosen ({plural(proposal.distinct, 'distinct file')}):{' '}
                    {plural(proposal.rules.length, 'proposed rule')}, {count(chosen.length)} to add
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
                      <FileNotesList notes={proposal.notes} label="Files without a rule or with another kind of rule" />
                    </>
                  )}
                </>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={pending || chosen.length === 0} onClick={add}>
              {`Add ${plural(chosen.length, 'rule')}`}
            </Button>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
