/**
 * Simulating a policy over an inventory, in slices so a Worker can report progress and notice a
 * cancellation between slices. Pure: the Worker and the tests drive it the same way.
 */
import { COLLECTION_TYPES, type CollectionType, type EnforcementMode } from '../policy'
import { PRINCIPAL_PRESETS, isValidPrincipalSid, normalizeSid, type PrincipalPresetId } from '../sids'
import { collectionForFile } from '../evaluate/collection'
import type { Decision, Principal } from '../evaluate/types'
import { ResultsBuilder, type SimRow } from './results'
import { packageNameOf, testAppLockerPackagesCommand, testAppLockerPolicyCommand } from '../deploy'
import { DEFAULT_MACHINE, type MachineSettings } from '../evaluate/types'
import { leadingVariable, normalizePathText, prepareMachine, realFilePath, type MachinePaths, type PathVariable } from '../evaluate/paths'

/** Who the files are tested for. */
export interface PrincipalChoice {
  preset: PrincipalPresetId
  /** Further SIDs (a user's SID, domain groups), added to the preset's. */
  customSids: string[]
  /** For rows that carry a user (events): test for that user, with the preset's groups. */
  useRowUser: boolean
  /** false: an administrator's programs running unelevated (UAC): Principal.elevated false. Absent: elevated. */
  elevated?: boolean
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
  const principal: Principal = user ? { user, groups } : { groups }
  if (choice.elevated === false) principal.elevated = false
  return principal
}

/** A short text naming the principal, for the UI and reports. */
export function principalLabel(choice: PrincipalChoice): string {
  const preset = PRINCIPAL_PRESETS.find((p) => p.id === choice.preset) ?? PRINCIPAL_PRESETS[0]
  const extra = choice.customSids.filter((s) => isValidPrincipalSid(s.trim()))
  let label = preset.label
  if (extra.length) label += ` + ${extra.length} SID${extra.length === 1 ? '' : 's'}`
  if (choice.elevated === false) label += ', unelevated'
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

/** Text for a PowerShell comment line: control and line-separator characters (which would end the comment) as '?'. */
function commentText(text: string): string {
  let out = ''
  for (const ch of text) {
    const c = ch.charCodeAt(0)
    out += c < 0x20 || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029 ? '?' : ch
  }
  return out
}

/**
 * A row's path as Test-AppLockerPolicy -Path can open it. A path in AppLocker's variable form
 * (`%PROGRAMFILES%\INTERNET EXPLORER\IEXPLORE.EXE`, as Get-AppLockerFileInformation | Export-Csv writes it)
 * is expanded on the simulated machine the way the engine did it (realFilePath: the variable's first
 * location): the variables are AppLocker's, not environment variables, so Windows cannot open them.
 * A path starting with a variable that has no location on the machine, or with %...% that is not an
 * AppLocker variable, cannot be tested: `skip` says why. Other paths are kept as given.
 */
function testablePath(path: string, machine: MachinePaths): { path: string; variable?: PathVariable } | { skip: string } {
  const given = path.trim()
  const n = normalizePathText(given).replace(/^"/, '')
  if (n.charCodeAt(0) !== 37) return { path: given }
  const v = leadingVariable(n)
  if (v === null) {
    const token = /^%[^%\\]*%?/.exec(n)?.[0] ?? '%'
    return { skip: `${token} is not an AppLocker path variable, and Test-AppLockerPolicy needs a path Windows can open` }
  }
  if (machine.locations[v].length === 0)
    return { skip: `the simulated machine has no location for ${v} (AppLocker path variables are not environment variables)` }
  return { path: realFilePath(given, machine), variable: v }
}

/**
 * The Test-AppLockerPolicy command(s) that check the same files as the simulation, for the same user:
 * Test-AppLockerPolicy tests one user (`-User`; Microsoft's reference gives no default for it). When the
 * simulation ran each event as its own user, the files are grouped by user and there are commands per user;
 * otherwise the user is the first additional SID when one was given. A preset token alone (Standard user,
 * Administrator) is a set of groups the cmdlet cannot take: the command then has no -User. `rows` are the
 * rows to test, in order.
 *
 * Files go to -Path (variable forms expanded on `machine`, as the simulation read them); packaged apps
 * (rows with a package) go to a command of their own with -Packages (Get-AppxPackage -Name <package name>).
 * What cannot be tested, and how paths were expanded, is said in comment lines (`# ...`) after the commands.
 */
export function testCommandsFor(
  policyFile: string,
  rows: readonly SimRow[],
  choice: PrincipalChoice,
  machine: MachineSettings = DEFAULT_MACHINE,
): string {
  const chosen = choice.customSids.map((s) => s.trim()).find((s) => isValidPrincipalSid(s))
  const fallback = chosen ? normalizeSid(chosen) : undefined
  const m = prepareMachine(machine)
  const byUser = new Map<string | undefined, { files: string[]; packages: string[] }>()
  const seen = new Set<string>()
  const leftOut = new Map<string, string>()
  const expanded = new Set<PathVariable>()
  for (const row of rows) {
    const user = principalFor(choice, row).user ?? fallback
    const pkg = row.package?.trim() ?? ''
    let kind: 'files' | 'packages'
    let item: string
    if (pkg !== '') {
      const name = packageNameOf(pkg)
      if (name === null) {
        leftOut.set(pkg, 'no package name could be read from it, and packaged apps are tested by package name')
        continue
      }
      kind = 'packages'
      item = name
    } else {
      if (row.path.trim() === '') continue
      const t = testablePath(row.path, m)
      if ('skip' in t) {
        leftOut.set(row.path.trim(), t.skip)
        continue
      }
      if (t.variable) expanded.add(t.variable)
      kind = 'files'
      item = t.path
    }
    const key = `${user ?? ''}\u0000${kind}\u0000${kind === 'packages' ? item.toLowerCase() : item}`
    if (seen.has(key)) continue
    seen.add(key)
    const entry = byUser.get(user) ?? { files: [], packages: [] }
    entry[kind].push(item)
    byUser.set(user, entry)
  }
  const lines: string[] = []
  let packaged = false
  for (const [user, { files, packages }] of byUser) {
    if (files.length) lines.push(testAppLockerPolicyCommand(policyFile, files, user))
    if (packages.length) {
      lines.push(testAppLockerPackagesCommand(policyFile, packages, user))
      packaged = true
    }
  }
  if (lines.length === 0 && leftOut.size === 0) return testAppLockerPolicyCommand(policyFile, [], fallback)
  if (packaged)
    lines.push(
      '# Packaged apps are tested with -Packages: Get-AppxPackage finds the packages installed for the user who runs it (add -AllUsers, elevated, for packages installed only for others); with no match the command stops.',
    )
  for (const v of expanded) {
    const locations = m.locations[v]
    if (locations.length > 1)
      lines.push(
        `# Paths given as ${v}\\... are tested in ${commentText(locations[0])}, as the simulation read them; ${v} also stands for ${commentText(locations.slice(1).join(', '))}.`,
      )
  }
  for (const [path, why] of leftOut) lines.push(`# Left out ${commentText(path)}: ${commentText(why)}.`)
  return lines.join('\n')
}
