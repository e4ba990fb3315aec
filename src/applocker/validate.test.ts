import { describe, expect, it } from 'vitest'
import type { Diagnostic } from './diagnostics'
import type { FileHashRule, FilePathRule, FilePublisherRule, Policy, Rule, UnknownElement } from './policy'
import { generatePolicy } from '../testing/generate'
import {
  compareVersions,
  isValidHashData,
  isValidPathPattern,
  isValidSid,
  isValidVersion,
  pathPatternProblems,
  ruleProblems,
  sidProblem,
  textProblems,
  unknownPathVariables,
  validatePolicy,
  versionRangeProblems,
} from './validate'

const pathRule = (over: Partial<FilePathRule> = {}): FilePathRule => ({
  kind: 'path',
  id: '921cc481-6e17-4653-8f75-050b80acca20',
  name: 'All files in Program Files',
  description: '',
  userOrGroupSid: 'S-1-1-0',
  action: 'Allow',
  condition: { kind: 'path', path: '%PROGRAMFILES%\\*' },
  exceptions: [],
  ...over,
})
const pubRule = (over: Partial<FilePublisherRule> = {}): FilePublisherRule => ({
  kind: 'publisher',
  id: 'a9e18c21-ff8f-43cf-b9fc-db40eed693ba',
  name: 'Signed',
  description: '',
  userOrGroupSid: 'S-1-1-0',
  action: 'Allow',
  condition: { kind: 'publisher', publisherName: '*', productName: '*', binaryName: '*', versionRange: { low: '0.0.0.0', high: '*' } },
  exceptions: [],
  ...over,
})
const hashRule = (over: Partial<FileHashRule> = {}): FileHashRule => ({
  kind: 'hash',
  id: 'b7af7102-efde-4369-8a89-7a6a392d1473',
  name: 'Hash',
  description: '',
  userOrGroupSid: 'S-1-1-0',
  action: 'Deny',
  condition: { kind: 'hash', hashes: [{ type: 'SHA256', data: '0x' + 'ab'.repeat(32) }] },
  exceptions: [],
  ...over,
})
const exe = (...rules: Rule[]): Policy => ({ version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules }] })
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}:${d.code}`)

describe('validatePolicy', () => {
  it('finds nothing wrong in a valid policy (and in a large generated one)', () => {
    expect(validatePolicy(exe(pathRule(), pubRule(), hashRule()))).toEqual([])
    expect(validatePolicy(generatePolicy(2000, 9))).toEqual([])
  })

  it('flags duplicate rule Ids across the whole policy, case-insensitively, with ref', () => {
    const p: Policy = {
      version: '1',
      collections: [
        { type: 'Exe', enforcementMode: 'Enabled', rules: [pathRule()] },
        { type: 'Script', enforcementMode: 'Enabled', rules: [pathRule({ id: '921CC481-6E17-4653-8F75-050B80ACCA20', name: 'Other' })] },
      ],
    }
    const d = validatePolicy(p)
    expect(codes(d)).toEqual(['error:duplicate-rule-id'])
    expect(d[0].ref).toEqual({ collection: 1, rule: 0 })
    expect(d[0].message).toContain('All files in Program Files')
  })

  it('flags malformed GUIDs (braces, short, not hex)', () => {
    for (const id of ['{921cc481-6e17-4653-8f75-050b80acca20}', '1', '921cc481-6e17-4653-8f75-050b80acca2g', '']) {
      expect(codes(validatePolicy(exe(pathRule({ id }))))).toContain('error:invalid-rule-id')
    }
  })

  it('flags SIDs that are names, with a hint', () => {
    const d = validatePolicy(exe(pathRule({ userOrGroupSid: 'AVD Users' })))
    expect(codes(d)).toEqual(['error:invalid-sid'])
    expect(d[0].message).toMatch(/looks like a user or group name/)
    expect(d[0].ref).toEqual({ collection: 0, rule: 0 })
    for (const sid of ['S-1-5-21-3623811015-3361044348-30300820-1013', 'S-1-0-0', 'S-1-5-32-544']) expect(validatePolicy(exe(pathRule({ userOrGroupSid: sid })))).toEqual([])
    for (const sid of ['S-1', 'S-2-1-0', 's-1-1-0', 'S-1-1-0 ']) expect(codes(validatePolicy(exe(pathRule({ userOrGroupSid: sid }))))).toEqual(['error:invalid-sid'])
  })

  it('flags invalid enforcement modes, unknown and duplicate collection types', () => {
    const p: Policy = {
      version: '1',
      collections: [
        { type: null, enforcementMode: 'NotConfigured', rules: [], extra: { invalid: { Type: 'Executable', EnforcementMode: 'Enforced' } } },
        { type: 'Exe', enforcementMode: 'Enabled', rules: [] },
        { type: 'Exe', enforcementMode: 'AuditOnly', rules: [] },
        { type: null, enforcementMode: 'AuditOnly', rules: [], extra: { invalid: { Type: 'ManagedInstaller' } } },
      ],
    }
    const d = validatePolicy(p)
    expect(codes(d)).toEqual(['error:unknown-collection-type', 'error:invalid-enforcement-mode', 'error:duplicate-collection', 'warning:managed-installer-collection'])
    expect(d[0].message).toContain('did you mean "Exe"')
    expect(d[2].ref).toEqual({ collection: 2 })
  })

  it('flags a rule without its condition and a condition of the wrong kind', () => {
    expect(codes(validatePolicy(exe(pathRule({ condition: undefined }))))).toEqual(['error:missing-condition'])
    const wrong = pathRule({ condition: undefined, extraConditions: [{ kind: 'publisher', publisherName: '*', productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } }] })
    expect(codes(validatePolicy(exe(wrong)))).toEqual(['error:wrong-condition-kind'])
    const two = pathRule({ extraConditions: [{ kind: 'path', path: '*' }] })
    expect(codes(validatePolicy(exe(two)))).toEqual(['error:several-conditions'])
  })

  it('flags hash rules with exceptions', () => {
    expect(codes(validatePolicy(exe(hashRule({ exceptions: [{ kind: 'path', path: '*' }] }))))).toEqual(['error:hash-rule-exceptions'])
    expect(codes(validatePolicy(exe(hashRule({ hasExceptionsElement: true }))))).toEqual(['error:hash-rule-exceptions'])
  })

  it('checks version ranges: * or four parts of 1-5 digits, low <= high', () => {
    const vr = (low: string, high: string) => codes(validatePolicy(exe(pubRule({ condition: { kind: 'publisher', publisherName: '*', productName: '*', binaryName: '*', versionRange: { low, high } } }))))
    expect(vr('*', '*')).toEqual([])
    expect(vr('10.0.0.0', '10.0.0.0')).toEqual([])
    expect(vr('23306.3309.0.0', '*')).toEqual([])
    expect(vr('2.0', '*')).toEqual(['error:invalid-version-range'])
    expect(vr('1.0.0.0', '123456.0.0.0')).toEqual(['error:invalid-version-range'])
    expect(vr('10.0.0.2', '10.0.0.10')).toEqual([])
    expect(vr('10.0.0.10', '10.0.0.2')).toEqual(['error:invalid-version-range'])
    expect(codes(validatePolicy(exe(pubRule({ condition: { kind: 'publisher', publisherName: '*', productName: '*', binaryName: '*' } }))))).toEqual(['error:missing-version-range'])
    expect(isValidVersion('1.2.3.4')).toBe(true)
    expect(isValidVersion('1.2.3')).toBe(false)
    expect(compareVersions('10.0.2.0', '10.0.10.0')).toBeLessThan(0)
  })

  it('checks hash data and type', () => {
    const h = (type: string, data: string, sourceFileLength?: string) =>
      codes(validatePolicy(exe(hashRule({ condition: { kind: 'hash', hashes: [{ type, data, ...(sourceFileLength !== undefined ? { sourceFileLength } : {}) }] } }))))
    expect(h('SHA256', '0x' + 'F'.repeat(64))).toEqual([])
    expect(h('SHA1', '0x' + 'F'.repeat(40))).toEqual([])
    expect(h('SHA256', '0x' + 'F'.repeat(40))).toEqual(['error:invalid-hash-data'])
    expect(h('SHA256', 'F'.repeat(64))).toEqual(['error:invalid-hash-data'])
    expect(h('SHA256', '0x' + 'G'.repeat(64))).toEqual(['error:invalid-hash-data'])
    expect(h('MD5', '0x' + 'F'.repeat(32))).toEqual(['error:invalid-hash-type', 'error:invalid-hash-data'])
    expect(h('SHA256', '0x' + 'F'.repeat(64), '12kb')).toEqual(['error:invalid-source-file-length'])
    expect(codes(validatePolicy(exe(hashRule({ condition: { kind: 'hash', hashes: [] } }))))).toEqual(['error:empty-hash-condition'])
  })

  it('flags empty PublisherName and Path, also in exceptions', () => {
    expect(codes(validatePolicy(exe(pathRule({ condition: { kind: 'path', path: '' } }))))).toEqual(['error:empty-path'])
    expect(codes(validatePolicy(exe(pubRule({ condition: { kind: 'publisher', publisherName: '', productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } } }))))).toEqual(['error:empty-publisher'])
    expect(codes(validatePolicy(exe(pathRule({ exceptions: [{ kind: 'path', path: '' }] }))))).toEqual(['error:empty-path'])
  })

  it('warns about unknown attributes; an unknown element inside Exceptions (a template placeholder) is an error', () => {
    const rule = pathRule({ exceptions: [{ kind: 'unknown', name: 'PLACEHOLDER_X', xml: '<PLACEHOLDER_X />' }], extra: { attributes: { Foo: '1' } } })
    const d = validatePolicy(exe(rule))
    // Issue 11: Windows refuses a policy with a placeholder in Exceptions, so it is counted as an error.
    expect(codes(d).sort()).toEqual(['error:unknown-exception', 'warning:unknown-attribute'])
    expect(d.every((x) => x.ref?.rule === 0)).toBe(true)
    expect(d.find((x) => x.code === 'unknown-exception')!.message).toMatch(/Exception 1 of FilePathRule .*PLACEHOLDER_X.*removed or replaced/)
  })

  it('flags invalid and missing attributes', () => {
    expect(codes(validatePolicy(exe(pathRule({ extra: { invalid: { Action: 'Block' } } }))))).toEqual(['error:invalid-action'])
    expect(codes(validatePolicy(exe(pathRule({ extra: { absent: ['Description'] } }))))).toEqual(['error:missing-attribute'])
    expect(codes(validatePolicy(exe(pathRule({ name: '' }))))).toEqual(['error:empty-rule-name'])
  })

  it('checks RuleCollectionExtensions: Exe/Dll only, both parts, valid values', () => {
    const withExt = (type: 'Exe' | 'Script', ext: NonNullable<Policy['collections'][0]['extensions']>): Policy => ({ version: '1', collections: [{ type, enforcementMode: 'Enabled', rules: [], extensions: ext }] })
    const full = { threshold: true, services: { enforcementMode: 'Enabled' }, redstone: true, systemApps: { allow: 'Enabled' } }
    expect(validatePolicy(withExt('Exe', full))).toEqual([])
    expect(codes(validatePolicy(withExt('Script', full)))).toEqual(['warning:extensions-wrong-collection'])
    expect(codes(validatePolicy(withExt('Exe', { threshold: true, services: { enforcementMode: 'Enabled' }, redstone: false })))).toEqual(['error:extensions-incomplete'])
    expect(codes(validatePolicy(withExt('Exe', { ...full, services: { enforcementMode: 'On' }, systemApps: { allow: 'Yes' } })))).toEqual(['error:invalid-services-mode', 'error:invalid-system-apps'])
  })

  it('flags non-publisher rules in the Appx collection (as the rule form and Review do)', () => {
    const p: Policy = { version: '1', collections: [{ type: 'Appx', enforcementMode: 'Enabled', rules: [pathRule()] }] }
    expect(codes(validatePolicy(p))).toEqual(['error:appx-non-publisher'])
  })
})

describe('elements of the schema kept verbatim: PolicyExtensions and OriginDataRevocation (AppLocker.xsd)', () => {
  const G = '921cc481-6e17-4653-8f75-050b80acca20'
  const kept = (name: string, xml: string, at?: number): UnknownElement => (at === undefined ? { kind: 'unknown', name, xml } : { kind: 'unknown', name, xml, at })
  /** A policy with these PolicyExtensions (or other root children) after its Exe collection. */
  const withRoot = (...xml: string[]): Policy => ({ ...exe(pathRule()), extra: { children: xml.map((x, i) => kept(/^<(\w+)/.exec(x)![1], x, i + 1)) } })
  /** An Exe collection whose RedstoneExtensions holds these elements. */
  const withRedstone = (...xml: string[]): Policy => ({
    version: '1',
    collections: [
      { type: 'Exe', enforcementMode: 'Enabled', rules: [], extensions: { threshold: true, redstone: true, systemApps: { allow: 'Enabled' }, redstoneExtra: { children: xml.map((x, i) => kept(/^<(\w+)/.exec(x)![1], x, i + 1)) } } },
    ],
  })
  const notInfo = (p: Policy) => validatePolicy(p).filter((d) => d.severity !== 'info')
  const odr = (attrs: string) => `<OriginDataRevocation ${attrs} />`

  it('accepts valid ones (xs:unsignedInt with spaces around it and character references; Plugins in full), with only the info that they are kept', () => {
    expect(notInfo(withRedstone(odr('CurrentOriginDataId="0" TrustedOriginDataId="4294967295"')))).toEqual([])
    expect(notInfo(withRedstone(odr('CurrentOriginDataId=" 7 " TrustedOriginDataId="&#49;&#x32;"')))).toEqual([])
    expect(notInfo(withRoot('<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>'))).toEqual([])
    const full = `<PolicyExtensions><!-- c --><ThresholdExtensions><Plugins><Plugin Name="Contoso" Id="${G}"><ExecutionCategories><ExecutionCategory Id="${G}" AppidTypes=" Hash Path  Publisher"><Policies><Policy Id="${G}" /></Policies></ExecutionCategory><ExecutionCategory /></ExecutionCategories></Plugin><Plugin><ExecutionCategories><ExecutionCategory AppidTypes="" /></ExecutionCategories></Plugin></Plugins></ThresholdExtensions><AnythingAfter x="1"><ThresholdExtensions /></AnythingAfter><ThresholdExtensions /></PolicyExtensions>`
    expect(notInfo(withRoot(full))).toEqual([])
    expect(codes(validatePolicy(withRoot(full)))).toEqual(['info:schema-element-kept'])
  })

  it('OriginDataRevocation: both attributes required, each an xs:unsignedInt; one per RedstoneExtensions', () => {
    const d = notInfo(withRedstone(odr('CurrentOriginDataId="-1"')))
    expect(codes(d)).toEqual(['error:invalid-origin-data-revocation', 'error:missing-attribute'])
    expect(d[0].message).toBe('CurrentOriginDataId "-1" of <OriginDataRevocation> (Exe collection) is not a whole number from 0 to 4,294,967,295 (xs:unsignedInt).')
    expect(d[1].message).toBe('<OriginDataRevocation> (Exe collection) has no TrustedOriginDataId attribute, which Windows requires.')
    expect(d.map((x) => x.ref)).toEqual([{ collection: 0 }, { collection: 0 }])
    for (const bad of ['4294967296', '1.0', '0x10', '', '1 2', 'one'])
      expect(codes(notInfo(withRedstone(odr(`CurrentOriginDataId="1" TrustedOriginDataId="${bad}"`)))), bad).toEqual(['error:invalid-origin-data-revocation'])
    const two = notInfo(withRedstone(odr('CurrentOriginDataId="1" TrustedOriginDataId="1"'), odr('CurrentOriginDataId="2" TrustedOriginDataId="2"')))
    expect(two.map((x) => x.message)).toEqual(['There is more than one <OriginDataRevocation> in RedstoneExtensions (Exe collection); the schema allows one. Keep one of them.'])
  })

  it('OriginDataRevocation holds no text (error) and no elements (an undeclared one is a warning, as elsewhere)', () => {
    const d = notInfo(withRedstone('<OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="1" Extra="x">text<Child /></OriginDataRevocation>'))
    expect(codes(d)).toEqual(['warning:unknown-content-kept', 'error:invalid-origin-data-revocation', 'warning:unknown-content-kept'])
    expect(d[1].message).toMatch(/holds text; the schema allows only attributes there/)
  })

  it('PolicyExtensions: ThresholdExtensions first and required; one PolicyExtensions per policy', () => {
    const empty = notInfo(withRoot('<PolicyExtensions />'))
    expect(codes(empty)).toEqual(['error:invalid-policy-extensions'])
    expect(empty[0].message).toMatch(/^<PolicyExtensions> has no <ThresholdExtensions>, which the schema requires/)
    expect(empty[0].ref).toBeUndefined()
    const first = notInfo(withRoot('<PolicyExtensions><Foo /><ThresholdExtensions /></PolicyExtensions>'))
    expect(first.map((x) => x.message)).toEqual(['<PolicyExtensions> must start with <ThresholdExtensions>; <Foo> stands before it.'])
    expect(codes(notInfo(withRoot('<PolicyExtensions><Foo /></PolicyExtensions>')))).toEqual(['error:invalid-policy-extensions'])
    const two = notInfo(withRoot('<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>', '<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>'))
    expect(two.map((x) => x.message)).toEqual(['There is more than one <PolicyExtensions> in AppLockerPolicy; the schema allows one. Keep one of them.'])
    expect(codes(notInfo(withRoot('<PolicyExtensions> text <ThresholdExtensions /></PolicyExtensions>')))).toEqual(['error:invalid-policy-extensions'])
    expect(codes(notInfo(withRoot('<PolicyExtensions xmlns="urn:x"><ThresholdExtensions /></PolicyExtensions>')))).toEqual(['error:invalid-policy-extensions'])
  })

  it('PolicyExtensions: the Plugins tree (repeats, required children, GUIDs, AppidTypes), located by path', () => {
    const d = notInfo(
      withRoot(
        '<PolicyExtensions><ThresholdExtensions><Plugins><Plugin Id="nope" /><Plugin><ExecutionCategories><ExecutionCategory AppidTypes="Hash File"><Policies /><Policies /></ExecutionCategory></ExecutionCategories></Plugin><Policy /></Plugins><Plugins /></ThresholdExtensions></PolicyExtensions>',
      ),
    )
    expect(d.map((x) => `${x.severity}: ${x.message}`)).toEqual([
      'error: Id "nope" of <Plugin> (PolicyExtensions/ThresholdExtensions/Plugins 1/Plugin 1) is not a GUID (like 921cc481-6e17-4653-8f75-050b80acca20).',
      'error: <Plugin> (PolicyExtensions/ThresholdExtensions/Plugins 1/Plugin 1) has no <ExecutionCategories>, which the schema requires.',
      'error: AppidTypes "Hash File" of <ExecutionCategory> (PolicyExtensions/ThresholdExtensions/Plugins 1/Plugin 2/ExecutionCategories/ExecutionCategory) holds "File"; it is a list of Hash, Path and Publisher separated by spaces.',
      'error: <ExecutionCategory> (PolicyExtensions/ThresholdExtensions/Plugins 1/Plugin 2/ExecutionCategories/ExecutionCategory) holds more than one <Policies>; the schema allows one.',
      'error: <Policy> does not belong inside <Plugins> (PolicyExtensions/ThresholdExtensions/Plugins 1).',
      'error: <ThresholdExtensions> (PolicyExtensions/ThresholdExtensions) holds more than one <Plugins>; the schema allows one.',
    ])
    expect(codes(notInfo(withRoot('<PolicyExtensions><ThresholdExtensions><Plugins><Unknown /></Plugins></ThresholdExtensions></PolicyExtensions>')))).toEqual(['warning:unknown-content-kept'])
    expect(codes(notInfo(withRoot('<PolicyExtensions><ThresholdExtensions><Plugins><Plugin><ExecutionCategories /></Plugin></Plugins></ThresholdExtensions></PolicyExtensions>')))).toEqual(['error:invalid-policy-extensions'])
  })

  it('checks nothing in markup that is not well formed (the writer writes it as a comment) and nothing of other root elements', () => {
    expect(notInfo(withRoot('<PolicyExtensions><ThresholdExtensions></PolicyExtensions>'))).toEqual([])
    expect(codes(notInfo(withRoot('<Other />')))).toEqual(['warning:unknown-element'])
  })

  it('reports on the policy (PolicyExtensions) or the collection\'s extensions (OriginDataRevocation), naming the kept child', async () => {
    const { validatePolicyTargets } = await import('./validate')
    expect(validatePolicyTargets(withRoot('<PolicyExtensions />')).filter((t) => t.diagnostic.severity === 'error').map((t) => t.target)).toEqual([{ part: 'policy', child: 0 }])
    expect(validatePolicyTargets(withRedstone(odr('CurrentOriginDataId="x" TrustedOriginDataId="1"'))).filter((t) => t.diagnostic.severity === 'error').map((t) => t.target)).toEqual([{ collection: 0, part: 'extensions', child: 0 }])
  })
})

describe('hash types are looked up as data, not as object properties', () => {
  it('flags Type="constructor"', async () => {
    const { isKnownHashType } = await import('./validate')
    expect(isKnownHashType('constructor')).toBe(false)
    expect(isKnownHashType('toString')).toBe(false)
    expect(isKnownHashType('SHA256Flat')).toBe(true)
  })
})

describe('field checks (the one validator)', () => {
  it('SIDs: the schema pattern, and decimal parts Windows can convert', () => {
    expect(isValidSid('S-1-1-0')).toBe(true)
    expect(isValidSid('S-1-5-21-1004336348-1177238915-682003330-512')).toBe(true)
    expect(isValidSid('Everyone')).toBe(false)
    expect(isValidSid('S-1-')).toBe(false)
    expect(isValidSid('S-1-5-')).toBe(false)
    // Issue 11: the schema's pattern lets hex digits through, Windows cannot convert them.
    expect(sidProblem('S-1-5-21-abc')).toMatch(/"abc" is not a decimal number/)
    expect(isValidSid('S-1-5-21-ABCDEF')).toBe(false)
    expect(sidProblem('S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15')).toMatch(/at most 15/)
    expect(sidProblem('S-1-5-4294967296')).toMatch(/larger than Windows allows/)
    expect(sidProblem('S-1-5-4294967295')).toBeNull()
  })

  it('versions: * or four parts of up to five digits; Low above High is refused', () => {
    expect(isValidVersion('*')).toBe(true)
    expect(isValidVersion('23306.3309.0.0')).toBe(true)
    expect(isValidVersion('1.2.3')).toBe(false)
    expect(isValidVersion('123456.0.0.0')).toBe(false)
    expect(compareVersions('10.0.2.0', '10.0.10.0')).toBe(-1)
    expect(versionRangeProblems('2.0.0.0', '1.0.0.0')[0].message).toMatch(/above the highest/)
    expect(versionRangeProblems('1.0.0.0', '*')).toEqual([])
    expect(versionRangeProblems('x', '*')).toHaveLength(1)
  })

  it('paths: unknown %VARIABLES% are errors, ? is a warning', () => {
    expect(unknownPathVariables('%OSDRIVE%\\Users\\%USERNAME%\\%AppData%\\*')).toEqual(['%USERNAME%', '%AppData%'])
    expect(isValidPathPattern('%windir%\\Temp\\*')).toBe(true)
    expect(isValidPathPattern('%USERPROFILE%\\*')).toBe(false)
    expect(isValidPathPattern('  ')).toBe(false)
    const q = pathPatternProblems('%PROGRAMFILES%\\app?.exe')
    expect(q).toEqual([expect.objectContaining({ severity: 'warning' })])
    expect(isValidPathPattern('%PROGRAMFILES%\\app?.exe')).toBe(true)
  })

  it('hash data lengths per type', () => {
    expect(isValidHashData('SHA256', '0x' + 'a'.repeat(64))).toBe(true)
    expect(isValidHashData('SHA1', '0x' + 'a'.repeat(40))).toBe(true)
    expect(isValidHashData('SHA256', 'a'.repeat(64))).toBe(false)
  })

  it('text: control characters are errors, invisible and direction characters warnings', () => {
    for (const c of ['\u0000', '\u0001', '\u001B', '\uFFFF', '\uD800']) {
      expect(textProblems(`a${c}b`, 'The name').map((p) => `${p.severity}:${p.code}`)).toEqual(['error:control-character'])
    }
    expect(textProblems('a\u0001b', 'The name')[0].message).toMatch(/U\+0001 at position 2/)
    for (const c of ['\u202E', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF']) {
      expect(textProblems(`a${c}b`, 'The path').map((p) => `${p.severity}:${p.code}`)).toEqual(['warning:invisible-character'])
    }
    expect(textProblems('tab\there', 'The name')).toEqual([])
    expect(textProblems('MICROSOFT® WINDOWS®', 'The name')).toEqual([])
  })

  it('messages quote at most about 200 characters of a value', () => {
    const huge = 'x'.repeat(5_000_000)
    const d = validatePolicy(exe(pathRule({ userOrGroupSid: huge, name: `n\u0000${huge}` })))
    expect(d.length).toBeGreaterThan(0)
    for (const x of d) expect(x.message.length).toBeLessThan(800)
    expect(d.find((x) => x.code === 'invalid-sid')!.message).toContain('(5,000,000 characters)')
  })
})

describe('ruleProblems: one rule, field by field', () => {
  const good = (): Rule => ({
    kind: 'path',
    id: 'aaaaaaaa-0000-0000-0000-000000000001',
    name: 'Tools',
    description: '',
    userOrGroupSid: 'S-1-5-32-545',
    action: 'Allow',
    condition: { kind: 'path', path: '%OSDRIVE%\\Tools\\*' },
    exceptions: [{ kind: 'path', path: '%OSDRIVE%\\Tools\\Temp\\*' }],
  })

  it('accepts a valid rule', () => {
    expect(ruleProblems(good(), 'Exe')).toEqual([])
  })

  it('refuses an invalid SID, an unknown path variable in an exception, an empty name', () => {
    const r = { ...good(), name: '', userOrGroupSid: 'CONTOSO\\Finance', exceptions: [{ kind: 'path' as const, path: '%APPDATA%\\*' }] }
    expect(ruleProblems(r, 'Exe').map((p) => [p.field, p.severity])).toEqual([
      ['name', 'error'],
      ['userOrGroupSid', 'error'],
      ['exceptions.0.path', 'error'],
    ])
  })

  it('refuses a path rule in Appx, an inverted version range, bad hash data and a placeholder exception', () => {
    expect(ruleProblems(good(), 'Appx').map((p) => p.field)).toEqual(['kind'])
    const pub: Rule = { ...good(), kind: 'publisher', exceptions: [], condition: { kind: 'publisher', publisherName: 'O=X', productName: '*', binaryName: '*', versionRange: { low: '2.0.0.0', high: '1.0.0.0' } } }
    expect(ruleProblems(pub, 'Exe')[0].message).toMatch(/above the highest/)
    const hash: Rule = { ...good(), kind: 'hash', condition: { kind: 'hash', hashes: [{ type: 'SHA256', data: '0x12' }] } }
    expect(ruleProblems(hash, 'Exe').map((p) => p.field)).toEqual(['condition.hashes.0.data', 'exceptions'])
    const placeholder: Rule = { ...good(), exceptions: [{ kind: 'unknown', name: 'PLACEHOLDER_PF_WRITABLEDIRS', xml: '<PLACEHOLDER_PF_WRITABLEDIRS/>' }] }
    expect(ruleProblems(placeholder, 'Exe').map((p) => `${p.field}:${p.code}`)).toEqual(['exceptions.0:unknown-exception'])
  })

  it('refuses a hash type spelled in another case, as the schema does', () => {
    const data = `0x${'AB'.repeat(32)}`
    const rule = (type: string): Rule => ({ kind: 'hash', id: 'aaaaaaaa-0000-0000-0000-000000000009', name: 'h', description: '', userOrGroupSid: 'S-1-1-0', action: 'Allow', exceptions: [], condition: { kind: 'hash', hashes: [{ type, data, sourceFileName: 'a.exe' }] } })
    expect(ruleProblems(rule('SHA256'), 'Exe')).toEqual([])
    expect(ruleProblems(rule('sha256'), 'Exe').map((p) => p.field)).toEqual(['condition.hashes.0.type'])
  })
})

describe('the export guard sees what the rule form refuses (issue 11)', () => {
  it('S-1-5-21-abc is an error of the policy, so Export warns', () => {
    const d = validatePolicy(exe(pathRule({ userOrGroupSid: 'S-1-5-21-abc' })))
    expect(codes(d)).toEqual(['error:invalid-sid'])
  })
  it('control characters are errors, invisible characters warnings, in names, paths and publisher fields', () => {
    expect(codes(validatePolicy(exe(pathRule({ name: 'a\u001Bb' }))))).toEqual(['error:control-character'])
    expect(codes(validatePolicy(exe(pathRule({ condition: { kind: 'path', path: '%PROGRAMFILES%\\\u202Eexe.txt' } }))))).toEqual(['warning:invisible-character'])
    expect(codes(validatePolicy(exe(pubRule({ condition: { kind: 'publisher', publisherName: 'O=MICRO\u200BSOFT', productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } } }))))).toEqual(['warning:invisible-character'])
  })
})
