/**
 * Comparing two policies ("Compare with..."): per collection, rules added, removed and changed
 * (field by field), enforcement mode and extension changes. Two rules are the same rule when their
 * Ids match (case-insensitively). A removed rule and an added rule with the same condition in the
 * same collection are paired as one rule under a new Id ('reIded').
 */
import type {
  CollectionType,
  Condition,
  EnforcementMode,
  ExceptionEntry,
  FileHash,
  Policy,
  Rule,
  RuleCollection,
  RuleCollectionExtensions,
} from './policy'
import { COLLECTION_TYPES, RULE_KIND_LABELS } from './policy'
import { conditionKey } from './ops'

export interface FieldChange {
  /** What changed, in the words of the rule form: "Name", "Path", "Exception", "File hash", ... */
  field: string
  /** '' when the value did not exist before (an exception or hash added). */
  before: string
  /** '' when the value no longer exists (an exception or hash removed). */
  after: string
}

export interface RuleRefInDiff {
  rule: Rule
  /** Index in its collection's rules (in policy `a` for removed, in `b` for added). */
  index: number
  /** For an added rule: the collection that held a rule with the same Id in `a` (the rule was moved). */
  movedFrom?: CollectionType
  /** For a removed rule: the collection that holds a rule with the same Id in `b`. */
  movedTo?: CollectionType
}

export interface RuleChange {
  before: Rule
  after: Rule
  beforeIndex: number
  afterIndex: number
  changes: FieldChange[]
}

export interface CollectionDiff {
  type: CollectionType
  /** Whether each policy has the collection. */
  inA: boolean
  inB: boolean
  modeBefore: EnforcementMode | null
  modeAfter: EnforcementMode | null
  modeChanged: boolean
  added: RuleRefInDiff[]
  removed: RuleRefInDiff[]
  /** Same Id, different content. */
  changed: RuleChange[]
  /** Same condition under a new Id (the first change is always the Id). */
  reIded: RuleChange[]
  unchanged: number
  extensionChanges: FieldChange[]
}

export interface PolicyDiff {
  collections: CollectionDiff[]
  /** Root-level differences (Version, unknown root content). */
  policyChanges: FieldChange[]
  /** True when nothing at all differs. */
  identical: boolean
  counts: {
    added: number
    removed: number
    changed: number
    reIded: number
    modeChanges: number
    extensionChanges: number
  }
}

/** A one-line human description of a condition, used for exceptions and in messages. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'path':
      return `Path ${c.path}`
    case 'publisher': {
      const v = c.versionRange ? `${c.versionRange.low} - ${c.versionRange.high}` : '(no version range)'
      return `Publisher ${c.publisherName} / ${c.productName} / ${c.binaryName} / ${v}`
    }
    case 'hash':
      return `File hash ${c.hashes.map(describeHash).join('; ')}`
  }
}

function describeHash(h: FileHash): string {
  const src = h.sourceFileName
    ? ` (${h.sourceFileName}${h.sourceFileLength ? `, ${h.sourceFileLength} bytes` : ''})`
    : ''
  return `${h.type} ${h.data}${src}`
}

function describeException(e: ExceptionEntry): string {
  return e.kind === 'unknown' ? `Unknown element ${e.xml}` : describeCondition(e)
}

function push(out: FieldChange[], field: string, before: string, after: string): void {
  if (before !== after) out.push({ field, before, after })
}

/** Set difference of two lists of descriptions, reported as items removed then items added. */
function listChanges(out: FieldChange[], field: string, before: string[], after: string[]): void {
  const a = new Set(before)
  const b = new Set(after)
  for (const x of before) if (!b.has(x)) out.push({ field, before: x, after: '' })
  for (const x of after) if (!a.has(x)) out.push({ field, before: '', after: x })
}

function conditionChanges(out: FieldChange[], a: Condition | undefined, b: Condition | undefined): void {
  if (!a || !b || a.kind !== b.kind) {
    push(out, 'Condition', a ? describeCondition(a) : '(none)', b ? describeCondition(b) : '(none)')
    return
  }
  if (a.kind === 'path' && b.kind === 'path') push(out, 'Path', a.path, b.path)
  else if (a.kind === 'publisher' && b.kind === 'publisher') {
    push(out, 'Publisher', a.publisherName, b.publisherName)
    push(out, 'Product name', a.productName, b.productName)
    push(out, 'File name', a.binaryName, b.binaryName)
    push(out, 'Lowest version', a.versionRange?.low ?? '', b.versionRange?.low ?? '')
    push(out, 'Highest version', a.versionRange?.high ?? '', b.versionRange?.high ?? '')
  } else if (a.kind === 'hash' && b.kind === 'hash') {
    listChanges(out, 'File hash', a.hashes.map(describeHash), b.hashes.map(describeHash))
  }
  push(out, 'Other condition content', JSON.stringify(a.extra ?? null), JSON.stringify(b.extra ?? null))
}

/** Field-by-field differences of two rules (Id included). */
export function ruleChanges(a: Rule, b: Rule): FieldChange[] {
  const out: FieldChange[] = []
  push(out, 'Id', a.id.toLowerCase(), b.id.toLowerCase())
  push(out, 'Rule type', RULE_KIND_LABELS[a.kind], RULE_KIND_LABELS[b.kind])
  push(out, 'Name', a.name, b.name)
  push(out, 'Description', a.description, b.description)
  push(out, 'User or group', a.userOrGroupSid.toUpperCase(), b.userOrGroupSid.toUpperCase())
  push(out, 'Action', a.extra?.invalid?.Action ?? a.action, b.extra?.invalid?.Action ?? b.action)
  conditionChanges(out, a.condition, b.condition)
  listChanges(out, 'Exception', a.exceptions.map(describeException), b.exceptions.map(describeException))
  const extraA = JSON.stringify({ e: a.extra ?? null, c: a.extraConditions ?? null })
  const extraB = JSON.stringify({ e: b.extra ?? null, c: b.extraConditions ?? null })
  if (extraA !== extraB) out.push({ field: 'Other rule content', before: extraA, after: extraB })
  return out
}

function extensionFields(e: RuleCollectionExtensions | undefined): Record<string, string> {
  return {
    ThresholdExtensions: e?.threshold ? 'present' : 'absent',
    'Services enforcement': e?.services?.enforcementMode ?? '(not set)',
    RedstoneExtensions: e?.redstone ? 'present' : 'absent',
    'SystemApps allow': e?.systemApps?.allow ?? '(not set)',
  }
}

function extensionChanges(
  a: RuleCollectionExtensions | undefined,
  b: RuleCollectionExtensions | undefined,
): FieldChange[] {
  const out: FieldChange[] = []
  const fa = extensionFields(a)
  const fb = extensionFields(b)
  for (const k of Object.keys(fa)) push(out, k, fa[k], fb[k])
  if (out.length === 0)
    push(out, 'Other extension content', JSON.stringify(a ?? null), JSON.stringify(b ?? null))
  return out
}

function diffCollection(
  type: CollectionType,
  a: RuleCollection | undefined,
  b: RuleCollection | undefined,
): CollectionDiff {
  const ra = a?.rules ?? []
  const rb = b?.rules ?? []
  const bById = new Map<string, number>()
  rb.forEach((r, i) => {
    const k = r.id.toLowerCase()
    if (!bById.has(k)) bById.set(k, i)
  })
  const matchedB = new Set<number>()
  const removed: RuleRefInDiff[] = []
  const changed: RuleChange[] = []
  let unchanged = 0
  ra.forEach((r, i) => {
    const j = bById.get(r.id.toLowerCase())
    if (j === undefined || matchedB.has(j)) {
      removed.push({ rule: r, index: i })
      return
    }
    matchedB.add(j)
    const changes = ruleChanges(r, rb[j]).filter((c) => c.field !== 'Id')
    if (changes.length) changed.push({ before: r, after: rb[j], beforeIndex: i, afterIndex: j, changes })
    else unchanged++
  })
  let added: RuleRefInDiff[] = []
  rb.forEach((r, j) => {
    if (!matchedB.has(j)) added.push({ rule: r, index: j })
  })

  // Pair removed and added rules with the same condition: the same rule under a new Id. Prefer
  // pairs that also share user/group and action, then document order.
  const reIded: RuleChange[] = []
  if (removed.length && added.length) {
    const addedByKey = new Map<string, RuleRefInDiff[]>()
    for (const x of added) {
      if (!x.rule.condition) continue
      const k = conditionKey(x.rule.condition)
      addedByKey.set(k, [...(addedByKey.get(k) ?? []), x])
    }
    const used = new Set<RuleRefInDiff>()
    const stillRemoved: RuleRefInDiff[] = []
    for (const x of removed) {
      const candidates = x.rule.condition ? (addedByKey.get(conditionKey(x.rule.condition)) ?? []) : []
      const free = candidates.filter((c) => !used.has(c))
      const best =
        free.find(
          (c) =>
            c.rule.kind === x.rule.kind &&
            c.rule.action === x.rule.action &&
            c.rule.userOrGroupSid.toUpperCase() === x.rule.userOrGroupSid.toUpperCase(),
        ) ?? free.find((c) => c.rule.kind === x.rule.kind)
      if (!best) {
        stillRemoved.push(x)
        continue
      }
      used.add(best)
      reIded.push({
        before: x.rule,
        after: best.rule,
        beforeIndex: x.index,
        afterIndex: best.index,
        changes: ruleChanges(x.rule, best.rule),
      })
    }
    removed.splice(0, removed.length, ...stillRemoved)
    added = added.filter((x) => !used.has(x))
  }

  const modeBefore = a ? a.enforcementMode : null
  const modeAfter = b ? b.enforcementMode : null
  // An invalid raw value kept from the file (e.g. "Enforced") counts as a different mode.
  const rawModeChanged =
    (a?.extra?.invalid?.EnforcementMode ?? '') !== (b?.extra?.invalid?.EnforcementMode ?? '')
  return {
    type,
    inA: a !== undefined,
    inB: b !== undefined,
    modeBefore,
    modeAfter,
    modeChanged: modeBefore !== modeAfter || rawModeChanged,
    added,
    removed,
    changed,
    reIded,
    unchanged,
    extensionChanges:
      JSON.stringify(a?.extensions ?? null) === JSON.stringify(b?.extensions ?? null)
        ? []
        : extensionChanges(a?.extensions, b?.extensions),
  }
}

function unpairedCollections(p: Policy): RuleCollection[] {
  const seen = new Set<CollectionType>()
  return p.collections.filter((c) => {
    if (c.type === null || seen.has(c.type)) return true
    seen.add(c.type)
    return false
  })
}

function summariseCollection(c: RuleCollection): string {
  const type = c.type ?? c.extra?.invalid?.Type ?? '(no Type)'
  const mode = c.extra?.invalid?.EnforcementMode ?? c.enforcementMode
  return `${type} (${mode}, ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}: ${c.rules.map((r) => r.id.toLowerCase()).join(', ')})`
}

/** Differences from `a` (e.g. the open policy) to `b` (the other one). */
export function diffPolicies(a: Policy, b: Policy): PolicyDiff {
  const byType = (p: Policy, t: CollectionType) => p.collections.find((c) => c.type === t)
  const types: CollectionType[] = []
  for (const c of [...a.collections, ...b.collections])
    if (c.type && !types.includes(c.type)) types.push(c.type)
  types.sort((x, y) => COLLECTION_TYPES.indexOf(x) - COLLECTION_TYPES.indexOf(y))
  const collections = types.map((t) => diffCollection(t, byType(a, t), byType(b, t)))

  const policyChanges: FieldChange[] = []
  push(policyChanges, 'Version', a.version, b.version)
  push(
    policyChanges,
    'Other policy content',
    JSON.stringify(a.extra ?? null),
    JSON.stringify(b.extra ?? null),
  )
  const invalidA = a.collections.filter((c) => c.type === null).length
  const invalidB = b.collections.filter((c) => c.type === null).length
  push(policyChanges, 'Collections of unknown type', String(invalidA), String(invalidB))
  // Collections not paired by type above (a Type outside the five, such as ManagedInstaller, or a
  // second collection of one type) are compared as a whole, so a change in them is never missed.
  const oa = unpairedCollections(a)
  const ob = unpairedCollections(b)
  const ja = JSON.stringify(oa)
  const jb = JSON.stringify(ob)
  if (ja !== jb) {
    const sa = oa.map(summariseCollection).join('; ')
    const sb = ob.map(summariseCollection).join('; ')
    policyChanges.push(sa !== sb ? { field: 'Other collections', before: sa, after: sb } : { field: 'Other collections', before: ja, after: jb })
  }

  // Rules whose Id moved to another collection are listed as removed there and added here; say so.
  const removedIds = new Map<string, CollectionType>()
  const addedIds = new Map<string, CollectionType>()
  for (const c of collections) {
    for (const x of c.removed) removedIds.set(x.rule.id.toLowerCase(), c.type)
    for (const x of c.added) addedIds.set(x.rule.id.toLowerCase(), c.type)
  }
  for (const c of collections) {
    for (const x of c.removed) {
      const to = addedIds.get(x.rule.id.toLowerCase())
      if (to && to !== c.type) x.movedTo = to
    }
    for (const x of c.added) {
      const from = removedIds.get(x.rule.id.toLowerCase())
      if (from && from !== c.type) x.movedFrom = from
    }
  }

  const counts = { added: 0, removed: 0, changed: 0, reIded: 0, modeChanges: 0, extensionChanges: 0 }
  for (const c of collections) {
    counts.added += c.added.length
    counts.removed += c.removed.length
    counts.changed += c.changed.length
    counts.reIded += c.reIded.length
    if (c.modeChanged) counts.modeChanges++
    if (c.extensionChanges.length) counts.extensionChanges++
  }
  const identical =
    policyChanges.length === 0 &&
    collections.every((c) => c.inA === c.inB) &&
    Object.values(counts).every((n) => n === 0)
  return { collections, policyChanges, identical, counts }
}

/**
 * A PolicyDiff without its rule objects, as a Worker sends it: each rule is named by its place
 * (`index`, `beforeIndex`, `afterIndex` in the collection of its type), which the page resolves
 * against the two policies it holds (resolveDiff). Cloning the rules themselves would cost the page
 * what computing the diff there did.
 */
export interface PlacedCollectionDiff extends Omit<CollectionDiff, 'added' | 'removed' | 'changed' | 'reIded'> {
  added: Omit<RuleRefInDiff, 'rule'>[]
  removed: Omit<RuleRefInDiff, 'rule'>[]
  changed: Omit<RuleChange, 'before' | 'after'>[]
  reIded: Omit<RuleChange, 'before' | 'after'>[]
}

export interface PlacedDiff extends Omit<PolicyDiff, 'collections'> {
  collections: PlacedCollectionDiff[]
}

const placeRef = ({ rule: _rule, ...ref }: RuleRefInDiff): Omit<RuleRefInDiff, 'rule'> => ref
const placeChange = ({ before: _before, after: _after, ...change }: RuleChange): Omit<RuleChange, 'before' | 'after'> => change

/** The diff with its rules named by place (see PlacedDiff). */
export function placeDiff(d: PolicyDiff): PlacedDiff {
  return {
    ...d,
    collections: d.collections.map((c) => ({ ...c, added: c.added.map(placeRef), removed: c.removed.map(placeRef), changed: c.changed.map(placeChange), reIded: c.reIded.map(placeChange) })),
  }
}

/** A placed diff of `a` to `b` with its rules taken from `a` and `b` (the inverse of placeDiff). */
export function resolveDiff(d: PlacedDiff, a: Policy, b: Policy): PolicyDiff {
  const rulesOf = (p: Policy, type: CollectionType, which: string): readonly Rule[] => {
    const c = p.collections.find((x) => x.type === type)
    if (!c) throw new Error(`The comparison names a rule of the ${type} collection, which the ${which} policy does not have.`)
    return c.rules
  }
  const at = (rules: readonly Rule[], i: number): Rule => {
    const r = rules[i]
    if (r === undefined) throw new Error(`The comparison names rule ${i + 1}, past the end of its collection (${rules.length} rules).`)
    return r
  }
  return {
    ...d,
    collections: d.collections.map((c) => {
      const inA = c.inA ? rulesOf(a, c.type, 'open') : []
      const inB = c.inB ? rulesOf(b, c.type, 'other') : []
      const change = (x: Omit<RuleChange, 'before' | 'after'>): RuleChange => ({ ...x, before: at(inA, x.beforeIndex), after: at(inB, x.afterIndex) })
      return {
        ...c,
        added: c.added.map((x) => ({ ...x, rule: at(inB, x.index) })),
        removed: c.removed.map((x) => ({ ...x, rule: at(inA, x.index) })),
        changed: c.changed.map(change),
        reIded: c.reIded.map(change),
      }
    }),
  }
}
