/**
 * Keeps a streaming command's memory flat. `test` on a million-row CSV allocates a few KB per row that
 * lives a little longer than V8's young generation: about 1 MB is promoted per scavenge, and V8 lets the
 * old generation grow to about four times the live heap (about 60 MB here: the policy and its index)
 * before it collects it, so the process peaked at 390-430 MB resident on an idle machine (the target is
 * under 400 MB). Between chunks of input, when the heap has grown by more than `slack` bytes since the
 * last collection, a full collection runs (a few ms with 60 MB live): the peak stays near the live heap
 * plus the slack.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export interface HeapControl {
  /** Bytes in use on the JavaScript heap (process.memoryUsage().heapUsed). */
  heapUsed(): number
  /** A full garbage collection. */
  collect(): void
}

/** V8's collector for this process (the flag --expose-gc set at run time, the function from a fresh context), or null. */
export function processHeap(): HeapControl | null {
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    if (typeof gc !== 'function') return null
    return { heapUsed: () => process.memoryUsage().heapUsed, collect: () => void (gc as () => void)() }
  } catch {
    return null
  }
}

/** The chunks of `source` unchanged; after each, a full collection when the heap grew by more than `slack` since the last one. */
export async function* withFlatHeap<T>(source: AsyncIterable<T>, heap: HeapControl | null, slack = 96 * 1024 * 1024): AsyncGenerator<T> {
  let base = heap === null ? 0 : heap.heapUsed()
  for await (const chunk of source) {
    yield chunk
    if (heap !== null && heap.heapUsed() - base > slack) {
      heap.collect()
      base = heap.heapUsed()
    }
  }
}
