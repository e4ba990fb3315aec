import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES, fakeIO as fakeCliIO, readFrom } from '../testing/cliIO'
import { testCommand, type TestResult } from './testCommand'

const DEFAULTS = 'corpus/liamsennitt-windows-default-rules.xml'
const MS = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'

const POLICY = `<AppLockerPolicy Version="1">
  <RuleCollection Type="Exe" EnforcementMode="AuditOnly">
    <FilePathRule Id="a61c8b2c-a319-4cd0-9690-d2177cad7b51" Name="(Default Rule) All files located in the Windows folder" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions><FilePathCondition Path="%WINDIR%\\*" /></Conditions>
    </FilePathRule>
    <FilePathRule Id="fd686d83-a829-4351-8ff4-27c7de5755d2" Name="(Default Rule) All files" Description="" UserOrGroupSid="S-1-5-32-544" Action="Allow">
      <Conditions><FilePathCondition Path="*" /></Conditions>
    </FilePathRule>
    <FilePublisherRule Id="11111111-2222-4333-8444-555555555555" Name="No mshta, in MSHTA" Description="" UserOrGroupSid="S-1-1-0" Action="Deny">
      <Conditions>
        <FilePublisherCondition PublisherName="${MS}" ProductName="*" BinaryName="MSHTA.EXE"><BinaryVersionRange LowSection="*" HighSection="*" /></FilePublisherCondition>
      </Conditions>
    </FilePublisherRule>
  </RuleCollection>
  <RuleCollection Type="Script" EnforcementMode="Enabled">
    <FilePathRule Id="9428c672-5fc3-47f4-808a-a0011f36dd2c" Name="(Default Rule) All scripts located in the Windows folder" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions><FilePathCondition Path="%WINDIR%\\*" /></Conditions>
    </FilePathRule>
  </RuleCollection>
</AppLockerPolicy>`

const FILES = JSON.stringify([
  { path: 'C:\\Windows\\System32\\cmd.exe', publisher: { name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'CMD.EXE', version: '10.0.19041.1' } },
  { path: 'C:\\Windows\\System32\\mshta.exe', publisher: { name: MS, product: 'INTERNET EXPLORER', binary: 'MSHTA.EXE', version: '11.0.19041.1' } },
  { path: 'C:\\Users\\bob\\Downloads\\tool.exe' },
  { path: 'C:\\Users\\bob\\run.ps1', hash: '0x01' },
  { path: 'C:\\Users\\bob\\notes.txt' },
  { path: 'C:\\Users\\bob\\setup.msi' },
])

function fakeIO(files: Record<string, string>) {
  const f = fakeCliIO(readFrom(files))
  return { io: f.io, out: () => f.out.join(''), err: () => f.err.join('') }
}

const run = async (args: string[], files: Record<string, string> = {}) => {
  const f = fakeIO({ 'p.xml': POLICY, 'files.json': FILES, ...files })
  const code = await testCommand(args, f.io)
  return { code, out: f.out(), err: f.err() }
}

describe('test command', () => {
  it('decides every file in input order (JSON, Everyone alone by default)', async () => {
    const r = await run(['--policy', 'p.xml', '--files', 'files.json'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const results = JSON.parse(r.out) as TestResult[]
    expect(results.map((x) => [x.path, x.collection, x.decision, x.matchingRuleId, x.mode, x.effect, x.eventId])).toEqual([
      ['C:\\Windows\\System32\\cmd.exe', 'Exe', 'Allowed', 'a61c8b2c-a319-4cd0-9690-d2177cad7b51', 'AuditOnly', 'runs', 8002],
      ['C:\\Windows\\System32\\mshta.exe', 'Exe', 'Denied', '11111111-2222-4333-8444-555555555555', 'AuditOnly', 'audited', 8003],
      ['C:\\Users\\bob\\Downloads\\tool.exe', 'Exe', 'DeniedByDefault', null, 'AuditOnly', 'audited', 8003],
      ['C:\\Users\\bob\\run.ps1', 'Script', 'DeniedByDefault', null, 'Enabled', 'constrained-language', 8007], // PowerShell runs it in Constrained Language Mode
      ['C:\\Users\\bob\\notes.txt', null, 'AllowedByDefault', null, null, 'not-governed', null],
      ['C:\\Users\\bob\\setup.msi', 'Msi', 'AllowedByDefault', null, null, 'runs', null],
    ])
    expect(results[1].matchingRuleName).toBe('No mshta, in MSHTA')
    expect(r.out).toContain('\n  {\n    "path"') // pretty-printed
  })

  it('tests for --user and --group SIDs', async () => {
    const r = await run(['--policy', 'p.xml', '--files', 'files.json', '--user', 'S-1-5-21-1-2-3-1001', '--group', 'S-1-5-32-545', '--group', 'S-1-5-32-544'])
    const results = JSON.parse(r.out) as TestResult[]
    expect(results[2]).toMatchObject({ decision: 'Allowed', matchingRuleId: 'fd686d83-a829-4351-8ff4-27c7de5755d2', user: 'S-1-5-21-1-2-3-1001' })
    expect(results[1].decision).toBe('Denied') // Deny for Everyone also hits administrators
  })

  it('--unelevated: an administrator counts for Executable rules only (UAC, AaronLocker)', async () => {
    const policy = POLICY.replace(
      '<RuleCollection Type="Script" EnforcementMode="Enabled">',
      '<RuleCollection Type="Script" EnforcementMode="Enabled"><FilePathRule Id="ed97d0cb-15ff-430f-b82c-8d7832957725" Name="(Default Rule) All scripts" Description="" UserOrGroupSid="S-1-5-32-544" Action="Allow"><Conditions><FilePathCondition Path="*" /></Conditions></FilePathRule>',
    )
    const args = ['--policy', 'p.xml', '--files', 'files.json', '--group', 'S-1-5-32-544']
    const elevated = JSON.parse((await run(args, { 'p.xml': policy })).out) as TestResult[]
    expect([elevated[2].decision, elevated[3].decision]).toEqual(['Allowed', 'Allowed'])
    const r = await run([...args, '--unelevated'], { 'p.xml': policy })
    expect(r.code).toBe(0)
    const unelevated = JSON.parse(r.out) as TestResult[]
    expect(unelevated[2]).toMatchObject({ decision: 'Allowed', matchingRuleId: 'fd686d83-a829-4351-8ff4-27c7de5755d2' })
    expect(unelevated[3]).toMatchObject({ decision: 'DeniedByDefault', effect: 'constrained-language' })
  })

  it('takes well-known names for --user and --group, as Test-AppLockerPolicy -User does', async () => {
    const bySid = JSON.parse((await run(['--policy', 'p.xml', '--files', 'files.json', '--group', 'S-1-5-32-544'])).out) as TestResult[]
    for (const name of ['BUILTIN\\Administrators', 'administrators']) {
      const r = await run(['--policy', 'p.xml', '--files', 'files.json', '--group', name])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.out)).toEqual(bySid)
    }
    const r = await run(['--policy', 'p.xml', '--files', 'files.json', '--user', 'NT AUTHORITY\\SYSTEM'])
    expect((JSON.parse(r.out) as TestResult[])[0].user).toBe('S-1-5-18')
    expect((await run(['--policy', 'p.xml', '--files', 'files.json', '--group', 'CONTOSO\\Finance'])).err).toContain('or the name of a well-known group')
  })

  it('writes CSV with a header', async () => {
    const r = await run(['--policy', 'p.xml', '--files', 'files.json', '--format', 'csv'])
    const lines = r.out.trimEnd().split('\r\n')
    expect(lines[0]).toBe('path,collection,decision,matchingRuleId,matchingRuleName,mode,effect,eventId,user')
    expect(lines[2]).toBe('C:\\Windows\\System32\\mshta.exe,Exe,Denied,11111111-2222-4333-8444-555555555555,"No mshta, in MSHTA",AuditOnly,audited,8003,')
    expect(lines[5]).toBe('C:\\Users\\bob\\notes.txt,,AllowedByDefault,,,,not-governed,,')
    expect(lines).toHaveLength(7)
  })

  it('neutralises cells a spreadsheet would run as formulas (the one CSV writer of csv.ts, as the app exports)', async () => {
    const files = JSON.stringify([{ path: '=HYPERLINK("http://x","y")' }, { path: '@SUM(A1)' }, { path: '+1' }, { path: '-2' }])
    const r = await run(['--policy', 'p.xml', '--files', 'f.json', '--format', 'csv'], { 'f.json': files })
    const cells = r.out.trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])
    expect(cells).toEqual(['"\'=HYPERLINK(""http://x""', "'@SUM(A1)", "'+1", "'-2"])
  })

  it('accepts the inventory CSV, recognised by content', async () => {
    const csv = `Path,Publisher,ProductName,BinaryName,Version,Hash\r\nC:\\Windows\\System32\\mshta.exe,"${MS}",X,MSHTA.EXE,11.0.0.0,\r\nC:\\Temp\\a.exe,,,,,`
    const r = await run(['--policy', 'p.xml', '--files', 'files.csv'], { 'files.csv': csv })
    expect(r.code).toBe(0)
    expect((JSON.parse(r.out) as TestResult[]).map((x) => x.decision)).toEqual(['Denied', 'DeniedByDefault'])
  })

  it("accepts AppLocker events, testing each event's user unless --user is given", async () => {
    const byEvent = await run(['--policy', 'fixtures/' + DEFAULTS, '--files', 'fixtures/samples/applocker-events.xml'])
    expect(byEvent.code).toBe(0)
    const results = JSON.parse(byEvent.out) as TestResult[]
    expect(results.map((x) => [x.path, x.collection, x.decision, x.effect, x.eventId, x.user])).toEqual([
      ['C:\\Users\\bob\\Downloads\\SetupTool.exe', 'Exe', 'DeniedByDefault', 'blocked', 8004, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'Exe', 'Allowed', 'runs', 8002, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Users\\bob\\Desktop\\cleanup.ps1', 'Script', 'DeniedByDefault', 'constrained-language', 8007, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['Contoso.NotesApp_3.2.1.0_x64__8wekyb3d8bbwe', 'Appx', 'Allowed', 'runs', 8020, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
    ])
    const asAdmin = await run(['--policy', 'fixtures/' + DEFAULTS, '--files', 'fixtures/samples/applocker-events.xml', '--user', 'S-1-5-21-9-9-9-500', '--group', 'S-1-5-32-544'])
    const admin = JSON.parse(asAdmin.out) as TestResult[]
    expect(admin[0]).toMatchObject({ decision: 'Allowed', user: 'S-1-5-21-9-9-9-500' })
  })

  it('notes events that are not file decisions on stderr and tests the rest', async () => {
    const sample = readFileSync(join(FIXTURES, 'samples/applocker-events.xml'), 'utf8')
    const applied = '<Event><System><Provider Name="Microsoft-Windows-AppLocker"/><EventID>8001</EventID></System></Event>'
    const r = await run(['--policy', 'p.xml', '--files', 'e.xml'], { 'e.xml': sample.replace('</Events>', `${applied}</Events>`) })
    expect(r.code).toBe(0)
    expect(r.err).toContain('e.xml: note: Events that are not AppLocker file decisions were skipped: event 8001 (1).')
    expect(JSON.parse(r.out)).toHaveLength(4)
  })

  it('skips a bad entry or row as the app does: named with its line on stderr, the others decided, exit 0', async () => {
    const noPath = await run(['--policy', 'p.xml', '--files', 'f.json'], { 'f.json': '[\n{"path": "a.exe"},\n{"hash": "0x01"}\n]' })
    expect(noPath.code).toBe(0)
    expect(noPath.err).toContain('Line 3: Entry 2 has no "path"')
    expect(noPath.err).toContain('f.json: 1 entry skipped, 1 tested.')
    expect(JSON.parse(noPath.out).map((r: TestResult) => r.path)).toEqual(['a.exe'])

    const csv = 'Path,Publisher,ProductName,BinaryName,Version,Hash\r\nC:\\a.exe,,,,,\r\nC:\\b.exe,,,,1.x,\r\nC:\\c.exe,,,,,0xZZ\r\nC:\\d.exe,,,,,\r\n'
    const rows = await run(['--policy', 'p.xml', '--files', 'f.csv', '--format', 'csv'], { 'f.csv': csv })
    expect(rows.code).toBe(0)
    expect(rows.err).toMatch(/f\.csv: Line 3: Row skipped: its Version "1\.x"/)
    expect(rows.err).toMatch(/f\.csv: Line 4: Row skipped: its Hash "0xZZ"/)
    expect(rows.err).toContain('f.csv: 2 entries skipped, 2 tested.')
    expect(rows.out.split('\r\n').slice(1, 3).map((l) => l.split(',')[0])).toEqual(['C:\\a.exe', 'C:\\d.exe'])
  })

  it('a file AppLocker does not govern is AllowedByDefault, the word Test-AppLockerPolicy uses (as in the app)', async () => {
    const r = await run(['--policy', 'p.xml', '--files', 'f.json'], { 'f.json': '[{"path": "C:\\\\Users\\\\bob\\\\notes.txt"}]' })
    expect(JSON.parse(r.out)[0]).toMatchObject({ collection: null, decision: 'AllowedByDefault', effect: 'not-governed' })
  })

  it('refuses bad input with a message and exit code 1', async () => {
    const missing = await run(['--policy', 'nope.xml', '--files', 'files.json'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Cannot read the policy nope.xml')
    expect(missing.out).toBe('')

    const notPolicy = await run(['--policy', 'bad.xml', '--files', 'files.json'], { 'bad.xml': '<Nope/>' })
    expect(notPolicy.code).toBe(1)
    expect(notPolicy.err).toContain('refused')

    const badJson = await run(['--policy', 'p.xml', '--files', 'f.json'], { 'f.json': '[\n{"path": "a.exe"},\n{"path": ]' })
    expect(badJson.code).toBe(1)
    expect(badJson.err).toMatch(/f\.json: Line 3, column \d+: The file list is not valid JSON/)
    expect(badJson.out).toBe('')

    const nothingReadable = await run(['--policy', 'p.xml', '--files', 'f.json'], { 'f.json': '[\n{"hash": "0x01"}\n]' })
    expect(nothingReadable.code).toBe(1)
    expect(nothingReadable.err).toContain('Line 2: Entry 1 has no "path"')
    expect(nothingReadable.err).toContain('f.json: not tested')
    expect(nothingReadable.out).toBe('')

    expect((await run(['--policy', 'p.xml', '--files', 'files.json', '--user', 'bob'])).err).toContain('"bob" is not a SID')
    expect((await run(['--policy', 'p.xml', '--files', 'files.json', '--format', 'xml'])).code).toBe(1)
    const usage = await run(['--policy', 'p.xml'])
    expect(usage.code).toBe(1)
    expect(usage.err).toContain('Missing --files')
  })

  it('streams: a big CSV inventory is read in pieces and its results written in batches as they are decided', async () => {
    const n = 20_000
    const csv = ['Path,Hash', ...Array.from({ length: n }, (_, i) => `C:\\Users\\bob\\tool${i}.exe,0x${(i + 1).toString(16).padStart(64, '0')}`)].join('\r\n')
    const f = fakeCliIO(readFrom({ 'p.xml': POLICY, 'big.csv': csv }))
    expect(await testCommand(['--policy', 'p.xml', '--files', 'big.csv'], f.io)).toBe(0)
    expect(f.out.length).toBeGreaterThan(1)
    const out = f.out.join('')
    const results = JSON.parse(out) as TestResult[]
    expect(results).toHaveLength(n)
    expect(results[n - 1]).toMatchObject({ path: `C:\\Users\\bob\\tool${n - 1}.exe`, decision: 'DeniedByDefault' })
    // The same text as one JSON.stringify of the whole array.
    expect(out).toBe(`${JSON.stringify(results, null, 2)}\n`)
  })

  it('prints the JSON and CSV documents exactly as a whole-list write does, also when empty', async () => {
    for (const files of [FILES, '[]', 'Path,Hash\r\n']) {
      const json = await run(['--policy', 'p.xml', '--files', 'f'], { f: files })
      expect(json.out).toBe(`${JSON.stringify(JSON.parse(json.out), null, 2)}\n`)
      const csv = await run(['--policy', 'p.xml', '--files', 'f', '--format', 'csv'], { f: files })
      expect(csv.out.startsWith('path,collection,decision,matchingRuleId,matchingRuleName,mode,effect,eventId,user\r\n')).toBe(true)
      expect(csv.out.split('\r\n')).toHaveLength(JSON.parse(json.out).length + 2)
    }
    expect((await run(['--policy', 'p.xml', '--files', 'f'], { f: '{"path": "a.exe"}' })).err).toContain('not a single object')
  })
})

describe('test --files with a Windows event log (.evtx)', () => {
  it('decides the AppLocker file events of the log, each for its user, and notes the skipped events', async () => {
    const evtx = new Uint8Array(readFileSync(join(__dirname, '../../e2e/fixtures/applocker-audit.evtx')))
    const f = fakeCliIO((p) => (p === 'audit.evtx' ? evtx : readFrom({ 'p.xml': POLICY })(p)))
    expect(await testCommand(['--policy', 'p.xml', '--files', 'audit.evtx'], f.io)).toBe(0)
    const results = JSON.parse(f.out.join('')) as TestResult[]
    expect(results.map((r) => [r.path, r.decision, r.eventId, r.user])).toEqual([
      ['C:\\Users\\bob\\Downloads\\SetupTool.exe', 'DeniedByDefault', 8003, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'Allowed', 8002, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Users\\bob\\AppData\\Local\\Contoso\\Sync\\ContosoSync.exe', 'DeniedByDefault', 8003, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Users\\Public\\Tools\\portscan.exe', 'DeniedByDefault', 8003, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
    ])
    expect(f.err.join('')).toContain('Events that are not AppLocker file decisions were skipped: Microsoft-Windows-Sysmon (1).')
  })
})
