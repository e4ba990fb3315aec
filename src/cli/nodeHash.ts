/** SHA-256 by Node's OpenSSL (node:crypto, SHA-NI where the CPU has it): the command line's hasher. */
import { createHash } from 'node:crypto'
import type { Sha256 } from '../applocker/fileinfo/sha256'

export function nodeSha256(): Sha256 {
  const h = createHash('sha256')
  return {
    update: (d) => void h.update(d),
    digest: () => new Uint8Array(h.digest()),
  }
}
