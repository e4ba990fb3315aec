import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MACHINE } from '../evaluate/types'
import { createInventoryCsvReader, readInventoryCsv } from './csv'
import { parseFqbn, readAppLockerEvents } from './events'
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
