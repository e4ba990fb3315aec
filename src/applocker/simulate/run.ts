/**
 * Simulating a policy over an inventory, in slices so a Worker can report progress and notice a
 * cancellation between slices. Pure: the Worker and the tests drive it the same way.
 */
import { COLLECTION_TYPES, type CollectionType, type EnforcementMode } from '../policy'
import { PRINCIPAL_PRESETS, isValidPrincipalSid, normalizeSid, type PrincipalPresetId } from '../sids'
import { collectionForFile } from '../evaluate/collection'
import type { Decision, Principal } from '../evaluate/types'
import { ResultsBuilder, type SimRow } from './results'
import { testAppLockerPolicyCommand } from '../deploy'

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
    if (isValidPrincipalSid(sid) && !groups.includes(sid)) groups.push(sid)
  }
  const user = choice.useRowUser && row?.user && isValidPrincipalSid(row.user.trim()) ? normalizeSid(row.user) : undefined
  return user ? { user, groups } : { groups }
}

/** A short text naming the principal, for the UI and reports. */
export function principalLabel(choice: PrincipalChoice): string {
  const preset = PRINCIPAL_PRESETS.find((p) => p.id === choice.preset) ?? PRINCIPAL_PRESETS[0]
  const extra = choice.customSids.filter((s) => isValidPrincipalSid(s.trim()))
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
  /** What-if modes used instead of the policy's (the per-collection Enforce / Audit only overrides come on top). */
  whatIf?: Partial<Record<CollectionType, EnforcementMode>>,
): void {
  const shared = choice.useRowUser ? null : principalFor(choice)
  const base = whatIf && Object.keys(whatIf).length > 0 ? whatIf : undefined
  for (let i = from; i < to; i++) {
    const row = rows[i]
    const principal = shared ?? principalFor(choice, row)
    const d = engine.decide(compiled, row, principal, base ? { explain: false, modeOverride: base } : { explain: false })
    const c = d.collection ?? collectionForFile(row)
    if (c === null) {
      builder.set(i, d, d, d)
      continue
    }
    const enforce = base ? { ...base, ...ENFORCE[c] } : ENFORCE[c]
    const audit = base ? { ...base, ...AUDIT[c] } : AUDIT[c]
    const enforced = d.mode === 'Enabled' ? d : engine.decide(compiled, row, principal, { explain: false, modeOverride: enforce })
    const audited = d.mode === 'AuditOnly' ? d : engine.decide(compiled, row, principal, { explain: false, modeOverride: audit })
    builder.set(i, d, enforced, audited)
  }
}

/**
 * The Test-AppLockerPolicy command(s) that check the same files as the simulation, for the same user:
 * Test-AppLockerPolicy tests one user (`-User`; without it, Everyone). When the simulation ran each event as
 * its own user, the files are grouped by user and there is one command per user; otherwise the user is the
 * first additional SID when one was given. A preset token alone (Standard user, Administrator) is a set of
 * groups the cmdlet cannot take: the command then has no -User. `rows` are the rows to test, in order.
 */
export function testCommandsFor(policyFile: string, rows: readonly SimRow[], choice: PrincipalChoice): string {
  const chosen = choice.customSids.map((s) => s.trim()).find((s) => isValidPrincipalSid(s))
  const fallback = chosen ? normalizeSid(chosen) : undefined
  const byUser = new Map<string | undefined, string[]>()
  const seen = new Set<string>()
  for (const row of rows) {
    const user = principalFor(choice, row).user ?? fallback
    const key = `${user ?? ''}\u0000${row.path}`
    if (seen.has(key)) continue
    seen.add(key)
    const list = byUser.get(user) ?? []
    list.push(row.path)
    byUser.set(user, list)
  }
  if (byUser.size === 0) return testAppLockerPolicyCommand(policyFile, [], fallback)
  return [...byUser].map(([user, paths]) => testAppLockerPolicyCommand(policyFile, paths, user)).join('\n')
}
