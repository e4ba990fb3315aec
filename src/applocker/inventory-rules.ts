/**
 * Rules from an inventory: `Get-AppLockerFileInformation -EventLog -EventType Audited |
 * New-AppLockerPolicy -RuleType Publisher,Hash -User ... -Optimize` without Windows. The files come
 * from any inventory the readers give (AppLocker events, the inventory CSV, FILES.json, and whatever
 * other format yields InventoryFile entries); events are chosen by kind (audited, blocked,
 * allowed), collection and user; the rules are proposed exactly as "Automatically Generate Rules..."
 * proposes them (generate.ts), and added to a policy without duplicating rules already there.
 * Path rules keep AppLocker's path variables as the wizard writes them (inventoryRulePath): an event's
 * FilePath as Windows wrote it (`%PROGRAMFILES%\...` names both Program Files folders, `%HOT%\...` any
 * USB drive), else the full path turned back into its variable form (pathAdvice.ts literalPathVariable).
 * Pure: no I/O, never throws on user input.
 */
import { collectionForFile } from './evaluate/collection'
import { signerOf } from './evaluate/outcome'
import { normalizeHashText } from './inventory/facts'
import type { InventoryFile } from './inventory/types'
import { generatedRuleName, hashRuleName, proposeRulesFromSources, type Proposal, type ProposedRule, type RuleSource, type SourceProposeOptions } from './generate'
import { addRules, ruleBehaviourKey, ruleOfCondition } from './ops'
import { literalPathVariable } from './pathAdvice'
import type { CollectionType, FileHashCondition, Policy, Rule } from './policy'
import { normalizeSid } from './sids'

/** What Windows logged for a file: allowed (8002/8005/8020/8023), audited (8003/8006/8021/8024) or blocked (8004/8007/8022/8025). */
export type EventKind = 'allowed' | 'audited' | 'blocked'
export const EVENT_KINDS: readonly EventKind[] = ['audited', 'blocked', 'allowed']

export const EVENT_IDS: Record<EventKind, readonly number[]> = {
  allowed: [8002, 8005, 8020, 8023],
  audited: [8003, 8006, 8021, 8024],
  blocked: [8004, 8007, 8022, 8025],
}

export function eventKindOf(id: number): EventKind | null {
  for (const k of EVENT_KINDS) if (EVENT_IDS[k].includes(id)) return k
  return null
}

export interface InventorySelection {
  /** Events of these kinds (default: audited). Entries that are not events (CSV, FILES.json) are always kept. */
  events?: readonly EventKind[]
  /** Only files of these collections (empty or absent: all). */
  collections?: readonly CollectionType[]
  /** Only entries of these users (SIDs; empty or absent: all). Entries without a user are kept only when absent. */
  users?: readonly string[]
}

/** The entries chosen, in inventory order, with their indices. */
export function selectInventory(rows: readonly InventoryFile[], selection: InventorySelection = {}): number[] {
  const kinds = new Set(selection.events ?? ['audited'])
  const collections = selection.collections?.length ? new Set(selection.collections) : null
  const users = selection.users?.length ? new Set(selection.users.map((u) => normalizeSid(u))) : null
  const out: number[] = []
  rows.forEach((row, i) => {
    if (row.event) {
      const kind = eventKindOf(row.event.id)
      if (kind === null || !kinds.has(kind)) return
    }
    if (collections) {
      const c = collectionForFile(row)
      if (c === null || !collections.has(c)) return
    }
    if (users && !(row.user && users.has(normalizeSid(row.user)))) return
    out.push(i)
  })
  return out
}

/** How many entries of each kind, collection and user an inventory holds (for the choices offered). */
export interface InventoryFacets {
  events: Record<EventKind, number>
  /** Entries that are not events. */
  files: number
  collections: Partial<Record<CollectionType, number>>
  users: { sid: string; count: number }[]
  /** Entries with a hash or a signer (what rules other than path rules can be made from). */
  usable: number
}

export function inventoryFacets(rows: readonly InventoryFile[]): InventoryFacets {
  const f: InventoryFacets = { events: { allowed: 0, audited: 0, blocked: 0 }, files: 0, collections: {}, users: [], usable: 0 }
  const users = new Map<string, number>()
  for (const row of rows) {
    if (row.event) {
      const k = eventKindOf(row.event.id)
      if (k) f.events[k]++
    } else f.files++
    const c = collectionForFile(row)
    if (c) f.collections[c] = (f.collections[c] ?? 0) + 1
    if (row.user) {
      const sid = normalizeSid(row.user)
      users.set(sid, (users.get(sid) ?? 0) + 1)
    }
    if (row.hash || signerOf(row)) f.usable++
  }
  f.users = [...users].map(([sid, count]) => ({ sid, count }))
  return f
}

/** Whether an inventory can give rules other than path rules: some entry carries a hash or a signer. */
export function inventoryCarriesFileIdentity(rows: readonly InventoryFile[]): boolean {
  return rows.some((r) => Boolean(r.hash) || signerOf(r) !== null)
}

const SHA256_RE = /^0x[0-9A-F]{64}$/

/**
 * The path a path rule made from an inventory entry uses, in AppLocker's variable form as the wizard
 * writes it (reference/applocker-deep.md 4.1): an event's FilePath as Windows wrote it (the most
 * specific variable, 8.3), else the entry's path with a leading Windows folder turned into its variable
 * (`C:\Program Files (x86)\App\a.exe` -> `%PROGRAMFILES%\App\a.exe`), else the path as it is.
 */
export function inventoryRulePath(file: InventoryFile): string {
  if (file.event?.filePath) return file.event.filePath
  const path = file.path.replace(/\//g, '\\')
  return literalPathVariable(path)?.fixed ?? path
}

/** An inventory entry as a rule source: the collection Windows (or the extension) gives, the signer and the SHA256 hash. */
export function sourceOfInventoryFile(file: InventoryFile): RuleSource {
  const collection = collectionForFile(file)
  const signer = signerOf(file)
  const hashText = file.hash ? normalizeHashText(file.hash) : null
  const hash = hashText && SHA256_RE.test(hashText) ? hashText : null
  const what = file.event ? `event ${file.event.id}` : 'the inventory'
  // An event that recorded neither (a blocked file's) leaves them unknown, unless another event of the file gave them.
  const unrecorded = file.event?.identityUnrecorded === true && !signer && !hash
  const blocked = file.event !== undefined && eventKindOf(file.event.id) === 'blocked'
  const source: RuleSource = {
    path: file.path,
    collection,
    hash,
    publisher: signer ? { name: signer.name, product: signer.product, binary: signer.binary, version: signer.version } : null,
    unsignedReason: unrecorded ? `Windows did not record the signer in ${what}${blocked ? ', as for every blocked file' : ''}` : `${what} names no signer`,
    noHashMessage: unrecorded
      ? `Neither a hash nor a signer in ${what} (Windows did not record them${blocked ? ', as for every blocked file' : ''}): no rule (a path rule can be made on request).`
      : hashText && !hash
        ? `The hash ${hashText.length > 20 ? `${hashText.slice(0, 18)}...` : hashText} is not a SHA256 hash (64 hexadecimal digits), and ${what} names no signer: no rule (a path rule can be made on request).`
        : `Neither a hash nor a signer in ${what}: no rule (a path rule can be made on request).`,
  }
  if (collection === null) source.problem = { pathPossible: false, message: 'No AppLocker rule collection covers this kind of file: no rule.' }
  return source
}

export interface InventoryRulesOptions extends Omit<SourceProposeOptions, 'existing'> {
  /** The open policy: proposals that behave like a rule already there are flagged `existing`, and hashes already allowed are left out. */
  existing?: Policy
}

export interface InventoryProposal extends Proposal {
  /** Indices of the inventory entries used. */
  selected: number[]
  /** Distinct files among them (the same file run many times counts once). */
  distinct: number
}

/** The identity of a file for rule making: collection, path, hash and signer. */
function sourceKey(s: RuleSource): string {
  const p = s.publisher
  return [s.collection ?? '', s.path.toUpperCase(), s.hash ?? '', p ? [p.name, p.product, p.binary, p.version].join('\\').toUpperCase() : ''].join('|')
}

/**
 * Proposes rules for the chosen entries of an inventory (see generate.ts for the rules made). The
 * same file logged many times gives one source. With `existing`, a proposal already in the policy
 * is flagged `existing`, and a hash rule leaves out the hashes an Allow hash rule for the same user
 * already carries in that collection.
 */
export function proposeRulesFromInventory(rows: readonly InventoryFile[], selection: InventorySelection, options: InventoryRulesOptions): InventoryProposal {
  const selected = selectInventory(rows, selection)
  const seen = new Set<string>()
  const sources: RuleSource[] = []
  const rulePaths = new Map<RuleSource, string>()
  for (const i of selected) {
    const s = sourceOfInventoryFile(rows[i])
    const k = sourceKey(s)
    if (seen.has(k)) continue
    seen.add(k)
    sources.push(s)
    rulePaths.set(s, inventoryRulePath(rows[i]))
  }
  const proposal = proposeRulesFromSources(sources, { ...options, pathFor: options.pathFor ?? ((s) => rulePaths.get(s) ?? s.path) })
  const rules = options.existing ? markExisting(proposal.rules, options.existing, options.namePrefix) : proposal.rules
  return { rules, notes: proposal.notes, selected, distinct: sources.length }
}

/** Behaviour keys and allowed hashes per collection of a policy. */
function presentIn(policy: Policy): Map<CollectionType, { keys: Set<string>; hashes: Set<string> }> {
  const present = new Map<CollectionType, { keys: Set<string>; hashes: Set<string> }>()
  for (const c of policy.collections) {
    if (!c.type) continue
    const entry = present.get(c.type) ?? { keys: new Set<string>(), hashes: new Set<string>() }
    for (const r of c.rules) {
      entry.keys.add(ruleBehaviourKey(r))
      if (r.kind === 'hash' && r.condition && r.exceptions.length === 0) {
        for (const h of r.condition.hashes) entry.hashes.add(hashOwnerKey(r, h.type, h.data))
      }
    }
    present.set(c.type, entry)
  }
  return present
}

function hashOwnerKey(rule: Rule, type: string, data: string): string {
  return `${rule.action}|${rule.userOrGroupSid.toUpperCase()}|${type.toUpperCase()}|${data.toUpperCase()}`
}

/**
 * Flags proposals the policy already has (same condition, user and action: ruleBehaviourKey), and
 * trims hash proposals to the hashes not yet carried by a hash rule for the same user and action
 * (renamed by the files left, after `namePrefix` as the proposal was: generate.ts hashRuleName).
 */
export function markExisting(rules: readonly ProposedRule[], policy: Policy, namePrefix?: string): ProposedRule[] {
  const present = presentIn(policy)
  return rules.map((p) => {
    const here = present.get(p.collection)
    if (!here) return p
    if (here.keys.has(ruleBehaviourKey(p.rule))) return { ...p, existing: true }
    if (p.rule.kind === 'hash' && p.rule.condition) {
      const rule = p.rule
      const hashes = rule.condition!.hashes.filter((h) => !here.hashes.has(hashOwnerKey(rule, h.type, h.data)))
      if (hashes.length === 0) return { ...p, existing: true }
      if (hashes.length < rule.condition!.hashes.length) {
        const condition: FileHashCondition = { ...rule.condition!, hashes }
        const kept = new Set(hashes.map((h) => h.sourceFileName ?? ''))
        return {
          ...p,
          files: p.files.filter((f) => kept.has(f.slice(Math.max(f.lastIndexOf('\\'), f.lastIndexOf('/')) + 1))),
          rule: ruleOfCondition({ ...rule, name: generatedRuleName(hashRuleName(condition), namePrefix) }, condition),
        }
      }
    }
    return p
  })
}

export interface AddResult {
  policy: Policy
  added: ProposedRule[]
  /** Proposals left out because the policy already has a rule that behaves the same. */
  skipped: ProposedRule[]
  /** Collections the policy did not have and now has (with rules, and so enforced even as Not configured). */
  newCollections: CollectionType[]
}

/**
 * Adds proposals to a policy without duplicating rules already there (compared by content, not by
 * Id: condition, user, action, exceptions; two proposals equal to each other are added once).
 */
export function addRulesWithoutDuplicates(policy: Policy, rules: readonly ProposedRule[]): AddResult {
  const present = presentIn(policy)
  const had = new Set(policy.collections.map((c) => c.type))
  const added: ProposedRule[] = []
  const skipped: ProposedRule[] = []
  for (const p of rules) {
    const entry = present.get(p.collection) ?? { keys: new Set<string>(), hashes: new Set<string>() }
    present.set(p.collection, entry)
    const key = ruleBehaviourKey(p.rule)
    if (entry.keys.has(key)) {
      skipped.push(p)
      continue
    }
    entry.keys.add(key)
    added.push(p)
  }
  const newCollections = [...new Set(added.map((p) => p.collection))].filter((c) => !had.has(c))
  return { policy: addRules(policy, added), added, skipped, newCollections }
}

/** Notes on what adding the proposals does beyond allowing the files, as sentences (empty when nothing to say). */
export function additionWarnings(policy: Policy, rules: readonly ProposedRule[]): string[] {
  const out: string[] = []
  const collections = new Set(rules.map((p) => p.collection))
  for (const c of collections) {
    const coll = policy.collections.find((x) => x.type === c)
    if (!coll || coll.rules.length === 0) {
      const label = c === 'Dll' ? 'The DLL rule collection' : `The ${c} collection`
      out.push(
        `${label} has no rules yet: once it has these, Windows enforces it (even as "Not configured"), so every other file of that kind is blocked unless a rule allows it. Set it to Audit only first, or add the default rules.`,
      )
    }
  }
  return out
}
