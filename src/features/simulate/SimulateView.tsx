/**
 * "Inventory simulation": load a list of files (FILES.json, CSV, AppLocker events) and see what the
 * open policy decides for every one of them, with charts, Enforce vs Audit-only impact, a filterable
 * table, explanations, "What changes" against another policy, CSV export and the matching
 * Test-AppLockerPolicy command. The work runs in a Worker (store/simulation.ts).
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Select,
  Text,
  makeStyles,
  shorthands,
  tokens,
} from '@fluentui/react-components'
import { ArrowDownloadRegular, DismissRegular, DocumentArrowUpRegular } from '@fluentui/react-icons'
import { COLLECTION_LABELS, ENFORCEMENT_LABELS, ENFORCEMENT_MODES, COLLECTION_TYPES, findCollection, type CollectionType, type EnforcementMode } from '../../applocker/policy'
import { formatDiagnostic } from '../../applocker/diagnostics'
import { setEnforcementMode } from '../../applocker/ops'
import type { Effect, PolicyDecision } from '../../applocker/evaluate/types'
import { EFFECTS, POLICY_DECISIONS, filterRows, impactSentence, summarize, type ResultFilter } from '../../applocker/simulate/results'
import { useDocument } from '../../store/document'
import { useSimulation } from '../../store/simulation'
import { DecisionsChart, ImpactChart, Legend } from './Charts'
import { ExplanationPanel } from './ExplanationPanel'
import { ResultsTable } from './ResultsTable'
import { PrincipalPicker } from './PrincipalPicker'
import { MachineSettingsPanel } from './MachineSettings'
import { WhatChanges } from './WhatChanges'
import { TestCommand } from './TestCommand'
import { CreateRulesDialog } from './CreateRulesDialog'
import { Coverage } from './Coverage'
import { inventoryCarriesFileIdentity } from '../../applocker/inventory-rules'
import { downloadBytes } from '../../ui/download'
import { resultsCsvBlob } from '../../lib/resultsCsv'
import { count, plural } from '../../lib/plural'

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '14px', maxWidth: '1200px' },
  bar: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  drop: {
    border: `2px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '12px 16px',
    display: 'flex',
    gap: '12px',
    alignItems: 'center',
    flexWrap: 'wrap',
  },
  dropActive: { ...shorthands.borderColor(tokens.colorBrandStroke1), backgroundColor: tokens.colorBrandBackground2 },
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  counts: { display: 'flex', gap: '18px', flexWrap: 'wrap' },
  count: { display: 'flex', flexDirection: 'column' },
  big: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  impact: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(520px, 1fr))', gap: '12px' },
  impactCard: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '8px 12px', display: 'flex', flexDirection: 'column', gap: '6px' },
  filters: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'end' },
  diag: { maxHeight: '160px', overflowY: 'auto', margin: '0', paddingLeft: '20px', fontSize: tokens.fontSizeBase200 },
})

const FORMAT_LABELS: Record<string, string> = { 'files-json': 'FILES.json', files: 'FILES.json', json: 'FILES.json', csv: 'CSV', events: 'AppLocker events', evtx: 'Windows event log .evtx' }

export default function SimulateView() {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const inventory = useSimulation((x) => x.inventory)
  const run = useSimulation((x) => x.run)
  const results = useSimulation((x) => x.results)
  const compareResults = useSimulation((x) => x.compareResults)
  const outdated = useSimulation((x) => x.outdated)
  const choice = useSimulation((x) => x.choice)
  const machine = useSimulation((x) => x.machine)
  const previousAvailable = useDocument((d) => d.past.length > 0)
  const whatIf = useSimulation((x) => x.whatIf)
  const setWhatIf = useSimulation((x) => x.setWhatIf)
  const clearWhatIf = useSimulation((x) => x.clearWhatIf)
  const loadInventory = useSimulation((x) => x.loadInventory)
  const start = useSimulation((x) => x.start)
  const cancel = useSimulation((x) => x.cancel)

  const input = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  const [selected, setSelected] = useState<number | null>(null)
  const [filter, setFilter] = useState<ResultFilter>({})
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<string | null>(null)

  // Re-runs when the inventory, the policy, the principal or the comparison changes (the store's rule).
  useEffect(() => useSimulation.getState().follow(), [])

  const rows = useMemo(() => inventory?.rows ?? [], [inventory])
  const canCreateRules = useMemo(() => rows.some((r) => r.event !== undefined) || inventoryCarriesFileIdentity(rows), [rows])
  const current = results && results.count === rows.length ? results : null
  const summary = useMemo(() => (current ? summarize(current) : null), [current])
  const indices = useMemo(() => (current ? filterRows(current, rows, filter) : new Int32Array()), [current, rows, filter])
  // The table is drawn in a render of its own after the counts and charts: its first drawing measures
  // its scroller, which makes the browser lay out the whole view at once (one long task with both).
  const table = useMemo(() => ({ rows, results: current, indices }), [rows, current, indices])
  const shownTable = useDeferredValue(table, null)

  const pick = (file: File | undefined) => {
    if (!file) return
    setSelected(null)
    setFilter({})
    setCreated(null)
    void loadInventory(file)
  }

  // The dropdowns under "Enforce rules versus Audit only" are a what-if: the simulation uses the mode, the policy is
  // changed only by "Apply to policy" (one undoable edit).
  const policyMode = (type: CollectionType) => findCollection(policy, type)?.enforcementMode ?? null
  const whatIfEntries = (Object.entries(whatIf) as [CollectionType, EnforcementMode][]).filter(([c, m]) => m !== policyMode(c))
  const setMode = (type: CollectionType, mode: EnforcementMode) => setWhatIf(type, mode === policyMode(type) ? null : mode)
  const applyWhatIf = () => {
    const label = whatIfEntries.map(([c, m]) => `${COLLECTION_LABELS[c]} to ${ENFORCEMENT_LABELS[m]}`).join(', ')
    useDocument.getState().apply(`Set ${label}`, (p) => whatIfEntries.reduce((acc, [c, m]) => setEnforcementMode(acc, c, m), p))
    clearWhatIf()
  }

  const skipped = inventory?.diagnostics ?? []
  const skippedErrors = skipped.filter((d) => d.severity === 'error').length
  const running = run.status === 'running' || run.status === 'loading'
  const filtered = indices.length !== (current?.count ?? 0)

  return (
    <div className={s.page}>
      <Text as="h1" size={600} weight="semibold">
        Inventory simulation
      </Text>
      <div
        className={`${s.drop} ${dragging ? s.dropActive : ''}`}
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes('Files')) return
          e.preventDefault()
          e.stopPropagation()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault()
          e.stopPropagation()
          setDragging(false)
          pick(e.dataTransfer.files[0])
        }}
      >
        <Button appearance="primary" icon={<DocumentArrowUpRegular />} onClick={() => input.current?.click()} disabled={run.status === 'loading'}>
          Load inventory
        </Button>
        <input
          ref={input}
          type="file"
          hidden
          aria-label="Inventory file"
          accept=".csv,.json,.xml,.txt,.evtx,text/csv,application/json,text/xml"
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            pick(file)
          }}
        />
        <Text>
          {inventory
            ? `${inventory.name}: ${plural(inventory.rows.length, 'file')} (${FORMAT_LABELS[inventory.format] ?? inventory.format})`
            : 'or drop a file here: FILES.json, a CSV with Path, Publisher, ProductName, BinaryName, Version, Hash columns, AppLocker events exported as XML, or an AppLocker event log (.evtx).'}
        </Text>
      </div>

      {skipped.length > 0 && (
        <MessageBar intent={skippedErrors ? 'warning' : 'info'}>
          <MessageBarBody>
            <Text weight="semibold">
              {skippedErrors ? `${plural(skippedErrors, 'row')} skipped` : plural(skipped.length, 'note')} while reading {inventory?.name}:
            </Text>
            <ul className={s.diag} aria-label="Inventory problems">
              {skipped.slice(0, 500).map((d, i) => (
                <li key={i}>{formatDiagnostic(d)}</li>
              ))}
              {skipped.length > 500 && <li>... and {count(skipped.length - 500)} more</li>}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}

      {inventory && canCreateRules && (
        <div className={s.bar}>
          <Button onClick={() => setCreating(true)}>Create rules from these files...</Button>
          {created && <Text role="status">{created}</Text>}
          {creating && <CreateRulesDialog inventory={inventory} onClose={() => setCreating(false)} onAdded={setCreated} />}
        </div>
      )}

      <PrincipalPicker />
      <MachineSettingsPanel />

      {(running || run.status === 'cancelled' || run.status === 'error') && (
        <div className={s.bar}>
          {running && (
            <Field
              label={run.status === 'loading' ? 'Reading the inventory...' : `Simulating ${count(Math.min(run.done, run.total))} of ${count(run.total)} decisions`}
              style={{ flexGrow: 1, maxWidth: 600 }}
            >
              <ProgressBar aria-label="Simulation progress" value={run.status === 'loading' || run.total === 0 ? undefined : run.done / run.total} />
            </Field>
          )}
          {run.status === 'running' && (
            <Button icon={<DismissRegular />} onClick={cancel}>
              Cancel
            </Button>
          )}
          {run.status === 'cancelled' && (
            <>
              <Text>Simulation cancelled{current ? '; the results shown are from the previous run.' : '.'}</Text>
              <Button onClick={start}>Run again</Button>
            </>
          )}
          {run.status === 'error' && (
            <MessageBar intent="error">
              <MessageBarBody>{run.error}</MessageBarBody>
            </MessageBar>
          )}
        </div>
      )}

      {current && summary && inventory && (
        <>
          <section className={s.section} aria-label="Summary">
            <div className={s.counts} role="group" aria-label="Counts">
              {(
                [
                  ['Files', summary.total],
                  ['Run', summary.effects.runs],
                  ['Blocked', summary.effects.blocked],
                  ['Audited (would be blocked)', summary.effects.audited],
                  ...(summary.effects['constrained-language'] > 0
                    ? ([['PowerShell: Constrained Language Mode', summary.effects['constrained-language']]] as const)
                    : []),
                  ['Not governed', summary.notGoverned],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className={s.count} aria-label={`${label}: ${value}`}>
                  <span className={s.big}>{count(value)}</span>
                  <Text size={200}>{label}</Text>
                </div>
              ))}
              {run.ms !== null && run.status === 'done' && (
                <Text size={200} style={{ alignSelf: 'end' }}>
                  {plural(current.count, 'file')} decided in {(run.ms / 1000).toFixed(1)} s
                </Text>
              )}
              {outdated && run.status !== 'cancelled' && (
                <Text size={200} style={{ alignSelf: 'end' }}>
                  Updating for the latest edits...
                </Text>
              )}
            </div>
            <Text weight="semibold">Decisions per collection</Text>
            <Legend />
            <DecisionsChart
              collections={summary.collections}
              onSelect={(c, e) => {
                setFilter({ collections: [c.collection], effects: [e] })
                setSelected(null)
              }}
            />
          </section>

          <section className={s.section} aria-label="Enforce versus Audit only">
            <Text weight="semibold">Enforce rules versus Audit only</Text>
            {whatIfEntries.length > 0 ? (
              <MessageBar intent="info">
                <MessageBarBody>
                  What-if:{' '}
                  {whatIfEntries
                    .map(([c, m]) => `${COLLECTION_LABELS[c]} as ${ENFORCEMENT_LABELS[m]} (the policy: ${policyMode(c) ? ENFORCEMENT_LABELS[policyMode(c)!] : 'no such collection'})`)
                    .join('; ')}
                  . The results above and below use it; the policy is unchanged until you apply it.{' '}
                  <Button size="small" appearance="primary" onClick={applyWhatIf}>
                    Apply to policy
                  </Button>{' '}
                  <Button size="small" onClick={clearWhatIf}>
                    Back to the policy&apos;s modes
                  </Button>
                </MessageBarBody>
              </MessageBar>
            ) : (
              <Text size={200}>Pick a mode to see what it would do: the policy itself changes only when you apply it.</Text>
            )}
            <div className={s.impact}>
              {summary.collections.map((c) => {
                const actual = policyMode(c.collection)
                const mode = whatIf[c.collection] ?? actual
                const label = COLLECTION_LABELS[c.collection]
                return (
                  <div key={c.collection} className={s.impactCard}>
                    <div className={s.bar}>
                      <Text weight="semibold">{label}</Text>
                      <Select
                        aria-label={`Enforcement mode of ${label}`}
                        value={mode ?? ''}
                        onChange={(_, d) => setMode(c.collection, d.value as EnforcementMode)}
                        size="small"
                      >
                        {mode === null && <option value="">(not in the policy)</option>}
                        {ENFORCEMENT_MODES.map((m) => (
                          <option key={m} value={m}>
                            {ENFORCEMENT_LABELS[m]}
                          </option>
                        ))}
                      </Select>
                    </div>
                    <ImpactChart summary={c} mode={mode} />
                    <Text size={200}>{impactSentence(c, label, mode)}</Text>
                  </div>
                )
              })}
            </div>
          </section>

          <Coverage policy={policy} results={current} />

          <section className={s.section} aria-label="Results">
            <div className={s.filters}>
              <Field label="Effect" size="small">
                <Select
                  size="small"
                  value={filter.effects?.[0] ?? ''}
                  onChange={(_, d) => setFilter((f) => ({ ...f, effects: d.value ? [d.value as Effect] : undefined }))}
                >
                  <option value="">All</option>
                  {EFFECTS.map((e) => (
                    <option key={e} value={e}>
                      {e}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Decision" size="small">
                <Select
                  size="small"
                  value={filter.decisions?.[0] ?? ''}
                  onChange={(_, d) => setFilter((f) => ({ ...f, decisions: d.value ? [d.value as PolicyDecision] : undefined }))}
                >
                  <option value="">All</option>
                  {POLICY_DECISIONS.map((e) => (
                    <option key={e} value={e}>
                      {e}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Collection" size="small">
                <Select
                  size="small"
                  value={filter.collections?.[0] ?? ''}
                  onChange={(_, d) => setFilter((f) => ({ ...f, collections: d.value ? [d.value as CollectionType | 'none'] : undefined }))}
                >
                  <option value="">All</option>
                  {COLLECTION_TYPES.map((c) => (
                    <option key={c} value={c}>
                      {COLLECTION_LABELS[c]}
                    </option>
                  ))}
                  <option value="none">Not governed</option>
                </Select>
              </Field>
              <Field label="Rule" size="small">
                <Select
                  size="small"
                  style={{ maxWidth: 320 }}
                  value={filter.rule === undefined ? '' : String(filter.rule)}
                  onChange={(_, d) => setFilter((f) => ({ ...f, rule: d.value === '' ? undefined : Number(d.value) }))}
                >
                  <option value="">All</option>
                  <option value="-1">(decided by default)</option>
                  {current.rules.map((r, i) => (
                    <option key={i} value={i}>
                      {r.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Path contains" size="small">
                <Input size="small" value={filter.text ?? ''} onChange={(_, d) => setFilter((f) => ({ ...f, text: d.value }))} />
              </Field>
              {filtered && (
                <Button size="small" onClick={() => setFilter({})}>
                  Clear filters
                </Button>
              )}
              <Button
                icon={<ArrowDownloadRegular />}
                onClick={() => {
                  const base = inventory.name.replace(/\.[^.]+$/, '') || 'inventory'
                  // Written a slice at a time (100,000 lines took a quarter of a second or more in one task).
                  void resultsCsvBlob(rows, current, filtered ? indices : undefined).then((blob) => downloadBytes(`${base}-results.csv`, blob, 'text/csv;charset=utf-8'))
                }}
              >
                Export results
              </Button>
              <TestCommand rows={rows} indices={filtered ? indices : null} />
            </div>
            <Text size={200} role="status">
              Showing {count(indices.length)} of {plural(current.count, 'file')}
            </Text>
            {shownTable?.results && <ResultsTable rows={shownTable.rows} results={shownTable.results} indices={shownTable.indices} selected={selected} onSelect={setSelected} />}
            {selected !== null && rows[selected] && <ExplanationPanel policy={policy} machine={machine} row={rows[selected]} choice={choice} whatIf={whatIf} />}
          </section>

          <WhatChanges rows={rows} results={current} compareResults={compareResults} previousAvailable={previousAvailable} />
        </>
      )}
    </div>
  )
}
