/**
 * Incremental SHA-256 that works in Node, in a page and in a Worker.
 *
 * Files up to fileinfo.ts oneShotMax() (128 MiB to 1 GiB, from the device's memory) are hashed by
 * Web Crypto's one-shot `crypto.subtle.digest` when the context
 * has it (fileinfo.ts hashRanges: the hashed ranges are made contiguous in place, contiguous.ts, or
 * copied into one buffer). Beyond that, and
 * where Web Crypto is missing, hash-wasm (WebAssembly, streaming) is the engine: it is about twice as
 * fast as pure JS on big files (see hash.bench.ts) and hashes in chunks, so a multi-GB installer
 * never has to be in memory at once. WebAssembly can be refused (a Content
 * Security Policy without 'wasm-unsafe-eval'), so when it cannot be started the same interface
 * falls back to @noble/hashes (audited, pure JS, also incremental; already a dependency of pkijs).
 */
import { createSHA256 } from 'hash-wasm'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

export interface Sha256 {
  update(data: Uint8Array): void
  digest(): Uint8Array
}

export type Sha256Engine = 'hash-wasm' | 'noble'

let wasmUsable: Promise<boolean> | undefined

function wasmWorks(): Promise<boolean> {
  wasmUsable ??= createSHA256().then(
    () => true,
    () => false,
  )
  return wasmUsable
}

/** A fresh incremental SHA-256; `engine` forces one engine (benchmarks, tests). */
export async function createSha256(engine?: Sha256Engine): Promise<Sha256> {
  const useWasm = engine === 'hash-wasm' || (engine === undefined && (await wasmWorks()))
  if (useWasm) {
    const h = await createSHA256()
    h.init()
    return { update: (d) => void h.update(d), digest: () => h.digest('binary') }
  }
  const h = nobleSha256.create()
  return { update: (d) => void h.update(d), digest: () => h.digest() }
}

/** "0x" + 64 upper-case hex digits, the form AppLocker writes in FileHash@Data. */
export function toAppLockerHex(digest: Uint8Array): string {
  let s = '0x'
  for (const b of digest) s += b.toString(16).padStart(2, '0')
  return s.toUpperCase().replace(/^0X/, '0x')
}
