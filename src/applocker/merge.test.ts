import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  copyRulesInto,
  copyRulesIntoDetailed,
  mergePolicies,
  moreRestrictiveMode,
  planMerge,
  previewMerge,
} from './merge'
import { addDefaultRules } from './defaults'
import { setEnforcementMode, setExtensions } from './ops'
import { emptyPolicy, ruleCount, type Policy } from './policy'
import { readPolicy } from './xml/read'
import { writePolicyXml } from './xml/write'
import { pathRule as rule } from '../testing/builders'
import { generatePolicy } from '../testing/generate'

function corpus(name: string): Policy {
  const bytes = readFileSync(fileURLToPath(new URL(`./__fixtures__/corpus/${name}`, import.meta.url)))
  const r = readPolicy(new Uint8Array(bytes))
  if (!r.value) throw new Error(`${name} was refused`)
  return r.value
}


const A: Policy = {
  version: '1',
  collections: [
    {
      type: 'Exe',
      enforcementMode: 'AuditOnly',
      rules: [rule('00000000-0000-0000-0000-00000000000a', '%WINDIR%\\*')],
    },
    { type: 'Script', enforcementMode: 'Enabled', rules: [] },
  ],
}
const B: Policy = {
  version: '1',
  collections: [
    {
      type: 'Exe',
      enforcementMode: 'NotConfigured',
      rules: [
        rule('00000000-0000-0000-0000-00000000000A', '%WINDIR%\\*'),
        rule('00000000-0000-0000-0000-00000000000b', '%PROGRAMFILES%\\*'),
      ],
    },
    {
      type: 'Msi',
      enforcementMode: 'AuditOnly',
      rules: [rule('00000000-0000-0000-0000-00000000000c', '*.*')],
    },
  ],
}

describe('moreRestrictiveMode (inferred order Enabled > AuditOnly > NotConfigured)', () => {
  it('picks the stronger mode whichever side it is on', () => {
    expect(moreRestrictiveMode('NotConfigured', 'AuditOnly')).toBe('AuditOnly')
    expect(moreRestrictiveMode('AuditOnly', 'Enabled')).toBe('Enabled')
    expect(moreRestrictiveMode('Enabled', 'AuditOnly')).toBe('Enabled')
    expect(moreRestrictiveMode('AuditOnly', 'NotConfigured')).toBe('AuditOnly')
  })
})

describe('mergePolicies', () => {
  it('unions rules per collection, drops duplicate Ids case-insensitively, keeps the target copy', () => {
    const m = mergePolicies(A, B)
    expect(m.collections.map((c) => c.type)).toEqual(['Exe', 'Script', 'Msi'])
    expect(m.collections[0].rules.map((r) => r.id)).toEqual([
      '00000000-0000-0000-0000-00000000000a',
      '00000000-0000-0000-0000-00000000000b',
    ])
    expect(m.collections[0].enforcementMode).toBe('AuditOnly')
    expect(m.collections[1]).toBe(A.collections[1])
    expect(m.collections[2].enforcementMode).toBe('AuditOnly')
    expect(A.collections[0].rules).toHaveLength(1)
  })

  it('previews exactly what the merge does', () => {
    const p = previewMerge(A, B)
    const exe = p.perCollection.find((c) => c.type === 'Exe')!
    expect(exe.added.map((r) => r.id)).toEqual(['00000000-0000-0000-0000-00000000000b'])
    expect(exe.duplicates.map((r) => r.id)).toEqual(['00000000-0000-0000-0000-00000000000A'])
    expect(exe.conflicts).toEqual([])
    expect(exe.modeBefore).toBe('AuditOnly')
    expect(exe.modeAfter).toBe('AuditOnly')
    const msi = p.perCollection.find((c) => c.type === 'Msi')!
    expect(msi.modeBefore).toBeNull()
    expect(msi.modeAfter).toBe('AuditOnly')
    expect(p.perCollection.find((c) => c.type === 'Script')!.inIncoming).toBe(false)
    expect(p.addedCount).toBe(2)
    expect(p.duplicateCount).toBe(1)
  })

  it('reports a duplicate Id whose content differs as a conflict', () => {
    const changed: Policy = {
      version: '1',
      collections: [
        {
          type: 'Exe',
          enforcementMode: 'Enabled',
          rules: [rule('00000000-0000-0000-0000-00000000000a', '%OSDRIVE%\\*')],
        },
      ],
    }
    const p = previewMerge(A, changed)
    expect(p.perCollection[0].conflicts).toHaveLength(1)
    expect(p.perCollection[0].modeAfter).toBe('Enabled')
    expect(mergePolicies(A, changed).collections[0].rules[0].condition).toEqual({
      kind: 'path',
      path: '%WINDIR%\\*',
    })
  })

  it('treats Ids as unique policy-wide: an Id used in another collection is a duplicate', () => {
    const other: Policy = {
      version: '1',
      collections: [
        {
          type: 'Script',
          enforcementMode: 'NotConfigured',
          rules: [rule('00000000-0000-0000-0000-00000000000a', '*')],
        },
      ],
    }
    expect(previewMerge(A, other).perCollection.find((c) => c.type === 'Script')!.duplicates).toHaveLength(1)
  })

  it('keeps the target extensions, adopts incoming ones when the target has none, and says so', () => {
    const withExt = setExtensions(A, 'Exe', { services: 'Enabled', systemApps: 'Enabled' })
    const otherExt = setExtensions(B, 'Exe', { services: 'ServicesOnly', systemApps: null })
    const p = previewMerge(withExt, otherExt)
    expect(p.extensionsChanged).toEqual([expect.objectContaining({ type: 'Exe', outcome: 'kept-target' })])
    expect(mergePolicies(withExt, otherExt).collections[0].extensions?.services?.enforcementMode).toBe(
      'Enabled',
    )
    const q = previewMerge(A, otherExt)
    expect(q.extensionsChanged[0].outcome).toBe('adopted')
    expect(mergePolicies(A, otherExt).collections[0].extensions?.services?.enforcementMode).toBe(
      'ServicesOnly',
    )
  })

  it('merging the dcodev1702 audit and enforced policies: every rule a duplicate, Enabled wins', () => {
    const audit = corpus('dcodev1702-lolbins-audit.xml')
    const enforced = corpus('dcodev1702-lolbins-enforced.xml')
    expect(ruleCount(audit)).toBe(159)
    const p = previewMerge(audit, enforced)
    expect(p.addedCount).toBe(0)
    expect(p.duplicateCount).toBe(159)
    for (const c of p.perCollection) {
      expect(c.modeBefore).toBe('AuditOnly')
      expect(c.modeAfter).toBe('Enabled')
      expect(c.conflicts).toEqual([])
    }
    // The audit file carries the Services/SystemApps extensions on Exe, the enforced file on Dll.
    expect(p.extensionsChanged.map((e) => [e.type, e.outcome])).toEqual([['Dll', 'adopted']])
    const m = mergePolicies(audit, enforced)
    expect(m.collections.find((c) => c.type === 'Exe')!.extensions?.services?.enforcementMode).toBe('Enabled')
    expect(m.collections.find((c) => c.type === 'Dll')!.extensions?.systemApps?.allow).toBe('Enabled')
    expect(ruleCount(m)).toBe(159)
    expect(m.collections.every((c) => c.enforcementMode === 'Enabled')).toBe(true)
    // The other direction keeps Enabled too.
    expect(mergePolicies(enforced, audit).collections.every((c) => c.enforcementMode === 'Enabled')).toBe(
      true,
    )
  })

  it('merging two default-rule policies adds nothing; a corpus policy into defaults adds its rules', () => {
    const defaults = corpus('liamsennitt-windows-default-rules.xml')
    expect(previewMerge(defaults, defaults).addedCount).toBe(0)
    const nsa = corpus('nsacyber-windows11-starter.xml')
    const p = previewMerge(defaults, nsa)
    // The NSA starter reuses the Id of the default "All DLLs" rule (fe64f59f-...) for its admin rule.
    expect(p.duplicateCount).toBeGreaterThan(0)
    expect(ruleCount(mergePolicies(defaults, nsa))).toBe(13 + p.addedCount)
    expect(p.addedCount + p.duplicateCount).toBe(ruleCount(nsa))
  })
})

describe('copyRulesInto (manual merge)', () => {
  it('keeps free Ids, renews taken ones, and never mutates', () => {
    const taken = rule('00000000-0000-0000-0000-00000000000a', '%OSDRIVE%\\Tools\\*')
    const free = rule('00000000-0000-0000-0000-0000000000ff', '%OSDRIVE%\\Apps\\*')
    const r = copyRulesIntoDetailed(A, [taken, free], 'Script')
    expect(r).toMatchObject({ added: 1, renamed: 1, skipped: 0 })
    const script = r.policy.collections.find((c) => c.type === 'Script')!.rules
    expect(script[0].id).not.toBe(taken.id)
    expect(script[1].id).toBe(free.id)
    expect(A.collections[1].rules).toHaveLength(0)
    expect(copyRulesInto(A, [free], 'Dll').collections.map((c) => c.type)).toEqual(['Exe', 'Script', 'Dll'])
  })

  it('replace and skip on collision; Appx takes publisher rules only', () => {
    const newer = rule('00000000-0000-0000-0000-00000000000A', '%OSDRIVE%\\New\\*')
    const rep = copyRulesIntoDetailed(A, [newer], 'Script', 'replace')
    expect(rep.replaced).toBe(1)
    expect(rep.policy.collections[0].rules).toHaveLength(0)
    expect(rep.policy.collections[1].rules[0].condition).toEqual({ kind: 'path', path: '%OSDRIVE%\\New\\*' })
    const skip = copyRulesIntoDetailed(A, [newer], 'Script', 'skip')
    expect(skip).toMatchObject({ skipped: 1, added: 0 })
    expect(skip.policy).toBe(A)
    const appx = copyRulesIntoDetailed(A, [rule('00000000-0000-0000-0000-000000000001', '*')], 'Appx')
    expect(appx.skipped).toBe(1)
    const defaults = addDefaultRules(emptyPolicy(), 'Appx').policy
    const appxRule = defaults.collections[0].rules[0]
    expect(copyRulesIntoDetailed(setEnforcementMode(A, 'Appx', 'Enabled'), [appxRule], 'Appx').added).toBe(1)
  })
})

describe('a collection a merge adds is written before PolicyExtensions (AppLocker.xsd: PolicyExtensions after every RuleCollection)', () => {
  const target = (): Policy =>
    readPolicy(
      `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled"><FilePathRule Id="00000000-0000-0000-0000-00000000000a" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="*" /></Conditions></FilePathRule></RuleCollection><Foo /><RuleCollection Type="Msi" EnforcementMode="Enabled" /><PolicyExtensions><ThresholdExtensions /></PolicyExtensions></AppLockerPolicy>`,
    ).value!
  const script: Policy = { version: '1', collections: [{ type: 'Script', enforcementMode: 'AuditOnly', rules: [rule('00000000-0000-0000-0000-0000000000ff', '%OSDRIVE%\\Apps\\*')] }] }
  /** The root's children as written: collection types, other elements by name. */
  const layout = (p: Policy) => [...writePolicyXml(p).matchAll(/^ {2}<(RuleCollection Type="(\w+)"|\w+)/gm)].map((m) => m[2] ?? m[1])

  it('mergePolicies with a Script-only policy', () => {
    expect(layout(mergePolicies(target(), script))).toEqual(['Exe', 'Foo', 'Msi', 'Script', 'PolicyExtensions'])
  })

  it('copyRulesInto a new Script collection', () => {
    expect(layout(copyRulesInto(target(), script.collections[0].rules, 'Script'))).toEqual(['Exe', 'Foo', 'Msi', 'Script', 'PolicyExtensions'])
  })
})

describe('copyRulesInto: a rule already present (issue 16 item 19)', () => {
  it('is skipped and counted, not added again under a new Id', () => {
    // Same content as A's Exe rule, same Id and under another Id: both already present.
    const sameId = rule('00000000-0000-0000-0000-00000000000a', '%WINDIR%\\*')
    const otherId = rule('00000000-0000-0000-0000-0000000000ee', '%WINDIR%\\*')
    const r = copyRulesIntoDetailed(A, [sameId, otherId], 'Exe')
    expect(r).toMatchObject({ added: 0, renamed: 0, identical: 2 })
    expect(r.policy).toBe(A)
    // Into another collection it is not present: copied (under a new Id, its own is taken).
    expect(copyRulesIntoDetailed(A, [sameId], 'Script')).toMatchObject({ renamed: 1, identical: 0 })
    // Picked twice in one go: copied once.
    const fresh = rule('00000000-0000-0000-0000-0000000000ef', '%OSDRIVE%\\Apps\\*')
    expect(copyRulesIntoDetailed(A, [fresh, { ...fresh, id: '00000000-0000-0000-0000-0000000000f0' }], 'Exe')).toMatchObject({ added: 1, identical: 1 })
  })
})

describe('mergePolicies: how enforcement modes merge (issue 16 item 19)', () => {
  const audit = setEnforcementMode(setEnforcementMode(emptyPolicy(), 'Exe', 'AuditOnly'), 'Script', 'Enabled')
  const other = setEnforcementMode(setEnforcementMode(emptyPolicy(), 'Exe', 'Enabled'), 'Script', 'AuditOnly')
  const modes = (p: Policy) => Object.fromEntries(p.collections.map((c) => [c.type, c.enforcementMode]))
  it('the more restrictive mode by default (Set-AppLockerPolicy -Merge, inferred)', () => {
    expect(modes(mergePolicies(audit, other))).toMatchObject({ Exe: 'Enabled', Script: 'Enabled' })
    expect(modes(mergePolicies(audit, other, { modes: 'restrictive' }))).toMatchObject({ Exe: 'Enabled', Script: 'Enabled' })
  })
  it("keeps the open policy's modes", () => {
    expect(mergePolicies(audit, other, { modes: 'target' })).toBe(audit)
    const withMsi = setEnforcementMode(other, 'Msi', 'Enabled')
    expect(modes(mergePolicies(audit, withMsi, { modes: 'target' }))).toMatchObject({ Exe: 'AuditOnly', Script: 'Enabled', Msi: 'NotConfigured' })
  })
  it("takes the other file's modes", () => {
    expect(modes(mergePolicies(audit, other, { modes: 'incoming' }))).toMatchObject({ Exe: 'Enabled', Script: 'AuditOnly' })
    const p = previewMerge(audit, other, { modes: 'incoming' })
    expect(p.perCollection.find((c) => c.type === 'Script')).toMatchObject({ modeBefore: 'Enabled', modeAfter: 'AuditOnly' })
  })
})

describe('mergePolicies when nothing changes', () => {
  it('returns the target itself (no empty undo step)', async () => {
    const { readPolicy } = await import('./xml/read')
    const { readFileSync } = await import('node:fs')
    const path = await import('node:path')
    const file = path.join(__dirname, '__fixtures__', 'corpus', 'dcodev1702-lolbins-enforced.xml')
    const p = readPolicy(new Uint8Array(readFileSync(file))).value!
    expect(mergePolicies(p, p)).toBe(p)
    const audit = readPolicy(new Uint8Array(readFileSync(file.replace('enforced', 'audit')))).value!
    expect(mergePolicies(audit, audit)).toBe(audit)
    // Same rules but the audit copy carries Exe extensions the enforced one lacks: they are adopted.
    expect(mergePolicies(p, audit)).not.toBe(p)
    // The other way round the modes change, so a new policy comes back.
    expect(mergePolicies(audit, p)).not.toBe(audit)
  })
})

describe('planMerge', () => {
  it('is previewMerge and mergePolicies in one computation, for every way modes merge', () => {
    const target = generatePolicy(400, 31)
    const incoming = generatePolicy(300, 32)
    for (const modes of ['restrictive', 'target', 'incoming'] as const) {
      const plan = planMerge(target, incoming, { modes })
      expect(plan.preview).toEqual(previewMerge(target, incoming, { modes }))
      expect(plan.policy).toEqual(mergePolicies(target, incoming, { modes }))
    }
    expect(planMerge(target, { version: '1', collections: [] }).policy).toBe(target)
  })
})

