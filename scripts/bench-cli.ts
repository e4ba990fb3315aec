/**
 * The command line's benchmarks (part of `npm run bench`): start-up of the built CLI against `node -e 0`,
 * `fileinfo` on a 100 MB PE against `sha256sum` of the same file, and `test` deciding a 1,000,000-file CSV
 * inventory. Each runs the real built file (built here into a temporary folder) as a child process; resident
 * memory is the child's peak (GNU time's %M), "n/a" where /usr/bin/time is missing.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { generateFiles } from '../src/testing/files'
import { generatePolicy } from '../src/testing/generate'
import { encodePolicy } from '../src/applocker/xml/write'
import { buildCli } from './build-cli'
import { synthPe } from '../src/testing/synth-pe'

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const TIME = '/usr/bin/time'

/** Best wall time (ms) and the peak resident memory (MB) of the best run of a command. */
function run(cmd: string, args: string[], runs: number, stdout: 'ignore' | number = 'ignore'): { ms: number; mb: number | null } {
  let best = { ms: Infinity, mb: null as number | null }
  for (let i = 0; i < runs + 1; i++) {
    const withTime = existsSync(TIME)
    const t = performance.now()
    const r = spawnSync(withTime ? TIME : cmd, withTime ? ['-f', '%M', cmd, ...args] : args, {
      stdio: ['ignore', stdout, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    })
    const ms = performance.now() - t
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`)
    const kb = withTime ? Number(r.stderr.trim().split('\n').at(-1)) : NaN
    if (i > 0 && ms < best.ms) best = { ms, mb: Number.isFinite(kb) ? kb / 1024 : null }
  }
  return best
}

const mb = (x: number | null) => (x === null ? 'n/a' : `${fmt(x)} MB resident`)

export async function cliRows(rows: string[][]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'))
  try {
    const cli = join(dir, 'cli.mjs')
    await buildCli(cli)
    const node = process.execPath

    const bare = run(node, ['-e', '0'], 10)
    const help = run(node, [cli, '--help'], 10)
    const policy = generatePolicy(10_000, 42)
    const policyPath = join(dir, 'policy.xml')
    writeFileSync(policyPath, encodePolicy(policy, 'utf-8'))
    rows.push(['Command line start-up: `node dist/cli.mjs --help` vs `node -e 0`', `${fmt(help.ms)} ms vs ${fmt(bare.ms)} ms`, `${fmt(help.ms / bare.ms, 2)}x`])

    // fileinfo on a 100 MB PE, read from disk in slices and hashed by node:crypto, against sha256sum.
    const MiB = 1024 * 1024
    const pePath = join(dir, 'big.exe')
    writeFileSync(pePath, synthPe({ sections: [48 * MiB, 48 * MiB, 4 * MiB - 0x400], overlay: 5 }))
    const info = run(node, [cli, 'fileinfo', pePath], 3)
    const sum = existsSync('/usr/bin/sha256sum') ? run('/usr/bin/sha256sum', [pePath], 3) : null
    rows.push([
      'CLI `fileinfo` on a 104.9 MB PE (Authenticode SHA-256, whole process)' + (sum ? ' vs `sha256sum`' : ''),
      `${fmt(info.ms)} ms` + (sum ? ` vs ${fmt(sum.ms)} ms` : ''),
      `${sum ? `${fmt(info.ms / sum.ms, 2)}x, ` : ''}${mb(info.mb)}`,
    ])
    rmSync(pePath)

    // test on a 1,000,000-file CSV inventory, streamed in and out.
    const csvPath = join(dir, 'files.csv')
    const files = generateFiles(policy, 100_000, 7)
    const out = createWriteStream(csvPath)
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`
    out.write('Path,Publisher,ProductName,BinaryName,Version,Hash\r\n')
    for (let k = 0; k < 10; k++) {
      const lines: string[] = []
      for (const f of files) {
        const p = f.publisher
        lines.push([q(f.path.replace(/^C:/, `C:\\k${k}\\..`)), q(p?.name ?? ''), q(p?.product ?? ''), q(p?.binary ?? ''), q(p?.version ?? ''), f.hash ?? ''].join(',') + '\r\n')
      }
      if (!out.write(lines.join(''))) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    const resultsPath = join(dir, 'results.csv')
    const fd = openSync(resultsPath, 'w')
    const test = run(node, [cli, 'test', '--policy', policyPath, '--files', csvPath, '--format', 'csv'], 1, fd)
    closeSync(fd)
    rows.push(['CLI `test`: 1,000,000-file CSV inventory, 10,000-rule policy, CSV out (whole process)', `${fmt(test.ms)} ms`, `${fmt(1e6 / (test.ms / 1000))} files/s, ${mb(test.mb)}`])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
