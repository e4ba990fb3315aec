/**
 * `npm run --silent cli -- test --policy P.xml --files FILES [--user SID] [--group SID]... [--format json|csv]`
 *
 * Test-AppLockerPolicy from a terminal: decides every file of FILES (FILES.json, the inventory
 * CSV or exported AppLocker events, recognised by content) against the policy, for the user
 * (`--user`, else each event's user, else Everyone alone) and the listed groups. Prints one entry
 * per file in input order. Bad input (unreadable policy, malformed file list, a file without a
 * path, an invalid SID) prints a message on stderr and exits 1.
 */
import { formatDiagnostic } from '../applocker/diagnostics'
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import { DEFAULT_MACHINE, type Principal } from '../applocker/evaluate/types'
import { readInventory } from '../applocker/inventory/read'
import { isValidSid } from '../applocker/sids'
import { readPolicy } from '../applocker/xml/read'
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

function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function resultsToCsv(results: TestResult[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of results) lines.push(CSV_COLUMNS.map((c) => csvField(r[c])).join(','))
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
    '--policy POLICY.xml --files FILES [--user SID] [--group SID]... [--format json|csv]\n' +
    '  FILES: a JSON array of files (FILES.json), a CSV with a Path column, or AppLocker events XML.',
  options: { policy: { type: 'string' }, files: { type: 'string' }, user: { type: 'string' }, group: { type: 'string', multiple: true }, format: { type: 'string' } },
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
  const user = values.user?.trim()
  const groups = (values.group ?? []).map((g) => g.trim())
  for (const sid of [...(user !== undefined ? [user] : []), ...groups]) {
    if (!isValidSid(sid)) {
      io.stderr(`"${sid}" is not a SID (expected S-1-..., e.g. S-1-5-32-545 for BUILTIN\\Users).\n`)
      return 1
    }
  }

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

  const filesBytes = await read(io, filesPath, 'file list')
  if (typeof filesBytes === 'string') {
    io.stderr(`${filesBytes}\n`)
    return 1
  }
  const inventory = readInventory(filesBytes)
  // As the app's simulation does: a bad row or entry is skipped and named (with its line) on stderr, the others
  // are decided; only a file list of which nothing can be read is refused.
  for (const d of inventory.diagnostics) io.stderr(`${filesPath}: ${d.severity === 'error' ? '' : d.severity === 'warning' ? 'warning: ' : 'note: '}${formatDiagnostic(d)}\n`)
  const skipped = inventory.diagnostics.filter((d) => d.severity === 'error').length
  if (!inventory.value || (skipped > 0 && inventory.value.length === 0)) {
    io.stderr(`${filesPath}: not tested (fix the file list and run again).\n`)
    return 1
  }
  if (skipped > 0) io.stderr(`${filesPath}: ${skipped} ${skipped === 1 ? 'entry' : 'entries'} skipped, ${inventory.value.length} tested.\n`)

  const compiled = compilePolicy(policy.value, DEFAULT_MACHINE)
  const shared: Principal = user ? { user, groups } : { groups }
  const results: TestResult[] = inventory.value.map((file) => {
    const fileUser = !user && file.user && isValidSid(file.user.trim()) ? file.user.trim() : null
    const principal = fileUser ? { user: fileUser, groups } : shared
    const d = decide(compiled, file, principal, { explain: false })
    return {
      path: file.path,
      collection: d.collection,
      decision: d.decision,
      matchingRuleId: d.matchingRuleId,
      matchingRuleName: d.matchingRuleName,
      mode: d.mode,
      effect: d.effect,
      eventId: d.eventId,
      user: principal.user ?? null,
    }
  })
  io.stdout(format === 'csv' ? resultsToCsv(results) : `${JSON.stringify(results, null, 2)}\n`)
  return 0
  },
})
