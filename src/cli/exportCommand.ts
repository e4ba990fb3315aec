/**
 * `npm run --silent cli -- export [--policy] IN.xml [--encoding utf-8|utf-16le] [--wrap-roots]`
 *
 * Reads a policy exactly as the app imports it and prints the XML the app would export.
 * Diagnostics go to stderr as "Line N, column M: message" (warnings and notes prefixed
 * "Warning: " / "Note: "). Exit code 1 when the policy is refused (nothing is printed on stdout)
 * or the arguments are wrong; when the policy opens with errors Windows would reject, the XML is
 * still printed (as the app exports it), the errors are listed on stderr, and the exit code is 0.
 */
import { formatDiagnostic, type Diagnostic } from '../applocker/diagnostics'
import { readPolicy } from '../applocker/xml/read'
import { encodePolicy, writePolicyXml } from '../applocker/xml/write'
import { refusedByWindows } from '../applocker/validate'
import { defineCommand, EXIT_USAGE, policyArgument } from './command'
import { ENCODING_OPTION, encodingOption, readInputFile } from './io'

function line(d: Diagnostic): string {
  const prefix = d.severity === 'error' ? '' : d.severity === 'warning' ? 'Warning: ' : 'Note: '
  return `${prefix}${formatDiagnostic(d)}\n`
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'print the XML the app would export for a policy',
  usage: '[--policy] IN.xml [--encoding utf-8|utf-16le] [--wrap-roots]',
  options: { policy: { type: 'string' }, 'wrap-roots': { type: 'boolean' }, ...ENCODING_OPTION },
  maxPositionals: 1,
  async run({ values, positionals, usage }, io) {
    // The README's `export --policy IN.xml`, or the policy as the one file argument, as the other commands take it.
    const policyPath = policyArgument(values.policy, positionals, io, usage)
    if (policyPath === null) return EXIT_USAGE
    if (!policyPath) {
      io.stderr(`Missing --policy.\n${usage}`)
      return 1
    }
    const encoding = encodingOption(values.encoding, io, usage)
    if (!encoding) return 1
    const bytes = await readInputFile(policyPath, io)
    if (!bytes) return 1
    const result = readPolicy(bytes, { wrapRoots: values['wrap-roots'] === true })
    for (const d of result.diagnostics) io.stderr(line(d))
    if (!result.value) {
      const hint = result.diagnostics.some(
        (d) => d.code === 'multiple-roots' && /RuleCollection roots/.test(d.message),
      )
        ? ' (add --wrap-roots to wrap them into one policy)'
        : ''
      io.stderr(`${policyPath}: refused, nothing exported${hint}.\n`)
      return 1
    }
    const errors = result.diagnostics.filter((d) => d.severity === 'error')
    const refused = errors.filter(refusedByWindows).length
    const neverMatch = errors.length - refused
    if (refused > 0)
      io.stderr(
        `Warning: exported with ${refused} error${refused === 1 ? '' : 's'} that Windows would reject (listed above).\n`,
      )
    if (neverMatch > 0)
      io.stderr(
        `Warning: exported with ${neverMatch} error${neverMatch === 1 ? '' : 's'} that Windows accepts but that make a rule never match as written (listed above).\n`,
      )
    if (encoding === 'utf-8') io.stdout(writePolicyXml(result.value))
    else io.stdoutBytes(encodePolicy(result.value, encoding))
    return 0
  },
})
