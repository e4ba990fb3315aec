import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPolicy } from '../applocker/xml/read'
import { generatePolicy } from '../testing/generate'
import { encodePolicy } from '../applocker/xml/write'
import { policyJsonBlob } from '../lib/policyJson'
import { reviewApi } from './review.api'
import { diffPolicies, resolveDiff, type PlacedDiff } from '../applocker/diff'

describe('review Worker: Export of a large policy (encode)', () => {
  it('writes the bytes encodePolicy writes, in both encodings', async () => {
    const policy = generatePolicy(300, 9)
    const json = await policyJsonBlob(policy)
    for (const encoding of ['utf-8', 'utf-16le'] as const) {
      const blob = await reviewApi.encode({ policy: { key: 9_001, json }, encoding })
      expect(new Uint8Array(await blob.arrayBuffer())).toEqual(encodePolicy(policy, encoding))
    }
  })

  it('writes every corpus policy from its JSON exactly as from the policy itself (comments, unknown elements, notes)', async () => {
    const corpus = path.resolve('src/applocker/__fixtures__/corpus')
    let key = 10_000
    for (const f of readdirSync(corpus).filter((x) => x.endsWith('.xml'))) {
      const policy = readPolicy(readFileSync(path.join(corpus, f))).value
      if (!policy) continue
      const blob = await reviewApi.encode({ policy: { key: ++key, json: await policyJsonBlob(policy) }, encoding: 'utf-8' })
      expect(new TextDecoder().decode(await blob.arrayBuffer()), f).toBe(new TextDecoder().decode(encodePolicy(policy, 'utf-8')))
    }
  })
})

describe("review Worker: Compare's diff of large policies (diff)", () => {
  it('answers the diff as JSON text naming rules by place, which resolves to diffPolicies of the two policies', async () => {
    const a = generatePolicy(3_000, 21)
    const b = generatePolicy(2_000, 22)
    const text = await reviewApi.diff({ a: { key: 20_001, json: await policyJsonBlob(a) }, b: { key: 20_002, json: await policyJsonBlob(b) } })
    expect(typeof text).toBe('string')
    const direct = diffPolicies(a, b)
    expect(resolveDiff(JSON.parse(text) as PlacedDiff, a, b)).toEqual(direct)
    // The two policies stay read: asking again about either, in either order, reads no Blob again.
    const again = await reviewApi.diff({ b: { key: 20_001, json: new Blob(['not JSON']) }, a: { key: 20_002, json: new Blob(['not JSON']) } })
    expect(resolveDiff(JSON.parse(again) as PlacedDiff, b, a)).toEqual(diffPolicies(b, a))
  })
})
