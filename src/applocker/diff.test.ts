import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { describeCondition, diffPolicies, placeDiff, resolveDiff, ruleChanges } from './diff'
import { addDefaultRules } from './defaults'
import { deleteRules, moveRules, setEnforcementMode, setExtensions, updateRule } from './ops'
import { generatePolicy } from '../testing/generate'
import { emptyPolicy, type Policy, type Rule } from './policy'
import { readPolicy } from './xml/read'

function corpus(name: string): Policy {
  const bytes = readFileSync(fileURLToPath(new URL(`./__fixtures__/corpus/${name}`, import.meta.url)))
  return readPolicy(new Uint8Array(bytes)).value!
}

const defaults = (['Exe', 'Msi'] as const).reduce((p, t) => addDefaultRules(p, t).policy, emptyPolicy())

describe('diffPolicies', () => {
  it('finds nothing between a policy and itself', () => {
    const d = diffPolicies(defaults, structuredClone(defaults))
    expect(d.identical).toBe(true)
    expect(d.collections.map((c) => c.unchanged)).toEqual([3, 3])
  })

  it('reports added, removed, changed field by field, mode and extension changes', () => {
    const exe = defaults.collections[0]
    const renamed = { ...exe.rules[0], name: 'Program Files', userOrGroupSid: 'S-1-5-32-545' }
    let b = updateRule(defaults, 'Exe', 0, renamed)
    b = {
      ...b,
      collections: b.collections.map((c) => (c.type === 'Msi' ? { ...c, rules: c.rules.slice(1) } : c)),
    }
    b = addDefaultRules(b, 'Script').policy
    b = setEnforcementMode(b, 'Exe', 'Enabled')
    b = setExtensions(b, 'Exe', { services: 'Enabled', systemApps: 'Enabled' })
    const d = diffPolicies(defaults, b)
    expect(d.identical).toBe(false)
    const dExe = d.collections.find((c) => c.type === 'Exe')!
    expect(dExe.changed).toHaveLength(1)
    expect(dExe.changed[0].changes).toEqual([
      {
        field: 'Name',
        before: '(Default Rule) All files located in the Program Files folder',
        after: 'Program Files',
      },
      { field: 'User or group', before: 'S-1-1-0', after: 'S-1-5-32-545' },
    ])
    expect(dExe.modeChanged).toBe(true)
    expect([dExe.modeBefore, dExe.modeAfter]).toEqual(['NotConfigured', 'Enabled'])
    expect(dExe.extensionChanges.map((c) => c.field)).toEqual([
      'ThresholdExtensions',
      'Services enforcement',
      'RedstoneExtensions',
      'SystemApps allow',
    ])
    const dMsi = d.collections.find((c) => c.type === 'Msi')!
    expect(dMsi.removed.map((r) => r.rule.name)).toEqual([
      '(Default Rule) All digitally signed Windows Installer files',
    ])
    const dScript = d.collections.find((c) => c.type === 'Script')!
    expect([dScript.inA, dScript.inB]).toEqual([false, true])
    expect(dScript.added).toHaveLength(3)
    expect(d.counts).toEqual({
      added: 3,
      removed: 1,
      changed: 1,
      reIded: 0,
      modeChanges: 2,
      extensionChanges: 1,
    })
  })

  it('matches Ids case-insensitively', () => {
    const upper: Policy = {
      ...defaults,
      collections: defaults.collections.map((c) => ({
        ...c,
        rules: c.rules.map((r) => ({ ...r, id: r.id.toUpperCase() })),
      })),
    }
    expect(diffPolicies(defaults, upper).identical).toBe(true)
  })

  it('marks a rule moved to another collection', () => {
    const b = moveRules(defaults, 'Exe', [0], 'Msi')
    const d = diffPolicies(defaults, b)
    const removed = d.collections.find((c) => c.type === 'Exe')!.removed
    const added = d.collections.find((c) => c.type === 'Msi')!.added
    expect(removed.map((x) => [x.rule.id, x.movedTo])).toEqual([
      ['921cc481-6e17-4653-8f75-050b80acca20', 'Msi'],
    ])
    expect(added.map((x) => [x.rule.id, x.movedFrom])).toEqual([
      ['921cc481-6e17-4653-8f75-050b80acca20', 'Exe'],
    ])
  })

  it('pairs the same condition under a new Id as reIded', () => {
    const exe = defaults.collections[0]
    const b = updateRule(defaults, 'Exe', 2, {
      ...exe.rules[2],
      id: '12345678-1234-1234-1234-123456789abc',
      name: 'Admins',
    })
    const d = diffPolicies(defaults, b)
    const dExe = d.collections[0]
    expect(dExe.added).toEqual([])
    expect(dExe.removed).toEqual([])
    expect(dExe.reIded).toHaveLength(1)
    expect(dExe.reIded[0].changes[0]).toEqual({
      field: 'Id',
      before: 'fd686d83-a829-4351-8ff4-27c7de5755d2',
      after: '12345678-1234-1234-1234-123456789abc',
    })
    expect(dExe.reIded[0].changes[1]).toMatchObject({ field: 'Name', after: 'Admins' })
  })

  it('lists exception and hash changes item by item', () => {
    const a: Rule = {
      kind: 'path',
      id: '00000000-0000-0000-0000-000000000001',
      name: 'w',
      description: '',
      userOrGroupSid: 'S-1-1-0',
      action: 'Allow',
      condition: { kind: 'path', path: '%WINDIR%\\*' },
      exceptions: [{ kind: 'path', path: '%WINDIR%\\Temp\\*' }],
    }
    const b: Rule = { ...a, exceptions: [{ kind: 'path', path: '%WINDIR%\\Tasks\\*' }] }
    expect(ruleChanges(a, b)).toEqual([
      { field: 'Exception', before: 'Path %WINDIR%\\Temp\\*', after: '' },
      { field: 'Exception', before: '', after: 'Path %WINDIR%\\Tasks\\*' },
    ])
    const h1 = { type: 'SHA256', data: '0x01', sourceFileName: 'a.exe' }
    const h2 = { type: 'SHA256', data: '0x02', sourceFileName: 'b.exe' }
    const ha: Rule = { ...a, kind: 'hash', exceptions: [], condition: { kind: 'hash', hashes: [h1] } }
    const hb: Rule = { ...ha, condition: { kind: 'hash', hashes: [h1, h2] } }
    expect(ruleChanges(ha, hb)).toEqual([{ field: 'File hash', before: '', after: 'SHA256 0x02 (b.exe)' }])
    expect(
      describeCondition({
        kind: 'publisher',
        publisherName: 'O=X',
        productName: '*',
        binaryName: '*',
        versionRange: { low: '1.0.0.0', high: '*' },
      }),
    ).toBe('Publisher O=X / * / * / 1.0.0.0 - *')
  })

  it('dcodev1702 audit vs enforced: the five modes differ and the extensions moved from Exe to Dll', () => {
    const d = diffPolicies(corpus('dcodev1702-lolbins-audit.xml'), corpus('dcodev1702-lolbins-enforced.xml'))
    expect(d.counts).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
      reIded: 0,
      modeChanges: 5,
      extensionChanges: 2,
    })
    expect(d.collections.every((c) => c.modeBefore === 'AuditOnly' && c.modeAfter === 'Enabled')).toBe(true)
    const exe = d.collections.find((c) => c.type === 'Exe')!
    expect(exe.extensionChanges).toContainEqual({
      field: 'Services enforcement',
      before: 'Enabled',
      after: '(not set)',
    })
    const dll = d.collections.find((c) => c.type === 'Dll')!
    expect(dll.extensionChanges).toContainEqual({
      field: 'SystemApps allow',
      before: '(not set)',
      after: 'Enabled',
    })
  })
})

describe('placeDiff and resolveDiff (the diff a Worker sends)', () => {
  it('give back the same diff, with the very rule objects of the two policies, after a structured clone', () => {
    const a = generatePolicy(3_000, 11)
    // The other policy: some rules removed, some changed, some added, one collection's mode changed.
    let b = deleteRules(deleteRules(a, 'Exe', [3]), 'Dll', [0])
    b = updateRule(b, 'Exe', 10, { ...b.collections[0].rules[10], name: 'Renamed' })
    b = setEnforcementMode(b, 'Script', a.collections[2].enforcementMode === 'AuditOnly' ? 'Enabled' : 'AuditOnly')
    b = { ...b, collections: b.collections.map((c, i) => (i === 3 ? { ...c, rules: [...c.rules, ...generatePolicy(400, 12).collections[3].rules] } : c)) }
    const pairs: [Policy, Policy][] = [
      [a, b],
      [b, a],
      [corpus('dcodev1702-lolbins-audit.xml'), corpus('dcodev1702-lolbins-enforced.xml')],
      [emptyPolicy(), a],
    ]
    for (const [x, y] of pairs) {
      const direct = diffPolicies(x, y)
      const sent = structuredClone(placeDiff(direct))
      expect(JSON.stringify(sent)).not.toContain('"userOrGroupSid"')
      const back = resolveDiff(sent, x, y)
      expect(back).toEqual(direct)
      back.collections.forEach((c, i) => {
        c.added.forEach((r, k) => expect(r.rule).toBe(direct.collections[i].added[k].rule))
        c.removed.forEach((r, k) => expect(r.rule).toBe(direct.collections[i].removed[k].rule))
        c.changed.forEach((r, k) => {
          expect(r.before).toBe(direct.collections[i].changed[k].before)
          expect(r.after).toBe(direct.collections[i].changed[k].after)
        })
      })
    }
    expect(diffPolicies(a, b).counts).toMatchObject({ removed: 2, changed: 1, added: 40, modeChanges: 1 })
  })

  it('refuses a placed diff that names a rule the policies do not have', () => {
    const a = generatePolicy(50, 3)
    const sent = placeDiff(diffPolicies(a, emptyPolicy()))
    expect(() => resolveDiff(sent, emptyPolicy(), emptyPolicy())).toThrow(/does not have/)
  })
})
