/**
 * Checks the .evtx reader against an independent implementation, python-evtx (Debian package
 * python3-evtx, installed by scripts/ensure-test-tools.sh): it reads synthesised files holding
 * every value type it knows, several chunks of AppLocker events, and a real sample, and every
 * event must match element by element.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compareEventLists, fromEvtx, parseEventsXml } from '../../testing/evtxCompare'
import { appLockerEvtx, auditEvtxFixture, filetimeOf, val, writeEvtx, type EvtxTemplate, type EvtxValue } from '../../testing/evtxWrite'
import { readEvtx } from './evtx'

const available = spawnSync('evtx_dump.py', ['--help'], { encoding: 'utf8' }).status === 0
if (!available) console.warn('python3-evtx is not installed (run scripts/ensure-test-tools.sh): the comparison with python-evtx is skipped.')

const dir = mkdtempSync(join(tmpdir(), 'evtx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function pythonEvents(bytes: Uint8Array, name: string) {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return parseEventsXml(execFileSync('evtx_dump.py', [file], { encoding: 'utf8', maxBuffer: 1 << 28 }))
}

function expectSameAsPython(bytes: Uint8Array, name: string) {
  const mine = readEvtx(bytes)
  expect(mine.notes).toEqual([])
  const theirs = pythonEvents(bytes, name)
  expect(theirs.length).toBe(mine.events.length)
  expect(compareEventLists(mine.events.map((e) => fromEvtx(e.element)), theirs)).toEqual([])
  return mine
}

const TYPED: [string, EvtxValue][] = [
  // (python-evtx does not escape " in attribute values: no " here, see Mixed)
  ['String', val.string("héllo <&> 'single' ünïcödé ✓")],
  ['Ansi', val.ansi('plain ansi')],
  ['Int8', val.int8(-5)],
  ['UInt8', val.uint8(250)],
  ['Int16', val.int16(-30000)],
  ['UInt16', val.uint16(65000)],
  ['Int32', val.int32(-2000000000)],
  ['UInt32', val.uint32(4000000000)],
  ['Int64', val.int64(-9007199254740993n)],
  ['UInt64', val.uint64(18446744073709551615n)],
  ['Real32', val.real32(1.5)],
  ['Real64', val.real64(-2.25)],
  ['BoolTrue', val.bool(true)],
  ['BoolFalse', val.bool(false)],
  ['Binary', val.binary(Uint8Array.of(0, 1, 0xfe, 0xff, 0x10))],
  ['Guid', val.guid('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}')],
  ['Size', val.size(0x1234abcdn)],
  ['FileTime', val.filetime(filetimeOf(new Date('2024-02-29T23:59:58.123Z'), 4567))],
  ['SystemTime', val.systemtime(new Date('2023-07-01T01:02:03.456Z'))],
  ['Sid', val.sid('S-1-5-21-1111111111-2222222222-3333333333-1001')],
  ['Hex32', val.hex32(0xdeadbeef)],
  ['Hex64', val.hex64(0x8000000000000001n)],
  ['Null', val.null()],
  ['Empty', val.string('')],
]

const NESTED: EvtxTemplate = {
  id: 77,
  root: { name: 'Inner', attrs: [{ name: 'Kind', value: { sub: 0, type: 0x01 } }], children: [{ name: 'Value', children: [{ sub: 1, type: 0x08 }] }] },
}

const TYPES_TEMPLATE: EvtxTemplate = {
  id: 42,
  root: {
    name: 'Event',
    attrs: [{ name: 'xmlns', value: 'http://schemas.microsoft.com/win/2004/08/events/event' }],
    children: [
      {
        name: 'EventData',
        children: [
          ...TYPED.map(([name], i) => ({ name: 'Data', attrs: [{ name: 'Name', value: name }], children: [{ sub: i, type: TYPED[i][1].type, optional: i % 2 === 0 }] })),
          { name: 'Attributes', attrs: TYPED.map(([name], i) => ({ name, value: { sub: i, type: TYPED[i][1].type, optional: true } })) },
          { name: 'Mixed', children: ['before "quoted" ', { sub: 0, type: 0x01 }, ' after'] },
          { name: 'Nested', children: [{ sub: TYPED.length, type: 0x21 }] },
        ],
      },
    ],
  },
}

describe.runIf(available)('readEvtx reads what python-evtx reads', () => {
  it('every value type, in elements and attributes, and nested binary XML', () => {
    const values = [...TYPED.map(([, v]) => v), val.xml(NESTED, [val.string('nested'), val.uint32(7)])]
    const bytes = writeEvtx([
      { template: TYPES_TEMPLATE, values },
      { template: TYPES_TEMPLATE, values },
    ])
    const mine = expectSameAsPython(bytes, 'types.evtx')
    expect(mine.events).toHaveLength(2)
  })

  it('AppLocker events over several chunks (templates and names referenced across records)', () => {
    // Long paths fill the chunks with few records (python-evtx is slow: about 15 ms per record).
    const deep = 'Deep Folder Name\\'.repeat(30)
    const events = Array.from({ length: 120 }, (_, i) => ({
      id: [8002, 8003, 8004][i % 3],
      policyName: (['EXE', 'DLL', 'MSI', 'SCRIPT'] as const)[i % 4],
      filePath: `%OSDRIVE%\\USERS\\USER${i}\\APP${i}.EXE`,
      fullFilePath: `C:\\Users\\user${i}\\${deep}app${i}.exe`,
      hash: i % 5 === 0 ? null : (i * 7919).toString(16).padStart(64, 'a').toUpperCase(),
      fqbn: i % 2 ? `O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US\\PRODUCT ${i}\\APP${i}.EXE\\1.2.${i}.0` : '-',
      user: `S-1-5-21-1-2-3-${1000 + i}`,
      time: new Date(Date.UTC(2026, 10, 2, 9, 0, i)),
      computer: 'WS-0142.corp.contoso.com',
    }))
    const bytes = appLockerEvtx(events, 5000)
    const mine = expectSameAsPython(bytes, 'applocker.evtx')
    expect(mine.chunks).toBeGreaterThan(2)
    expect(mine.events).toHaveLength(120)
  }, 120_000)

  it('the e2e fixture e2e/fixtures/applocker-audit.evtx', () => {
    const mine = expectSameAsPython(auditEvtxFixture(), 'applocker-audit.evtx')
    expect(mine.events.map((e) => e.recordId)).toEqual([4101, 4102, 4103, 4104, 4105])
  })

  // evtx.test.ts compares all 16 real samples with the XML python-evtx printed for them; here one
  // of them goes through the installed python-evtx too.
  it('a real sample (Security events with nested binary XML)', () => {
    const name = 'Credential_Access_remote_sam_registry_access_via_backup_operator_priv.evtx'
    expectSameAsPython(new Uint8Array(readFileSync(join(__dirname, '../__fixtures__/evtx', name))), name)
  })
})
