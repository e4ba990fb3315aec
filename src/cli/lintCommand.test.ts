import { describe, expect, it } from 'vitest'
import { fakeIO as fakeCliIO, readCorpus } from '../testing/cliIO'
import { lintCommand } from './lintCommand'

const fakeIO = () => fakeCliIO(readCorpus)

describe('lint command', () => {
  it('prints findings one per line and exits 1 on errors (mhaggis %USERNAME% rules)', async () => {
    const f = fakeIO()
    expect(await lintCommand(['mhaggis-applockergen-blockextensions.xml'], f.io)).toBe(1)
    const lines = f.out.join('').trimEnd().split('\n')
    const errors = lines.filter((l) => l.startsWith('error'))
    expect(errors).toHaveLength(48)
    expect(errors[0]).toMatch(
      /^error {3}Script rule \d+ ".*" \([0-9a-f-]+\): %USERNAME% is an environment variable .* \[unknown-path-variable\]$/,
    )
    expect(lines.at(-1)).toMatch(/^48 errors, \d+ warnings, \d+ notes\.$/)
  })

  it('exits 0 when there are only warnings', async () => {
    const f = fakeIO()
    expect(await lintCommand(['liamsennitt-windows-default-rules.xml'], f.io)).toBe(0)
    expect(f.out.join('')).toContain('[not-configured-with-rules]')
    expect(f.out.join('')).toContain('0 errors, 9 warnings, 0 notes.')
  })

  it('prints JSON with --json', async () => {
    const f = fakeIO()
    expect(await lintCommand(['aaronlocker-Deny-OldBginfo.xml', '--json'], f.io)).toBe(1)
    const json = JSON.parse(f.out.join(''))
    expect(json.findings.map((x: { code: string }) => x.code)).toContain('exe-no-admin-rule')
  })

  it('refuses an unreadable policy with exit 1', async () => {
    const f = fakeIO()
    expect(await lintCommand(['mem:<AppLockerPolicy'], f.io)).toBe(1)
    expect(f.out).toEqual([])
    expect(f.err.join('')).toContain('refused')
  })
})
