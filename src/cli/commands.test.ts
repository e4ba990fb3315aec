/**
 * The command line as a whole: options anywhere, strict parsing (unknown, repeated and missing-value options, extra
 * files are usage errors, exit code 2), `--help`, and the process glue (write errors are a message, not a trace).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CORPUS, fakeIO, readCorpus } from '../testing/cliIO'
import { EXIT_USAGE } from './command'
import { runCli } from './commands'

const P = 'aaronlocker-Deny-OldBginfo.xml'
const MULTIROOT = 'invalid/asd-blueprint-block-apps-local-admins-2021-multiroot.xml'

async function cli(...args: string[]) {
  const f = fakeIO(readCorpus)
  const code = await runCli(args, f.io)
  return { code, out: f.out.join(''), err: f.err.join('') }
}

describe('command line parsing', () => {
  it('takes options before or after the file: lint --json P.xml', async () => {
    const before = await cli('lint', '--json', P)
    const after = await cli('lint', P, '--json')
    expect(before.code).toBe(1) // the policy has errors: lint's documented exit code
    expect(JSON.parse(before.out).findings.length).toBeGreaterThan(0)
    expect(before.out).toBe(after.out)
  })

  it('export takes the policy as --policy (README) or as its file argument, and --wrap-roots anywhere', async () => {
    const byOption = await cli('export', '--policy', P)
    const byPositional = await cli('export', P)
    expect(byOption.code).toBe(0)
    expect(byPositional.out).toBe(byOption.out)
    const wrapped = await cli('export', '--wrap-roots', MULTIROOT)
    expect(wrapped.code).toBe(0)
    expect(wrapped.out).toContain('<AppLockerPolicy')
    expect((await cli('export', '--policy=' + MULTIROOT, '--wrap-roots')).code).toBe(0)
  })

  it.each([
    [['lint', '--jsn', P], /Unknown option --jsn for lint: did you mean --json\?/],
    [['export', '--policy', P, '--frobnicate'], /Unknown option --frobnicate for export \(its options: .*--wrap-roots/],
    [['lint', P, 'other.xml'], /Unexpected argument "other.xml": lint takes at most 1 file argument/],
    [['test', '--policy', P, '--files', 'f.json', 'extra.csv'], /Unexpected argument "extra.csv": test takes no file argument/],
    [['merge', 'a.xml', 'b.xml', 'c.xml'], /Unexpected argument "c.xml": merge takes at most 2 file arguments/],
    [['export', '--policy', P, '--policy', 'other.xml'], /--policy is given more than once/],
    [['export', '--policy', P, 'other.xml'], /Give the policy once: --policy .* or other.xml, not both/],
    [['test', '--policy', P, '--files', 'f.json', '--user', 'S-1-5-32-545', '--user', 'S-1-5-32-544'], /--user is given more than once/],
    [['test', '--policy', P, '--files'], /--files needs a value/],
    [['test', '--policy', '--files', 'f.json'], /--policy needs a value \(to give a value starting with "-", write --policy=VALUE\)/],
    [['lint', '--json=yes', P], /--json takes no value/],
    [['frob'], /Unknown command "frob"/],
    [[], /Usage: npm run --silent cli -- <command>/],
  ])('%j is a usage error: a message, the usage, exit code 2, nothing on stdout', async (args, message) => {
    const r = await cli(...args)
    expect(r.code).toBe(EXIT_USAGE)
    expect(r.err).toMatch(message)
    expect(r.err).toContain('Usage: ')
    expect(r.out).toBe('')
  })

  it('--group may be repeated (every group is tested)', async () => {
    const f = fakeIO((p) => (p === 'f.json' ? new TextEncoder().encode('[{"path":"C:\\\\x.exe"}]') : readCorpus(p)))
    const code = await runCli(['test', '--policy', P, '--files', 'f.json', '--group', 'S-1-5-32-545', '--group=S-1-5-32-544'], f.io)
    expect(code).toBe(0)
    expect(JSON.parse(f.out.join(''))).toHaveLength(1)
  })

  it('--help lists every command; <command> --help its usage; both on stdout with exit 0', async () => {
    const all = await cli('--help')
    expect(all.code).toBe(0)
    for (const name of ['export', 'merge', 'lint', 'test', 'fileinfo']) expect(all.out).toContain(`  ${name} `)
    const one = await cli('test', '--help')
    expect(one.code).toBe(0)
    expect(one.out).toMatch(/^Usage: npm run --silent cli -- test --policy POLICY.xml --files FILES/)
  })
})

describe('the process', () => {
  it.runIf(existsSync('/dev/full'))('a write error (/dev/full) prints a message, not a stack trace, and exits 1', () => {
    const r = spawnSync('sh', ['-c', `npx tsx src/cli/main.ts export "${join(CORPUS, P)}" > /dev/full`], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('Cannot write the output: ENOSPC')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
