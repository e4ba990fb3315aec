import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditEvtxFixture, evtxWithDamagedChunk } from '../../testing/evtxWrite'
import { eventsDocumentXml, readEvtx } from './evtx'
import { readInventory } from './read'
import type { InventoryFile } from './types'

const withoutPlace = (files: InventoryFile[] | null) =>
  (files ?? []).map((f) => {
    const { line: _line, ...rest } = f
    const event = rest.event ? (({ recordId: _r, ...e }) => e)(rest.event) : undefined
    return event ? { ...rest, event } : rest
  })

describe('.evtx files as inventories', () => {
  it('the e2e fixture is what scripts/fixtures/write-evtx-fixture.ts writes', () => {
    expect(new Uint8Array(readFileSync(join(__dirname, '../../../e2e/fixtures/applocker-audit.evtx')))).toEqual(auditEvtxFixture())
  })

  it('are recognised by their signature and give the same files as the same events exported as XML', () => {
    const evtx = auditEvtxFixture()
    const fromEvtx = readInventory(evtx)
    expect(fromEvtx.format).toBe('evtx')
    const fromXml = readInventory(eventsDocumentXml(readEvtx(evtx).events))
    expect(fromXml.format).toBe('events')
    expect(withoutPlace(fromEvtx.value)).toEqual(withoutPlace(fromXml.value))
    expect(fromEvtx.diagnostics).toEqual(fromXml.diagnostics)
    expect(fromEvtx.value!.map((f) => [f.path, f.event?.id, f.event?.recordId, f.hash, f.publisher?.name ?? null, f.user])).toEqual([
      ['C:\\Users\\bob\\Downloads\\SetupTool.exe', 8003, 4101, `0x3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A`, null, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 8002, 4102, '0x9F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0', 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Users\\bob\\AppData\\Local\\Contoso\\Sync\\ContosoSync.exe', 8003, 4103, `0x${'A1'.repeat(32)}`, 'O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US', 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
      ['C:\\Users\\Public\\Tools\\portscan.exe', 8004, 4104, `0x${'B2'.repeat(32)}`, null, 'S-1-5-21-1111111111-2222222222-3333333333-1001'],
    ])
    expect(fromEvtx.value![1].event).toMatchObject({ policyName: 'EXE', ruleId: 'A61C8B2C-A319-4CD0-9690-D2177CAD7B51', ruleName: '(Default Rule) All files located in the Windows folder', time: '2026-11-02T09:15:11.0021234Z', computer: 'WS-0142.corp.contoso.com' })
    expect(fromEvtx.diagnostics).toEqual([{ severity: 'info', code: 'not-file-events', message: 'Events that are not AppLocker file decisions were skipped: Microsoft-Windows-Sysmon (1).' }])
  })

  it('a log of another channel gives no file, says how many events were skipped, and does not fail', () => {
    const r = readInventory(new Uint8Array(readFileSync(join(__dirname, '../__fixtures__/evtx/Execution_exec_msxsl_xsl_sysmon_1_7.evtx'))))
    expect(r.format).toBe('evtx')
    expect(r.value).toEqual([])
    expect(r.diagnostics).toEqual([{ severity: 'info', code: 'not-file-events', message: 'Events that are not AppLocker file decisions were skipped: Microsoft-Windows-Sysmon (3).' }])
  })

  it('names damaged chunks and reads the rest', () => {
    const file = evtxWithDamagedChunk()
    const r = readInventory(file)
    expect(r.diagnostics[0]).toEqual({ severity: 'warning', code: 'evtx-damaged', message: 'Chunk 1, file offset 0x11034: the event records checksum does not match; chunk skipped.' })
    expect(r.value!.length).toBeGreaterThan(0)
    expect(r.value!.length).toBeLessThan(120)
    // These events carry neither hash nor signer: 20 files named, the others counted in one note.
    const rest = r.value!.length - 20
    expect(r.diagnostics.slice(1).map((d) => d.code)).toEqual([...Array<string>(20).fill('identity-unrecorded'), 'identity-unrecorded-more'])
    expect(r.diagnostics[1].message).toMatch(/^Event 8003 \(record 1\), …[^:]*\\Folder\\x0\.exe: Windows did not record this file's signer or hash: /)
    expect(r.diagnostics[21]).toEqual({
      severity: 'warning',
      code: 'identity-unrecorded-more',
      message: `${rest} more files have events in which Windows did not record the signer or hash: for ${rest} only path rules can be checked (each file's explanation says which).`,
    })
  })

  it('an .evtx file without any readable event is refused with a reason', () => {
    const file = auditEvtxFixture()
    file[4096 + 8] ^= 1
    const r = readInventory(file)
    expect(r.value).toBeNull()
    expect(r.diagnostics.map((d) => d.code)).toEqual(['evtx-damaged', 'no-events'])
  })
})
