import { describe, expect, it } from 'vitest'
import type { Rule } from '../../applocker/policy'
import { defaultRules } from '../../applocker/defaults'
import {
  conditionToForm,
  emptyConditionForm,
  formDefaultName,
  formToCondition,
  formToRule,
  hashHelp,
  mergeHashEntries,
  newRuleFormValues,
  parseSidInput,
  ruleToFormValues,
  sidOptionText,
  stepOfField,
  toNestedErrors,
  validateRuleForm,
  withCustomValues,
  type RuleFormValues,
} from './ruleForm'

const HASH = '0x' + '0123456789ABCDEF'.repeat(4)

function pathForm(path: string): RuleFormValues {
  const v = newRuleFormValues('Exe')
  v.condition = { ...emptyConditionForm('path'), path }
  return v
}

function publisherForm(): RuleFormValues {
  const v = newRuleFormValues('Exe')
  v.condition = {
    ...emptyConditionForm('publisher'),
    publisherName: 'O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US',
    productName: 'CONTOSO APP',
    binaryName: 'APP.EXE',
    scope: 'version',
    versionMode: 'above',
    version: '2.0.0.0',
  }
  return v
}

describe('validateRuleForm', () => {
  it('accepts a valid path rule and names it after its path', () => {
    const v = pathForm('%PROGRAMFILES%\\Contoso\\*')
    expect(validateRuleForm(v, 'Exe')).toEqual({})
    expect(formDefaultName(v, 'Exe')).toBe('%PROGRAMFILES%\\Contoso\\*')
  })
  it('refuses an invalid SID and says what a SID looks like', () => {
    const v = pathForm('%WINDIR%\\*')
    v.sid = 'S-1-5-not-a-sid'
    const e = validateRuleForm(v, 'Exe')
    expect(Object.keys(e)).toEqual(['sid'])
    expect(e.sid).toMatch(/is not a SID/)
    v.sid = ''
    expect(validateRuleForm(v, 'Exe').sid).toMatch(/Choose a user or group/)
  })
  it('refuses an unknown path variable, naming it', () => {
    const e = validateRuleForm(pathForm('%USERPROFILE%\\Downloads\\*'), 'Exe')
    expect(e['condition.path']).toMatch(/%USERPROFILE% is not an AppLocker path variable/)
    expect(validateRuleForm(pathForm(''), 'Exe')['condition.path']).toMatch(/Enter a path/)
    // Lower-case AppLocker variables are fine.
    expect(validateRuleForm(pathForm('%windir%\\x\\*'), 'Exe')).toEqual({})
  })
  it('refuses a version range whose low bound is above its high bound', () => {
    const v = publisherForm()
    v.condition.useCustom = true
    v.condition.versionMode = 'range'
    v.condition.low = '10.0.0.0'
    v.condition.high = '9.0.0.0'
    const e = validateRuleForm(v, 'Exe')
    expect(e['condition.high']).toMatch(/lowest version 10.0.0.0 is above the highest version 9.0.0.0/)
    v.condition.high = '10.0.0.0'
    expect(validateRuleForm(v, 'Exe')).toEqual({})
  })
  it('checks versions, required publisher fields in the chosen scope and * only with custom values', () => {
    const v = publisherForm()
    v.condition.version = '2.0'
    expect(validateRuleForm(v, 'Exe')['condition.version']).toMatch(/not a version/)
    v.condition.version = ''
    // Without custom values the field is read-only: the message says how to fill it.
    expect(validateRuleForm(v, 'Exe')['condition.version']).toMatch(/Browse for a reference file to fill the file version, or tick "Use custom values"/)
    v.condition.useCustom = true
    expect(validateRuleForm(v, 'Exe')['condition.version']).toMatch(/Enter the file version/)
    v.condition.useCustom = false
    v.condition.scope = 'product'
    v.condition.binaryName = ''
    expect(validateRuleForm(v, 'Exe')).toEqual({})
    v.condition.productName = '*'
    expect(validateRuleForm(v, 'Exe')['condition.productName']).toMatch(/wider scope/)
    v.condition.useCustom = true
    v.condition.versionMode = 'any'
    v.condition.binaryName = '*'
    expect(validateRuleForm(v, 'Exe')).toEqual({})
  })
  it('checks hash entries and file lengths', () => {
    const v = newRuleFormValues('Exe')
    v.condition = emptyConditionForm('hash')
    v.condition.hashes = [{ type: 'SHA256', data: '0x1234', fileName: 'a.exe', length: 'big' }]
    const e = validateRuleForm(v, 'Exe')
    expect(e['condition.hashes.0.data']).toMatch(/0x followed by 64 hexadecimal digits/)
    expect(e['condition.hashes.0.length']).toMatch(/number of bytes/)
    v.condition.hashes = [{ type: 'SHA256', data: HASH, fileName: 'a.exe', length: '1024' }]
    expect(validateRuleForm(v, 'Exe')).toEqual({})
  })
  it('validates exceptions, and only publisher rules in the Packaged app collection', () => {
    const v = pathForm('%PROGRAMFILES%\\*')
    v.exceptions = [{ ...emptyConditionForm('path'), path: '%APPDATA%\\*' }]
    expect(Object.keys(validateRuleForm(v, 'Exe'))).toEqual(['exceptions.0.path'])
    expect(validateRuleForm(pathForm('*'), 'Appx')['condition.kind']).toMatch(/publisher/)
  })
})

describe('form <-> rule', () => {
  it('builds a path rule with an exception and a fresh Id', () => {
    const v = pathForm('%PROGRAMFILES%\\Contoso\\*')
    v.exceptions = [{ ...emptyConditionForm('path'), path: '%PROGRAMFILES%\\Contoso\\Temp\\*' }]
    const r = formToRule(v, 'Exe')
    expect(r.kind).toBe('path')
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.name).toBe('%PROGRAMFILES%\\Contoso\\*')
    expect(r.exceptions).toEqual([{ kind: 'path', path: '%PROGRAMFILES%\\Contoso\\Temp\\*' }])
    expect(r.userOrGroupSid).toBe('S-1-1-0')
  })
  it('writes the slider scope as * and the version modes as Windows does', () => {
    const v = publisherForm()
    expect(formToCondition(v.condition)).toEqual({
      kind: 'publisher',
      publisherName: 'O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US',
      productName: 'CONTOSO APP',
      binaryName: 'APP.EXE',
      versionRange: { low: '2.0.0.0', high: '*' },
    })
    expect(formDefaultName(v, 'Exe')).toBe('APP.EXE, version 2.0.0.0 and above, in CONTOSO APP, from O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US')
    v.condition.versionMode = 'below'
    expect(formToCondition(v.condition)).toMatchObject({ versionRange: { low: '*', high: '2.0.0.0' } })
    v.condition.versionMode = 'exactly'
    expect(formToCondition(v.condition)).toMatchObject({ versionRange: { low: '2.0.0.0', high: '2.0.0.0' } })
    v.condition.scope = 'product'
    expect(formToCondition(v.condition)).toMatchObject({ binaryName: '*', productName: 'CONTOSO APP', versionRange: { low: '*', high: '*' } })
    v.condition.scope = 'any'
    expect(formToCondition(v.condition)).toMatchObject({ publisherName: '*', productName: '*', binaryName: '*' })
  })
  it('round-trips the default rules and keeps unknown exceptions and extras when editing', () => {
    for (const type of ['Exe', 'Msi', 'Appx'] as const)
      for (const rule of defaultRules(type)) expect(formToRule(ruleToFormValues(rule, type), type, rule)).toEqual(rule)
    const rule: Rule = {
      kind: 'publisher',
      id: 'b7af7102-efde-4369-8a89-7a6a392d1473',
      name: 'x',
      description: 'd',
      userOrGroupSid: 'S-1-1-0',
      action: 'Deny',
      condition: { kind: 'publisher', publisherName: 'O=A', productName: 'B', binaryName: 'C', versionRange: { low: '1.0.0.0', high: '2.0.0.0' }, extra: { attributes: { Foo: '1' } } },
      exceptions: [{ kind: 'unknown', name: 'X', xml: '<X/>' }, { kind: 'path', path: '%HOT%\\*' }],
      extra: { attributes: { Bar: '2' } },
    }
    const form = ruleToFormValues(rule, 'Exe')
    expect(form.condition.useCustom).toBe(true)
    expect(form.condition.versionMode).toBe('range')
    expect(form.exceptions).toHaveLength(1)
    const back = formToRule(form, 'Exe', rule)
    expect(back.condition).toEqual(rule.condition)
    expect(back.extra).toEqual(rule.extra)
    expect(back.exceptions).toEqual([{ kind: 'path', path: '%HOT%\\*' }, { kind: 'unknown', name: 'X', xml: '<X/>' }])
  })
  it('picks the slider scope that fits a publisher condition', () => {
    const base = { kind: 'publisher' as const, publisherName: 'O=A', productName: 'P', binaryName: 'B.EXE', versionRange: { low: '*', high: '*' } }
    expect(conditionToForm(base)).toMatchObject({ useCustom: false, scope: 'file' })
    expect(conditionToForm({ ...base, binaryName: '*' })).toMatchObject({ useCustom: false, scope: 'product' })
    expect(conditionToForm({ ...base, binaryName: '*', productName: '*' })).toMatchObject({ useCustom: false, scope: 'publisher' })
    expect(conditionToForm({ ...base, versionRange: { low: '3.0.0.0', high: '*' } })).toMatchObject({ useCustom: false, scope: 'version', versionMode: 'above', version: '3.0.0.0' })
    expect(conditionToForm({ ...base, productName: '*' })).toMatchObject({ useCustom: true, versionMode: 'any' })
  })
  it('drops exceptions when the rule becomes a hash rule', () => {
    const v = pathForm('%WINDIR%\\*')
    v.exceptions = [{ ...emptyConditionForm('path'), path: '%WINDIR%\\Temp\\*' }]
    v.condition = { ...emptyConditionForm('hash'), hashes: [{ type: 'SHA256', data: HASH, fileName: 'a.exe', length: '3' }] }
    const r = formToRule(v, 'Exe')
    expect(r.exceptions).toEqual([])
    expect(r.name).toBe('a.exe')
    expect(r.condition).toEqual({ kind: 'hash', hashes: [{ type: 'SHA256', data: HASH, sourceFileName: 'a.exe', sourceFileLength: '3' }] })
  })
})

describe('helpers', () => {
  it('parses what a person types in the user or group box', () => {
    expect(parseSidInput('Everyone')).toBe('S-1-1-0')
    expect(parseSidInput('administrators')).toBe('S-1-5-32-544')
    expect(parseSidInput('BUILTIN\\Users (S-1-5-32-545)')).toBe('S-1-5-32-545')
    expect(parseSidInput(' S-1-5-21-1-2-3-1001 ')).toBe('S-1-5-21-1-2-3-1001')
    expect(parseSidInput('nobody')).toBe('nobody')
    expect(sidOptionText('S-1-1-0')).toBe('Everyone (S-1-1-0)')
    expect(sidOptionText('S-1-5-99')).toBe('S-1-5-99')
  })
  it('nests errors for react-hook-form and maps fields to steps', () => {
    expect(toNestedErrors({ sid: 'a', 'condition.path': 'b', 'exceptions.1.hashes.0.data': 'c' })).toEqual({
      sid: { type: 'validate', message: 'a' },
      condition: { path: { type: 'validate', message: 'b' } },
      exceptions: [undefined, { hashes: [{ data: { type: 'validate', message: 'c' } }] }],
    })
    expect(stepOfField('sid')).toBe('permissions')
    expect(stepOfField('condition.kind')).toBe('conditions')
    expect(stepOfField('condition.hashes.0.data')).toBe('condition')
    expect(stepOfField('exceptions.0.path')).toBe('exceptions')
    expect(stepOfField('name')).toBe('name')
  })
})

describe('packaged apps (Appx)', () => {
  it('uses the packaged-app slider: publisher, package name, version; resource name stays *', () => {
    const v = newRuleFormValues('Appx')
    expect(v.condition.kind).toBe('publisher')
    v.condition.publisherName = 'CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'
    v.condition.productName = 'Microsoft.WindowsCalculator'
    expect(validateRuleForm(v, 'Appx')).toEqual({})
    v.condition.scope = 'version'
    v.condition.versionMode = 'above'
    v.condition.version = '10.0.0.0'
    expect(validateRuleForm(v, 'Appx')).toEqual({})
    const rule = formToRule(v, 'Appx')
    expect(rule.condition).toEqual({
      kind: 'publisher',
      publisherName: 'CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
      productName: 'Microsoft.WindowsCalculator',
      binaryName: '*',
      versionRange: { low: '10.0.0.0', high: '*' },
    })
    expect(rule.name).toBe('Microsoft.WindowsCalculator, version 10.0.0.0 and above, from Microsoft Corporation')
    const back = ruleToFormValues(rule, 'Appx')
    expect(back.condition).toMatchObject({ useCustom: false, scope: 'version', versionMode: 'above', version: '10.0.0.0' })
  })
})

describe('the rule form checks SIDs as the schema does', () => {
  it('refuses what validatePolicy would flag (lower-case s, too short)', () => {
    for (const sid of ['s-1-1-0', 'S-1-5']) {
      const values = { ...newRuleFormValues('Exe'), sid }
      expect(validateRuleForm(values, 'Exe').sid).toMatch(/is not a SID/)
    }
    expect(validateRuleForm({ ...newRuleFormValues('Exe'), sid: 'S-1-1-0' }, 'Exe').sid).toBeUndefined()
  })
})

describe('issue 11 escapes, caught where they are typed', () => {
  it('refuses the user or group S-1-5-21-abc (Windows cannot convert it), as validatePolicy does', () => {
    const e = validateRuleForm({ ...newRuleFormValues('Exe'), sid: 'S-1-5-21-abc', condition: { ...emptyConditionForm('path'), path: '%PROGRAMFILES%\\*' } }, 'Exe')
    expect(e.sid).toMatch(/"S-1-5-21-abc" is not a SID.*"abc" is not a decimal number/)
  })

  it('refuses control characters at the field, and only warns (does not refuse) about invisible ones', () => {
    const base = { ...newRuleFormValues('Exe'), condition: { ...emptyConditionForm('path'), path: '%PROGRAMFILES%\\*' } }
    expect(validateRuleForm({ ...base, name: 'Tools\u0001' }, 'Exe').name).toMatch(/U\+0001 at position 6/)
    expect(validateRuleForm({ ...base, description: 'a\u0000b' }, 'Exe').description).toMatch(/U\+0000/)
    expect(validateRuleForm({ ...base, condition: { ...base.condition, path: '%PROGRAMFILES%\\\u001B*' } }, 'Exe')['condition.path']).toMatch(/U\+001B/)
    expect(validateRuleForm({ ...base, name: 'Tools\u202E' }, 'Exe')).toEqual({})
  })

  it('lists AaronLocker placeholders of an edited rule as errors, and saves once they are removed', () => {
    const rule: Rule = {
      kind: 'path',
      id: 'aaaaaaaa-0000-0000-0000-000000000001',
      name: 'All files in Program Files',
      description: '',
      userOrGroupSid: 'S-1-1-0',
      action: 'Allow',
      condition: { kind: 'path', path: '%PROGRAMFILES%\\*' },
      exceptions: [{ kind: 'unknown', name: 'PLACEHOLDER_PF_WRITABLEDIRS', xml: '<PLACEHOLDER_PF_WRITABLEDIRS />' }],
    }
    const v = ruleToFormValues(rule, 'Exe')
    expect(v.unknownExceptions?.map((u) => u.name)).toEqual(['PLACEHOLDER_PF_WRITABLEDIRS'])
    const e = validateRuleForm(v, 'Exe')
    expect(Object.keys(e)).toEqual(['unknownExceptions.0'])
    expect(e['unknownExceptions.0']).toMatch(/PLACEHOLDER_PF_WRITABLEDIRS.*removed or replaced/)
    expect(stepOfField('unknownExceptions.0')).toBe('exceptions')
    // Kept when saved as it is (nothing lost), dropped once removed, replaced by a real exception.
    expect(formToRule(v, 'Exe', rule).exceptions).toEqual(rule.exceptions)
    const fixed = { ...v, unknownExceptions: [], exceptions: [{ ...emptyConditionForm('path'), path: '%PROGRAMFILES%\\Temp\\*' }] }
    expect(validateRuleForm(fixed, 'Exe')).toEqual({})
    expect(formToRule(fixed, 'Exe', rule).exceptions).toEqual([{ kind: 'path', path: '%PROGRAMFILES%\\Temp\\*' }])
  })
})

describe('mergeHashEntries (Browse for a reference file... on a hash condition)', () => {
  const entry = (data: string, fileName: string) => ({ type: 'SHA256', data, fileName, length: '10' })
  const empty = { type: 'SHA256', data: '', fileName: '', length: '' }
  const A = '0x' + 'A'.repeat(64)
  const B = '0x' + 'B'.repeat(64)
  const C = '0x' + 'C'.repeat(64)
  it('fills the empty rows first, in order, then appends; a filled row is never replaced', () => {
    const r = mergeHashEntries([entry(A, 'a.exe'), empty], [entry(B, 'b.exe'), entry(C, 'c.exe')])
    expect(r.hashes.map((h) => h.fileName)).toEqual(['a.exe', 'b.exe', 'c.exe'])
    expect(r.duplicates).toEqual([])
  })
  it('keeps a row with only a typed file name or length, and leaves out a hash already listed', () => {
    const typed = { ...empty, fileName: 'typed.exe' }
    const r = mergeHashEntries([entry(A, 'a.exe'), typed], [entry(A.toLowerCase(), 'a-copy.exe'), entry(B, 'b.exe')])
    expect(r.hashes.map((h) => h.fileName)).toEqual(['a.exe', 'typed.exe', 'b.exe'])
    expect(r.duplicates.map((h) => h.fileName)).toEqual(['a-copy.exe'])
  })
})

describe('hashHelp', () => {
  it('says Authenticode for executables and DLLs, flat for scripts, both for installers', () => {
    expect(hashHelp('Exe')).toMatch(/Authenticode/)
    expect(hashHelp('Dll')).toMatch(/Authenticode/)
    expect(hashHelp('Script')).toMatch(/flat file hash/)
    expect(hashHelp('Script')).not.toMatch(/Authenticode/)
    expect(hashHelp('Msi')).toMatch(/flat file hash.*Authenticode \(SIP\)/)
  })
})

describe('the Conditions page as the snap-in has it', () => {
  it('starts a new rule with a publisher condition, in every collection', () => {
    for (const type of ['Exe', 'Msi', 'Script', 'Dll', 'Appx'] as const) expect(newRuleFormValues(type).condition.kind).toBe('publisher')
  })
  it('"Use custom values" keeps the rule as it was: fields beyond the level become *, the version as chosen', () => {
    const v = publisherForm()
    v.condition.scope = 'product'
    const before = formToCondition(v.condition)
    const custom = withCustomValues(v.condition)
    expect(custom).toMatchObject({ useCustom: true, productName: 'CONTOSO APP', binaryName: '*', versionMode: 'any' })
    expect(formToCondition(custom)).toEqual(before)
    v.condition.scope = 'version'
    v.condition.versionMode = 'below'
    expect(formToCondition(withCustomValues(v.condition))).toEqual(formToCondition(v.condition))
    expect(withCustomValues(v.condition)).toMatchObject({ versionMode: 'below', version: '2.0.0.0', binaryName: 'APP.EXE' })
  })
  it('asks for a reference file (or custom values) when a read-only field the level needs is empty', () => {
    const v = newRuleFormValues('Exe')
    expect(validateRuleForm(v, 'Exe')['condition.publisherName']).toMatch(/Browse for a reference file to fill the publisher, or tick "Use custom values"/)
  })
})
