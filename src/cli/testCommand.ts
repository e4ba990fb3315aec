/**
 * `npm run --silent cli -- test --policy P.xml --files FILES [--user SID] [--group SID]... [--unelevated] [--format json|csv]`
 *
 * Test-AppLockerPolicy from a terminal: decides every file of FILES (FILES.json, the inventory
 * CSV or exported AppLocker events, recognised by content) against the policy, for the user
 * (`--user`, else each event's user, else Everyone alone) and the listed groups. Prints one entry
 * per file in input order. Bad input (unreadable policy, malformed file list, a file without a
 * path, an invalid SID) prints a message on stderr and exits 1.
 */
import { formatDiagnostic, type Diagnostic } from '../applocker/diagnostics'
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import { decisionOutcome } from '../applocker/evaluate/decisionOutcome'
import { DEFAULT_MACHINE, type Principal } from '../applocker/evaluate/types'
import { csvLine } from '../applocker/csv'
import { createInventoryCsvReader } from '../applocker/inventory/csv'
import { detectInventoryFormat, readInventory } from '../applocker/inventory/read'
import { isEvtx } from '../applocker/inventory/evtx'
import type { InventoryFile } from '../applocker/inventory/types'
import { isValidPrincipalSid, sidOf } from '../applocker/sids'
import { detectEncoding } from '../applocker/xml/decode'
import { readPolicy } from '../applocker/xml/read'
import { coverageFromDecisions, type DecidedFile } from '../applocker/simulate/coverage'
import { defineCommand } from './command'
import type { CliIO } from './io'

/** One line of output. */
export interface TestResult {
  path: string
  collection: string | null
  decision: string
  matchingRuleId: string | null
  matchingRuleName: string | null
  mode: string | null
  effect: string
  eventId: number | null
  /** The user SID the file was tested for (null: Everyone and the --group SIDs only). */
  user: string | null
}

export const CSV_COLUMNS: (keyof TestResult)[] = ['path', 'collection', 'decision', 'matchingRuleId', 'matchingRuleName', 'mode', 'effect', 'eventId', 'user']

/** One result as a CSV line (without its line end). */
export function resultCsvLine(r: TestResult): string {
  return csvLine(CSV_COLUMNS.map((c) => r[c]))
}

export function resultsToCsv(results: TestResult[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of results) lines.push(resultCsvLine(r))
  return `${lines.join('\r\n')}\r\n`
}

async function read(io: CliIO, path: string, what: string): Promise<Uint8Array | string> {
  try {
    return await io.readFile(path)
  } catch (e) {
    return `Cannot read the ${what} ${path}: ${e instanceof Error ? e.message : String(e)}`
  }
}

export const testCommand = defineCommand({
  name: 'test',
  summary: 'Test-AppLockerPolicy: decide every file of an inventory against a policy',
  usage:
    '--policy POLICY.xml --files FILES [--user SID] [--group SID]... [--unelevated] [--format json|csv] [--coverage]\n' +
    '  --user, --group: a SID, or a well-known name (Everyone, BUILTIN\\Administrators, Administrators, NT AUTHORITY\\SYSTEM).\n' +
    '  --unelevated: an administrator running unelevated (UAC): Administrators (S-1-5-32-544) counts for Executable rules only.\n' +
    '  --coverage: instead of one entry per file, how many files each rule decided, the rules that decided none and the broad path rules (JSON).\n' +
    '  FILES: a JSON array of files (FILES.json), a CSV with a Path column, or AppLocker events XML.',
  options: { policy: { type: 'string' }, files: { type: 'string' }, user: { type: 'string' }, group: { type: 'string', multiple: true }, unelevated: { type: 'boolean' }, format: { type: 'string' }, coverage: { type: 'boolean' } },
  maxPositionals: 0,
  run: async ({ values, usage }, io) => {
  const policyPath = values.policy
  const filesPath = values.files
  if (!policyPath || !filesPath) {
    io.stderr(`${!policyPath ? 'Missing --policy. ' : ''}${!filesPath ? 'Missing --files. ' : ''}\n${usage}`)
    return 1
  }
  const format = values.format ?? 'json'
  if (format !== 'json' && format !== 'csv') {
    io.stderr(`Unknown --format "${format}": use json or csv.\n`)
    return 1
  }
  // SIDs, or well-known names as Test-AppLockerPolicy -User takes them (Everyone, BUILTIN\Administrators).
  const given = [...(values.user !== undefined ? [values.user] : []), ...(values.group ?? [])]
  for (const x of given) {
    if (sidOf(x) === null) {
      io.stderr(`"${x.trim()}" is not a SID (expected S-1-..., e.g. S-1-5-32-545 for BUILTIN\\Users) or the name of a well-known group such as Everyone or BUILTIN\\Administrators.\n`)
      return 1
    }
  }
  const user = values.user !== undefined ? (sidOf(values.user) ?? undefined) : undefined
  const groups = (values.group ?? []).map((g) => sidOf(g)!)

  const policyBytes = await read(io, policyPath, 'policy')
  if (typeof policyBytes === 'string') {
    io.stderr(`${policyBytes}\n`)
    return 1
  }
  const policy = readPolicy(policyBytes)
  if (!policy.value) {
    for (const d of policy.diagnostics) io.stderr(`${policyPath}: ${formatDiagnostic(d)}\n`)
    io.stderr(`${policyPath}: refused, nothing tested.\n`)
    return 1
  }
  for (const d of policy.diagnostics) if (d.severity !== 'info') io.stderr(`${policyPath}: ${d.severity}: ${formatDiagnostic(d)}\n`)

  const compiled = compilePolicy(policy.value, DEFAULT_MACHINE)
  const elevated = values.unelevated === true ? { elevated: false } : {}
  const shared: Principal = user ? { user, groups, ...elevated } : { groups, ...elevated }
  const out = resultWriter(io, format)
  const coverage: DecidedFile[] | null = values.coverage ? [] : null
  let tested = 0
  let skipped = 0
  // As the app's simulation does: a bad row or entry is skipped and named (with its line) on stderr, the others
  // are decided; only a file list of which nothing can be read is refused (and then nothing is printed).
  const take = async (piece: { files: InventoryFile[]; diagnostics: Diagnostic[] }) => {
    for (const d of piece.diagnostics) {
      if (d.severity === 'error') skipped++
      io.stderr(`${filesPath}: ${d.severity === 'error' ? '' : d.severity === 'warning' ? 'warning: ' : 'note: '}${formatDiagnostic(d)}\n`)
    }
    for (const file of piece.files) {
      const fileUser = !user && file.user && isValidPrincipalSid(file.user.trim()) ? file.user.trim() : null
      const principal = fileUser ? { user: fileUser, groups, ...elevated } : shared
      const d = decide(compiled, file, principal, { explain: false })
      tested++
      if (coverage) {
        coverage.push({ collection: d.collection, matchingRuleId: d.matchingRuleId })
        continue
      }
      out.add({ path: file.path, ...decisionOutcome(d), user: principal.user ?? null })
    }
    if (!coverage) await out.flush(false)
  }
  let readable: boolean
  try {
    readable = await readInventoryStream(io, filesPath, take)
  } catch (e) {
    io.stderr(`Cannot read the file list ${filesPath}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
  if (!readable || (skipped > 0 && tested === 0)) {
    io.stderr(`${filesPath}: not tested (fix the file list and run again).\n`)
    return 1
  }
  if (coverage) io.stdout(`${JSON.stringify(coverageFromDecisions(policy.value, coverage), null, 2)}\n`)
  else await out.flush(true)
  if (skipped > 0) io.stderr(`${filesPath}: ${skipped} ${skipped === 1 ? 'entry' : 'entries'} skipped, ${tested} tested.\n`)
  return 0
  },
})

/**
 * Reads the file list and hands it over in pieces: a CSV inventory is decoded and parsed chunk by chunk as it is
 * read (a million rows never in memory at once); FILES.json and events are read whole (readInventory).
 * False when the list as a whole cannot be read (its diagnostics already handed over); throws when the file
 * cannot be opened or read.
 */
async function readInventoryStream(io: CliIO, path: string, take: (piece: { files: InventoryFile[]; diagnostics: Diagnostic[] }) => Promise<void>): Promise<boolean> {
  const chunks = io.readChunks(path)[Symbol.asyncIterator]()
  // Enough of the start to know the encoding and the format.
  const head: Uint8Array[] = []
  let headLength = 0
  let ended = false
  while (headLength < 64 * 1024) {
    const next = await chunks.next()
    if (next.done) {
      ended = true
      break
    }
    head.push(next.value)
    headLength += next.value.length
  }
  const start = concat(head, headLength)
  const { encoding, start: bom } = detectEncoding(start)
  const decoder = new TextDecoder(encoding)
  const startText = decoder.decode(start.subarray(bom), { stream: !ended })
  const format = isEvtx(start) ? null : detectInventoryFormat(startText)
  // A Windows event log (.evtx, by its ElfFile signature), FILES.json and events are read whole.
  if (format !== 'csv' || startText.trim() === '' || startText.trimStart().startsWith('{')) {
    const rest: Uint8Array[] = [start]
    let total = start.length
    for (let next = ended ? null : await chunks.next(); next && !next.done; next = await chunks.next()) {
      rest.push(next.value)
      total += next.value.length
    }
    const inventory = readInventory(concat(rest, total))
    await take({ files: inventory.value ?? [], diagnostics: inventory.diagnostics })
    return inventory.value !== null
  }
  const reader = createInventoryCsvReader()
  await take(reader.push(startText))
  if (!ended) {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) await take(reader.push(decoder.decode(next.value, { stream: true })))
    await take(reader.push(decoder.decode()))
  }
  await take(reader.end())
  return !reader.refused()
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]
  const all = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    all.set(p, at)
    at += p.length
  }
  return all
}

/** Writes the results as they are decided, in batches: the JSON array or CSV a whole-list write would give. */
function resultWriter(io: CliIO, format: 'json' | 'csv') {
  let buffer = ''
  let count = 0
  return {
    add(r: TestResult) {
      if (format === 'csv') buffer += `${count === 0 ? `${CSV_COLUMNS.join(',')}\r\n` : ''}${resultCsvLine(r)}\r\n`
      else buffer += `${count === 0 ? '[\n' : ',\n'}  ${JSON.stringify(r, null, 2).replace(/\n/g, '\n  ')}`
      count++
    },
    /** Writes what is buffered when it is big (or `last`: everything, with the end of the document). */
    async flush(last: boolean) {
      if (last) {
        if (format === 'csv') buffer += count === 0 ? `${CSV_COLUMNS.join(',')}\r\n` : ''
        else buffer += count === 0 ? '[]\n' : '\n]\n'
      } else if (buffer.length < 1 << 20) return
      io.stdout(buffer)
      buffer = ''
      await io.drain()
    },
  }
}
