import { describe, expect, it } from 'vitest'
import { emptyPolicy, findCollection, type Policy } from '../../applocker/policy'
import { addDefaultRules } from '../../applocker/defaults'
import { applyEnforcementDraft, draftOf } from './enforcement'

function withExeDefaults(): Policy {
  return addDefaultRules(emptyPolicy(), 'Exe').policy
}

describe('enforcement draft', () => {
  it('reads the current settings and changes nothing when applied unchanged', () => {
    const p = withExeDefaults()
    const d = draftOf(p)
    expect(d.modes.Exe).toBe('NotConfigured')
    expect(d.dll).toBe(false)
    expect(d.ext.Exe).toEqual({ services: null, systemApps: null })
    expect(applyEnforcementDraft(p, d)).toBe(p)
  })
  it('sets modes only where they changed, without creating absent collections', () => {
    const p = withExeDefaults()
    const d = draftOf(p)
    d.modes.Exe = 'AuditOnly'
    const q = applyEnforcementDraft(p, d)
    expect(findCollection(q, 'Exe')?.enforcementMode).toBe('AuditOnly')
    expect(q.collections.map((c) => c.type)).toEqual(['Exe'])
    d.modes.Script = 'Enabled'
    expect(findCollection(applyEnforcementDraft(p, d), 'Script')?.enforcementMode).toBe('Enabled')
  })
  it('enables the DLL collection and writes both extensions together', () => {
    const p = withExeDefaults()
    const d = draftOf(p)
    d.dll = true
    d.modes.Dll = 'AuditOnly'
    d.ext.Exe = { services: 'Enabled', systemApps: null }
    const q = applyEnforcementDraft(p, d)
    expect(findCollection(q, 'Dll')?.enforcementMode).toBe('AuditOnly')
    const ext = findCollection(q, 'Exe')?.extensions
    expect(ext?.threshold).toBe(true)
    expect(ext?.redstone).toBe(true)
    expect(ext?.services?.enforcementMode).toBe('Enabled')
    expect(draftOf(q).ext.Exe).toEqual({ services: 'Enabled', systemApps: null })
  })
  it('turning the DLL collection off ignores its mode and empties it', () => {
    const p = addDefaultRules(withExeDefaults(), 'Dll').policy
    const d = draftOf(p)
    expect(d.dll).toBe(true)
    d.dll = false
    d.modes.Dll = 'Enabled'
    const q = applyEnforcementDraft(p, d)
    expect(findCollection(q, 'Dll')?.rules).toEqual([])
    expect(findCollection(q, 'Dll')?.enforcementMode).toBe('NotConfigured')
  })
})

describe('an EnforcementMode Windows does not accept (issue 11)', () => {
  const invalid = (): Policy => ({ version: '1', collections: [{ type: 'Exe', enforcementMode: 'NotConfigured', rules: [], extra: { invalid: { EnforcementMode: 'Enforced' } } }] })
  it('is not shown as Not configured: the draft has no mode until one is chosen, and applying it keeps the file value', () => {
    const p = invalid()
    const d = draftOf(p)
    expect(d.modes.Exe).toBeNull()
    expect(applyEnforcementDraft(p, d)).toBe(p)
  })
  it('choosing Not configured fixes it (the raw value is dropped)', () => {
    const p = invalid()
    const d = draftOf(p)
    d.modes.Exe = 'NotConfigured'
    const q = applyEnforcementDraft(p, d)
    expect(findCollection(q, 'Exe')?.extra?.invalid).toBeUndefined()
    expect(draftOf(q).modes.Exe).toBe('NotConfigured')
  })
})
