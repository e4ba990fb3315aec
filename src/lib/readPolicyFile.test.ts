import { describe, expect, it } from 'vitest'
import { generatePolicy } from '../applocker/testing/generate'
import { writePolicyXml } from '../applocker/xml/write'
import { isAbortError, readPolicyFile, type ReadPolicyProgress } from './readPolicyFile'

// No Workers in Node: the reader's handlers run in the page (the same code the Worker runs).
describe('readPolicyFile', () => {
  it('reads a policy in slices, with progress', async () => {
    const policy = generatePolicy(2500, 1)
    const seen: ReadPolicyProgress[] = []
    const r = await readPolicyFile(new TextEncoder().encode(writePolicyXml(policy)), { json: true, onProgress: (p) => seen.push(p) })
    expect(r.policy?.collections.reduce((n, c) => n + c.rules.length, 0)).toBe(2500)
    expect(JSON.parse(r.json!)).toEqual(r.policy)
    expect(seen.some((p) => p.phase === 'parsing')).toBe(true)
    expect(seen.at(-1)).toEqual({ phase: 'receiving', done: 2500, total: 2500 })
  })

  it('a refused file comes back as located diagnostics, not an exception', async () => {
    const r = await readPolicyFile(new TextEncoder().encode('<AppLockerPolicy Version="1">\n<RuleCollection'))
    expect(r.policy).toBeNull()
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.line !== undefined)).toBe(true)
  })

  it('rejects with an AbortError when cancelled', async () => {
    const controller = new AbortController()
    const read = readPolicyFile(new TextEncoder().encode(writePolicyXml(generatePolicy(100, 1))), { signal: controller.signal })
    controller.abort()
    expect(isAbortError(await read.catch((e: unknown) => e))).toBe(true)
  })
})
