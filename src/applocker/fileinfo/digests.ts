/**
 * The digests Authenticode signatures use (SignTool /fd sha1|sha256|sha384|sha512), incremental,
 * pure JS (@noble/hashes: works in Node, a page and a Worker). SHA-256 of big files goes through
 * sha256.ts (WebAssembly when allowed); this is for the signature's own algorithm.
 */
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'

export type DigestName = 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512'

export interface Digest {
  update(data: Uint8Array): void
  digest(): Uint8Array
}

/** Whether a signature's digest algorithm is one this file can compute. */
export function isDigestName(name: string): name is DigestName {
  return name === 'SHA1' || name === 'SHA256' || name === 'SHA384' || name === 'SHA512'
}

export function createDigest(name: DigestName): Digest {
  const h = name === 'SHA1' ? sha1.create() : name === 'SHA256' ? sha256.create() : name === 'SHA384' ? sha384.create() : sha512.create()
  return { update: (d) => void h.update(d), digest: () => h.digest() }
}
