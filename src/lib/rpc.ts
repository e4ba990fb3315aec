/**
 * One way to talk to a Worker: a small typed RPC. The worker `serve`s an object of handlers; the
 * page `connect`s to it and calls them by name with typed input, output and progress events, an
 * AbortSignal to cancel, and Transferables to move buffers instead of copying them.
 *
 *   // src/workers/x.worker.ts
 *   const api = { count: (policy: Policy, ctx: CallContext<{ done: number }>) => ... }
 *   export type XApi = typeof api
 *   serve(api)
 *
 *   // page
 *   const x = connect<XApi>(() => new Worker(new URL('../workers/x.worker.ts', import.meta.url), { type: 'module' }))
 *   const n = await x.call('count', policy, { signal, onEvent: (p) => ... })
 *
 * A call that is cancelled rejects with an AbortError once the worker has stopped it (handlers see
 * `ctx.signal` and stop between slices). When the Worker cannot start or fails, pending calls are
 * rejected, or, when `fallback` is given, run again in the page with the same handlers.
 */

/** What a handler gets besides its input. */
export interface CallContext<E = never> {
  /** Aborted when the caller cancels. */
  signal: AbortSignal
  /** Sends a progress event (or a partial result) to the caller. */
  emit: (event: E, transfer?: Transferable[]) => void
  /** Buffers of the result to transfer rather than copy. */
  transfer: (...buffers: Transferable[]) => void
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's own handlers give the types
type AnyHandler = (input: any, ctx: CallContext<any>) => unknown
export type WorkerApi = Record<string, AnyHandler>

export type InputOf<H> = H extends (input: infer I, ctx: CallContext<infer _E>) => unknown ? I : never
export type OutputOf<H> = H extends (...args: never[]) => infer O ? Awaited<O> : never
export type EventOf<H> = H extends (input: never, ctx: CallContext<infer E>) => unknown ? E : never

export interface CallOptions<E> {
  signal?: AbortSignal
  onEvent?: (event: E) => void
  transfer?: Transferable[]
}

type ToWorker = { id: number; method: string; input: unknown } | { id: number; cancel: true }
type FromWorker =
  | { id: number; event: unknown }
  | { id: number; result: unknown }
  | { id: number; error: string; aborted: boolean }

/** The error a cancelled call rejects with. */
export function abortError(): Error {
  return new DOMException('The operation was cancelled.', 'AbortError')
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError'
}

/** Runs one handler with its context; the result and the buffers to transfer with it. */
async function invoke(api: WorkerApi, method: string, input: unknown, signal: AbortSignal, emit: (event: unknown, transfer?: Transferable[]) => void) {
  const handler = api[method]
  if (!handler) throw new Error(`No such worker method: ${method}`)
  const transfer: Transferable[] = []
  const result = await handler(input, { signal, emit, transfer: (...b) => transfer.push(...b) })
  if (signal.aborted) throw abortError()
  return { result, transfer }
}

/** Worker side: answers calls to `api` (call it once at the top of the worker module). */
export function serve(api: WorkerApi, scope: DedicatedWorkerGlobalScopeLike = self as unknown as DedicatedWorkerGlobalScopeLike): void {
  const running = new Map<number, AbortController>()
  scope.onmessage = (e: MessageEvent<ToWorker>) => {
    const msg = e.data
    if ('cancel' in msg) {
      running.get(msg.id)?.abort()
      return
    }
    const controller = new AbortController()
    running.set(msg.id, controller)
    const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer)
    invoke(api, msg.method, msg.input, controller.signal, (event, transfer) => post({ id: msg.id, event }, transfer))
      .then(
        ({ result, transfer }) => post({ id: msg.id, result }, transfer),
        (err: unknown) => post({ id: msg.id, error: err instanceof Error ? err.message : String(err), aborted: controller.signal.aborted || isAbortError(err) }),
      )
      .finally(() => running.delete(msg.id))
  }
}

/** The part of a worker's global scope `serve` uses (a MessagePort-like object in tests). */
export interface DedicatedWorkerGlobalScopeLike {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null
  postMessage: (message: unknown, transfer: Transferable[]) => void
}

interface Pending {
  method: string
  input: unknown
  options: CallOptions<unknown>
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

export interface WorkerClient<A extends WorkerApi> {
  call<K extends keyof A & string>(method: K, input: InputOf<A[K]>, options?: CallOptions<EventOf<A[K]>>): Promise<OutputOf<A[K]>>
  /** Stops the Worker; pending calls reject. The next call starts a new one. */
  dispose(): void
}

/**
 * Page side: a client for the worker `create` starts (lazily, on the first call). `fallback`
 * loads the same handlers for the page's thread, used when Workers are unavailable or fail.
 */
export function connect<A extends WorkerApi>(create: () => Worker, fallback?: () => Promise<A>): WorkerClient<A> {
  let worker: Worker | null = null
  let broken = false
  let nextId = 0
  const pending = new Map<number, Pending>()

  const runInPage = (p: Pending) => {
    const controller = new AbortController()
    if (p.options.signal?.aborted) controller.abort()
    p.options.signal?.addEventListener('abort', () => controller.abort())
    fallback!()
      .then((api) => invoke(api, p.method, p.input, controller.signal, (event) => p.options.onEvent?.(event)))
      .then(({ result }) => p.resolve(result), p.reject)
  }

  const fail = (message: string) => {
    worker?.terminate()
    worker = null
    const waiting = [...pending.values()]
    pending.clear()
    if (fallback) {
      broken = true
      waiting.forEach(runInPage)
    } else {
      waiting.forEach((p) => p.reject(new Error(message)))
    }
  }

  const receive = (msg: FromWorker) => {
    const p = pending.get(msg.id)
    if (!p) return
    if ('event' in msg) {
      p.options.onEvent?.(msg.event)
      return
    }
    pending.delete(msg.id)
    if ('result' in msg) p.resolve(msg.result)
    else p.reject(msg.aborted ? abortError() : new Error(msg.error))
  }

  const ensure = (): Worker | null => {
    if (worker || broken) return worker
    try {
      worker = create()
    } catch (e) {
      if (!fallback) throw e
      broken = true
      return null
    }
    worker.onmessage = (e: MessageEvent<FromWorker>) => receive(e.data)
    worker.onerror = (e) => {
      e.preventDefault?.()
      fail(e.message || 'The worker stopped unexpectedly.')
    }
    return worker
  }

  return {
    call(method, input, options = {}) {
      return new Promise((resolve, reject) => {
        const p: Pending = { method, input, options: options as CallOptions<unknown>, resolve: resolve as (v: unknown) => void, reject }
        if (options.signal?.aborted) return reject(abortError())
        const w = ensure()
        if (!w) return runInPage(p)
        const id = ++nextId
        pending.set(id, p)
        options.signal?.addEventListener('abort', () => {
          if (pending.has(id)) w.postMessage({ id, cancel: true } satisfies ToWorker)
        })
        w.postMessage({ id, method, input } satisfies ToWorker, options.transfer ?? [])
      })
    },
    dispose() {
      worker?.terminate()
      worker = null
      const waiting = [...pending.values()]
      pending.clear()
      waiting.forEach((p) => p.reject(abortError()))
    },
  }
}
