import { describe, expect, it } from 'vitest'
import {
  addRule,
  addRules,
  conditionKey,
  copyRules,
  defaultRuleName,
  deleteRules,
  dllDisableWarning,
  duplicateRules,
  ensureCollection,
  getExtensions,
  isDllCollectionEnabled,
  moveRules,
  organisationOf,
  setDllCollectionEnabled,
  setEnforcementMode,
  setExtensions,
  setRulesAction,
  setRulesUser,
  updateRule,
} from './ops'
import { addDefaultRules } from './defaults'
import type { CollectionType, Policy, Rule } from './policy'
import { pathRule } from '../testing/builders'
import { readPolicy } from './xml/read'
import { writePolicyXml } from './xml/write'

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}


const hashRule: Rule = {
  kind: 'hash',
  id: 'aaaaaaaa-0000-0000-0000-000000000003',
  name: 'tool.exe',
  description: '',
  userOrGroupSid: 'S-1-1-0',
  action: 'Allow',
  condition: {
    kind: 'hash',
    hashes: [{ type: 'SHA256', data: '0x' + 'AB'.repeat(32), sourceFileName: 'tool.exe' }],
  },
  exceptions: [],
}

/** A frozen policy: any mutation by an operation throws in strict mode. */
function base(): Policy {
  return deepFreeze({
    version: '1',
    collections: [
      {
        type: 'Exe',
        enforcementMode: 'AuditOnly',
        rules: [
          pathRule('aaaaaaaa-0000-0000-0000-000000000001', '%WINDIR%\\*'),
          pathRule('aaaaaaaa-0000-0000-0000-000000000002', '%PROGRAMFILES%\\*', {
            exceptions: [{ kind: 'path', path: '%PROGRAMFILES%\\Temp\\*' }],
          }),
          hashRule,
        ],
      },
      { type: 'Script', enforcementMode: 'Enabled', rules: [] },
    ],
  } satisfies Policy)
}

const ids = (p: Policy, t: string) => p.collections.find((c) => c.type === t)?.rules.map((r) => r.id) ?? []

describe('collections and enforcement', () => {
  it('ensureCollection adds an empty Not configured collection once', () => {
    const p = base()
    const q = ensureCollection(p, 'Msi')
    expect(q.collections.map((c) => c.type)).toEqual(['Exe', 'Script', 'Msi'])
    expect(q.collections[2]).toEqual({ type: 'Msi', enforcementMode: 'NotConfigured', rules: [] })
    expect(ensureCollection(q, 'Msi')).toBe(q)
    expect(q.collections[0]).toBe(p.collections[0])
  })

  it('setEnforcementMode changes one collection and shares the rest', () => {
    const p = base()
    const q = setEnforcementMode(p, 'Exe', 'Enabled')
    expect(q.collections[0].enforcementMode).toBe('Enabled')
    expect(p.collections[0].enforcementMode).toBe('AuditOnly')
    expect(q.collections[1]).toBe(p.collections[1])
    expect(setEnforcementMode(q, 'Exe', 'Enabled')).toBe(q)
  })

  it('setEnforcementMode clears a kept invalid raw value', () => {
    const p = deepFreeze<Policy>({
      version: '1',
      collections: [
        {
          type: 'Exe',
          enforcementMode: 'NotConfigured',
          rules: [],
          extra: { invalid: { EnforcementMode: 'Enforced' } },
        },
      ],
    })
    const q = setEnforcementMode(p, 'Exe', 'NotConfigured')
    expect(q.collections[0].extra?.invalid).toBeUndefined()
  })

  it('setExtensions writes Threshold and Redstone together and null/null removes them', () => {
    const p = base()
    const q = setExtensions(p, 'Exe', { services: 'Enabled', systemApps: null })
    expect(q.collections[0].extensions).toEqual({
      threshold: true,
      redstone: true,
      services: { enforcementMode: 'Enabled' },
    })
    expect(getExtensions(q, 'Exe')).toEqual({ services: 'Enabled', systemApps: null })
    const r = setExtensions(q, 'Exe', { services: 'Enabled', systemApps: 'Enabled' })
    expect(r.collections[0].extensions).toEqual({
      threshold: true,
      redstone: true,
      services: { enforcementMode: 'Enabled' },
      systemApps: { allow: 'Enabled' },
    })
    const s = setExtensions(r, 'Exe', { services: null, systemApps: null })
    expect(s.collections[0].extensions).toBeUndefined()
    expect('extensions' in s.collections[0]).toBe(false)
    expect(r.collections[0].extensions?.systemApps).toEqual({ allow: 'Enabled' })
  })

  it('setExtensions creates a Dll collection when needed', () => {
    const q = setExtensions(base(), 'Dll', { services: 'ServicesOnly', systemApps: 'NotEnabled' })
    expect(getExtensions(q, 'Dll')).toEqual({ services: 'ServicesOnly', systemApps: 'NotEnabled' })
  })

  it('enabling and disabling the DLL collection', () => {
    const p = base()
    expect(isDllCollectionEnabled(p)).toBe(false)
    const on = setDllCollectionEnabled(p, true)
    expect(on.collections.some((c) => c.type === 'Dll')).toBe(true)
    const withRules = setEnforcementMode(addDefaultRules(on, 'Dll').policy, 'Dll', 'Enabled')
    expect(isDllCollectionEnabled(withRules)).toBe(true)
    expect(dllDisableWarning(withRules)).toMatch(/removes its 3 rules/)
    const off = setDllCollectionEnabled(withRules, false)
    expect(isDllCollectionEnabled(off)).toBe(false)
    expect(dllDisableWarning(off)).toBeNull()
    expect(ids(withRules, 'Dll')).toHaveLength(3)
    expect(setDllCollectionEnabled(p, false)).toBe(p)
  })
})

describe('what the edits write: schema order of the elements kept verbatim', () => {
  const G = '921cc481-6e17-4653-8f75-050b80acca20'
  const rule = `<FilePathRule Id="${G}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="*" /></Conditions></FilePathRule>`
  const order = (xml: string, ...needles: string[]) => needles.map((n) => xml.indexOf(n))

  it('setExtensions (Configure rule enforcement) writes SystemApps before a kept OriginDataRevocation', () => {
    const p = readPolicy(
      `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled">${rule}<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="Enabled" /></ThresholdExtensions><RedstoneExtensions><OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="1" /></RedstoneExtensions></RuleCollectionExtensions></RuleCollection></AppLockerPolicy>`,
    ).value!
    const xml = writePolicyXml(setExtensions(p, 'Exe', { services: 'Enabled', systemApps: 'Enabled' }))
    const [systemApps, odr] = order(xml, '<SystemApps Allow="Enabled" />', '<OriginDataRevocation ')
    expect(systemApps).toBeGreaterThan(0)
    expect(systemApps).toBeLessThan(odr)
  })

  it('a collection created by an edit is written before PolicyExtensions (ensureCollection, addRule, setExtensions, addDefaultRules)', () => {
    const p = readPolicy(`<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled">${rule}</RuleCollection><PolicyExtensions><ThresholdExtensions /></PolicyExtensions></AppLockerPolicy>`).value!
    const edits: [string, Policy][] = [
      ['ensureCollection', ensureCollection(p, 'Script')],
      ['addRule', addRule(p, 'Script', pathRule('a61c8b2c-a319-4cd0-9690-d2177cad7b51', '%WINDIR%\\*'))],
      ['setExtensions', setExtensions(p, 'Dll', { services: 'Enabled', systemApps: 'Enabled' })],
      ['addDefaultRules', addDefaultRules(p, 'Msi').policy],
    ]
    for (const [name, q] of edits) {
      const xml = writePolicyXml(q)
      expect(xml.match(/<RuleCollection /g), name).toHaveLength(2)
      expect(xml.lastIndexOf('<RuleCollection '), name).toBeLessThan(xml.indexOf('<PolicyExtensions>'))
      expect(xml.lastIndexOf('</RuleCollection>'), name).toBeLessThan(xml.indexOf('<PolicyExtensions>'))
    }
  })
})

describe('rule operations never mutate their input', () => {
  it('addRule appends, and renews an Id already in use', () => {
    const p = base()
    const q = addRule(p, 'Script', pathRule('aaaaaaaa-0000-0000-0000-000000000001', '%OSDRIVE%\\Tools\\*'))
    expect(ids(q, 'Script')).toHaveLength(1)
    expect(ids(q, 'Script')[0]).not.toBe('aaaaaaaa-0000-0000-0000-000000000001')
    const r = addRule(p, 'Msi', pathRule('bbbbbbbb-0000-0000-0000-000000000001', '*.msi'))
    expect(ids(r, 'Msi')).toEqual(['bbbbbbbb-0000-0000-0000-000000000001'])
    expect(p.collections).toHaveLength(2)
  })

  it('addRules gives what addRule one rule after the other gives, in one pass', () => {
    const p = base()
    const taken = p.collections[0].rules[0].id
    const additions: { collection: CollectionType; rule: Rule }[] = [
      { collection: 'Script', rule: pathRule('cccccccc-0000-0000-0000-000000000001', '%OSDRIVE%\\A\\*') },
      { collection: 'Exe', rule: pathRule(taken.toUpperCase(), '%OSDRIVE%\\B\\*') }, // taken: renewed
      { collection: 'Msi', rule: pathRule('', '*.msi') }, // empty: a new one
      { collection: 'Script', rule: pathRule('CCCCCCCC-0000-0000-0000-000000000001', '%OSDRIVE%\\C\\*') }, // taken by the first addition
      { collection: 'Appx', rule: pathRule('dddddddd-0000-0000-0000-000000000001', '*') },
    ]
    const bulk = addRules(p, additions)
    let one = p
    for (const a of additions) one = addRule(one, a.collection, a.rule)
    // The same collections, in the same order, the same rules in the same order; renewed Ids differ (random).
    const shape = (x: Policy) => x.collections.map((c) => [c.type, c.rules.map((r) => r.condition && r.condition.kind === 'path' ? r.condition.path : '')])
    expect(shape(bulk)).toEqual(shape(one))
    const bulkIds = bulk.collections.flatMap((c) => c.rules.map((r) => r.id.toLowerCase()))
    expect(new Set(bulkIds).size).toBe(bulkIds.length)
    expect(ids(bulk, 'Script')[0]).toBe('cccccccc-0000-0000-0000-000000000001')
    expect(ids(bulk, 'Script')[1]).not.toBe('CCCCCCCC-0000-0000-0000-000000000001')
    expect(ids(bulk, 'Appx')).toEqual(['dddddddd-0000-0000-0000-000000000001'])
    expect(ids(bulk, 'Msi')[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(p.collections).toHaveLength(2)
    expect(addRules(p, [])).toBe(p)
  })

  it('updateRule replaces one rule; out-of-range does nothing', () => {
    const p = base()
    const changed = { ...p.collections[0].rules[0], name: 'Renamed' }
    const q = updateRule(p, 'Exe', 0, changed)
    expect(q.collections[0].rules[0].name).toBe('Renamed')
    expect(q.collections[0].rules[1]).toBe(p.collections[0].rules[1])
    expect(updateRule(p, 'Exe', 7, changed)).toBe(p)
    expect(updateRule(p, 'Msi', 0, changed)).toBe(p)
  })

  it('deleteRules removes the chosen indices, ignoring bad ones', () => {
    const p = base()
    const q = deleteRules(p, 'Exe', [2, 0, 0, 9, -1])
    expect(ids(q, 'Exe')).toEqual(['aaaaaaaa-0000-0000-0000-000000000002'])
    expect(deleteRules(p, 'Exe', [])).toBe(p)
  })

  it('duplicateRules appends deep copies with new Ids and " (copy)"', () => {
    const p = base()
    const q = duplicateRules(p, 'Exe', [1])
    const rules = q.collections[0].rules
    expect(rules).toHaveLength(4)
    expect(rules[3].name).toBe('%PROGRAMFILES%\\* (copy)')
    expect(rules[3].id).not.toBe(rules[1].id)
    expect(rules[3].exceptions).toEqual(rules[1].exceptions)
    expect(rules[3].exceptions).not.toBe(rules[1].exceptions)
  })

  it('moveRules keeps Ids and refuses non-publisher rules for Appx', () => {
    const p = base()
    const q = moveRules(p, 'Exe', [0, 2], 'Script')
    expect(ids(q, 'Exe')).toEqual(['aaaaaaaa-0000-0000-0000-000000000002'])
    expect(ids(q, 'Script')).toEqual([
      'aaaaaaaa-0000-0000-0000-000000000001',
      'aaaaaaaa-0000-0000-0000-000000000003',
    ])
    expect(moveRules(p, 'Exe', [0], 'Appx')).toBe(p)
    expect(moveRules(p, 'Exe', [0], 'Exe')).toBe(p)
  })

  it('copyRules gives new Ids and keeps the originals', () => {
    const p = base()
    const q = copyRules(p, 'Exe', [0, 1], 'Dll')
    expect(ids(q, 'Exe')).toEqual(ids(p, 'Exe'))
    const dll = q.collections.find((c) => c.type === 'Dll')!.rules
    expect(dll.map((r) => r.name)).toEqual(['%WINDIR%\\*', '%PROGRAMFILES%\\*'])
    expect(new Set([...ids(q, 'Exe'), ...ids(q, 'Dll')]).size).toBe(5)
  })

  it('setRulesAction and setRulesUser change only the selection', () => {
    const p = base()
    const q = setRulesAction(p, 'Exe', [0, 2], 'Deny')
    expect(q.collections[0].rules.map((r) => r.action)).toEqual(['Deny', 'Allow', 'Deny'])
    expect(q.collections[0].rules[1]).toBe(p.collections[0].rules[1])
    const r = setRulesUser(p, 'Exe', [1], 'S-1-5-32-545')
    expect(r.collections[0].rules.map((x) => x.userOrGroupSid)).toEqual([
      'S-1-1-0',
      'S-1-5-32-545',
      'S-1-1-0',
    ])
    expect(setRulesAction(p, 'Exe', [0], 'Allow')).toBe(p)
  })
})

describe('defaultRuleName', () => {
  const ms = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'
  const pub = (productName: string, binaryName: string, low = '*', high = '*') =>
    ({ kind: 'publisher', publisherName: ms, productName, binaryName, versionRange: { low, high } }) as const

  it('names path and hash rules as the snap-in does', () => {
    expect(defaultRuleName({ kind: 'path', path: '%SYSTEM32%\\Fxstmp\\*' })).toBe('%SYSTEM32%\\Fxstmp\\*')
    expect(
      defaultRuleName({
        kind: 'hash',
        hashes: [{ type: 'SHA256', data: '0x00', sourceFileName: 'agent.exe' }],
      }),
    ).toBe('agent.exe')
    const many = ['crashreporter.exe', 'dumpFFStore.exe', 'js.exe', 'x.exe'].map((n) => ({
      type: 'SHA256',
      data: '0x00',
      sourceFileName: n,
    }))
    expect(defaultRuleName({ kind: 'hash', hashes: many })).toBe(
      'crashreporter.exe, dumpFFStore.exe, js.exe...',
    )
  })

  it('names publisher rules by the slider position', () => {
    expect(defaultRuleName(pub('*', '*'))).toBe(`Signed by ${ms}`)
    expect(defaultRuleName(pub('FIREFOX', '*'))).toBe(`FIREFOX, from ${ms}`)
    expect(defaultRuleName(pub('MICROSOFT® WINDOWS® OPERATING SYSTEM', 'CMD.EXE'))).toBe(
      `CMD.EXE, in MICROSOFT® WINDOWS® OPERATING SYSTEM, from ${ms}`,
    )
    expect(defaultRuleName(pub('TOTAL COMMANDER', 'TOTALCMD.EXE', '8.0.1.0', '8.0.1.0'), 'Allow')).toBe(
      `TOTALCMD.EXE, version 8.0.1.0 exactly, in TOTAL COMMANDER, from ${ms}`,
    )
    expect(defaultRuleName(pub('MICROSOFT ONEDRIVE', '*', '18.0.0.0', '*'))).toBe(
      `*, version 18.0.0.0 and above, in MICROSOFT ONEDRIVE, from ${ms}`,
    )
    expect(defaultRuleName(pub('IE', 'IEXPLORE.EXE', '*', '10.0.9200.17183'))).toBe(
      `IEXPLORE.EXE, version 10.0.9200.17183 and below, in IE, from ${ms}`,
    )
  })

  it('uses the O= value for packaged apps', () => {
    const appx = {
      kind: 'publisher',
      publisherName: 'CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
      productName: 'microsoft.windowscommunicationsapps',
      binaryName: '*',
      versionRange: { low: '*', high: '*' },
    } as const
    expect(defaultRuleName(appx, 'Deny', 'Appx')).toBe(
      'microsoft.windowscommunicationsapps, from Microsoft Corporation',
    )
    expect(organisationOf('CN=x, O="Contoso, Ltd", C=US')).toBe('Contoso, Ltd')
  })
})

describe('identity helpers', () => {
  it('conditionKey ignores case and hash order', () => {
    expect(conditionKey({ kind: 'path', path: '%WINDIR%\\*' })).toBe(
      conditionKey({ kind: 'path', path: '%windir%\\*' }),
    )
    const h1 = { type: 'SHA256', data: '0xAA' }
    const h2 = { type: 'SHA256', data: '0xBB' }
    expect(conditionKey({ kind: 'hash', hashes: [h1, h2] })).toBe(
      conditionKey({ kind: 'hash', hashes: [h2, { ...h1, data: '0xaa' }] }),
    )
  })
})

describe('renewRuleIds', () => {
  it('gives the chosen rules new, unique GUIDs and leaves the rest and the input alone', async () => {
    const { renewRuleIds } = await import('./ops')
    const { validatePolicy } = await import('./validate')
    const { defaultRules } = await import('./defaults')
    const rules = defaultRules('Exe').map((r, i) => ({ ...r, id: i === 2 ? '1' : r.id }))
    rules.push({ ...rules[0] }) // the same Id twice
    const policy: Policy = { version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules }] }
    const codes = (p: Policy) => validatePolicy(p).map((d) => d.code)
    expect(codes(policy)).toEqual(expect.arrayContaining(['invalid-rule-id', 'duplicate-rule-id']))
    const fixed = renewRuleIds(policy, 'Exe', [2, 3])
    expect(codes(fixed).filter((c) => c.includes('rule-id'))).toEqual([])
    expect(fixed.collections[0].rules[0].id).toBe(rules[0].id)
    expect(fixed.collections[0].rules[2].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(fixed.collections[0].rules[2].name).toBe(rules[2].name)
    expect(policy.collections[0].rules[2].id).toBe('1')
  })
})

describe('setCollectionType', () => {
  it('fixes Type="Executable" (esuko invalid file) so the rules are decided and exported as Exe', async () => {
    const { setCollectionType } = await import('./ops')
    const { readPolicy } = await import('./xml/read')
    const { writePolicyXml } = await import('./xml/write')
    const { readFileSync } = await import('node:fs')
    const { fileURLToPath } = await import('node:url')
    const bytes = readFileSync(fileURLToPath(new URL('./__fixtures__/corpus/invalid/esuko-support-wrong-enums-shiftjis.xml', import.meta.url)))
    const policy = readPolicy(new Uint8Array(bytes)).value!
    const i = policy.collections.findIndex((c) => c.type === null)
    expect(i).toBeGreaterThanOrEqual(0)
    const n = policy.collections[i].rules.length
    const fixed = setCollectionType(policy, i, 'Exe')
    expect(fixed.collections[i].type).toBe('Exe')
    expect(fixed.collections[i].rules.length).toBe(n)
    expect(fixed.collections[i].extra?.invalid?.Type).toBeUndefined()
    expect(writePolicyXml(fixed)).toContain('<RuleCollection Type="Exe"')
    expect(policy.collections[i].type).toBeNull()
  })
  it('moves the rules into an existing collection of that type', async () => {
    const { setCollectionType } = await import('./ops')
    const { defaultRules } = await import('./defaults')
    const policy: Policy = {
      version: '1',
      collections: [
        { type: 'Exe', enforcementMode: 'Enabled', rules: defaultRules('Exe').slice(0, 1) },
        { type: null, enforcementMode: 'NotConfigured', rules: defaultRules('Exe').slice(1), extra: { invalid: { Type: 'Executable' } } },
      ],
    }
    const fixed = setCollectionType(policy, 1, 'Exe')
    expect(fixed.collections.length).toBe(1)
    expect(fixed.collections[0].rules.map((r) => r.id)).toEqual(defaultRules('Exe').map((r) => r.id))
    expect(fixed.collections[0].enforcementMode).toBe('Enabled')
  })
})

describe('defaultRuleName (the rule dialog, as generate names them)', () => {
  it('names a hash rule by its distinct files and cuts every name to the 1,024 characters Windows accepts', () => {
    const h = (data: string) => ({ type: 'SHA256', data: `0x${data.repeat(64)}`, sourceFileName: 'setup.msi' })
    expect(defaultRuleName({ kind: 'hash', hashes: [h('A'), h('B')] })).toBe('setup.msi')
    const long = defaultRuleName({ kind: 'path', path: `C:\\${'x'.repeat(2000)}\\*` })
    expect(long).toHaveLength(1024)
    expect(long.endsWith('[...]')).toBe(true)
  })
})
