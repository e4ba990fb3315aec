/**
 * Runs in Chromium (scripts/bench-browser.ts bundles and serves it): file hashing as the app does
 * it against Web Crypto's one-shot digest of the same bytes, interleaved in one run.
 */
import { synthPe } from '../../src/testing/synth-pe'
import { getFileInformation, getFileInformationFromSource, oneShotMax } from '../../src/applocker/fileinfo/fileinfo'
import { createSha256 } from '../../src/applocker/fileinfo/sha256'
import { blobSource } from '../../src/applocker/fileinfo/source'

export interface BrowserRow {
  what: string
  ms: number
  digestMs: number
  mb: number
}

async function best(fns: Array<() => Promise<unknown>>, runs: number): Promise<number[]> {
  for (const f of fns) await f()
  const out = fns.map(() => Infinity)
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const t = performance.now()
      await fns[k]()
      out[k] = Math.min(out[k], performance.now() - t)
    }
  }
  return out
}

async function run(): Promise<BrowserRow[]> {
  const MiB = 1024 * 1024
  const pe = synthPe({ sections: [8 * MiB, 8 * MiB, 4 * MiB - 0x400], overlay: 5 }) as Uint8Array<ArrayBuffer>
  const flat = pe.slice()
  flat[0] = 0
  const blob = new Blob([pe.slice()])
  const mb = pe.length / 1e6
  const digest = () => crypto.subtle.digest('SHA-256', pe)
  const check = async (r: Promise<{ value: { hash: string | null } | null }>) => {
    if (!(await r).value?.hash) throw new Error('no hash')
  }
  // The in-place path (contiguous.ts) must give the streaming hasher's hash and leave the bytes as they were.
  const original = pe.slice()
  const inPlace = (await getFileInformation('big.exe', pe)).value?.hash
  const streamed = (await getFileInformation('big.exe', pe, { createSha256: () => createSha256('hash-wasm') })).value?.hash
  const fromBlob = (await getFileInformationFromSource('big.exe', blobSource(blob))).value?.hash
  if (!inPlace || inPlace !== streamed || fromBlob !== streamed) throw new Error(`hashes differ: ${inPlace} / ${fromBlob} / ${streamed}`)
  if (pe.some((b, i) => b !== original[i])) throw new Error('the PE bytes were changed by hashing')
  const blobDigest = async () => crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  const [authMs, blobMs, flatMs, wasmMs, digestMs, blobDigestMs] = await best(
    [
      () => check(getFileInformation('big.exe', pe)),
      () => check(getFileInformationFromSource('big.exe', blobSource(blob))),
      () => check(getFileInformation('big.bin', flat)),
      () => check(getFileInformation('big.exe', pe, { createSha256: () => createSha256('hash-wasm') })),
      digest,
      blobDigest,
    ],
    15,
  )
  // A file over 128 MiB read from a Blob (as the Worker reads a File): one-shot up to oneShotMax()
  // (from navigator.deviceMemory), streamed through hash-wasm beyond it.
  const bigBlob = new Blob([synthPe({ sections: [96 * MiB, 96 * MiB, 8 * MiB - 0x400], overlay: 5 }) as Uint8Array<ArrayBuffer>])
  const bigMb = bigBlob.size / 1e6
  const limitMiB = oneShotMax() / MiB
  const [bigMs, bigDigestMs] = await best(
    [() => check(getFileInformationFromSource('huge.exe', blobSource(bigBlob))), async () => crypto.subtle.digest('SHA-256', await bigBlob.arrayBuffer())],
    5,
  )
  const memory = (navigator as { deviceMemory?: number }).deviceMemory
  return [
    { what: `Authenticode SHA-256 of a ${bigMb.toFixed(0)} MB PE from a Blob (deviceMemory ${memory ?? 'unknown'} GiB: one-shot limit ${limitMiB} MiB; vs Blob.arrayBuffer() + digest)`, ms: bigMs, digestMs: bigDigestMs, mb: bigMb },
    { what: `Authenticode SHA-256 of a ${mb.toFixed(1)} MB PE (getFileInformation, bytes in memory)`, ms: authMs, digestMs, mb },
    { what: `The same PE from a Blob, as the file-information Worker reads a File`, ms: blobMs, digestMs, mb },
    { what: `The same PE from a Blob (vs Blob.arrayBuffer() + digest, the least a File costs)`, ms: blobMs, digestMs: blobDigestMs, mb },
    { what: `Flat SHA-256 of a ${mb.toFixed(1)} MB file (getFileInformation)`, ms: flatMs, digestMs, mb },
    { what: `Authenticode SHA-256 streamed through hash-wasm (files over the one-shot limit; before: every file)`, ms: wasmMs, digestMs, mb },
  ]
}

;(globalThis as { runBench?: () => Promise<BrowserRow[]> }).runBench = run
