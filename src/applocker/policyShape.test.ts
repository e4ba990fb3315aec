import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { policyShapeProblem } from './policyShape'
import { readPolicy } from './xml/read'
import { generatePolicy } from '../testing/generate'
import { emptyPolicy } from './policy'

const CORPUS = join(__dirname, '__fixtures__', 'corpus')

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? corpusFiles(join(dir, e.name)) : e.name.endsWith('.xml') ? [join(dir, e.name)] : []))
}

describe('policyShapeProblem', () => {
  it('accepts every policy the reader opens, after a JSON round trip (what the browser stores)', () => {
    let opened = 0
    for (const file of corpusFiles(CORPUS)) {
      const r = readPolicy(readFileSync(file), { wrapRoots: true })
      if (!r.value) continue
      opened++
      expect(policyShapeProblem(JSON.parse(JSON.stringify(r.value))), file).toBeNull()
    }
    expect(opened).toBeGreaterThan(20)
    expect(policyShapeProblem(JSON.parse(JSON.stringify(generatePolicy(2_000, 7))))).toBeNull()
    expect(policyShapeProblem(emptyPolicy())).toBeNull()
  })

  it('names the first value of the wrong shape', () => {
    const good = JSON.parse(JSON.stringify(generatePolicy(5, 1))) as Record<string, unknown>
    expect(policyShapeProblem(null)).toBe('policy: expected an object, found null')
    expect(policyShapeProblem({ version: '1', collections: 'x' })).toBe('policy.collections: expected an array, found the string "x"')
    expect(policyShapeProblem({ version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules: [null] }] })).toBe(
      'policy.collections[0].rules[0]: expected an object, found null',
    )
    expect(policyShapeProblem({ version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enforced', rules: [] }] })).toMatch(/^policy\.collections\[0\]\.enforcementMode: expected one of/)
    const broken = structuredClone(good) as { collections: { rules: { condition?: unknown; exceptions?: unknown; name?: unknown }[] }[] }
    broken.collections[0].rules[0].name = 42
    expect(policyShapeProblem(broken)).toBe('policy.collections[0].rules[0].name: expected a string, found number 42')
    const noExceptions = structuredClone(good) as typeof broken
    delete noExceptions.collections[0].rules[0].exceptions
    expect(policyShapeProblem(noExceptions)).toMatch(/rules\[0\]\.exceptions: expected an array/)
    expect(policyShapeProblem({ version: '1', collections: [], notes: { before: [{ kind: 'comment', text: 1 }] } })).toBe('policy.notes.before[0].text: expected a string, found number 1')
    expect(policyShapeProblem({ version: '1', collections: [], notes: { before: [{ kind: 'comment', text: ' kept ' }], inside: [{ kind: 'pi', text: 'x', path: '', at: 0 }] } })).toBeNull()
  })

  it('tolerates what a later version may add: unknown fields and entries of other kinds', () => {
    const p = JSON.parse(JSON.stringify(generatePolicy(3, 2))) as { collections: { rules: { exceptions: unknown[] }[]; extra?: unknown }[]; note?: string }
    p.note = 'added later'
    p.collections[0].rules[0].exceptions.push({ kind: 'comment', text: ' kept ' })
    p.collections[0].extra = { children: [{ kind: 'comment', text: 'x' }] }
    expect(policyShapeProblem(p)).toBeNull()
    p.collections[0].rules[0].exceptions.push({ text: 'no kind' })
    expect(policyShapeProblem(p)).toMatch(/exceptions\[\d\]\.kind: expected a string/)
  })
})
