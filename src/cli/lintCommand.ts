/**
 * `npm run --silent cli -- lint POLICY.xml [--json]`
 *
 * "Review policy" from a terminal or a CI pipeline: prints one finding per line
 * (severity, collection, rule, message and fix), then a count. Problems the XML reader noticed
 * (with line and column) are listed first. Exit code 1 when any error is found (or the file is
 * refused), 0 otherwise. `--json` prints `{ diagnostics, findings }` instead.
 */
import { formatDiagnostic } from '../applocker/diagnostics'
import { findingCounts, reviewPolicy, type Finding } from '../applocker/review'
import { validatePolicy } from '../applocker/validate'
import { readPolicy } from '../applocker/xml/read'
import { defineCommand, EXIT_USAGE, policyArgument } from './command'
import { readInputFile } from './io'

/** "error   Exe     rule 3 "Name" (id): message Fix: ..." */
export function formatFinding(f: Finding): string {
  const where = f.collection ?? '-'
  const rule =
    f.ruleIndex !== undefined ? ` rule ${f.ruleIndex + 1} "${f.ruleName ?? ''}" (${f.ruleId ?? ''})` : ''
  return `${f.severity.padEnd(7)} ${where.padEnd(6)}${rule}: ${f.message} Fix: ${f.fix} [${f.code}]`
}

export const lintCommand = defineCommand({
  name: 'lint',
  summary: 'review a policy: findings with severity and how to fix',
  usage: 'POLICY.xml [--json]',
  options: { json: { type: 'boolean' }, policy: { type: 'string' } },
  maxPositionals: 1,
  run: async ({ values, positionals, usage }, io) => {
  const path = policyArgument(values.policy, positionals, io, usage)
  if (path === null) return EXIT_USAGE
  if (!path) {
    io.stderr(`Missing the policy file.\n${usage}`)
    return 1
  }
  const bytes = await readInputFile(path, io)
  if (!bytes) return 1
  const result = readPolicy(bytes)
  if (!result.value) {
    for (const d of result.diagnostics) io.stderr(`${path}: ${formatDiagnostic(d)}\n`)
    io.stderr(`${path}: refused, not reviewed.\n`)
    return 1
  }
  const findings = reviewPolicy(result.value)
  // Review counts every error of the one validator (validate.ts) as a finding; the reader's copy of
  // the same problem (same code and rule) is not listed twice.
  const reviewed = new Set(findings.map((f) => `${f.collectionIndex ?? ''}:${f.ruleIndex ?? ''}`))
  const validatorCodes = new Set(validatePolicy(result.value).filter((d) => d.severity === 'error').map((d) => d.code))
  const readerDiagnostics = result.diagnostics.filter(
    (d) => !(d.severity === 'error' && validatorCodes.has(d.code) && reviewed.has(`${d.ref?.collection ?? ''}:${d.ref?.rule ?? ''}`)),
  )
  const counts = findingCounts(findings)
  const readerCounts = findingCounts(readerDiagnostics)
  if (values.json) {
    io.stdout(`${JSON.stringify({ diagnostics: readerDiagnostics, findings }, null, 2)}\n`)
  } else {
    for (const d of readerDiagnostics)
      io.stdout(`${d.severity.padEnd(7)} xml   : ${formatDiagnostic(d)} [${d.code}]\n`)
    for (const f of findings) io.stdout(`${formatFinding(f)}\n`)
    const errors = counts.error + readerCounts.error
    const warnings = counts.warning + readerCounts.warning
    const infos = counts.info + readerCounts.info
    io.stdout(
      `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} note${infos === 1 ? '' : 's'}.\n`,
    )
  }
  return counts.error + readerCounts.error > 0 ? 1 : 0
  },
})
