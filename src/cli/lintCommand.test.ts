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

describe('lint counts what Windows refuses, as the import and the export do (issue 11)', () => {
  it('exits 1 on AaronLocker template placeholders in Exceptions', async () => {
    const f = fakeIO()
    expect(await lintCommand(['aaronlocker-DefaultRulesWithPlaceholders.xml'], f.io)).toBe(1)
    const errors = f.out.join('').split('\n').filter((l) => l.startsWith('error'))
    expect(errors.filter((l) => l.includes('[unknown-exception]'))).toHaveLength(7)
    expect(errors[0]).toMatch(/PLACEHOLDER_/)
  })

  it('exits 1 on a user or group SID Windows cannot convert (S-1-5-21-abc)', async () => {
    const xml = `mem:<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="AuditOnly"><FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="x" Description="" UserOrGroupSid="S-1-5-21-abc" Action="Allow"><Conditions><FilePathCondition Path="%PROGRAMFILES%\\*" /></Conditions></FilePathRule></RuleCollection></AppLockerPolicy>`
    const f = fakeIO()
    expect(await lintCommand([xml], f.io)).toBe(1)
    expect(f.out.join('')).toMatch(/\[malformed-sid\]/)
    expect(f.out.join('')).toMatch(/^1 error, /m)
  })
})
