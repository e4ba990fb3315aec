/** "What changes": the files whose decision differs between the open policy and another one. */
import { useMemo, useRef, useState } from 'react'
import { Button, Field, MessageBar, MessageBarBody, Select, Text, makeStyles, tokens } from '@fluentui/react-components'
import { DocumentArrowUpRegular } from '@fluentui/react-icons'
import { formatDiagnostic } from '../../applocker/diagnostics'
import { describeReadProgress } from '../../ui/readProgress'
import { useReadOtherPolicy } from '../../ui/useReadOtherPolicy'
import { compareResults, type ResultRow, type SimRow, type SimulationResults } from '../../applocker/simulate/results'
import { useSimulation, type CompareSource } from '../../store/simulation'
import { EffectBadge } from '../../ui/EffectBadge'
import { plural, verb } from '../../lib/plural'

const SHOWN = 500

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  bar: { display: 'flex', gap: '8px', alignItems: 'end', flexWrap: 'wrap' },
  table: { borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, width: '100%' },
  cell: { borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, padding: '3px 6px', textAlign: 'left', verticalAlign: 'top' },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
})

function Outcome({ r }: { r: ResultRow }) {
  return (
    <span>
      <EffectBadge effect={r.effect} compact /> {r.collection ? r.decision : 'Not governed'}
      {r.rule ? ` (${r.rule.name})` : ''}
    </span>
  )
}

export function WhatChanges({
  rows,
  results,
  compareResults: other,
  previousAvailable,
}: {
  rows: readonly SimRow[]
  results: SimulationResults
  compareResults: SimulationResults | null
  previousAvailable: boolean
}) {
  const s = useStyles()
  const compare = useSimulation((x) => x.compare)
  const setCompare = useSimulation((x) => x.setCompare)
  const input = useRef<HTMLInputElement>(null)
  const [problems, setProblems] = useState<string[]>([])
  const changes = useMemo(() => (other && other.count === results.count ? compareResults(other, results) : null), [other, results])

  // The file is read in the reader Worker (progress, Cancel); the comparison changes only once it is read.
  const { reading, read } = useReadOtherPolicy()
  const pickFile = async (file: File | undefined) => {
    if (!file) return
    const r = await read(file)
    if (!r) return
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)
    if (!r.policy) {
      setProblems([`${file.name} could not be read as an AppLocker policy:`, ...errors])
      return
    }
    setProblems([])
    setCompare('file', file.name, r.policy)
  }

  const otherName = compare.source === 'file' ? compare.name : 'the policy before the latest edit'
  return (
    <section className={s.section} aria-label="What changes">
      <Text weight="semibold" size={400}>
        What changes
      </Text>
      <div className={s.bar}>
        <Field label="Compare the open policy with" size="small">
          <Select
            size="small"
            value={compare.source}
            onChange={(_, d) => {
              const v = d.value as CompareSource
              if (v === 'file') input.current?.click()
              else setCompare(v)
            }}
          >
            <option value="none">Nothing</option>
            <option value="previous" disabled={!previousAvailable}>
              The policy before the latest edit
            </option>
            <option value="file">{compare.source === 'file' ? compare.name : 'A policy file...'}</option>
          </Select>
        </Field>
        <Button size="small" icon={<DocumentArrowUpRegular />} onClick={() => input.current?.click()}>
          Compare with policy file
        </Button>
        <input
          ref={input}
          type="file"
          hidden
          accept=".xml,text/xml,application/xml"
          aria-label="Policy file to compare with"
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            void pickFile(file)
          }}
        />
      </div>
      {reading && (
        <div className={s.bar}>
          <Text size={200} role="status" aria-label={`Reading ${reading.name}`}>
            Reading {reading.name}: {describeReadProgress(reading.progress, 'Receiving').text}
          </Text>
          <Button size="small" onClick={reading.cancel}>
            Cancel reading
          </Button>
        </div>
      )}
      {problems.length > 0 && (
        <MessageBar intent="error">
          <MessageBarBody>
            {problems.map((p, i) => (
              <div key={i}>{p}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {compare.source !== 'none' && !changes && <Text size={200}>Simulating {otherName}...</Text>}
      {compare.source !== 'none' && changes && (
        <>
          <Text role="status">
            {changes.length === 0
              ? `No file's decision changes between ${otherName} and the open policy.`
              : `${plural(changes.length, 'file')} ${verb(changes.length, 'changes', 'change')} decision between ${otherName} and the open policy.`}
          </Text>
          {changes.length > 0 && (
            <table className={s.table} aria-label="Files whose decision changes">
              <thead>
                <tr>
                  <th className={s.cell}>Path</th>
                  <th className={s.cell}>Before ({otherName})</th>
                  <th className={s.cell}>Now (open policy)</th>
                </tr>
              </thead>
              <tbody>
                {changes.slice(0, SHOWN).map((c) => (
                  <tr key={c.index}>
                    <td className={`${s.cell} ${s.mono}`}>{rows[c.index].path}</td>
                    <td className={s.cell}>
                      <Outcome r={c.before} />
                    </td>
                    <td className={s.cell}>
                      <Outcome r={c.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {changes.length > SHOWN && <Text size={200}>The first {SHOWN} are listed; export the results of both policies for the rest.</Text>}
        </>
      )}
    </section>
  )
}
