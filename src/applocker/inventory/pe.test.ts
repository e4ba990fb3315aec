/**
 * Inventories say what a file is: "AppLocker executable rules actually apply to any portable
 * executable (PE) file, regardless of the file's extension" (executable-rules-in-applocker.md), so
 * a `"pe": true` entry or an IsPE / Kind column makes a path-only `C:\Temp\saver.bin` an Exe decision.
 */
import { describe, expect, it } from 'vitest'
import { compilePolicy } from '../evaluate/compile'
import { decide } from '../evaluate/decide'
import type { Policy } from '../policy'
import { readInventoryCsv } from './csv'
import { parsePeFlag } from './facts'
import { readFilesJson } from './json'

describe('PE facts in inventories', () => {
  it('FILES.json: "pe" true/false (or "true"/"false"); anything else is a skipped entry with its line', () => {
    const r = readFilesJson('[\n{"path": "C:\\\\Temp\\\\saver.bin", "pe": true},\n{"path": "C:\\\\x\\\\fake.exe", "pe": false},\n{"path": "C:\\\\y.txt", "pe": "yes"},\n{"path": "C:\\\\z.txt", "pe": 3}\n]')
    expect(r.value!.map((f) => [f.path, f.pe])).toEqual([
      ['C:\\Temp\\saver.bin', true],
      ['C:\\x\\fake.exe', false],
      ['C:\\y.txt', true],
    ])
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'invalid-pe', message: 'Entry 4 has a "pe" 3 that is not true or false; skipped.', line: 5 }])
  })

  it('CSV: an IsPE or Kind column; Kind Dll says the PE is loaded as a library', () => {
    const r = readInventoryCsv('Path,IsPE\r\nC:\\a.bin,True\r\nC:\\b.exe,no\r\nC:\\c.scr,\r\nC:\\d.bin,maybe')
    expect(r.value!.map((f) => [f.path, f.pe])).toEqual([
      ['C:\\a.bin', true],
      ['C:\\b.exe', false],
      ['C:\\c.scr', undefined],
    ])
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['invalid-pe', 5]])
    const k = readInventoryCsv('Path,Kind\r\nC:\\a.bin,PE32+\r\nC:\\b.bin,Dll\r\nC:\\c.ps1,Script')
    expect(k.value!.map((f) => [f.pe, f.collection])).toEqual([
      [true, undefined],
      [true, 'Dll'],
      [false, undefined],
    ])
  })

  it('parsePeFlag reads yes/no words and file kinds', () => {
    expect(['PE', 'pe32', 'Portable Executable', 'EXE', '1', 'yes'].map(parsePeFlag)).toEqual([true, true, true, true, true, true])
    expect(['Script', 'MSI', 'Not PE', 'not_pe', 'false', '0'].map(parsePeFlag)).toEqual([false, false, false, false, false, false])
    expect(parsePeFlag('')).toBeUndefined()
    expect(parsePeFlag('sometimes')).toBeNull()
  })

  it('the decision follows: a PE named .bin is decided by the Executable rules', () => {
    const policy: Policy = {
      version: '1',
      collections: [
        {
          type: 'Exe',
          enforcementMode: 'Enabled',
          rules: [{ kind: 'path', id: 'w', name: 'windows', description: '', userOrGroupSid: 'S-1-1-0', action: 'Allow', exceptions: [], condition: { kind: 'path', path: '%WINDIR%\\*' } }],
        },
      ],
    }
    const files = readInventoryCsv('Path,Kind\r\nC:\\Temp\\saver.bin,PE\r\nC:\\Temp\\saver.bin,\r\nC:\\Temp\\saver.scr,').value!
    const compiled = compilePolicy(policy)
    expect(files.map((f) => decide(compiled, f, { groups: [] }, { explain: false })).map((d) => [d.collection, d.effect])).toEqual([
      ['Exe', 'blocked'],
      [null, 'not-governed'],
      ['Exe', 'blocked'],
    ])
  })
})
