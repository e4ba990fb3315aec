import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { generatePolicy } from '../testing/generate'
import { readPolicy } from '../applocker/xml/read'
import { addRule, deleteRules, updateRule } from '../applocker/ops'
import type { Policy } from '../applocker/policy'
import { policyJson, policyJsonBlob, rememberRun } from './policyJson'

const corpus = path.resolve('src/applocker/__fixtures__/corpus')

describe('policyJson', () => {
  it('is JSON.stringify(policy) for every corpus file', async () => {
    const files = readdirSync(corpus).filter((f) => f.endsWith('.xml'))
    expect(files.length).toBeGreaterThan(10)
    for (const f of files) {
      const policy = readPolicy(readFileSync(path.join(corpus, f))).value
      if (!policy) continue
      expect(await policyJson(policy), f).toBe(JSON.stringify(policy))
    }
  })

  it('stays JSON.stringify(policy) through edits that change, insert and delete rules amid remembered runs', async () => {
    let policy: Policy = generatePolicy(3_500, 3)
    expect(await policyJson(policy)).toBe(JSON.stringify(policy))
    const type = policy.collections[0].type!
    const steps: ((p: Policy) => Policy)[] = [
      (p) => updateRule(p, type, 1_200, { ...p.collections[0].rules[1_200], name: 'renamed "rule" ]}' }),
      (p) => deleteRules(p, type, [0, 999, 1_000, 2_500]),
      (p) => addRule(p, type, { ...p.collections[0].rules[5], id: '00000000-0000-4000-8000-000000000001', name: 'added' }),
      (p) => ({ ...p, collections: p.collections.map((c, i) => (i === 0 ? { ...c, rules: [c.rules[10], ...c.rules] } : c)) }),
    ]
    for (const step of steps) {
      policy = step(policy)
      expect(await policyJson(policy)).toBe(JSON.stringify(policy))
    }
  })

  it('uses runs remembered from elsewhere (the import Worker) instead of serialising again', async () => {
    const policy = generatePolicy(30, 4)
    const rules = policy.collections[0].rules
    expect(rules.length).toBeGreaterThan(1)
    rememberRun(rules, rules.map(() => '{"remembered":true}'))
    expect(await policyJson(policy)).toContain(`[${rules.map(() => '{"remembered":true}').join(',')}]`)
  })

  it('is JSON.stringify(policy) when made of hundreds of runs (gathered into intermediate Blobs)', async () => {
    const policy = generatePolicy(6_000, 8)
    // Runs of 20 rules, as the import Worker would hand them: about 300 runs, more than one group each.
    for (const c of policy.collections) {
      for (let at = 0; at < c.rules.length; at += 20) {
        const slice = c.rules.slice(at, at + 20)
        rememberRun(slice, slice.map((r) => JSON.stringify(r)))
      }
    }
    expect(await policyJson(policy)).toBe(JSON.stringify(policy))
  })

  it('hands the same Blob for the same policy', async () => {
    const policy = generatePolicy(2_000, 7)
    const blob = await policyJsonBlob(policy)
    expect(await policyJsonBlob(policy)).toBe(blob)
    expect(blob.type).toBe('application/json')
    expect(await blob.text()).toBe(JSON.stringify(policy))
  })

  it('stops when aborted', async () => {
    const policy = generatePolicy(3_000, 5)
    const controller = new AbortController()
    const p = policyJson(policy, controller.signal)
    controller.abort()
    // Either it finished within one slice or it stopped at the next yield.
    await p.then((text) => expect(text).toBe(JSON.stringify(policy)), (e: Error) => expect(e.name).toBe('AbortError'))
    await expect(policyJson(generatePolicy(2, 6), controller.signal)).rejects.toThrow(/cancelled/)
  })

  it('makes the Blob once for callers that ask at the same time (the save and the review Worker)', async () => {
    const policy = generatePolicy(3_000, 8)
    const stringify = vi.spyOn(JSON, 'stringify')
    try {
      const [a, b] = await Promise.all([policyJsonBlob(policy), policyJsonBlob(policy, new AbortController().signal)])
      expect(b).toBe(a)
      // Each rule was written once, not once per caller.
      const rules = new Set<unknown>(policy.collections.flatMap((c) => c.rules))
      expect(stringify.mock.calls.filter(([v]) => rules.has(v)).length).toBe(rules.size)
      expect(await a.text()).toBe(JSON.stringify(policy))
    } finally {
      stringify.mockRestore()
    }
  })

  it('goes on for the callers that did not cancel, and stops when all have', async () => {
    const policy = generatePolicy(3_000, 9)
    const first = new AbortController()
    const second = new AbortController()
    const cancelled = policyJsonBlob(policy, first.signal)
    const kept = policyJsonBlob(policy, second.signal)
    first.abort()
    await expect(cancelled).rejects.toThrow(/cancelled/)
    expect(await (await kept).text()).toBe(JSON.stringify(policy))

    const other = generatePolicy(3_000, 10)
    const both = [new AbortController(), new AbortController()]
    const asked = both.map((c) => policyJsonBlob(other, c.signal))
    for (const c of both) c.abort()
    for (const p of asked) await expect(p).rejects.toThrow(/cancelled/)
    // A caller after that gets a Blob (a new build, not the stopped one).
    expect(await (await policyJsonBlob(other)).text()).toBe(JSON.stringify(other))
  })
})
