import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareEventLists, parseEventsXml } from '../testing/evtxCompare'
import { evtxWithDamagedChunk } from '../testing/evtxWrite'
import { fakeIO, FIXTURES } from '../testing/cliIO'
import { eventsCommand } from './eventsCommand'

const SAMPLE = 'evtx/Execution_exec_msxsl_xsl_sysmon_1_7.evtx'
const SECURITY = 'evtx/Lateral_Movement_LM_WMIC_4648_rpcss.evtx'
const read = (p: string) => {
  if (p === 'notes.txt') return new TextEncoder().encode('hello')
  return new Uint8Array(readFileSync(join(FIXTURES, p)))
}

describe('events command', () => {
  it('prints the events of several files as one <Events> document, as python-evtx reads them', async () => {
    const { io, out, err } = fakeIO(read)
    expect(await eventsCommand([SAMPLE, SECURITY], io)).toBe(0)
    expect(err).toEqual([])
    const text = out.join('')
    expect(text.startsWith('<Events>\n<Event ')).toBe(true)
    expect(text.endsWith('</Event>\n</Events>\n')).toBe(true)
    const expected = [SAMPLE, SECURITY].flatMap((f) => parseEventsXml(readFileSync(join(FIXTURES, `${f}.xml`), 'utf8')))
    expect(compareEventLists(parseEventsXml(text), expected)).toEqual([])
    // wevtutil's layout: one event per line.
    expect(text.split('\n').filter((l) => l.startsWith('<Event '))).toHaveLength(expected.length)
  })

  it('says where a damaged chunk is, prints the other events, exit 0', async () => {
    const file = evtxWithDamagedChunk()
    const { io, out, err } = fakeIO(() => file)
    expect(await eventsCommand(['big.evtx'], io)).toBe(0)
    expect(err).toEqual(['big.evtx: Chunk 1, file offset 0x11034: the event records checksum does not match; chunk skipped.\n'])
    const events = parseEventsXml(out.join(''))
    expect(events.length).toBeGreaterThan(0)
    expect(events.length).toBeLessThan(120)
  })

  it('refuses a file that is not .evtx and one that cannot be read, still printing the others; exit 1', async () => {
    const { io, out, err } = fakeIO((p) => {
      if (p === 'missing.evtx') throw new Error('ENOENT: no such file or directory')
      return read(p)
    })
    expect(await eventsCommand(['notes.txt', 'missing.evtx', SAMPLE], io)).toBe(1)
    expect(err).toEqual(['notes.txt: not an .evtx file (it does not start with "ElfFile"); skipped.\n', 'Cannot read missing.evtx: ENOENT: no such file or directory\n'])
    expect(parseEventsXml(out.join(''))).toHaveLength(3)
  })

  it('needs a file', async () => {
    const { io, err } = fakeIO(read)
    expect(await eventsCommand([], io)).toBe(1)
    expect(err.join('')).toMatch(/^No .evtx file given\.\nUsage: npm run --silent cli -- events FILE\.evtx\.\.\./)
  })
})
