/** The built command line (what `npm run cli` and `npx applocker-workbench` run) works as the sources do. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CORPUS } from '../src/testing/cliIO'
import { buildCli } from './build-cli'

const dir = mkdtempSync(join(tmpdir(), 'cli-build-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('dist/cli.mjs', () => {
  it('is one file that runs the commands without tsx', async () => {
    const cli = join(dir, 'cli.mjs')
    await buildCli(cli)
    const lint = spawnSync(process.execPath, [cli, 'lint', '--json', join(CORPUS, 'aaronlocker-Deny-OldBginfo.xml')], { encoding: 'utf8' })
    expect(lint.status).toBe(1)
    expect(JSON.parse(lint.stdout).findings.map((f: { code: string }) => f.code)).toContain('exe-no-admin-rule')
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('fileinfo')
    const usage = spawnSync(process.execPath, [cli, 'lint', '--jsn'], { encoding: 'utf8' })
    expect(usage.status).toBe(2)
  })

  it('the bin entry runs (the built file when current, else the sources through tsx)', () => {
    const r = spawnSync(process.execPath, ['bin/applocker-workbench.mjs', 'export', '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Usage: npm run --silent cli -- export/)
  })
})
