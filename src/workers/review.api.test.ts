import { describe, expect, it } from 'vitest'
import { generatePolicy } from '../testing/generate'
import { encodePolicy } from '../applocker/xml/write'
import { policyJsonBlob } from '../lib/policyJson'
import { reviewApi } from './review.api'

describe('review Worker: Export of a large policy (encode)', () => {
  it('writes the bytes encodePolicy writes, in both encodings', async () => {
    const policy = generatePolicy(300, 9)
    const json = await policyJsonBlob(policy)
    for (const encoding of ['utf-8', 'utf-16le'] as const) {
      const blob = await reviewApi.encode({ policy: { key: 9_001, json }, encoding })
      expect(new Uint8Array(await blob.arrayBuffer())).toEqual(encodePolicy(policy, encoding))
    }
  })
})
