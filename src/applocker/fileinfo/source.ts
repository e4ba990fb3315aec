/**
 * Where a file's bytes come from. The reader asks for ranges, so a File (Blob) picked in the browser
 * is read piece by piece and never held in memory as a whole.
 */
export interface ByteSource {
  readonly size: number
  /** read() returns views of bytes already in memory: reading the whole file at once costs nothing. */
  readonly inMemory?: boolean
  /** The bytes read() returns are nobody else's: the reader may change them and leave them changed. */
  readonly owned?: boolean
  /** Bytes [offset, offset + length), clipped to the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>
}

/** Bytes in memory; `owned` when nobody else reads them (e.g. transferred to a Worker), so hashing may rearrange them. */
export function bytesSource(bytes: Uint8Array, owned = false): ByteSource {
  return {
    size: bytes.length,
    inMemory: true,
    owned,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  }
}

/** A Blob or File (browser, Worker, Node 20). */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    owned: true,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, Math.min(offset + length, blob.size)).arrayBuffer()),
  }
}
