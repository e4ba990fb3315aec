/**
 * Hashing throughput. MB/s = hz × the size in the name (20.97 MB = 20 MiB).
 *   npx vitest bench --run src/applocker/fileinfo/hash.bench.ts
 */
import { bench, describe } from 'vitest'
import { synthPe } from '../../testing/synth-pe'
import { getFileInformation, getFileInformationFromSource } from './fileinfo'
import { createSha256 } from './sha256'
import { blobSource } from './source'

const MiB = 1024 * 1024
const pe = synthPe({ sections: [8 * MiB, 8 * MiB, 4 * MiB - 0x400], overlay: 5 }) // ~20 MiB PE32+
const flat = pe.slice()
flat[0] = 0 // not "MZ": hashed as a flat file
const blob = new Blob([pe.slice().buffer])

async function rawHash(engine: 'hash-wasm' | 'noble') {
  const h = await createSha256(engine)
  for (let p = 0; p < flat.length; p += 4 * MiB) h.update(flat.subarray(p, p + 4 * MiB))
  h.digest()
}

describe('SHA-256 of 20 MiB (20.97 MB)', () => {
  bench('Authenticode hash of a PE (getFileInformation, bytes in memory)', async () => {
    await getFileInformation('big.exe', pe)
  })
  bench('Authenticode hash of a PE read from a Blob in 4 MiB slices (as the Worker does)', async () => {
    await getFileInformationFromSource('big.exe', blobSource(blob))
  })
  bench('flat hash of a non-PE file (getFileInformation)', async () => {
    await getFileInformation('big.bin', flat)
  })
  bench('raw incremental SHA-256: hash-wasm', async () => rawHash('hash-wasm'))
  bench('raw incremental SHA-256: @noble/hashes (fallback when WebAssembly is refused)', async () => rawHash('noble'))
})
