/**
 * Review policy on a 50,000-rule policy (the size the rule list must stay smooth with).
 * Run: npx vitest bench --run src/applocker/review/review.bench.ts
 */
import { bench, describe } from 'vitest'
import { addDefaultRules } from '../defaults'
import { diffPolicies } from '../diff'
import { reviewPolicy } from './index'
import { mergePolicies, previewMerge } from '../merge'
import { emptyPolicy, type Policy, type Rule } from '../policy'

/** n Exe rules: a third each path (10% Deny), publisher and hash, 50 domain groups. */
function bigPolicy(n: number, idOffset = 0): Policy {
  let p = emptyPolicy()
  for (const t of ['Exe', 'Appx', 'Dll'] as const) p = addDefaultRules(p, t).policy
  const rules: Rule[] = []
  for (let i = 0; i < n; i++) {
    const id = `${(i + idOffset).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`
    const base = { id, name: `rule ${i}`, description: '', exceptions: [] }
    if (i % 3 === 0)
      rules.push({
        ...base,
        kind: 'path',
        userOrGroupSid: `S-1-5-21-1-2-3-${1000 + (i % 50)}`,
        action: i % 10 === 0 ? 'Deny' : 'Allow',
        condition: { kind: 'path', path: `%PROGRAMFILES%\\Vendor${i % 500}\\App${i}\\*` },
      })
    else if (i % 3 === 1)
      rules.push({
        ...base,
        kind: 'publisher',
        userOrGroupSid: 'S-1-1-0',
        action: 'Allow',
        condition: {
          kind: 'publisher',
          publisherName: `O=VENDOR ${i % 300}, C=US`,
          productName: `PRODUCT ${i}`,
          binaryName: `APP${i}.EXE`,
          versionRange: { low: '1.0.0.0', high: '*' },
        },
      })
    else
      rules.push({
        ...base,
        kind: 'hash',
        userOrGroupSid: 'S-1-1-0',
        action: 'Allow',
        condition: {
          kind: 'hash',
          hashes: [
            { type: 'SHA256', data: `0x${i.toString(16).padStart(64, '0')}`, sourceFileName: `f${i}.exe` },
          ],
        },
      })
  }
  return {
    ...p,
    collections: p.collections.map((c) =>
      c.type === 'Exe' ? { ...c, enforcementMode: 'Enabled', rules: [...c.rules, ...rules] } : c,
    ),
  }
}

const a = bigPolicy(50_000)
const b = bigPolicy(50_000, 7)

describe('50,000 rules', () => {
  bench('reviewPolicy', () => void reviewPolicy(a), { iterations: 3, warmupIterations: 1 })
  bench('diffPolicies', () => void diffPolicies(a, b), { iterations: 5, warmupIterations: 1 })
  bench('previewMerge', () => void previewMerge(a, b), { iterations: 5, warmupIterations: 1 })
  bench('mergePolicies', () => void mergePolicies(a, b), { iterations: 5, warmupIterations: 1 })
})
