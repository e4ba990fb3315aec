/**
 * `npm run --silent cli -- generate --from-events FILE... [--rule-type publisher,hash,path]
 *   [--level publisher|product|file|version] [--user SID] [--events audited,blocked] [--collection Exe,...]
 *   [--optimize] [--into P.xml] [--encoding utf-8|utf-16le]`
 *
 * `Get-AppLockerFileInformation -EventLog -EventType Audited | New-AppLockerPolicy -RuleType Publisher,Hash
 * -User SID [-Optimize]` without Windows: reads every inventory given (AppLocker events, or any inventory the
 * readers know: the inventory CSV, FILES.json, ...), chooses the events, proposes the rules
 * (src/applocker/inventory-rules.ts, the same as the app's "Create rules from these files...") and prints a
 * policy XML. With `--into P.xml` the rules are added to that policy, leaving out rules it already has.
 * Events without a hash or signer (and any other file that got no rule) are listed on stderr.
 */
import { formatDiagnostic } from '../applocker/diagnostics'
import { RULE_TYPE_ORDER, PUBLISHER_LEVELS, describeCondition, type PublisherLevel, type RulePreference } from '../applocker/generate'
import { readInventory } from '../applocker/inventory/read'
import type { InventoryFile } from '../applocker/inventory/types'
import { EVENT_KINDS, addRulesWithoutDuplicates, additionWarnings, proposeRulesFromInventory, type EventKind } from '../applocker/inventory-rules'
import { COLLECTION_TYPES, emptyPolicy, type CollectionType, type Policy } from '../applocker/policy'
import { normalizeSid, sidOf } from '../applocker/sids'
import { encodePolicy, writePolicyXml } from '../applocker/xml/write'
import { defineCommand } from './command'
import { ENCODING_OPTION, encodingOption, readInputFile, type CliIO } from './io'
import { readPolicyFile } from './mergeCommand'

/** Parsed values of the generate command (what `defineCommand` hands over). */
export interface GenerateValues {
  'from-events'?: string[]
  'rule-type'?: string
  level?: string
  user?: string
  events?: string
  collection?: string
  optimize?: boolean
  into?: string
  encoding?: string
}

/** A comma-separated list of words from `allowed` (case-insensitive); null after saying what is wrong. */
function listOption<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: T[], io: CliIO): T[] | null {
  if (text === undefined) return fallback
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)
  const out: T[] = []
  for (const w of words) {
    const hit = allowed.find((a) => a.toLowerCase() === w.toLowerCase())
    if (!hit) {
      io.stderr(`Unknown --${name} value "${w}": use ${allowed.join(', ')} (comma-separated).\n`)
      return null
    }
    if (!out.includes(hit)) out.push(hit)
  }
  if (out.length === 0) {
    io.stderr(`--${name} needs at least one of ${allowed.join(', ')}.\n`)
    return null
  }
  return out
}

/** The generate command on parsed values: exit code 0 when a policy was printed, 1 otherwise. */
export async function runGenerate(values: GenerateValues, positionals: string[], usage: string, io: CliIO): Promise<number> {
  const files = [...(values['from-events'] ?? []), ...positionals]
  if (files.length === 0) {
    io.stderr(`Missing --from-events FILE.\n${usage}`)
    return 1
  }
  const ruleTypes = listOption<RulePreference>('rule-type', values['rule-type'], RULE_TYPE_ORDER, ['publisher', 'hash'], io)
  const eventKinds = listOption<EventKind>('events', values.events, EVENT_KINDS, ['audited'], io)
  const collections = listOption<CollectionType>('collection', values.collection, COLLECTION_TYPES, [], io)
  if (!ruleTypes || !eventKinds || !collections) return 1
  let level: PublisherLevel | undefined
  if (values.level !== undefined) {
    level = PUBLISHER_LEVELS.find((l) => l === values.level?.trim().toLowerCase())
    if (!level) {
      io.stderr(`Unknown --level "${values.level}": use ${PUBLISHER_LEVELS.join(', ')}.\n`)
      return 1
    }
  }
  // A SID, or a well-known name as New-AppLockerPolicy -User takes it (its own example: -User Everyone).
  const sid = sidOf(values.user ?? 'S-1-1-0')
  if (sid === null) {
    io.stderr(`"${values.user?.trim()}" is not a SID (expected S-1-..., e.g. S-1-1-0 for Everyone or S-1-5-32-545 for BUILTIN\\Users) or the name of a well-known group such as Everyone or BUILTIN\\Users.\n`)
    return 1
  }
  const enc = encodingOption(values.encoding, io, usage)
  if (!enc) return 1

  // Every inventory is read before giving up, so every problem is said at once.
  const rows: InventoryFile[] = []
  let unreadable = 0
  for (const path of files) {
    const bytes = await readInputFile(path, io)
    if (!bytes) {
      unreadable++
      continue
    }
    const inventory = readInventory(bytes)
    for (const d of inventory.diagnostics) {
      const word = d.severity === 'error' ? (inventory.value ? 'skipped' : 'error') : d.severity === 'warning' ? 'warning' : 'note'
      io.stderr(`${path}: ${word}: ${formatDiagnostic(d)}\n`)
    }
    if (!inventory.value) {
      io.stderr(`${path}: not read.\n`)
      unreadable++
      continue
    }
    rows.push(...inventory.value)
  }
  let into: Policy | null = null
  if (values.into !== undefined) {
    into = await readPolicyFile(values.into, io)
    if (!into) {
      io.stderr('Nothing generated.\n')
      return 1
    }
  }
  if (rows.length === 0) {
    io.stderr(`${unreadable ? 'No inventory could be read' : 'The inventories hold no file'}: nothing generated.\n`)
    return 1
  }

  const proposal = proposeRulesFromInventory(
    rows,
    { events: eventKinds, collections },
    { sid: normalizeSid(sid), preference: 'publisher', ruleTypes, publisherLevel: level, groupSimilar: values.optimize === true, existing: into ?? undefined },
  )
  const kinds = eventKinds.join(', ')
  io.stderr(`Note: ${proposal.selected.length} of ${rows.length} entries chosen (events: ${kinds}${collections.length ? `; collections: ${collections.join(', ')}` : ''}), ${proposal.distinct} distinct files.\n`)
  for (const n of proposal.notes) io.stderr(`${n.severity === 'error' ? 'No rule' : 'Note'}: ${n.path}: ${n.message}\n`)

  const target = into ?? emptyPolicy()
  const { policy, added, skipped } = addRulesWithoutDuplicates(target, proposal.rules)
  for (const p of added) io.stderr(`Added: ${p.collection}: ${p.rule.kind} rule "${p.rule.name}" (${p.rule.condition ? describeCondition(p.rule.condition) : ''}) for ${p.files.length} file${p.files.length === 1 ? '' : 's'}.\n`)
  for (const p of skipped) io.stderr(`Already in ${values.into}: ${p.collection}: "${p.rule.name}".\n`)
  for (const w of additionWarnings(target, added)) io.stderr(`Warning: ${w}\n`)
  if (added.length === 0 && !into) {
    io.stderr('No rule could be made from the chosen entries: nothing printed.\n')
    return 1
  }
  if (enc === 'utf-8') io.stdout(writePolicyXml(policy))
  else io.stdoutBytes(encodePolicy(policy, enc))
  return 0
}

export const generateCommand = defineCommand({
  name: 'generate',
  summary: 'New-AppLockerPolicy from AppLocker events (or any inventory with hashes or signers)',
  usage:
    '--from-events FILE... [--rule-type publisher,hash,path] [--level publisher|product|file|version] [--user SID]\n' +
    '  [--events audited,blocked,allowed] [--collection Exe,Msi,Script,Dll,Appx] [--optimize] [--into P.xml] [--encoding utf-8|utf-16le]',
  options: {
    'from-events': { type: 'string', multiple: true },
    'rule-type': { type: 'string' },
    level: { type: 'string' },
    user: { type: 'string' },
    events: { type: 'string' },
    collection: { type: 'string' },
    optimize: { type: 'boolean' },
    into: { type: 'string' },
    ...ENCODING_OPTION,
  },
  maxPositionals: Infinity,
  run: ({ values, positionals, usage }, io) => runGenerate(values, positionals, usage, io),
})
