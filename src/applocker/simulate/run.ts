/**
 * Simulating a policy over an inventory, in slices so a Worker can report progress and notice a
 * cancellation between slices. Pure: the Worker and the tests drive it the same way.
 */
import { COLLECTION_TYPES, type CollectionType, type EnforcementMode } from '../policy'
import { PRINCIPAL_PRESETS, isValidSid, normalizeSid, type PrincipalPresetId } from '../sids'
import { collectionForFile } from '../evaluate/collection'
import type { Decision, Principal } from '../evaluate/types'
import { ResultsBuilder, type SimRow } from './results'

/** Who the files are tested for. */
export interface PrincipalChoice {
  preset: PrincipalPresetId
  /** Further SIDs (a user's SID, domain groups), added to the preset's. */
  customSids: string[]
  /** For rows that carry a user (events): test for that user, with the preset's groups. */
  useRowUser: boolean
}

export const DEFAULT_PRINCIPAL_CHOICE: PrincipalChoice = { preset: 'standard', customSids: [], useRowUser: true }

/** The principal for one row: the preset's SIDs plus the custom ones, and the row's user when asked. */
export function principalFor(choice: PrincipalChoice, row?: SimRow): Principal {
  const preset = PRINCIPAL_PRESETS.find((p) => p.id === choice.preset) ?? PRINCIPAL_PRESETS[0]
  const groups = [...preset.sids]
  for (const s of choice.customSids) {
    const sid = normalizeSid(s)
    if (isValidSid(sid) && !groups.includes(sid)) groups.push(sid)
  }
  const user = choice.useRowUser && row?.user && isValidSid(row.user.trim()) ? normalizeSid(row.user) : undefined
  return user ? { user, groups } : { groups }
}

/** A short text naming the principal, for the UI and reports. */
export function principalLabel(choice: PrincipalChoice): string {
  const preset = PRINCIPAL_PRESETS.find((p) => p.id === choice.preset) ?? PRINCIPAL_PRESETS[0]
  const extra = choice.customSids.filter((s) => isValidSid(s.trim()))
  let label = preset.label
  if (extra.length) label += ` + ${extra.length} SID${extra.length === 1 ? '' : 's'}`
  if (choice.useRowUser) label += " (events: the event's user)"
  return label
}

/** The engine's entry points the simulation needs (compilePolicy + decide), passed in so this stays testable. */
export interface Engine<C> {
  decide: (
    compiled: C,
    file: SimRow,
    principal: Principal,
    options: { explain?: boolean; modeOverride?: Partial<Record<CollectionType, EnforcementMode>> },
  ) => Decision
}

const ENFORCE: Record<CollectionType, Partial<Record<CollectionType, EnforcementMode>>> = Object.fromEntries(
  COLLECTION_TYPES.map((c) => [c, { [c]: 'Enabled' }]),
) as Record<CollectionType, Partial<Record<CollectionType, EnforcementMode>>>
const AUDIT: Record<CollectionType, Partial<Record<CollectionType, EnforcementMode>>> = Object.fromEntries(
  COLLECTION_TYPES.map((c) => [c, { [c]: 'AuditOnly' }]),
) as Record<CollectionType, Partial<Record<CollectionType, EnforcementMode>>>

/**
 * Decides rows [from, to) into `builder`: each file under the policy's modes, and with its own
 * collection overridden to Enforce rules and to Audit only (decide's modeOverride), which the
 * side-by-side comparison needs. When the policy's mode already is one of the two, that decision is reused.
 */
export function simulateSlice<C>(
  engine: Engine<C>,
  compiled: C,
  rows: readonly SimRow[],
  choice: PrincipalChoice,
  builder: ResultsBuilder,
  from: number,
  to: number,
): void {
  const shared = choice.useRowUser ? null : principalFor(choice)
  for (let i = from; i < to; i++) {
    const row = rows[i]
    const principal = shared ?? principalFor(choice, row)
    const d = engine.decide(compiled, row, principal, { explain: false })
    const c = d.collection ?? collectionForFile(row)
    if (c === null) {
      builder.set(i, d, d, d)
      continue
    }
    const enforced = d.mode === 'Enabled' ? d : engine.decide(compiled, row, principal, { explain: false, modeOverride: ENFORCE[c] })
    const audited = d.mode === 'AuditOnly' ? d : engine.decide(compiled, row, principal, { explain: false, modeOverride: AUDIT[c] })
    builder.set(i, d, enforced, audited)
  }
}
