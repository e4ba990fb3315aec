import { describe, expect, it } from 'vitest'
import { processHeap, withFlatHeap, type HeapControl } from './flatHeap'

async function* chunks(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i
}

describe('withFlatHeap', () => {
  it('passes every chunk through, collecting only when the heap grew by more than the slack since the last collection', async () => {
    let used = 100
    const collected: number[] = []
    const heap: HeapControl = {
      heapUsed: () => used,
      collect: () => {
        collected.push(used)
        used = 100 // a collection frees what the chunks left behind
      },
    }
    const seen: number[] = []
    for await (const c of withFlatHeap(chunks(10), heap, 25)) {
      seen.push(c)
      used += 10 // each chunk leaves 10 behind
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    // Grown by 30 (> 25) after the third chunk: collected, and again every third chunk.
    expect(collected).toEqual([130, 130, 130])
  })
  it('without a collector, only passes the chunks through', async () => {
    const seen: number[] = []
    for await (const c of withFlatHeap(chunks(3), null)) seen.push(c)
    expect(seen).toEqual([0, 1, 2])
  })
  it("reaches this process's collector (Node): a collection frees a dropped allocation", () => {
    const heap = processHeap()
    expect(heap).not.toBeNull()
    const holder: { junk: number[][] | null } = { junk: Array.from({ length: 200_000 }, (_, i) => [i, i + 1]) }
    const before = heap!.heapUsed()
    holder.junk = null
    heap!.collect()
    expect(heap!.heapUsed()).toBeLessThan(before)
  })
})
