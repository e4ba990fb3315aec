import { afterEach, describe, expect, it } from 'vitest'
import { connect, isAbortError, serve, type CallContext, type DedicatedWorkerGlobalScopeLike } from './rpc'

const api = {
  add: (input: { a: number; b: number }) => input.a + input.b,
  count: async (n: number, ctx: CallContext<{ done: number }>) => {
    for (let i = 1; i <= n; i++) {
      await new Promise((r) => setTimeout(r, 1))
      if (ctx.signal.aborted) return -1
      ctx.emit({ done: i })
    }
    return n
  },
  bytes: (size: number, ctx: CallContext) => {
    const b = new Uint8Array(size)
    ctx.transfer(b.buffer)
    return b
  },
  fails: () => {
    throw new Error('bad input at line 3')
  },
}
type Api = typeof api

const channels: MessageChannel[] = []
afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())))

/** A Worker stand-in: the two ends of a MessageChannel. */
function pair(): () => Worker {
  const ch = new MessageChannel()
  channels.push(ch)
  serve(api, ch.port1 as unknown as DedicatedWorkerGlobalScopeLike)
  return () => {
    const fake = {
      postMessage: (m: unknown, t: Transferable[]) => ch.port2.postMessage(m, t),
      terminate: () => ch.port2.close(),
      set onmessage(f: ((e: MessageEvent) => void) | null) {
        ch.port2.onmessage = f
      },
      onerror: null,
    }
    return fake as unknown as Worker
  }
}

describe('rpc', () => {
  it('calls a handler by name with typed input and output', async () => {
    const client = connect<Api>(pair())
    await expect(client.call('add', { a: 2, b: 3 })).resolves.toBe(5)
  })

  it('delivers events, then the result', async () => {
    const client = connect<Api>(pair())
    const seen: number[] = []
    await expect(client.call('count', 3, { onEvent: (e) => seen.push(e.done) })).resolves.toBe(3)
    expect(seen).toEqual([1, 2, 3])
  })

  it('cancels through an AbortSignal: the call rejects with an AbortError', async () => {
    const client = connect<Api>(pair())
    const controller = new AbortController()
    const call = client.call('count', 1000, { signal: controller.signal, onEvent: (e) => e.done === 2 && controller.abort() })
    const err = await call.catch((e: unknown) => e)
    expect(isAbortError(err)).toBe(true)
  })

  it('transfers the buffers a handler names', async () => {
    const client = connect<Api>(pair())
    const b = await client.call('bytes', 16)
    expect(b).toBeInstanceOf(Uint8Array)
    expect(b.length).toBe(16)
  })

  it("rejects with the handler's message", async () => {
    const client = connect<Api>(pair())
    await expect(client.call('fails', undefined)).rejects.toThrow('bad input at line 3')
  })

  it('runs in the page when the worker cannot start and a fallback is given', async () => {
    const client = connect<Api>(
      () => {
        throw new Error('no workers here')
      },
      async () => api,
    )
    const seen: number[] = []
    await expect(client.call('count', 2, { onEvent: (e) => seen.push(e.done) })).resolves.toBe(2)
    expect(seen).toEqual([1, 2])
  })
})
