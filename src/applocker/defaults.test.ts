import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { addDefaultRules, defaultRules, isDefaultRuleId } from './defaults'
import { COLLECTION_TYPES, emptyPolicy, type Policy, type Rule } from './policy'
import { writePolicyXml } from './xml/write'

const corpus = readFileSync(
  fileURLToPath(new URL('./__fixtures__/corpus/liamsennitt-windows-default-rules.xml', import.meta.url)),
  'utf8',
)

/** The rules of the corpus file, read with plain regular expressions (independent of the XML reader). */
function corpusRules(type: string): Record<string, string>[] {
  const col = new RegExp(`<RuleCollection Type="${type}"[^>]*>([\\s\\S]*?)</RuleCollection>`).exec(corpus)
  if (!col) throw new Error(`no ${type} collection in the corpus file`)
  const rules: Record<string, string>[] = []
  for (const m of col[1].matchAll(/<(FilePathRule|FilePublisherRule) ([^>]*)>([\s\S]*?)<\/\1>/g)) {
    const attrs: Record<string, string> = { element: m[1] }
    for (const a of `${m[2]} ${m[3]}`.matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1]] = a[2]
    rules.push(attrs)
  }
  return rules
}

function asAttrs(rule: Rule): Record<string, string> {
  const out: Record<string, string> = {
    element: rule.kind === 'path' ? 'FilePathRule' : 'FilePublisherRule',
    Id: rule.id,
    Name: rule.name,
    Description: rule.description,
    UserOrGroupSid: rule.userOrGroupSid,
    Action: rule.action,
  }
  const c = rule.condition!
  if (c.kind === 'path') out.Path = c.path
  if (c.kind === 'publisher') {
    out.PublisherName = c.publisherName
    out.ProductName = c.productName
    out.BinaryName = c.binaryName
    out.LowSection = c.versionRange!.low
    out.HighSection = c.versionRange!.high
  }
  return out
}

describe('defaultRules', () => {
  it.each(COLLECTION_TYPES)(
    '%s matches what Windows writes, character for character and in order',
    (type) => {
      const expected = corpusRules(type)
      expect(expected.length).toBeGreaterThan(0)
      expect(defaultRules(type).map(asAttrs)).toEqual(expected)
    },
  )

  it('writes the Msi administrators rule as *.* and never gives exceptions', () => {
    const admin = defaultRules('Msi').find((r) => r.userOrGroupSid === 'S-1-5-32-544')!
    expect(admin.condition).toEqual({ kind: 'path', path: '*.*' })
    for (const t of COLLECTION_TYPES) for (const r of defaultRules(t)) expect(r.exceptions).toEqual([])
  })

  it('returns fresh objects each time', () => {
    const a = defaultRules('Exe')
    a[0].name = 'changed'
    expect(defaultRules('Exe')[0].name).toBe('(Default Rule) All files located in the Program Files folder')
  })

  it('knows the default Ids in either case', () => {
    expect(isDefaultRuleId('FD686D83-A829-4351-8FF4-27C7DE5755D2')).toBe(true)
    expect(isDefaultRuleId('00000000-0000-0000-0000-000000000000')).toBe(false)
  })
})

describe('addDefaultRules', () => {
  it('creates the collection and adds all rules to an empty policy', () => {
    const before = emptyPolicy()
    const r = addDefaultRules(before, 'Exe')
    expect(r.added).toBe(3)
    expect(r.skipped).toBe(0)
    expect(r.policy.collections).toHaveLength(1)
    expect(r.policy.collections[0].type).toBe('Exe')
    expect(r.policy.collections[0].enforcementMode).toBe('NotConfigured')
    expect(before.collections).toHaveLength(0)
  })

  it('a collection it creates is written before the policy\'s PolicyExtensions, which the schema wants last', () => {
    const before: Policy = {
      version: '1',
      collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules: [] }],
      extra: { children: [{ kind: 'unknown', name: 'PolicyExtensions', xml: '<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>', at: 1 }] },
    }
    const xml = writePolicyXml(addDefaultRules(before, 'Script').policy)
    expect(xml.indexOf('<RuleCollection Type="Script"')).toBeGreaterThan(xml.indexOf('<RuleCollection Type="Exe"'))
    expect(xml.lastIndexOf('</RuleCollection>')).toBeLessThan(xml.indexOf('<PolicyExtensions>'))
  })

  it('skips rules already present by Id and adds nothing the second time', () => {
    const once = addDefaultRules(emptyPolicy(), 'Msi').policy
    const twice = addDefaultRules(once, 'Msi')
    expect(twice.added).toBe(0)
    expect(twice.skipped).toBe(3)
    expect(twice.policy).toBe(once)
  })

  it('restores a default rule that was edited into something else (compared by content, not by Id)', () => {
    const once = addDefaultRules(emptyPolicy(), 'Exe').policy
    const edited = once.collections[0].rules.map((r, i): Rule =>
      i === 0 && r.kind === 'path' ? { ...r, condition: { kind: 'path', path: 'C:\\Tools\\*' } } : r,
    )
    const policy: Policy = { ...once, collections: [{ ...once.collections[0], rules: edited }] }
    const r = addDefaultRules(policy, 'Exe')
    expect(r.added).toBe(1)
    expect(r.skipped).toBe(2)
    expect(r.renamed).toBe(1)
    const rules = r.policy.collections[0].rules
    expect(rules).toHaveLength(4)
    const restored = rules[3]
    expect(restored.condition).toEqual(defaultRules('Exe')[0].condition)
    expect(restored.id).not.toBe(defaultRules('Exe')[0].id)
    expect(new Set(rules.map((x) => x.id.toLowerCase())).size).toBe(4)
    // the edited rule is left as the user made it
    expect(rules[0].condition).toEqual({ kind: 'path', path: 'C:\\Tools\\*' })
  })

  it('a default rule whose action or user changed is missing too', () => {
    const once = addDefaultRules(emptyPolicy(), 'Script').policy
    const rules = once.collections[0].rules.map((x, i) => (i === 1 ? { ...x, action: 'Deny' as const } : x))
    const r = addDefaultRules({ ...once, collections: [{ ...once.collections[0], rules }] }, 'Script')
    expect(r.added).toBe(1)
    expect(r.missing[0].action).toBe('Allow')
  })

  it('skips a rule with the same condition, user and action under another Id', () => {
    const policy: Policy = {
      version: '1',
      collections: [
        {
          type: 'Script',
          enforcementMode: 'AuditOnly',
          rules: [
            {
              kind: 'path',
              id: '11111111-2222-3333-4444-555555555555',
              name: 'My Windows rule',
              description: '',
              userOrGroupSid: 's-1-1-0',
              action: 'Allow',
              condition: { kind: 'path', path: '%windir%\\*' },
              exceptions: [],
            },
          ],
        },
      ],
    }
    const r = addDefaultRules(policy, 'Script')
    expect(r.added).toBe(2)
    expect(r.skipped).toBe(1)
    const col = r.policy.collections[0]
    expect(col.enforcementMode).toBe('AuditOnly')
    expect(col.rules.map((x) => x.name)).toEqual([
      'My Windows rule',
      '(Default Rule) All scripts located in the Program Files folder',
      '(Default Rule) All scripts',
    ])
    expect(policy.collections[0].rules).toHaveLength(1)
  })

  it('does not treat a Deny rule with the same path as present', () => {
    const base = addDefaultRules(emptyPolicy(), 'Dll').policy
    const col = base.collections[0]
    const denied: Policy = {
      ...base,
      collections: [
        {
          ...col,
          rules: col.rules.map((r) => ({ ...r, id: r.id.replace(/^./, '0'), action: 'Deny' as const })),
        },
      ],
    }
    expect(addDefaultRules(denied, 'Dll').added).toBe(3)
  })
})
