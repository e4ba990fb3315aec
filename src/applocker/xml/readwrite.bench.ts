/**
 * Read and write speed on generated policies (no public policy has thousands of rules).
 *   npx vitest bench --run src/applocker/xml/readwrite.bench.ts
 * Sizes are printed once so MB/s can be worked out from the ms per operation.
 */
import { bench, describe } from 'vitest'
import { generatePolicy } from '../../testing/generate'
import { readPolicy } from './read'
import { encodePolicy, writePolicyXml } from './write'

for (const rules of [10_000, 50_000]) {
  const policy = generatePolicy(rules, 2026)
  const xml = writePolicyXml(policy)
  const utf8 = encodePolicy(policy, 'utf-8')
  const utf16 = encodePolicy(policy, 'utf-16le')
  console.log(`${rules} rules: UTF-8 ${(utf8.byteLength / 1e6).toFixed(1)} MB, UTF-16 LE ${(utf16.byteLength / 1e6).toFixed(1)} MB`)
  const opts = { iterations: rules > 10_000 ? 3 : 10, warmupIterations: 1, time: 0 }

  describe(`${rules} rules`, () => {
    bench(`read UTF-8 bytes (${(utf8.byteLength / 1e6).toFixed(1)} MB)`, () => {
      if (!readPolicy(utf8).value) throw new Error('refused')
    }, opts)
    bench(`read UTF-16 LE bytes (${(utf16.byteLength / 1e6).toFixed(1)} MB)`, () => {
      if (!readPolicy(utf16).value) throw new Error('refused')
    }, opts)
    bench('write XML text', () => {
      if (writePolicyXml(policy).length !== xml.length) throw new Error('unstable')
    }, opts)
    bench('encode UTF-16 LE bytes', () => {
      encodePolicy(policy, 'utf-16le')
    }, opts)
  })
}
