/**
 * Where a file's bytes come from. The reader asks for ranges, so a File (Blob) picked in the browser
 * is read piece by piece and never held in memory as a whole.
 */
export interface ByteSource {
  readonly size: number
  /** Bytes [offset, offset + length), clipped to the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  }
}

/** A Blob or File (browser, Worker, Node 20). */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, Math.min(offset + length, blob.size)).arrayBuffer()),
  }
}
