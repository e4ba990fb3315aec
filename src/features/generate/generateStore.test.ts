import { describe, expect, it } from 'vitest'
import type { FileInfo } from '../../applocker/fileinfo/fileinfo'
import { isDllCollectionEnabled, setDllCollectionEnabled, addRule } from '../../applocker/ops'
import { emptyPolicy, findCollection, newRuleId } from '../../applocker/policy'
import type { FileResult } from '../../lib/fileinfoClient'
import { DEFAULT_OPTIONS, applyGenerated, createGenerateStore, deriveProposal, selection, type GenerateOptions } from './generateStore'

const H = (c: string) => '0x' + c.repeat(64)
const pe = (path: string, hash: string, dll: boolean): FileInfo => ({ path, size: 100, kind: 'pe', pe: { dll, pe32plus: true, machine: 0x8664 }, hash, hashKind: 'authenticode', publisher: null, warnings: [] })
const result = (value: FileInfo): FileResult => ({ name: value.path, value, diagnostics: [] })
const results = [result(pe('app.exe', H('1'), false)), result(pe('lib.dll', H('2'), true))]
const opts = (change: Partial<GenerateOptions> = {}): GenerateOptions => ({ ...DEFAULT_OPTIONS, groupSimilar: false, ...change })

describe('Automatically Generate Rules: the DLL collection is never turned on silently (issue 16 item 9)', () => {
  it('with the DLL collection off, DLL files get no rule by default and the dialog asks', () => {
    const policy = emptyPolicy()
    const d = deriveProposal(opts(), results, policy)
    expect(d.askDll).toBe(true)
    expect(d.dllFiles).toBe(1)
    expect(d.proposal!.rules.map((r) => r.collection)).toEqual(['Exe'])
    // (app.exe's note: unsigned, so a hash rule; lib.dll's: left out.)
    expect(d.notes.filter((n) => n.message.startsWith('Left out')).map((n) => n.path)).toEqual(['lib.dll'])
    // DLL Rules is not offered as a collection of its own while it is off.
    expect(d.scopes).toEqual(['Exe', 'Msi', 'Script', 'Appx'])
    const after = applyGenerated(policy, selection(d.proposal, null).chosen, opts())
    expect(isDllCollectionEnabled(after)).toBe(false)
  })

  it('when the user chooses DLL rules, they are made, and the default DLL rules come with them unless declined', () => {
    const policy = emptyPolicy()
    const o = opts({ includeDll: true })
    const d = deriveProposal(o, results, policy)
    expect(d.proposal!.rules.map((r) => r.collection)).toEqual(['Exe', 'Dll'])
    const { chosen } = selection(d.proposal, null)
    const withDefaults = applyGenerated(policy, chosen, o)
    expect(findCollection(withDefaults, 'Dll')!.rules.map((r) => r.name)).toEqual([
      'lib.dll',
      '(Default Rule) All DLLs located in the Program Files folder',
      '(Default Rule) Microsoft Windows DLLs',
      '(Default Rule) All DLLs',
    ])
    const without = applyGenerated(policy, chosen, { includeDll: true, dllDefaults: false })
    expect(findCollection(without, 'Dll')!.rules.map((r) => r.name)).toEqual(['lib.dll'])
  })

  it('with the DLL collection already on, DLL files get rules as any other and nothing is asked', () => {
    const policy = addRule(setDllCollectionEnabled(emptyPolicy(), true), 'Dll', {
      kind: 'path', id: newRuleId(), name: 'x', description: '', userOrGroupSid: 'S-1-1-0', action: 'Allow', exceptions: [], condition: { kind: 'path', path: '%WINDIR%\\*' },
    })
    const d = deriveProposal(opts(), results, policy)
    expect(d.askDll).toBe(false)
    expect(d.proposal!.rules.map((r) => r.collection)).toEqual(['Exe', 'Dll'])
    expect(d.scopes).toContain('Dll')
    // No default rules are added behind the user's back here either.
    const after = applyGenerated(policy, selection(d.proposal, null).chosen, opts())
    expect(findCollection(after, 'Dll')!.rules.map((r) => r.name)).toEqual(['x', 'lib.dll'])
  })
})

describe('Automatically Generate Rules: one collection, rule-name prefix', () => {
  it('generates for one collection only, the others noted as left out', () => {
    const d = deriveProposal(opts({ scope: 'Script' }), results, emptyPolicy())
    expect(d.proposal!.rules).toEqual([])
    expect(d.askDll).toBe(false)
    expect(d.notes.map((n) => n.message)).toEqual([
      'Left out: a file of Executable Rules, and rules are generated for Script Rules only.',
      'Left out: a file of DLL Rules, and rules are generated for Script Rules only.',
    ])
  })

  it('prefixes rule names with the name of the set', () => {
    const d = deriveProposal(opts({ prefix: 'Contoso' }), results, emptyPolicy())
    expect(d.proposal!.rules.map((r) => r.rule.name)).toEqual(['Contoso: app.exe'])
  })

  it('a picked folder names the set, as the snap-in does, unless a name was typed', () => {
    const store = createGenerateStore()
    const inFolder = (name: string) => Object.defineProperty(new File(['x'], name), 'webkitRelativePath', { value: `Contoso/bin/${name}` })
    store.getState().pick([inFolder('a.exe'), inFolder('b.exe')])
    expect(store.getState().options.prefix).toBe('Contoso')
    store.getState().setOptions({ prefix: 'Mine' })
    store.getState().pick([inFolder('c.exe')])
    expect(store.getState().options.prefix).toBe('Mine')
    const loose = createGenerateStore()
    loose.getState().pick([new File(['x'], 'a.exe')])
    expect(loose.getState().options.prefix).toBe('')
    expect(loose.getState().files.map((f) => f.name)).toEqual(['a.exe'])
  })

  it('the choice of proposals left out belongs to the proposal it was made on', () => {
    const d = deriveProposal(opts({ includeDll: true }), results, emptyPolicy())
    const store = createGenerateStore()
    store.getState().setExcluded(d.proposal!, new Set([0]))
    expect(selection(d.proposal, store.getState().off).chosen.map((r) => r.collection)).toEqual(['Dll'])
    const again = deriveProposal(opts({ includeDll: true, prefix: 'X' }), results, emptyPolicy())
    expect(selection(again.proposal, store.getState().off).chosen).toHaveLength(2)
  })
})
