import { describe, expect, it } from 'vitest'
import { generatePolicy } from '../testing/generate'
import { readPolicy } from '../applocker/xml/read'
import { writePolicyXml } from '../applocker/xml/write'
import { policyJson } from './policyJson'
import { isAbortError, readPolicyFile, readSaveInWorker, type ReadPolicyProgress } from './readPolicyFile'
import { formatSave, formatSaveBlob, readSave } from './savedDocument'

// No Workers in Node: the reader's handlers run in the page (the same code the Worker runs).
describe('readPolicyFile', () => {
  it('reads a policy in slices, with progress', async () => {
    const policy = generatePolicy(2500, 1)
    const seen: ReadPolicyProgress[] = []
    const bytes = new TextEncoder().encode(writePolicyXml(policy))
    const r = await readPolicyFile(bytes, { onProgress: (p) => seen.push(p) })
    expect(r.policy?.collections.reduce((n, c) => n + c.rules.length, 0)).toBe(2500)
    // The rules arrive as JSON texts: the same policy as the reader's, and its JSON is made from them.
    const direct = readPolicy(bytes).value!
    expect(r.policy).toEqual(JSON.parse(JSON.stringify(direct)))
    expect(await policyJson(r.policy!)).toBe(JSON.stringify(direct))
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

describe('readSaveInWorker', () => {
  it('reads a save (Blob or text) as readSave does, and the policy\'s JSON is made from the texts it received', async () => {
    const policy = generatePolicy(2500, 2)
    const state = { policy, name: 'Saved "x"', dirty: true }
    const at = new Date('2026-01-01T00:00:00Z')
    const text = formatSave(4, state, undefined, at)
    for (const save of [text, formatSaveBlob(4, state, new Blob([JSON.stringify(policy)]), at)]) {
      const r = await readSaveInWorker(save)
      expect(r).toEqual(readSave(text))
      expect(r.ok && (await policyJson(r.doc.state.policy))).toBe(JSON.stringify(policy))
    }
  })

  it('reports a migrated save and an unreadable one as readSave does', async () => {
    const v1 = JSON.stringify({ state: { policy: generatePolicy(10, 3), name: 'Old', dirty: false }, version: 1 })
    expect(await readSaveInWorker(v1)).toEqual(readSave(v1))
    expect(await readSaveInWorker(new Blob([v1]))).toEqual({ ...readSave(v1), migratedFrom: 1 })
    const cut = formatSave(3, { policy: generatePolicy(20, 4), name: 'P', dirty: false }).slice(0, 500)
    const r = await readSaveInWorker(new Blob([cut]))
    expect(r).toEqual(readSave(cut))
    expect(!r.ok && r.reason).toMatch(/cut short/)
  })
})
