import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPolicy } from '../applocker/xml/read'
import { exportCommand } from './exportCommand'
import { CORPUS, fakeIO as fakeCliIO, readCorpus } from '../testing/cliIO'

const fakeIO = () => fakeCliIO(readCorpus)

describe('export command', () => {
  it('prints the XML the app would export (UTF-8)', async () => {
    const f = fakeIO()
    const code = await exportCommand(['--policy', 'nsacyber-windows11-starter.xml'], f.io)
    expect(code).toBe(0)
    expect(f.err).toEqual([])
    const xml = f.out.join('')
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<AppLockerPolicy Version="1">')).toBe(true)
    const original = readPolicy(new Uint8Array(readFileSync(join(CORPUS, 'nsacyber-windows11-starter.xml'))))
    expect(readPolicy(xml).value).toStrictEqual(original.value)
  })

  it('writes raw UTF-16 LE bytes with --encoding utf-16le', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'aaronlocker-Deny-OldBginfo.xml', '--encoding', 'utf-16le'], f.io)).toBe(0)
    expect(f.out).toEqual([])
    const b = f.bytes[0]
    expect([b[0], b[1]]).toEqual([0xff, 0xfe])
    const r = readPolicy(b)
    expect(r.encoding).toBe('utf-16le')
    expect(r.value!.collections[0].rules[0].name).toBe('BgInfo: Disallow old versions of Sysinternals Bginfo.exe')
  })

  it('refuses a broken file: located error on stderr, exit code 1, nothing on stdout', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'invalid/nsacyber-windows10-starter-2025-03-unquoted-attribute.xml'], f.io)).toBe(1)
    expect(f.out).toEqual([])
    expect(f.err[0]).toMatch(/^Line 890, column 260: The XML is not well formed/)
    expect(f.err.join('')).toContain('refused')
  })

  it('suggests --wrap-roots for several RuleCollection roots, and wraps with it', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'invalid/asd-blueprint-block-apps-local-admins-2021-multiroot.xml'], f.io)).toBe(1)
    expect(f.err.join('')).toContain('several RuleCollection roots')
    expect(f.err.join('')).toContain('--wrap-roots')
    const g = fakeIO()
    expect(await exportCommand(['--policy', 'invalid/asd-blueprint-block-apps-local-admins-2021-multiroot.xml', '--wrap-roots'], g.io)).toBe(0)
    expect(readPolicy(g.out.join('')).value!.collections).toHaveLength(4)
  })

  it('exports a policy with errors Windows would reject, naming them on stderr', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'invalid/marckean-avd-2023-07-group-name-instead-of-sid.xml'], f.io)).toBe(0)
    expect(f.err[0]).toMatch(/^Line 5, column 9: .*AVD Users/)
    expect(f.err.join('')).toMatch(/exported with 1 error/)
    expect(f.out.join('')).toContain('UserOrGroupSid="AVD Users"')
  })

  it('prints errors Windows would reject (AaronLocker placeholders) and warns that it exported them', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'aaronlocker-DefaultRulesWithPlaceholders.xml'], f.io)).toBe(0)
    expect(f.err.filter((l) => l.startsWith('Line ') && l.includes('PLACEHOLDER_'))).toHaveLength(7)
    expect(f.err.join('')).toContain('Warning: exported with 7 errors that Windows would reject')
  })

  it('names rules that never match (mhaggis %USERNAME% paths) apart from refusals: Windows accepts them', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'mhaggis-applockergen-blockextensions.xml'], f.io)).toBe(0)
    const err = f.err.join('')
    expect(err).toContain('Warning: exported with 48 errors that Windows accepts but that make a rule never match as written')
    expect(err).not.toContain('Windows would reject')
  })

  it('prints warnings with a prefix', async () => {
    const f = fakeIO()
    expect(await exportCommand(['--policy', 'mem:<AppLockerPolicy Version="1"><X/></AppLockerPolicy>'], f.io)).toBe(0)
    expect(f.err.filter((l) => l.startsWith('Warning: Line '))).toHaveLength(1)
  })

  it('rejects bad arguments', async () => {
    const f = fakeIO()
    expect(await exportCommand([], f.io)).toBe(1)
    expect(f.err.join('')).toContain('Missing --policy')
    const g = fakeIO()
    expect(await exportCommand(['--policy', 'mem:<AppLockerPolicy Version="1" />', '--encoding', 'latin1'], g.io)).toBe(1)
    expect(g.err.join('')).toContain('Unknown encoding')
    const h = fakeIO()
    expect(await exportCommand(['--policy', 'does-not-exist.xml'], h.io)).toBe(1)
    expect(h.err.join('')).toContain('Cannot read does-not-exist.xml')
  })
})
