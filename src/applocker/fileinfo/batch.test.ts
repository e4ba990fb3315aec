import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, fixtureDigests, readFixture, type FixtureDigest } from '../../testing/pe-fixtures'
import { readFileBatch } from './batch'
import type { FileInfoFromWorker } from './protocol'

let digests: Map<string, FixtureDigest>
beforeAll(() => {
  digests = fixtureDigests(ensurePeFixtures())
}, 120_000)

const blob = (name: string) => new Blob([readFixture(name).slice().buffer])

describe('readFileBatch (the Worker body)', () => {
  it('posts progress, one result per file in order, then done with the throughput', async () => {
    const messages: FileInfoFromWorker[] = []
    let clock = 0
    const files = [
      { name: 'hello64-signed.exe', data: blob('hello64-signed.exe') },
      { name: 'truncated.exe', data: readFixture('truncated.exe').slice().buffer },
      { name: 'hello.ps1', data: blob('hello.ps1') },
    ]
    await readFileBatch(7, files, (m) => messages.push(m), undefined, () => (clock += 1))
    const results = messages.filter((m) => m.type === 'result')
    expect(results.map((r) => [r.index, r.name])).toEqual([
      [0, 'hello64-signed.exe'],
      [1, 'truncated.exe'],
      [2, 'hello.ps1'],
    ])
    expect(results[0].value?.hash).toBe(`0x${digests.get('hello64-signed.exe')!.authenticode}`)
    expect(results[0].value?.publisher?.binary).toBe('HELLO.EXE')
    expect(results[1].value).toBeNull()
    expect(results[1].diagnostics[0].code).toBe('truncated-pe')
    expect(results[2].value?.hash).toBe(`0x${digests.get('hello.ps1')!.flat}`)
    const progress = messages.filter((m) => m.type === 'progress')
    expect(progress.length).toBeGreaterThanOrEqual(3)
    const total = files.reduce((n, f) => n + (f.data instanceof Blob ? f.data.size : f.data.byteLength), 0)
    expect(progress.every((p) => p.bytesTotal === total && p.bytesDone <= total && p.id === 7)).toBe(true)
    const done = messages.at(-1)
    expect(done).toMatchObject({ type: 'done', id: 7, files: 3, bytes: total })
    if (done?.type === 'done') expect(done.mbPerSecond).toBeGreaterThan(0)
  })

  it('stops when cancelled', async () => {
    const messages: FileInfoFromWorker[] = []
    let calls = 0
    await readFileBatch(1, [{ name: 'a.exe', data: blob('hello64.exe') }, { name: 'b.exe', data: blob('hello64.exe') }], (m) => messages.push(m), () => ++calls > 2)
    expect(messages.at(-1)).toEqual({ type: 'cancelled', id: 1 })
    expect(messages.some((m) => m.type === 'done')).toBe(false)
  })
})
