import { describe, expect, it } from 'vitest'
import { ruleCount, type FileHashRule, type FilePublisherRule } from '../applocker/policy'
import { validatePolicy } from '../applocker/validate'
import { readPolicy } from '../applocker/xml/read'
import { fakeIO, readFrom } from '../testing/cliIO'
import { generateCommand } from './generateCommand'
import { testCommand } from './testCommand'

const EVENTS = 'fixtures/samples/audited-events.xml'
const POLICY = 'fixtures/samples/audit-only-defaults.xml'

async function run(args: string[], files: Record<string, string> = {}) {
  const f = fakeIO(readFrom(files))
  const code = await generateCommand(args, f.io)
  return { code, out: f.out.join(''), err: f.err.join('') }
}

describe('generate --from-events', () => {
  it('prints a policy: publisher rules for signed files, hash rules otherwise, events with neither on stderr', async () => {
    const r = await run(['--from-events', EVENTS])
    expect(r.code).toBe(0)
    const policy = readPolicy(r.out).value!
    const exe = policy.collections.find((c) => c.type === 'Exe')!
    expect(exe.rules.map((x) => [x.kind, x.name, x.userOrGroupSid, x.action])).toEqual([
      ['publisher', 'CONTOSOSYNC.EXE, version 4.2.0.0 and above, in CONTOSO SYNC, from O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US', 'S-1-1-0', 'Allow'],
      ['publisher', 'SYNCUPDATER.EXE, version 4.2.1.0 and above, in CONTOSO SYNC, from O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US', 'S-1-1-0', 'Allow'],
      ['hash', 'SetupTool.exe', 'S-1-1-0', 'Allow'],
      ['publisher', 'REPORTGEN.EXE, version 1.0.3.0 and above, in FABRIKAM REPORTS, from O=FABRIKAM, INC., L=AUSTIN, S=TEXAS, C=US', 'S-1-1-0', 'Allow'],
    ])
    expect(policy.collections.map((c) => [c.type, c.rules.length])).toEqual([
      ['Exe', 4],
      ['Msi', 1],
      ['Script', 1],
      ['Appx', 1],
    ])
    // The default level (version, without --optimize) gives a packaged app its package version and above.
    const appx = policy.collections.find((c) => c.type === 'Appx')!.rules[0] as FilePublisherRule
    expect([appx.name, appx.condition!.productName, appx.condition!.binaryName, appx.condition!.versionRange]).toEqual([
      'CONTOSO.NOTESAPP, version 3.2.1.0 and above, from CONTOSO LTD',
      'CONTOSO.NOTESAPP',
      '*',
      { low: '3.2.1.0', high: '*' },
    ])
    expect(r.err).toContain('No rule: C:\\Users\\alice\\Tools\\portable.exe: Neither a hash nor a signer in event 8003')
    expect(r.err).toContain('Note: 9 of 12 entries chosen (events: audited), 8 distinct files.')
    // Collections that get their first rules are enforced even as Not configured: said.
    expect(r.err).toMatch(/Warning: The Exe collection has no rules yet/)
  })

  it('takes the rule type, level, user and events as New-AppLockerPolicy does', async () => {
    const sid = 'S-1-5-21-1111111111-2222222222-3333333333-513'
    const r = await run(['--from-events', EVENTS, '--rule-type', 'Publisher', '--level', 'publisher', '--user', sid, '--events', 'audited,blocked', '--collection', 'Exe'])
    expect(r.code).toBe(0)
    const policy = readPolicy(r.out).value!
    const rules = policy.collections.flatMap((c) => c.rules) as FilePublisherRule[]
    expect(rules.map((x) => [x.condition!.publisherName, x.condition!.productName, x.userOrGroupSid])).toEqual([
      ['O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US', '*', sid],
      ['O=FABRIKAM, INC., L=AUSTIN, S=TEXAS, C=US', '*', sid],
    ])
    expect(r.err).toContain('No rule: C:\\Users\\bob\\Downloads\\miner.exe: No publisher (event 8004 names no signer)')
    const blockedHash = await run(['--from-events', EVENTS, '--rule-type', 'hash', '--events', 'blocked'])
    const hashRules = readPolicy(blockedHash.out).value!.collections.flatMap((c) => c.rules) as FileHashRule[]
    expect(hashRules.map((x) => x.condition!.hashes[0].sourceFileName)).toEqual(['miner.exe'])
  })

  it('path rules only on request', async () => {
    const r = await run(['--from-events', EVENTS, '--rule-type', 'publisher,hash,path', '--collection', 'Exe'])
    expect(r.out).toContain('<FilePathCondition Path="%OSDRIVE%\\USERS\\ALICE\\TOOLS\\PORTABLE.EXE" />')
    expect(r.err).not.toContain('No rule:')
  })

  it('--into merges into a policy without duplicating its rules; the audited files then run', async () => {
    const first = await run(['--from-events', EVENTS, '--optimize', '--into', POLICY])
    expect(first.code).toBe(0)
    const merged = readPolicy(first.out).value!
    const before = readPolicy(readFrom({})(POLICY)).value!
    expect(ruleCount(merged)).toBe(ruleCount(before) + 6)
    expect(merged.collections.map((c) => c.enforcementMode)).toEqual(before.collections.map((c) => c.enforcementMode))

    // Again into the result: nothing new.
    const again = await run(['--from-events', EVENTS, '--optimize', '--into', 'merged.xml'], { 'merged.xml': first.out })
    expect(readPolicy(again.out).value!.collections.map((c) => c.rules.length)).toEqual(merged.collections.map((c) => c.rules.length))
    expect(again.err).not.toContain('Added:')

    // The loop: Test-AppLockerPolicy on the merged policy allows every audited file that got a rule.
    const f = fakeIO(readFrom({ 'merged.xml': first.out }))
    expect(await testCommand(['--policy', 'merged.xml', '--files', EVENTS], f.io)).toBe(0)
    const results = JSON.parse(f.out.join('')) as { path: string; decision: string; effect: string }[]
    expect(results.filter((x) => x.decision !== 'Allowed').map((x) => x.path)).toEqual(['C:\\Users\\alice\\Tools\\portable.exe', 'C:\\Users\\bob\\Downloads\\miner.exe'])
  })

  it('reads any inventory with hashes or signers, several files at once', async () => {
    const csv = 'Path,Publisher,ProductName,BinaryName,Version,Hash\r\nC:\\Tools\\a.exe,,,,,0x' + 'AB'.repeat(32) + '\r\n'
    const r = await run(['--from-events', 'inv.csv', EVENTS, '--collection', 'Exe', '--rule-type', 'hash'], { 'inv.csv': csv })
    expect(r.code).toBe(0)
    const rules = readPolicy(r.out).value!.collections.flatMap((c) => c.rules) as FileHashRule[]
    expect(rules.map((x) => x.condition!.hashes[0].sourceFileName)).toEqual(['a.exe', 'ContosoSync.exe', 'SyncUpdater.exe', 'SetupTool.exe', 'ReportGen.exe'])
  })

  it('writes only versions Windows accepts: a short version padded, a version that is none as 0.0.0.0 with a note', async () => {
    const csv = [
      'Path,Publisher,ProductName,BinaryName,Version,Hash',
      'C:\\Program Files\\A\\a.exe,"O=CONTOSO, L=REDMOND, C=US",A PRODUCT,A.EXE,1.2,',
      'C:\\Program Files\\A\\b.exe,"O=CONTOSO, L=REDMOND, C=US",A PRODUCT,B.EXE,1.2.3.4.5,',
      'C:\\Program Files\\A\\c.exe,"O=CONTOSO, L=REDMOND, C=US",A PRODUCT,C.EXE,70000.1.0.0,',
    ].join('\r\n')
    const r = await run(['--from-events', 'inv.csv'], { 'inv.csv': csv })
    expect(r.code).toBe(0)
    expect([...r.out.matchAll(/LowSection="([^"]*)" HighSection="([^"]*)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['1.2.0.0', '*'],
      ['0.0.0.0', '*'],
      ['0.0.0.0', '*'],
    ])
    expect(r.err).toContain('Note: C:\\Program Files\\A\\b.exe: The file version "1.2.3.4.5" is not one AppLocker can use')
    expect(r.err).toContain('Note: C:\\Program Files\\A\\c.exe: The file version "70000.1.0.0" is not one AppLocker can use')
    expect(validatePolicy(readPolicy(r.out).value!).filter((d) => d.severity === 'error')).toEqual([])
    // --optimize: one grouped rule from the lowest version (0.0.0.0), named as Windows names grouped rules.
    const grouped = await run(['--from-events', 'inv.csv', '--optimize'], { 'inv.csv': csv })
    expect(grouped.out).toContain('Name="A PRODUCT signed by O=CONTOSO, L=REDMOND, C=US"')
    expect(grouped.out).toContain('<BinaryVersionRange LowSection="0.0.0.0" HighSection="*" />')
    expect(validatePolicy(readPolicy(grouped.out).value!).filter((d) => d.severity === 'error')).toEqual([])
  })

  it('says what is wrong with its arguments', async () => {
    expect((await run([])).err).toContain('Missing --from-events')
    const level = await run(['--from-events', EVENTS, '--level', 'vendor'])
    expect(level.code).toBe(1)
    expect(level.err).toContain('Unknown --level "vendor": use publisher, product, file, version.')
    expect((await run(['--from-events', EVENTS, '--rule-type', 'cert'])).err).toContain('Unknown --rule-type value "cert"')
    expect((await run(['--from-events', EVENTS, '--user', 'bob'])).err).toContain('"bob" is not a SID')
    // A well-known name, as New-AppLockerPolicy -User Everyone takes it.
    const named = await run(['--from-events', EVENTS, '--user', 'BUILTIN\\Users'])
    expect(named.code).toBe(0)
    expect(named.out).toContain('UserOrGroupSid="S-1-5-32-545"')
    expect((await run(['--from-events', EVENTS, '--levle', 'file'])).code).toBe(2)
    const missing = await run(['--from-events', 'nope.xml'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Cannot read nope.xml')
    const none = await run(['--from-events', EVENTS, '--events', 'allowed', '--collection', 'Appx'])
    expect(none.code).toBe(1)
    expect(none.err).toContain('No rule could be made')
  })
})

describe('test --coverage', () => {
  it('prints, as JSON, the files each rule decided, the rules that decided none and the broad path rules', async () => {
    const f = fakeIO(readFrom({}))
    expect(await testCommand(['--policy', POLICY, '--files', EVENTS, '--coverage'], f.io)).toBe(0)
    const report = JSON.parse(f.out.join('')) as { files: number; rules: { name: string; files: number; condition: string }[]; unused: unknown[]; broadPathRules: { condition: string; share: number }[] }
    expect(report.files).toBe(12)
    // Every rule's line carries its condition in words (made when read, written out by toJSON).
    expect(report.rules.find((r) => r.name === '(Default Rule) All files located in the Windows folder')?.condition).toBe('%WINDIR%\\*')
    expect(report.rules.every((r) => r.condition !== '')).toBe(true)
    expect(report.rules.filter((r) => r.files > 0).map((r) => r.name)).toEqual(['(Default Rule) All files located in the Windows folder', '(Default Rule) All scripts located in the Program Files folder'])
    expect(report.unused).toHaveLength(report.rules.length - 2)
    expect(report.broadPathRules.map((r) => r.condition)).toEqual(['%WINDIR%\\*', '%PROGRAMFILES%\\*'])
  })
})
