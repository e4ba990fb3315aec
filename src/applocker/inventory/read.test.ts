import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appLockerEvtx } from '../../testing/evtxWrite'
import { compilePolicy } from '../evaluate/compile'
import { decide } from '../evaluate/decide'
import { DEFAULT_MACHINE } from '../evaluate/types'
import { readPolicy } from '../xml/read'
import { createInventoryCsvReader, readInventoryCsv } from './csv'
import { decodeTextValue, parseFqbn, readAppLockerEvents } from './events'
import { jsonErrorOffset, readFilesJson } from './json'
import { decodeText, detectInventoryFormat, readInventory } from './read'

const SAMPLE = readFileSync(join(__dirname, '../__fixtures__/samples/applocker-events.xml'), 'utf8')
const MS = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'

describe('readFilesJson', () => {
  it('reads files with and without publisher and hash', () => {
    const text = JSON.stringify(
      [
        { path: 'C:\\Windows\\System32\\cmd.exe', publisher: { name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'CMD.EXE', version: '10.0.19041.1' }, hash: '0xab12' },
        { path: 'C:\\Users\\bob\\x.exe' },
        { path: 'C:\\y.exe', publisher: null, hash: null, user: 'S-1-5-21-1-2-3-1001' },
      ],
      null,
      2,
    )
    const r = readFilesJson(text)
    expect(r.diagnostics).toEqual([])
    expect(r.value).toEqual([
      { path: 'C:\\Windows\\System32\\cmd.exe', line: 2, publisher: { name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'CMD.EXE', version: '10.0.19041.1' }, hash: '0xAB12' },
      { path: 'C:\\Users\\bob\\x.exe', line: 12, publisher: null },
      { path: 'C:\\y.exe', line: 15, publisher: null, user: 'S-1-5-21-1-2-3-1001' },
    ])
  })
  it('reports an entry without a path with its index and line, and skips it', () => {
    const r = readFilesJson('[\n  {"path": "C:\\\\a.exe"},\n  {"hash": "0x01"},\n  {"path": "C:\\\\b.exe"}\n]')
    expect(r.value!.map((f) => f.path)).toEqual(['C:\\a.exe', 'C:\\b.exe'])
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'missing-path', message: 'Entry 2 has no "path"; skipped.', line: 3 }])
  })
  it('reports malformed JSON with its location and returns no value', () => {
    const r = readFilesJson('[\n  {"path": "C:\\\\a.exe"},\n  {"path": }\n]')
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].code).toBe('invalid-json')
    expect(r.diagnostics[0].line).toBe(3)
  })
  it('refuses a value that is not an array', () => {
    expect(readFilesJson('{"path": "C:\\\\a.exe"}').diagnostics[0].code).toBe('not-an-array')
  })
  it('reports a publisher without a name and a hash that is not hex', () => {
    const r = readFilesJson('[{"path": "a.exe", "publisher": {"product": "x"}}, {"path": "b.exe", "hash": "xyz"}, {"path": "c.exe", "publisher": "O=X"}, {"path": "d.exe", "publisher": {"name": "O=X", "version": "1.x"}}]')
    expect(r.value).toEqual([])
    expect(r.diagnostics.map((d) => d.code)).toEqual(['invalid-publisher', 'invalid-hash', 'invalid-publisher', 'invalid-version'])
  })
  it('reads "collection" (for a file its extension does not tell) and refuses an unknown one', () => {
    const r = readFilesJson('[\n{"path": "C:\\\\a.scr", "collection": "Exe"},\n{"path": "C:\\\\b.cpl", "collection": "DLL"},\n{"path": "C:\\\\c.x", "collection": "Binary"}\n]')
    expect(r.value!.map((f) => [f.path, f.collection])).toEqual([
      ['C:\\a.scr', 'Exe'],
      ['C:\\b.cpl', 'Dll'],
    ])
    expect(r.diagnostics).toEqual([
      { severity: 'error', code: 'invalid-collection', message: 'Entry 3 has a "collection" "Binary" that is not Exe, Dll, Msi, Script or Appx; skipped.', line: 4 },
    ])
  })
})

describe('readInventoryCsv', () => {
  it('reads a Collection column (WindowsInstaller as Get-AppLockerFileInformation names Msi)', () => {
    const r = readInventoryCsv('Path,Collection\r\nC:\\a.scr,Exe\r\nC:\\b.msi,WindowsInstaller\r\nC:\\c.exe,\r\nC:\\d.exe,Nope')
    expect(r.value!.map((f) => [f.path, f.collection])).toEqual([
      ['C:\\a.scr', 'Exe'],
      ['C:\\b.msi', 'Msi'],
      ['C:\\c.exe', undefined],
    ])
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['invalid-collection', 5]])
  })
  it('reads the documented header in any case and order, with quoted fields', () => {
    const text = [
      'hash,PATH,publisher,ProductName,BINARYNAME,Version',
      `0xAB,C:\\Windows\\System32\\cmd.exe,"${MS}",MICROSOFT® WINDOWS® OPERATING SYSTEM,CMD.EXE,10.0.19041.1`,
      ',"C:\\Users\\bob\\say ""hi"".exe",,,,',
    ].join('\r\n')
    const r = readInventoryCsv(text)
    expect(r.diagnostics).toEqual([])
    expect(r.value).toEqual([
      { path: 'C:\\Windows\\System32\\cmd.exe', line: 2, publisher: { name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'CMD.EXE', version: '10.0.19041.1' }, hash: '0xAB' },
      { path: 'C:\\Users\\bob\\say "hi".exe', line: 3, publisher: null },
    ])
  })
  it('reports bad rows with their line and skips them', () => {
    const text = [
      'Path,Publisher,ProductName,BinaryName,Version,Hash',
      'C:\\a.exe,,,,,',
      '',
      `C:\\b.exe,${MS},P,B.EXE,1.0,`,
      ',,,,,0x01',
      'C:\\c.exe,,,,,nothex',
      `C:\\v.exe,"${MS}",P,V.EXE,ten,`,
      '"C:\\multi',
      'line.exe",,,,,',
      'C:\\d.exe,,,,,',
    ].join('\n')
    const r = readInventoryCsv(text)
    expect(r.value!.map((f) => [f.path, f.line])).toEqual([
      ['C:\\a.exe', 2],
      ['C:\\multi\nline.exe', 8],
      ['C:\\d.exe', 10],
    ])
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['field-count', 4],
      ['missing-path', 5],
      ['invalid-hash', 6],
      ['invalid-version', 7],
    ])
    expect(r.diagnostics[0].message).toContain('double quotes')
  })
  it('needs a Path column', () => {
    const r = readInventoryCsv('Name,Hash\na.exe,0x01')
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ code: 'missing-path-column', line: 1 })
  })
  it('detects a semicolon delimiter and reads aliases', () => {
    const r = readInventoryCsv(`FilePath;PublisherName;OriginalFileName;FileVersion;User\nC:\\a.exe;${MS};A.EXE;1.2;S-1-5-21-1-2-3-4`)
    expect(r.value).toEqual([{ path: 'C:\\a.exe', line: 2, publisher: { name: MS, product: '', binary: 'A.EXE', version: '1.2' }, user: 'S-1-5-21-1-2-3-4' }])
  })
  it('warns when publisher details come without a publisher', () => {
    const r = readInventoryCsv('Path,Publisher,ProductName\nC:\\a.exe,,X')
    expect(r.value![0].publisher).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'publisher-missing', line: 2 })
  })
})

describe('readAppLockerEvents', () => {
  it('reads the sample export (wevtutil /e:Events)', () => {
    const r = readAppLockerEvents(SAMPLE)
    expect(r.diagnostics).toEqual([])
    const files = r.value!
    expect(files).toHaveLength(4)
    expect(files[0]).toMatchObject({
      path: 'C:\\Users\\bob\\Downloads\\SetupTool.exe',
      publisher: null,
      hash: '0x3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A',
      user: 'S-1-5-21-1111111111-2222222222-3333333333-1001',
      line: 2,
      event: { id: 8003, policyName: 'EXE', ruleId: null, ruleName: null },
    })
    expect(files[1].publisher).toEqual({ name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'POWERSHELL.EXE', version: '10.0.22621.1' })
    expect(files[1].event).toMatchObject({ id: 8002, ruleId: 'a61c8b2c-a319-4cd0-9690-d2177cad7b51', ruleName: '(Default Rule) All files located in the Windows folder' })
    expect(files[2].path).toBe('C:\\Users\\bob\\Desktop\\cleanup.ps1')
    // PolicyName says which collection decided each file; packaged apps are Appx by their package.
    expect(files.map((f) => f.collection)).toEqual(['Exe', 'Exe', 'Script', undefined])
    expect(files[3]).toMatchObject({ package: 'Contoso.NotesApp_3.2.1.0_x64__8wekyb3d8bbwe', packageInstall: false, publisher: { product: 'CONTOSO.NOTESAPP', binary: '*', version: '3.2.1.0' } })
  })
  it('reads bare <Event> siblings and concatenated ToXml() output with declarations', () => {
    const events = SAMPLE.split('\n').filter((l) => l.startsWith('<Event '))
    expect(readAppLockerEvents(events.join('\n')).value).toHaveLength(4)
    const withDecls = events.map((e) => `<?xml version="1.0" encoding="utf-16"?>\r\n${e}`).join('\r\n')
    const r = readAppLockerEvents(withDecls)
    expect(r.value!.map((f) => f.line)).toEqual([2, 4, 6, 8])
  })
  it('expands FilePath on the machine when FullFilePath is absent', () => {
    const noFull = SAMPLE.replace(/<FullFilePath>[^<]*<\/FullFilePath>/g, '')
    const r = readAppLockerEvents(noFull, { ...DEFAULT_MACHINE, osDrive: 'D:' })
    expect(r.value![0].path).toBe('D:\\USERS\\BOB\\DOWNLOADS\\SETUPTOOL.EXE')
    expect(r.value![1].path).toBe('C:\\WINDOWS\\SYSTEM32\\WINDOWSPOWERSHELL\\V1.0\\POWERSHELL.EXE')
  })
  it('refuses DOCTYPE and entity declarations', () => {
    const r = readAppLockerEvents('<!DOCTYPE x [<!ENTITY e "boom">]>\n<Events>&e;</Events>')
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ code: 'doctype-refused', line: 1 })
  })
  it('reports XML that is not well-formed with its line', () => {
    const r = readAppLockerEvents('<Events>\n<Event><System></Event>\n</Events>')
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ code: 'not-well-formed', line: 2 })
  })
  it('skips events that are not file decisions, saying so', () => {
    const applied = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-AppLocker"/><EventID>8001</EventID></System><UserData/></Event>'
    const r = readAppLockerEvents(`<Events>${applied}${SAMPLE.split('\n')[1]}</Events>`)
    expect(r.value).toHaveLength(1)
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'not-file-events' })])
    expect(r.diagnostics[0].message).toContain('8001')
  })
  it('marks package deployment events as installs', () => {
    const install = SAMPLE.split('\n')[4].replace('<EventID>8021</EventID>', '<EventID>8024</EventID>')
    expect(readAppLockerEvents(install).value![0]).toMatchObject({ packageInstall: true, event: { id: 8024 } })
  })
  it('parses Fqbn: publisher with commas, product, binary, version; - is unsigned', () => {
    expect(parseFqbn(`${MS}\\MICROSOFT® WINDOWS® OPERATING SYSTEM\\WHOAMI.EXE\\10.0.26100.1882`)).toEqual({ name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'WHOAMI.EXE', version: '10.0.26100.1882' })
    expect(parseFqbn('-')).toBeNull()
    expect(parseFqbn('O=X\\Y')).toBe('invalid')
  })
})

describe('readInventory', () => {
  it('recognises the format by content', () => {
    expect(detectInventoryFormat('  [ ]')).toBe('files-json')
    expect(detectInventoryFormat('\uFEFF<Events/>')).toBe('events')
    expect(detectInventoryFormat('Path\nC:\\a.exe')).toBe('csv')
    expect(readInventory('[{"path": "C:\\\\a.exe"}]')).toMatchObject({ format: 'files-json', value: [{ path: 'C:\\a.exe' }] })
    expect(readInventory('Path\nC:\\a.exe')).toMatchObject({ format: 'csv', value: [{ path: 'C:\\a.exe' }] })
    expect(readInventory(SAMPLE)).toMatchObject({ format: 'events' })
  })
  it('decodes UTF-16 LE bytes with a BOM (what Windows PowerShell writes)', () => {
    const text = 'Path,Hash\r\nC:\\Program Files\\ä.exe,0x01'
    const bytes = new Uint8Array(2 + text.length * 2)
    bytes[0] = 0xff
    bytes[1] = 0xfe
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) & 0xff
      bytes[3 + i * 2] = text.charCodeAt(i) >> 8
    }
    expect(decodeText(bytes)).toBe(text)
    expect(readInventory(bytes).value).toEqual([{ path: 'C:\\Program Files\\ä.exe', line: 2, publisher: null, hash: '0x01' }])
  })
  it('refuses empty input and a single JSON object', () => {
    expect(readInventory('  \n').diagnostics[0].code).toBe('empty')
    expect(readInventory('{"path": "a"}').diagnostics[0].code).toBe('not-an-array')
  })
})

describe('jsonErrorOffset', () => {
  it('finds where JSON breaks', () => {
    expect(jsonErrorOffset('[1, 2]')).toBe(-1)
    expect(jsonErrorOffset('[1, 2')).toBe(5)
    expect(jsonErrorOffset('[{"a": }]')).toBe(7)
    expect(jsonErrorOffset('[{"a": "\\q"}]')).toBe(8)
    expect(jsonErrorOffset('[1] x')).toBe(4)
    expect(jsonErrorOffset('{"a": [true, false, null, -1.5e3, "\\u00e9"]}')).toBe(-1)
  })
})

describe('CSV written by Windows PowerShell', () => {
  const CONTOSO = 'O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US'
  it('skips the #TYPE line of Export-Csv (Windows PowerShell 5.1), keeping line numbers', () => {
    const text = '#TYPE System.Management.Automation.PSCustomObject\r\n"Path","Hash"\r\n"C:\\a.exe","0x0A"\r\n"","0x0B"\r\n'
    const r = readInventory(text)
    expect(r.format).toBe('csv')
    expect(r.value).toEqual([{ path: 'C:\\a.exe', line: 3, publisher: null, hash: '0x0A' }])
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'missing-path', message: 'Row skipped: it has no Path.', line: 4 }])
  })

  it('reads Get-AppLockerFileInformation | Export-Csv: Path, Publisher as PUBLISHER\\PRODUCT\\BINARY,VERSION, Hash as SHA256 0x..., AppX', () => {
    const text = [
      '#TYPE Microsoft.Security.ApplicationId.PolicyManagement.PolicyModel.FileInformation',
      '"Path","Publisher","Hash","AppX"',
      `"%OSDRIVE%\\USERS\\BOB\\DOWNLOADS\\CONTOSOSETUP.EXE","${CONTOSO}\\CONTOSO SETUP\\CONTOSOSETUP.EXE,4.2.0.0","SHA256 0x3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A","False"`,
      '"%OSDRIVE%\\USERS\\BOB\\DOWNLOADS\\TOOL.EXE","","SHA256 0x9f1e2d3c","False"',
      '"%OSDRIVE%\\USERS\\LISA\\DOCUMENTS\\BOOKCOLLECTORSETUP.EXE","O=BITZ & PIXELZ BV, L=AMSTERDAM, S=NOORD-HOLLAND, C=NL\\BOOK COLLECTOR\\,0.0.0.0","SHA256 0xC9C0","False"',
      `"Contoso.Notes_3.2.1.0_x64__8wekyb3d8bbwe","CN=CONTOSO LTD, O=CONTOSO LTD, C=US\\CONTOSO.NOTESAPP\\*,3.2.1.0","","True"`,
      `"%OSDRIVE%\\X.EXE","${CONTOSO}\\P\\X.EXE,1.x","",""`,
    ].join('\r\n')
    const r = readInventory(text)
    expect(r.value).toEqual([
      {
        path: '%OSDRIVE%\\USERS\\BOB\\DOWNLOADS\\CONTOSOSETUP.EXE',
        line: 3,
        publisher: { name: CONTOSO, product: 'CONTOSO SETUP', binary: 'CONTOSOSETUP.EXE', version: '4.2.0.0' },
        hash: '0x3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A',
      },
      { path: '%OSDRIVE%\\USERS\\BOB\\DOWNLOADS\\TOOL.EXE', line: 4, publisher: null, hash: '0x9F1E2D3C' },
      {
        path: '%OSDRIVE%\\USERS\\LISA\\DOCUMENTS\\BOOKCOLLECTORSETUP.EXE',
        line: 5,
        publisher: { name: 'O=BITZ & PIXELZ BV, L=AMSTERDAM, S=NOORD-HOLLAND, C=NL', product: 'BOOK COLLECTOR', binary: '', version: '0.0.0.0' },
        hash: '0xC9C0',
      },
      {
        path: 'Contoso.Notes_3.2.1.0_x64__8wekyb3d8bbwe',
        line: 6,
        publisher: { name: 'CN=CONTOSO LTD, O=CONTOSO LTD, C=US', product: 'CONTOSO.NOTESAPP', binary: '*', version: '3.2.1.0' },
        package: 'Contoso.Notes_3.2.1.0_x64__8wekyb3d8bbwe',
      },
    ])
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'invalid-version', message: 'Row skipped: its Version "1.x" is not a version (expected numbers separated by dots, e.g. 10.0.19041.1).', line: 7 }])
  })

  it('skips the #TYPE line also when the file comes in small pieces', () => {
    const text = '#TYPE Microsoft.Security.ApplicationId.PolicyManagement.PolicyModel.FileInformation\r\n"Path","Publisher","Hash","AppX"\r\n"%OSDRIVE%\\A.EXE","","SHA256 0x0A","False"\r\n'
    for (const size of [1, 3, 7]) {
      const reader = createInventoryCsvReader({ detectAfter: 8 })
      const files = []
      for (let i = 0; i < text.length; i += size) files.push(...reader.push(text.slice(i, i + size)).files)
      files.push(...reader.end().files)
      expect(files).toEqual([{ path: '%OSDRIVE%\\A.EXE', line: 3, publisher: null, hash: '0x0A' }])
    }
  })

  it('keeps a plain publisher name when ProductName, BinaryName and Version columns exist', () => {
    const r = readInventory(`Path,Publisher,ProductName,BinaryName,Version\r\nC:\\a.exe,"${CONTOSO}",P,A.EXE,1.0\r\n`)
    expect(r.value![0].publisher).toEqual({ name: CONTOSO, product: 'P', binary: 'A.EXE', version: '1.0' })
  })
})

/** One AppLocker file event as wevtutil writes it (the Windows 11 layout of reference/applocker-deep.md 8.3). */
function fileEvent(id: number, o: { filePath: string; fullFilePath?: string; hash?: string; fqbn?: string; computer?: string; policyName?: string }): string {
  const hash = o.hash ?? ''
  const fqbn = o.fqbn ?? '-'
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-AppLocker' Guid='{cbda4dbf-8d5d-4f69-9578-be14aa540d22}'/>` +
    `<EventID>${id}</EventID><TimeCreated SystemTime='2026-09-29T08:12:31.6189560Z'/><Channel>Microsoft-Windows-AppLocker/EXE and DLL</Channel><Computer>${o.computer ?? 'Sandbox'}</Computer>` +
    `<Security UserID='S-1-5-21-1663667890-2519037288-962558911-1001'/></System><UserData><RuleAndFileData xmlns='http://schemas.microsoft.com/schemas/event/Microsoft.Windows/1.0.0.0'>` +
    `<PolicyNameLength>3</PolicyNameLength><PolicyName>${o.policyName ?? 'EXE'}</PolicyName><RuleId>{00000000-0000-0000-0000-000000000000}</RuleId><RuleNameLength>1</RuleNameLength><RuleName>-</RuleName>` +
    `<RuleSddlLength>1</RuleSddlLength><RuleSddl>-</RuleSddl><TargetUser>S-1-5-21-1663667890-2519037288-962558911-1001</TargetUser><TargetProcessId>7092</TargetProcessId>` +
    `<FilePathLength>${o.filePath.length}</FilePathLength><FilePath>${o.filePath}</FilePath><FileHashLength>${hash.length / 2}</FileHashLength><FileHash>${hash}</FileHash>` +
    `<FqbnLength>${fqbn.length}</FqbnLength><Fqbn>${fqbn}</Fqbn><TargetLogonId>0x72d47</TargetLogonId>` +
    (o.fullFilePath !== undefined ? `<FullFilePathLength>${o.fullFilePath.length}</FullFilePathLength><FullFilePath>${o.fullFilePath}</FullFilePath>` : '') +
    `</RuleAndFileData></UserData></Event>`
  )
}

describe('events without signer or hash (Windows logs blocked files so: reference/applocker-deep.md 8.3)', () => {
  const WHOAMI = { filePath: '%OSDRIVE%\\USERS\\PUBLIC\\TEST8003.EXE', fullFilePath: 'C:\\Users\\Public\\test8003.exe' }
  const WHOAMI_HASH = '8C972B0E2047FC0E84BBDC66A662D1E52FDE28E5D2D040BDCDA21CC7D6BB2810'
  const WHOAMI_FQBN = `${MS}\\MICROSOFT® WINDOWS® OPERATING SYSTEM\\WHOAMI.EXE\\10.0.26100.1882`
  const audited = fileEvent(8003, { ...WHOAMI, hash: WHOAMI_HASH, fqbn: WHOAMI_FQBN })
  const blocked = fileEvent(8004, { ...WHOAMI })

  it('a blocked event alone: signer and hash unknown, not absent; a note on the file and a warning at its line', () => {
    const r = readAppLockerEvents(`<Events>\n${blocked}\n</Events>`)
    const [f] = r.value!
    expect(f.publisher).toBeNull()
    expect(f.hash).toBeUndefined()
    expect(f.event).toMatchObject({ id: 8004, identityUnrecorded: true })
    expect(f.event!.identityFrom).toBeUndefined()
    expect(f.note).toBe(
      "Windows did not record this file's signer or hash in event 8004 (it does not for blocked files): publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.",
    )
    expect(r.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'identity-unrecorded',
        message:
          "Event 8004, C:\\Users\\Public\\test8003.exe: Windows did not record this file's signer or hash (it does not for blocked files): publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.",
        line: 2,
      },
    ])
  })

  it('takes the signer and hash from another event of the same file (the 8003 of the same WHOAMI.EXE), and says so', () => {
    for (const order of [[audited, blocked], [blocked, audited]]) {
      const r = readAppLockerEvents(`<Events>\n${order.join('\n')}\n</Events>`)
      const b = r.value!.find((f) => f.event!.id === 8004)!
      expect(b.hash).toBe(`0x${WHOAMI_HASH}`)
      expect(b.publisher).toEqual({ name: MS, product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'WHOAMI.EXE', version: '10.0.26100.1882' })
      const line = order[0] === audited ? 2 : 3
      expect(b.event!.identityFrom).toEqual({ id: 8003, line })
      expect(b.note).toBe(
        `Windows did not record this file's signer or hash in event 8004 (it does not for blocked files); they are taken from event 8003 (line ${line}) of the same file, so publisher and hash rules are checked with them.`,
      )
      expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([['info', 'identity-from-other-event', order[0] === blocked ? 2 : 3]])
      // The 8003 itself is left as it was.
      expect(r.value!.find((f) => f.event!.id === 8003)!.note).toBeUndefined()
    }
  })

  it('against a policy allowing Microsoft-signed files, the 8004 is decided as its 8003 is (Allowed), not DeniedByDefault', () => {
    const policy = readPolicy(
      `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled"><FilePublisherRule Id="11111111-1111-1111-1111-111111111111" Name="MS" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="${MS}" ProductName="*" BinaryName="*"><BinaryVersionRange LowSection="*" HighSection="*"/></FilePublisherCondition></Conditions></FilePublisherRule></RuleCollection></AppLockerPolicy>`,
    ).value!
    const compiled = compilePolicy(policy, DEFAULT_MACHINE)
    const decisions = (xml: string) => readAppLockerEvents(xml).value!.map((f) => [f.event!.id, decide(compiled, f, { user: f.user!, groups: [] }).decision])
    expect(decisions(`<Events>${audited}${blocked}</Events>`)).toEqual([
      [8003, 'Allowed'],
      [8004, 'Allowed'],
    ])
    // Alone, it can only be decided by path rules: DeniedByDefault, with the note saying so.
    expect(decisions(`<Events>${blocked}</Events>`)).toEqual([[8004, 'DeniedByDefault']])
  })

  it('takes nothing when the other events of the file disagree, or are of another computer or path', () => {
    const other = fileEvent(8003, { ...WHOAMI, hash: 'AB'.repeat(32), fqbn: WHOAMI_FQBN })
    const r = readAppLockerEvents(`<Events>${audited}${other}${blocked}</Events>`)
    const b = r.value![2]
    expect([b.hash, b.publisher, b.event!.identityFrom]).toEqual([undefined, null, undefined])
    expect(b.note).toBe(
      "Windows did not record this file's signer or hash in event 8004 (it does not for blocked files), and the other events of the same file recorded different signers or hashes (the file changed between them), so none is used: publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.",
    )
    expect(r.diagnostics.map((d) => d.code)).toEqual(['identity-unrecorded'])

    const elsewhere = readAppLockerEvents(`<Events>${audited.replace('<Computer>Sandbox</Computer>', '<Computer>PC-2</Computer>')}${fileEvent(8003, { filePath: '%OSDRIVE%\\USERS\\PUBLIC\\OTHER.EXE', fullFilePath: 'C:\\Users\\Public\\other.exe', hash: WHOAMI_HASH, fqbn: WHOAMI_FQBN })}${blocked}</Events>`)
    expect(elsewhere.value![2]).toMatchObject({ publisher: null, event: { identityUnrecorded: true } })
    expect(elsewhere.value![2].hash).toBeUndefined()
    // The same path in another case is the same file.
    const cased = readAppLockerEvents(`<Events>${audited.replace('C:\\Users\\Public\\test8003.exe', 'C:\\USERS\\PUBLIC\\TEST8003.EXE')}${blocked}</Events>`)
    expect(cased.value![1].hash).toBe(`0x${WHOAMI_HASH}`)
  })

  it('one diagnostic per file, however many of its events recorded nothing', () => {
    const r = readAppLockerEvents(`<Events>\n${blocked}\n${blocked}\n${blocked}\n${fileEvent(8004, { filePath: '%OSDRIVE%\\X.EXE', fullFilePath: 'C:\\x.exe' })}\n</Events>`)
    expect(r.value!.every((f) => f.note?.startsWith("Windows did not record this file's signer or hash in event 8004"))).toBe(true)
    expect(r.diagnostics.map((d) => [d.line, d.message.split(': Windows')[0]])).toEqual([
      [2, 'Event 8004 and 2 more events of the same file, C:\\Users\\Public\\test8003.exe'],
      [5, 'Event 8004, C:\\x.exe'],
    ])
  })

  it('names 20 files one by one, and counts the others in one more note', () => {
    const events = Array.from({ length: 23 }, (_, i) => fileEvent(8004, { filePath: `%OSDRIVE%\\T\\X${i}.EXE`, fullFilePath: `C:\\T\\x${i}.exe` }))
    // Two of the files beyond the 20th have an 8003 with a hash.
    events.push(fileEvent(8003, { filePath: '%OSDRIVE%\\T\\X21.EXE', fullFilePath: 'C:\\T\\x21.exe', hash: 'AB'.repeat(32) }))
    events.push(fileEvent(8003, { filePath: '%OSDRIVE%\\T\\X22.EXE', fullFilePath: 'C:\\T\\x22.exe', hash: 'CD'.repeat(32) }))
    const r = readAppLockerEvents(`<Events>${events.join('')}</Events>`)
    expect(r.value!.filter((f) => f.note).map((f) => f.path)).toHaveLength(23)
    expect(r.diagnostics).toHaveLength(21)
    expect(r.diagnostics[19].message).toMatch(/^Event 8004, C:\\T\\x19\.exe: /)
    expect(r.diagnostics[20]).toEqual({
      severity: 'warning',
      code: 'identity-unrecorded-more',
      message: "3 more files have events in which Windows did not record the signer or hash: 2 took them from another event of the same file; for 1 only path rules can be checked (each file's explanation says which).",
    })
  })

  it('is only for events with neither: a hash with Fqbn "-" is an unsigned file, a signer without a hash is known', () => {
    const unsigned = readAppLockerEvents(fileEvent(8004, { ...WHOAMI, hash: WHOAMI_HASH }))
    expect(unsigned.value![0]).toMatchObject({ publisher: null, hash: `0x${WHOAMI_HASH}` })
    expect(unsigned.value![0].event!.identityUnrecorded).toBeUndefined()
    expect(unsigned.value![0].note).toBeUndefined()
    const signedNoHash = readAppLockerEvents(fileEvent(8004, { ...WHOAMI, fqbn: WHOAMI_FQBN }))
    expect(signedNoHash.value![0].publisher).toMatchObject({ binary: 'WHOAMI.EXE' })
    expect(signedNoHash.value![0].event!.identityUnrecorded).toBeUndefined()
    expect(unsigned.diagnostics).toEqual([])
    expect(signedNoHash.diagnostics).toEqual([])
    // An audited event with neither is unknown too, without the words on blocked files.
    expect(readAppLockerEvents(fileEvent(8003, WHOAMI)).value![0].note).toBe(
      "Windows did not record this file's signer or hash in event 8003: publisher and hash rules cannot be checked against it, so the simulated decision reflects path rules only.",
    )
  })

  it('reads the same from an .evtx file, naming the record', () => {
    const base = { policyName: 'EXE' as const, user: 'S-1-5-21-1-2-3-1001', computer: 'PC-1', filePath: WHOAMI.filePath, fullFilePath: WHOAMI.fullFilePath }
    const evtx = appLockerEvtx(
      [
        { ...base, id: 8003, hash: WHOAMI_HASH, fqbn: WHOAMI_FQBN, time: new Date('2026-09-29T08:12:31Z') },
        { ...base, id: 8004, hash: null, fqbn: '-', time: new Date('2026-09-29T08:13:31Z') },
        { ...base, id: 8004, hash: null, fqbn: '-', filePath: '%OSDRIVE%\\X.EXE', fullFilePath: 'C:\\x.exe', time: new Date('2026-09-29T08:14:31Z') },
      ],
      41,
    )
    const r = readInventory(evtx)
    expect(r.format).toBe('evtx')
    expect(r.value![1]).toMatchObject({ hash: `0x${WHOAMI_HASH}`, publisher: { binary: 'WHOAMI.EXE' }, event: { identityFrom: { id: 8003, recordId: 41 } } })
    expect(r.value![1].note).toContain('they are taken from event 8003 (record 41) of the same file')
    expect(r.value![2].note).toContain('the simulated decision reflects path rules only')
    expect(r.diagnostics.map((d) => [d.code, d.message.split(': Windows')[0]])).toEqual([
      ['identity-from-other-event', 'Event 8004 (record 42), C:\\Users\\Public\\test8003.exe'],
      ['identity-unrecorded', 'Event 8004 (record 43), C:\\x.exe'],
    ])
  })

  it('keeps FilePath as Windows wrote it (the variable form), beside the path decided on', () => {
    const r = readAppLockerEvents(`<Events>${fileEvent(8003, { filePath: '%PROGRAMFILES%\\VENDOR\\APP.EXE', hash: 'AB'.repeat(32) })}${fileEvent(8003, { ...WHOAMI, hash: WHOAMI_HASH })}</Events>`)
    expect(r.value!.map((f) => [f.path, f.event!.filePath])).toEqual([
      // Decided on the expanded path (the simulated machine's C:\Program Files); the rule keeps the variable.
      ['C:\\PROGRAM FILES\\VENDOR\\APP.EXE', '%PROGRAMFILES%\\VENDOR\\APP.EXE'],
      ['C:\\Users\\Public\\test8003.exe', '%OSDRIVE%\\USERS\\PUBLIC\\TEST8003.EXE'],
    ])
  })
})

describe('XML references in events', () => {
  it('decodes numeric character references (decimal and hexadecimal) and the five entities, once', () => {
    const r = readAppLockerEvents(
      `<Events>${fileEvent(8004, { filePath: '%OSDRIVE%\\A&#x00E9;\\X.EXE', fullFilePath: 'C:\\A&#233;\\X.exe', hash: 'AB'.repeat(32) })}${fileEvent(8004, { filePath: '%OSDRIVE%\\AT&amp;T\\&lt;&gt;&quot;&apos;.EXE', fullFilePath: 'C:\\AT&amp;T\\&amp;#233;.exe', hash: 'AB'.repeat(32), computer: 'PC&#x2D;1' })}</Events>`,
    )
    expect(r.diagnostics).toEqual([])
    expect(r.value!.map((f) => [f.path, f.event!.filePath])).toEqual([
      ['C:\\Aé\\X.exe', '%OSDRIVE%\\Aé\\X.EXE'],
      // &amp;#233; is the text "&#233;", not é.
      ['C:\\AT&T\\&#233;.exe', `%OSDRIVE%\\AT&T\\<>"'.EXE`],
    ])
    expect(r.value![1].event!.computer).toBe('PC-1')
  })

  it('decodes references in attribute values too', () => {
    const r = readAppLockerEvents(fileEvent(8004, { ...{ filePath: '%OSDRIVE%\\X.EXE', fullFilePath: 'C:\\x.exe' }, hash: 'AB'.repeat(32) }).replace("SystemTime='2026-09-29T08:12:31.6189560Z'", "SystemTime='2026&#x2D;09-29T08:12:31Z'"))
    expect(r.value![0].event!.time).toBe('2026-09-29T08:12:31Z')
  })

  it('keeps tabs and line ends of element text (only attribute values turn them into spaces)', () => {
    expect(decodeTextValue('a&#233;\tb\n&amp;c')).toBe('aé\tb\n&c')
    expect(decodeTextValue('plain')).toBe('plain')
    expect(decodeTextValue('&unknown; &#0; &')).toBe('&unknown; &#0; &')
  })
})
