/**
 * `npm run --silent cli -- merge TARGET.xml INCOMING.xml [--modes restrictive|target|incoming] [--encoding utf-8|utf-16le]`
 *
 * Merges INCOMING into TARGET as `Set-AppLockerPolicy -Merge` does (src/applocker/merge.ts) and
 * prints the merged policy XML on stdout. `--modes` chooses how enforcement modes merge, as the
 * app's Merge does (ModeMerge; default: the more restrictive). What the merge did (rules added, duplicates dropped,
 * enforcement modes) goes to stderr as "Note:" lines, so stdout stays a clean XML file. When
 * either input is refused, its located diagnostics go to stderr, nothing is printed on stdout and
 * the exit code is 1.
 */
import { formatDiagnostic, type Diagnostic } from '../applocker/diagnostics'
import { planMerge, type ModeMerge } from '../applocker/merge'
import { ENFORCEMENT_LABELS, type Policy } from '../applocker/policy'
import { readPolicy } from '../applocker/xml/read'
import { encodePolicy, writePolicyXml } from '../applocker/xml/write'
import { defineCommand } from './command'
import { ENCODING_OPTION, encodingOption, readInputFile, type CliIO } from './io'
import { plural } from '../lib/plural'

function line(file: string, d: Diagnostic): string {
  const prefix = d.severity === 'error' ? '' : d.severity === 'warning' ? 'Warning: ' : 'Note: '
  return `${file}: ${prefix}${formatDiagnostic(d)}\n`
}

/** Reads one input; prints its diagnostics; null (after saying so) when it is refused or unreadable. */
export async function readPolicyFile(path: string, io: CliIO): Promise<Policy | null> {
  const bytes = await readInputFile(path, io)
  if (!bytes) return null
  const result = readPolicy(bytes)
  for (const d of result.diagnostics) io.stderr(line(path, d))
  if (!result.value) {
    io.stderr(`${path}: refused.\n`)
    return null
  }
  return result.value
}

/** The values of --modes (every ModeMerge, the default first) and what each does. */
const MODE_MERGES: Record<ModeMerge, string> = {
  restrictive: 'the more restrictive of the two modes (Enforce rules > Audit only > Not configured), as Set-AppLockerPolicy -Merge is inferred to do (the default)',
  target: "TARGET's modes are kept (a collection TARGET does not have stays Not configured)",
  incoming: "INCOMING's modes are taken where it has the collection",
}
const MODE_NAMES = Object.keys(MODE_MERGES) as ModeMerge[]
const isModeMerge = (v: string): v is ModeMerge => (MODE_NAMES as string[]).includes(v)

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'Set-AppLockerPolicy -Merge: merge INCOMING into TARGET, print the result',
  usage: `TARGET.xml INCOMING.xml [--modes ${MODE_NAMES.join('|')}] [--encoding utf-8|utf-16le]`,
  help: `How enforcement modes merge (--modes):\n${MODE_NAMES.map((m) => `  ${m}: ${MODE_MERGES[m]}\n`).join('')}`,
  options: { modes: { type: 'string' }, ...ENCODING_OPTION },
  maxPositionals: 2,
  run: async ({ values, positionals, usage }, io) => {
  if (positionals.length !== 2) {
    io.stderr(`merge needs exactly two policy files (target, then the policy to merge into it).\n${usage}`)
    return 1
  }
  const enc = encodingOption(values.encoding, io, usage)
  if (!enc) return 1
  const modes = values.modes ?? 'restrictive'
  if (!isModeMerge(modes)) {
    io.stderr(`Unknown --modes value "${modes}": use ${MODE_NAMES.slice(0, -1).join(', ')} or ${MODE_NAMES.at(-1)}.\n${usage}`)
    return 1
  }
  const [targetPath, incomingPath] = positionals
  // Read both before giving up, so the user sees every problem at once.
  const target = await readPolicyFile(targetPath, io)
  const incoming = await readPolicyFile(incomingPath, io)
  if (!target || !incoming) {
    io.stderr('Nothing merged.\n')
    return 1
  }
  const { preview, policy: merged } = planMerge(target, incoming, { modes })
  for (const c of [...preview.perCollection.filter((p) => p.inIncoming), ...(preview.otherCollections ?? [])]) {
    const mode =
      c.modeBefore === c.modeAfter
        ? ENFORCEMENT_LABELS[c.modeAfter]
        : `${c.modeBefore ? ENFORCEMENT_LABELS[c.modeBefore] : '(none)'} -> ${ENFORCEMENT_LABELS[c.modeAfter]}`
    io.stderr(
      `Note: ${c.type}: ${c.added.length} added, ${c.duplicates.length} duplicate Id${c.duplicates.length === 1 ? '' : 's'} dropped; mode ${mode}.\n`,
    )
    for (const k of c.conflicts)
      io.stderr(
        `Warning: ${c.type}: rule ${k.kept.id} differs between the two files; the target's copy "${k.kept.name}" is kept.\n`,
      )
  }
  for (const e of preview.extensionsChanged) io.stderr(`Note: ${e.message}\n`)
  if (preview.ignoredCollections)
    io.stderr(
      `Warning: ${plural(preview.ignoredCollections, 'collection')} of unknown type in ${incomingPath} ${preview.ignoredCollections === 1 ? 'was' : 'were'} not merged.\n`,
    )
  if (enc === 'utf-8') io.stdout(writePolicyXml(merged))
  else io.stdoutBytes(encodePolicy(merged, enc))
  return 0
  },
})
