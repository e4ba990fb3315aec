import { describe, expect, it } from 'vitest'
import { readPolicy } from '../applocker/xml/read'
import { ruleCount } from '../applocker/policy'
import { fakeIO as fakeCliIO, readCorpus } from '../testing/cliIO'
import { mergeCommand } from './mergeCommand'

const fakeIO = () => fakeCliIO(readCorpus)

describe('merge command', () => {
  it('prints the merged XML: audit + enforced = same 159 rules, all Enabled', async () => {
    const f = fakeIO()
    expect(
      await mergeCommand(['dcodev1702-lolbins-audit.xml', 'dcodev1702-lolbins-enforced.xml'], f.io),
    ).toBe(0)
    const merged = readPolicy(f.out.join(''))
    expect(merged.value).not.toBeNull()
    expect(ruleCount(merged.value!)).toBe(159)
    expect(merged.value!.collections.map((c) => c.enforcementMode)).toEqual([
      'Enabled',
      'Enabled',
      'Enabled',
      'Enabled',
      'Enabled',
    ])
    expect(f.err.join('')).toContain(
      'Note: Exe: 0 added, 62 duplicate Ids dropped; mode Audit only -> Enforce rules.',
    )
  })

  it('adds the incoming rules to the target', async () => {
    const f = fakeIO()
    expect(
      await mergeCommand(['liamsennitt-windows-default-rules.xml', 'aaronlocker-Deny-OldBginfo.xml'], f.io),
    ).toBe(0)
    const merged = readPolicy(f.out.join('')).value!
    expect(ruleCount(merged)).toBe(14)
    expect(merged.collections.find((c) => c.type === 'Exe')!.rules.at(-1)!.name).toBe(
      'BgInfo: Disallow old versions of Sysinternals Bginfo.exe',
    )
  })

  it('refuses when either input is refused: located diagnostics, exit 1, nothing on stdout', async () => {
    const f = fakeIO()
    const bad = 'invalid/nsacyber-windows10-starter-2025-03-unquoted-attribute.xml'
    expect(await mergeCommand(['liamsennitt-windows-default-rules.xml', bad], f.io)).toBe(1)
    expect(f.out).toEqual([])
    expect(f.err.join('')).toContain(`${bad}: Line 890, column 260: The XML is not well formed`)
    expect(f.err.join('')).toContain('Nothing merged.')
  })

  it('needs two files', async () => {
    const f = fakeIO()
    expect(await mergeCommand(['a.xml'], f.io)).toBe(1)
    expect(f.err.join('')).toContain('Usage')
  })
})
