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

  const AUDIT = 'dcodev1702-lolbins-audit.xml'
  const ENFORCED = 'dcodev1702-lolbins-enforced.xml'
  const modesOf = (out: string[]) => readPolicy(out.join('')).value!.collections.map((c) => c.enforcementMode)

  it('--modes target keeps the target\'s modes, --modes incoming takes the other file\'s, as the app\'s Merge does', async () => {
    const kept = fakeIO()
    expect(await mergeCommand([AUDIT, ENFORCED, '--modes', 'target'], kept.io)).toBe(0)
    expect(modesOf(kept.out)).toEqual(Array(5).fill('AuditOnly'))
    expect(kept.err.join('')).toContain('Note: Exe: 0 added, 62 duplicate Ids dropped; mode Audit only.')

    const taken = fakeIO()
    expect(await mergeCommand(['--modes=incoming', ENFORCED, AUDIT], taken.io)).toBe(0)
    expect(modesOf(taken.out)).toEqual(Array(5).fill('AuditOnly'))
    expect(taken.err.join('')).toContain('Note: Exe: 0 added, 62 duplicate Ids dropped; mode Enforce rules -> Audit only.')

    // The default is the more restrictive, the same as --modes restrictive.
    const restrictive = fakeIO()
    expect(await mergeCommand([ENFORCED, AUDIT, '--modes', 'restrictive'], restrictive.io)).toBe(0)
    expect(modesOf(restrictive.out)).toEqual(Array(5).fill('Enabled'))
    const byDefault = fakeIO()
    expect(await mergeCommand([ENFORCED, AUDIT], byDefault.io)).toBe(0)
    expect(byDefault.out).toEqual(restrictive.out)
  })

  it('an unknown --modes value says which are allowed; nothing is read or printed', async () => {
    const f = fakeIO()
    expect(await mergeCommand([AUDIT, ENFORCED, '--modes', 'strict'], f.io)).toBe(1)
    expect(f.out).toEqual([])
    expect(f.err.join('')).toContain('Unknown --modes value "strict": use restrictive, target or incoming.')
    expect(f.err.join('')).toContain('Usage: npm run --silent cli -- merge TARGET.xml INCOMING.xml [--modes restrictive|target|incoming]')
  })

  it('--modes without a value or given twice is a usage error (exit 2)', async () => {
    const missing = fakeIO()
    expect(await mergeCommand([AUDIT, ENFORCED, '--modes'], missing.io)).toBe(2)
    expect(missing.err.join('')).toContain('--modes needs a value.')
    const twice = fakeIO()
    expect(await mergeCommand([AUDIT, ENFORCED, '--modes', 'target', '--modes', 'incoming'], twice.io)).toBe(2)
    expect(twice.err.join('')).toContain('--modes is given more than once.')
  })

  it('--help explains each --modes value', async () => {
    const f = fakeIO()
    expect(await mergeCommand(['--help'], f.io)).toBe(0)
    const help = f.out.join('')
    expect(help).toMatch(/^Usage: npm run --silent cli -- merge TARGET\.xml INCOMING\.xml \[--modes restrictive\|target\|incoming\] \[--encoding utf-8\|utf-16le\]\n/)
    expect(help).toContain('  restrictive: the more restrictive of the two modes (Enforce rules > Audit only > Not configured)')
    expect(help).toContain("  target: TARGET's modes are kept")
    expect(help).toContain("  incoming: INCOMING's modes are taken where it has the collection")
  })

  it('needs two files', async () => {
    const f = fakeIO()
    expect(await mergeCommand(['a.xml'], f.io)).toBe(1)
    expect(f.err.join('')).toContain('Usage')
  })
})
