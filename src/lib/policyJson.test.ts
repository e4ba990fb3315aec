import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { generatePolicy } from '../applocker/testing/generate'
import { readPolicy } from '../applocker/xml/read'
import { policyJson, policyJsonBlob, policyJsonNow, rememberRuleJson } from './policyJson'
import { updateRule } from '../applocker/ops'

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

  it('after an edit, reuses the texts of unchanged rules and serialises only the new ones', async () => {
    const policy = generatePolicy(200, 3)
    const first = await policyJson(policy)
    expect(first).toBe(JSON.stringify(policy))
    const c = policy.collections[0]
    const edited = updateRule(policy, c.type!, 0, { ...c.rules[0], name: 'renamed "rule" ]}' })
    expect(await policyJson(edited)).toBe(JSON.stringify(edited))
    expect(policyJsonNow(edited)).toBe(JSON.stringify(edited))
  })

  it('uses texts remembered from elsewhere (the import Worker) instead of serialising again', async () => {
    const policy = generatePolicy(3, 4)
    const rule = policy.collections[0].rules[0]
    rememberRuleJson(rule, '{"remembered":true}')
    expect(await policyJson(policy)).toContain('{"remembered":true}')
    expect(policyJsonNow(policy)).toContain('{"remembered":true}')
  })

  it('hands the same Blob for the same policy, in pieces that make the whole text (several thousand rules)', async () => {
    const policy = generatePolicy(5_000, 7)
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
})
