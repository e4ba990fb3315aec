/**
 * Cases built from the AppLocker schema and Microsoft's documentation, each naming its source:
 *   [XSD]  MicrosoftDocs/WDAC-Toolkit AppLocker-Policy-Converter/.../AppLocker.xsd (the AppLocker schema)
 *   [DEEP] reference/applocker-deep.md (sections 1.1 to 1.4, 7.1, 11), which quotes Microsoft's articles
 *   [MI]   Microsoft's managed-installer policy ("Configure managed installer", deep ref 1.4 Example C)
 *   [RCE]  rule-collection-extensions.md; [DEL] delete-an-applocker-rule.md (empty policy)
 *   [PS-Get] Get-AppLockerPolicy (one line, no declaration; deep ref 1.3 and Example A)
 *   [PS-Set] Set-AppLockerPolicy -Merge; working-with-applocker-rules.md (APPLOCKER.md section 6)
 * The review (lint) pitfalls of [DEEP] 11 are checked through the CLI in src/cli/lintCommand.pitfalls.test.ts.
 * For every document: the reader never throws, keeps everything (write then read gives a deep-equal
 * model), and flags what Windows would reject with a located message.
 */
import { describe, expect, it } from 'vitest'
import { diffPolicies } from '../diff'
import { compilePolicy } from '../evaluate/compile'
import { decide } from '../evaluate/decide'
import { reviewPolicy } from '../review'
import { mergePolicies, previewMerge } from '../merge'
import type { FileHashRule, FilePathRule, FilePublisherRule, Policy } from '../policy'
import { validatePolicy } from '../validate'
import { readPolicy, type PolicyReadResult } from './read'
import { encodePolicy, writePolicyXml } from './write'
import { utf16, utf8 } from '../../testing/builders'

// ---------------------------------------------------------------------------------------------
// Helpers

const G1 = '921cc481-6e17-4653-8f75-050b80acca20'
const G2 = 'a61c8b2c-a319-4cd0-9690-d2177cad7b51'
const G3 = 'fd686d83-a829-4351-8ff4-27c7de5755d2'

/** Reads, checks it opened, and that writing then reading (UTF-8 and UTF-16 LE) gives the same model. */
function open(input: string | Uint8Array): { r: PolicyReadResult; p: Policy } {
  let r: PolicyReadResult | undefined
  expect(() => (r = readPolicy(input))).not.toThrow()
  const res = r as PolicyReadResult
  expect(res.value, JSON.stringify(res.diagnostics)).not.toBeNull()
  const p = res.value as Policy
  expect(readPolicy(writePolicyXml(p)).value).toStrictEqual(p)
  expect(readPolicy(encodePolicy(p, 'utf-16le')).value).toStrictEqual(p)
  return { r: res, p }
}
const codes = (r: PolicyReadResult, severity?: string) =>
  r.diagnostics.filter((d) => !severity || d.severity === severity).map((d) => d.code)
const errors = (r: PolicyReadResult) => r.diagnostics.filter((d) => d.severity === 'error')
const one = (r: PolicyReadResult, code: string) => {
  const ds = r.diagnostics.filter((d) => d.code === code)
  expect(ds, `${code} in ${JSON.stringify(r.diagnostics)}`).toHaveLength(1)
  return ds[0]
}
/** Line (1-based) of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length

const pathRule = (id = G1, attrs = `Id="${id}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"`, path = '*') =>
  `<FilePathRule ${attrs}><Conditions><FilePathCondition Path="${path}" /></Conditions></FilePathRule>`
const policyOf = (body: string) => `<AppLockerPolicy Version="1">${body}</AppLockerPolicy>`
const exe = (rules: string, mode = 'Enabled') => `<RuleCollection Type="Exe" EnforcementMode="${mode}">${rules}</RuleCollection>`
const pubRule = (low: string, high: string, id = G1) =>
  `<FilePublisherRule Id="${id}" Name="p" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="O=X" ProductName="" BinaryName=""><BinaryVersionRange LowSection="${low}" HighSection="${high}" /></FilePublisherCondition></Conditions></FilePublisherRule>`
const hashRule = (hashes: string, extra = '', id = G1) =>
  `<FileHashRule Id="${id}" Name="h" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FileHashCondition>${hashes}</FileHashCondition></Conditions>${extra}</FileHashRule>`

// [DEEP] 1.4 Example A: Get-AppLockerPolicy -Effective -Xml on a real machine, verbatim (one line).
const EXAMPLE_A = String.raw`<AppLockerPolicy Version="1"><RuleCollection Type="Appx" EnforcementMode="Enabled"><FilePublisherRule Id="a9e18c21-ff8f-43cf-b9fc-db40eed693ba" Name="(Default Rule) All signed packaged apps" Description="Allows members of the Everyone group to run packaged apps that are signed." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="*" ProductName="*" BinaryName="*"><BinaryVersionRange LowSection="0.0.0.0" HighSection="*" /></FilePublisherCondition></Conditions></FilePublisherRule></RuleCollection><RuleCollection Type="Dll" EnforcementMode="NotConfigured" /><RuleCollection Type="Exe" EnforcementMode="Enabled"><FilePathRule Id="a61c8b2c-a319-4cd0-9690-d2177cad7b51" Name="(Default Rule) All files located in the Windows folder" Description="Allows members of the Everyone group to run applications that are located in the Windows folder." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%WINDIR%\*" /></Conditions></FilePathRule><FilePathRule Id="d754b869-d2cc-46af-9c94-6b6e8c10d095" Name="All files located in the Program Files folder" Description="Allows members of the Everyone group to run applications that are located in the Program Files folder." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%OSDRIVE%\tmp\*" /></Conditions></FilePathRule><FilePathRule Id="fd686d83-a829-4351-8ff4-27c7de5755d2" Name="(Default Rule) All files" Description="Allows members of the local Administrators group to run all applications." UserOrGroupSid="S-1-5-32-544" Action="Allow"><Conditions><FilePathCondition Path="*" /></Conditions></FilePathRule></RuleCollection><RuleCollection Type="Msi" EnforcementMode="Enabled"><FilePublisherRule Id="b7af7102-efde-4369-8a89-7a6a392d1473" Name="(Default Rule) All digitally signed Windows Installer files" Description="Allows members of the Everyone group to run digitally signed Windows Installer files." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="*" ProductName="*" BinaryName="*"><BinaryVersionRange LowSection="0.0.0.0" HighSection="*" /></FilePublisherCondition></Conditions></FilePublisherRule><FilePathRule Id="5b290184-345a-4453-b184-45305f6d9a54" Name="(Default Rule) All Windows Installer files in %systemdrive%\Windows\Installer" Description="Allows members of the Everyone group to run all Windows Installer files located in %systemdrive%\Windows\Installer." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%WINDIR%\Installer\*" /></Conditions></FilePathRule><FilePathRule Id="64ad46ff-0d71-4fa0-a30b-3f3d30c5433d" Name="(Default Rule) All Windows Installer files" Description="Allows members of the local Administrators group to run all Windows Installer files." UserOrGroupSid="S-1-5-32-544" Action="Allow"><Conditions><FilePathCondition Path="*.*" /></Conditions></FilePathRule></RuleCollection><RuleCollection Type="Script" EnforcementMode="Enabled"><FilePathRule Id="06dce67b-934c-454f-a263-2515c8796a5d" Name="(Default Rule) All scripts located in the Program Files folder" Description="Allows members of the Everyone group to run scripts that are located in the Program Files folder." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%PROGRAMFILES%\*" /></Conditions></FilePathRule><FilePathRule Id="9428c672-5fc3-47f4-808a-a0011f36dd2c" Name="(Default Rule) All scripts located in the Windows folder" Description="Allows members of the Everyone group to run scripts that are located in the Windows folder." UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%WINDIR%\*" /></Conditions></FilePathRule><FilePathRule Id="ed97d0cb-15ff-430f-b82c-8d7832957725" Name="(Default Rule) All scripts" Description="Allows members of the local Administrators group to run all scripts." UserOrGroupSid="S-1-5-32-544" Action="Allow"><Conditions><FilePathCondition Path="*" /></Conditions></FilePathRule></RuleCollection></AppLockerPolicy>`

// [MI] / [DEEP] 1.4 Example C, verbatim, including the &reg; / &trade; of the Markdown copy.
const EXAMPLE_C_HTML = String.raw`<AppLockerPolicy Version="1">
  <RuleCollection Type="Dll" EnforcementMode="AuditOnly" >
    <FilePathRule Id="86f235ad-3f7b-4121-bc95-ea8bde3a5db5" Name="Benign DENY Rule" Description="" UserOrGroupSid="S-1-1-0" Action="Deny">
      <Conditions>
        <FilePathCondition Path="%OSDRIVE%\ThisWillBeBlocked.dll" />
      </Conditions>
    </FilePathRule>
    <RuleCollectionExtensions>
      <ThresholdExtensions>
        <Services EnforcementMode="Enabled" />
      </ThresholdExtensions>
      <RedstoneExtensions>
        <SystemApps Allow="Enabled"/>
      </RedstoneExtensions>
    </RuleCollectionExtensions>
  </RuleCollection>
  <RuleCollection Type="Exe" EnforcementMode="AuditOnly">
    <FilePathRule Id="9420c496-046d-45ab-bd0e-455b2649e41e" Name="Benign DENY Rule" Description="" UserOrGroupSid="S-1-1-0" Action="Deny">
      <Conditions>
        <FilePathCondition Path="%OSDRIVE%\ThisWillBeBlocked.exe" />
      </Conditions>
    </FilePathRule>
    <RuleCollectionExtensions>
      <ThresholdExtensions>
        <Services EnforcementMode="Enabled" />
      </ThresholdExtensions>
      <RedstoneExtensions>
        <SystemApps Allow="Enabled"/>
      </RedstoneExtensions>
    </RuleCollectionExtensions>
  </RuleCollection>
  <RuleCollection Type="ManagedInstaller" EnforcementMode="AuditOnly">
    <FilePublisherRule Id="55932f09-04b8-44ec-8e2d-3fc736500c56" Name="MICROSOFT.MANAGEMENT.SERVICES.INTUNEWINDOWSAGENT.EXE version 1.39.200.2 or greater in MICROSOFT&reg; INTUNE&trade; from O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
          <FilePublisherCondition PublisherName="O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US" ProductName="*" BinaryName="MICROSOFT.MANAGEMENT.SERVICES.INTUNEWINDOWSAGENT.EXE">
            <BinaryVersionRange LowSection="1.39.200.2" HighSection="*" />
          </FilePublisherCondition>
    </Conditions>
    </FilePublisherRule>
    <FilePublisherRule Id="6ead5a35-5bac-4fe4-a0a4-be8885012f87" Name="CMM - CCMEXEC.EXE, 5.0.0.0+, Microsoft signed" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <FilePublisherCondition PublisherName="O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US" ProductName="*" BinaryName="CCMEXEC.EXE">
          <BinaryVersionRange LowSection="5.0.0.0" HighSection="*" />
        </FilePublisherCondition>
      </Conditions>
    </FilePublisherRule>
    <FilePublisherRule Id="8e23170d-e0b7-4711-b6d0-d208c960f30e" Name="CCM - CCMSETUP.EXE, 5.0.0.0+, Microsoft signed" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <FilePublisherCondition PublisherName="O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US" ProductName="*" BinaryName="CCMSETUP.EXE">
          <BinaryVersionRange LowSection="5.0.0.0" HighSection="*" />
          </FilePublisherCondition>
        </Conditions>
      </FilePublisherRule>
    </RuleCollection>
  </AppLockerPolicy>`
const EXAMPLE_C = EXAMPLE_C_HTML.replace('&reg;', '®').replace('&trade;', '™')

// ---------------------------------------------------------------------------------------------

describe('ManagedInstaller collection ([MI], [DEEP] 1.1: RuleCollection/@Type is xs:string)', () => {
  it('the Markdown copy with &reg; is refused with a located message, not a crash', () => {
    const r = readPolicy(EXAMPLE_C_HTML)
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'html-entity', line: lineOf(EXAMPLE_C_HTML, '&reg;') })
    expect(r.diagnostics[0].message).toContain('®')
  })

  it('reads, keeps the Type, warns (not errors) and writes it back', () => {
    const { r, p } = open(EXAMPLE_C)
    expect(errors(r)).toEqual([])
    expect(p.collections.map((c) => c.type ?? c.extra?.invalid?.Type)).toEqual(['Dll', 'Exe', 'ManagedInstaller'])
    const mi = p.collections[2]
    expect(mi).toMatchObject({ type: null, enforcementMode: 'AuditOnly' })
    expect(mi.rules.map((x) => x.id)).toEqual(['55932f09-04b8-44ec-8e2d-3fc736500c56', '6ead5a35-5bac-4fe4-a0a4-be8885012f87', '8e23170d-e0b7-4711-b6d0-d208c960f30e'])
    expect((mi.rules[0] as FilePublisherRule).name).toContain('MICROSOFT® INTUNE™')
    expect(one(r, 'managed-installer-collection')).toMatchObject({ severity: 'warning', line: lineOf(EXAMPLE_C, 'Type="ManagedInstaller"'), ref: { collection: 2 } })
    expect(p.collections[0].extensions).toEqual({ threshold: true, services: { enforcementMode: 'Enabled' }, redstone: true, systemApps: { allow: 'Enabled' } })
    const xml = writePolicyXml(p)
    expect(xml).toContain('<RuleCollection Type="ManagedInstaller" EnforcementMode="AuditOnly">')
    // Collection order as in the file; extensions after the rules.
    expect(xml.indexOf('Type="Dll"')).toBeLessThan(xml.indexOf('Type="Exe"'))
    expect(xml.indexOf('Type="Exe"')).toBeLessThan(xml.indexOf('Type="ManagedInstaller"'))
    expect(xml.indexOf('Benign DENY Rule')).toBeLessThan(xml.indexOf('<RuleCollectionExtensions>'))
  })

  it('review ignores the ManagedInstaller rules and flags the audit-only Deny-only collections ([MI] "large increase in warning events")', () => {
    const { p } = open(EXAMPLE_C)
    const findings = reviewPolicy(p)
    expect(findings.filter((f) => f.collectionIndex === 2)).toEqual([])
    const denyOnly = findings.filter((f) => f.code === 'deny-only-collection')
    expect(denyOnly.map((f) => [f.collection, f.severity])).toEqual([
      ['Dll', 'warning'],
      ['Exe', 'warning'],
    ])
  })

  it('the engine does not evaluate ManagedInstaller rules: CCMEXEC.EXE is not allowed by them in Exe', () => {
    const { p } = open(EXAMPLE_C)
    const d = decide(
      compilePolicy(p),
      { path: 'C:\\Windows\\CCM\\CcmExec.exe', publisher: { name: 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', product: 'X', binary: 'CCMEXEC.EXE', version: '5.0.9000.0' } },
      { groups: ['S-1-1-0'] },
    )
    expect(d.collection).toBe('Exe')
    expect(d.mode).toBe('AuditOnly')
    expect(d.decision).toBe('DeniedByDefault')
    expect(d.matchingRuleId).toBeNull()
  })

  it('Set-AppLockerPolicy -Merge keeps the ManagedInstaller collection, keeps an enforced target mode, and is idempotent ([MI], [PS-Set])', () => {
    const target = open(policyOf(exe(pathRule(G2, undefined, '%WINDIR%\\*')))).p
    const mi = open(EXAMPLE_C).p
    const merged = mergePolicies(target, mi)
    expect(merged.collections.map((c) => [c.type ?? c.extra?.invalid?.Type, c.enforcementMode, c.rules.length])).toEqual([
      ['Exe', 'Enabled', 2],
      ['Dll', 'AuditOnly', 1],
      ['ManagedInstaller', 'AuditOnly', 3],
    ])
    expect(writePolicyXml(merged)).toContain('<RuleCollection Type="ManagedInstaller" EnforcementMode="AuditOnly">')
    expect(previewMerge(target, mi).otherCollections).toMatchObject([{ type: 'ManagedInstaller', modeBefore: null, modeAfter: 'AuditOnly' }])
    // Merging the same policy again adds nothing: every Id is already there.
    const again = previewMerge(merged, mi)
    expect(again.addedCount).toBe(0)
    expect(again.duplicateCount).toBe(5)
    expect(mergePolicies(merged, mi)).toBe(merged)
    expect(validatePolicy(merged).filter((d) => d.severity === 'error')).toEqual([])
  })

  it('compare sees a change inside the ManagedInstaller collection', () => {
    const a = open(EXAMPLE_C).p
    const b = structuredClone(a)
    b.collections[2].rules.pop()
    const d = diffPolicies(a, b)
    expect(d.identical).toBe(false)
    expect(d.policyChanges.map((c) => c.field)).toContain('Other collections')
    expect(diffPolicies(a, structuredClone(a)).identical).toBe(true)
  })
})

describe('FileHash types ([XSD] HashType, HashDataType)', () => {
  it('accepts SHA256Flat (64 hex digits) and SHA1 (40 hex digits), any hex case, several hashes per condition', () => {
    const xml = policyOf(`<RuleCollection Type="Script" EnforcementMode="Enabled">${hashRule(
      `<FileHash Type="SHA256Flat" Data="0x${'ab'.repeat(32)}" SourceFileName="a.ps1" SourceFileLength="10" /><FileHash Type="SHA1" Data="0x${'C0'.repeat(20)}" /><FileHash Type="SHA256" Data="0x${'0F'.repeat(32)}" />`,
    )}</RuleCollection>`)
    const { r, p } = open(xml)
    expect(r.diagnostics).toEqual([])
    const rule = p.collections[0].rules[0] as FileHashRule
    expect(rule.condition?.hashes.map((h) => [h.type, h.data.length])).toEqual([
      ['SHA256Flat', 66],
      ['SHA1', 42],
      ['SHA256', 66],
    ])
    // Attribute order as Windows writes it: Type, Data, SourceFileName, SourceFileLength.
    expect(writePolicyXml(p)).toContain(`<FileHash Type="SHA256Flat" Data="0x${'ab'.repeat(32)}" SourceFileName="a.ps1" SourceFileLength="10" />`)
  })

  it.each([
    ['SHA1 with 64 digits', 'SHA1', `0x${'a'.repeat(64)}`, 'invalid-hash-data'],
    ['SHA256 without 0x', 'SHA256', 'a'.repeat(64), 'invalid-hash-data'],
    ['SHA256 with a non-hex digit', 'SHA256', `0x${'g'.repeat(64)}`, 'invalid-hash-data'],
    ['MD5', 'MD5', `0x${'a'.repeat(32)}`, 'invalid-hash-type'],
    ['lower-case type', 'sha256', `0x${'a'.repeat(64)}`, 'invalid-hash-type'],
  ])('flags %s, located at the condition', (_n, type, data, code) => {
    const xml = policyOf(exe(`\n${hashRule(`\n<FileHash Type="${type}" Data="${data}" />`)}`))
    const { r } = open(xml)
    expect(one(r, code)).toMatchObject({ severity: 'error', line: lineOf(xml, '<FileHashCondition>') })
  })

  it('SourceFileLength is an xs:integer', () => {
    const { r } = open(policyOf(exe(hashRule(`<FileHash Type="SHA256" Data="0x${'a'.repeat(64)}" SourceFileLength="12 KB" />`))))
    expect(codes(r, 'error')).toEqual(['invalid-source-file-length'])
  })
})

describe('extensions ([XSD] RuleCollectionExtensionsType, PolicyExtensionsType; [RCE])', () => {
  const EXT = `<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="ServicesOnly" /></ThresholdExtensions><RedstoneExtensions><SystemApps Allow="NotEnabled" /><OriginDataRevocation CurrentOriginDataId="7" TrustedOriginDataId="6" /></RedstoneExtensions></RuleCollectionExtensions>`
  const POLEXT = `<PolicyExtensions><ThresholdExtensions><Plugins><Plugin Name="Contoso" Id="${G3}"><ExecutionCategories><ExecutionCategory Id="${G2}" AppidTypes="Hash Path Publisher"><Policies><Policy Id="${G1}" /></Policies></ExecutionCategory></ExecutionCategories></Plugin></Plugins></ThresholdExtensions></PolicyExtensions>`
  const XML = `<AppLockerPolicy Version="1">\n${exe(pathRule() + EXT)}\n${POLEXT}\n</AppLockerPolicy>`

  it('Services ServicesOnly and SystemApps NotEnabled are valid values; OriginDataRevocation and PolicyExtensions are kept verbatim with an info', () => {
    const { r, p } = open(XML)
    expect(codes(r)).toEqual(['schema-element-kept', 'schema-element-kept'])
    expect(codes(r, 'info')).toHaveLength(2)
    expect(r.diagnostics.map((d) => d.line)).toEqual([2, 3])
    expect(p.collections[0].extensions).toMatchObject({ services: { enforcementMode: 'ServicesOnly' }, systemApps: { allow: 'NotEnabled' } })
    const xml = writePolicyXml(p)
    expect(xml).toContain('<OriginDataRevocation CurrentOriginDataId="7" TrustedOriginDataId="6" />')
    expect(xml).toContain(POLEXT)
    // Schema order: SystemApps before OriginDataRevocation, PolicyExtensions after every RuleCollection.
    expect(xml.indexOf('<SystemApps')).toBeLessThan(xml.indexOf('<OriginDataRevocation'))
    expect(xml.indexOf('</RuleCollection>')).toBeLessThan(xml.indexOf('<PolicyExtensions>'))
    expect(validatePolicy(p).filter((d) => d.severity !== 'info')).toEqual([])
  })

  it('PolicyExtensions survives a merge into the target and is reported by compare when it changes', () => {
    const { p } = open(XML)
    const merged = mergePolicies(p, open(policyOf(exe(pathRule(G2)))).p)
    expect(writePolicyXml(merged)).toContain(POLEXT)
    const other = open(XML.replace('Name="Contoso"', 'Name="Fabrikam"')).p
    expect(diffPolicies(p, other).policyChanges.map((c) => c.field)).toEqual(['Other policy content'])
  })

  it('OriginDataRevocation: attributes required, xs:unsignedInt, one per RedstoneExtensions; errors located at the element ([XSD] OriginDataRevocationType)', () => {
    const ext = (odr: string) => `\n<RuleCollectionExtensions><ThresholdExtensions /><RedstoneExtensions>${odr}</RedstoneExtensions></RuleCollectionExtensions>`
    let { r } = open(policyOf(`\n${exe(`\n${pathRule()}${ext('<OriginDataRevocation CurrentOriginDataId="-1" />')}`)}`))
    expect(codes(r, 'error')).toEqual(['invalid-origin-data-revocation', 'missing-attribute'])
    // Line 4 is <RuleCollectionExtensions><ThresholdExtensions /><RedstoneExtensions><OriginDataRevocation ...
    for (const d of errors(r)) expect(d).toMatchObject({ line: 4, column: 70, ref: { collection: 0 } })
    ;({ r } = open(policyOf(exe(pathRule() + ext('<OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="1" /><OriginDataRevocation CurrentOriginDataId="2" TrustedOriginDataId="2" />')))))
    expect(codes(r, 'error')).toEqual(['invalid-origin-data-revocation'])
    ;({ r } = open(policyOf(exe(pathRule() + ext('<OriginDataRevocation CurrentOriginDataId="0" TrustedOriginDataId="4294967295" />')))))
    expect(errors(r)).toEqual([])
  })

  it.each([
    ['an empty PolicyExtensions (ThresholdExtensions minOccurs=1)', '<PolicyExtensions />'],
    ['PolicyExtensions not starting with ThresholdExtensions', '<PolicyExtensions><Foo /><ThresholdExtensions /></PolicyExtensions>'],
    ['two PolicyExtensions (maxOccurs=1)', '<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>\n<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>'],
    ['a Plugin without ExecutionCategories', '<PolicyExtensions><ThresholdExtensions><Plugins><Plugin /></Plugins></ThresholdExtensions></PolicyExtensions>'],
  ])('PolicyExtensions: flags %s with a line and column, keeps it verbatim', (_n, pe) => {
    const text = `<AppLockerPolicy Version="1">\n${exe(pathRule())}\n${pe}\n</AppLockerPolicy>`
    const { r, p } = open(text)
    expect(codes(r, 'error')).toEqual(['invalid-policy-extensions'])
    // Located at the PolicyExtensions the problem is in (the second one, when there are two).
    const at = text.lastIndexOf('<PolicyExtensions')
    expect(errors(r)[0]).toMatchObject({ line: text.slice(0, at).split('\n').length, column: at - text.lastIndexOf('\n', at - 1) })
    expect(writePolicyXml(p)).toContain(pe.split('\n')[0])
  })

  it('PolicyExtensions that stands before the RuleCollections is written after them; one after them stays after a merge adds a collection', () => {
    const r = readPolicy(`<AppLockerPolicy Version="1">\n${POLEXT}\n${exe(pathRule() + EXT)}\n</AppLockerPolicy>`)
    const xml = writePolicyXml(r.value!)
    expect(xml.lastIndexOf('</RuleCollection>')).toBeLessThan(xml.indexOf('<PolicyExtensions>'))
    expect(readPolicy(xml).diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    const merged = writePolicyXml(mergePolicies(open(XML).p, open(policyOf(`<RuleCollection Type="Script" EnforcementMode="AuditOnly">${pathRule(G2)}</RuleCollection>`)).p))
    expect(merged.indexOf('<RuleCollection Type="Script"')).toBeGreaterThan(0)
    expect(merged.indexOf('<RuleCollection Type="Script"')).toBeLessThan(merged.indexOf('<PolicyExtensions>'))
  })

  it.each([
    ['Services EnforcementMode="Audit"', `<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="Audit" /></ThresholdExtensions><RedstoneExtensions /></RuleCollectionExtensions>`, 'invalid-services-mode'],
    ['SystemApps Allow="Disabled"', `<RuleCollectionExtensions><ThresholdExtensions /><RedstoneExtensions><SystemApps Allow="Disabled" /></RedstoneExtensions></RuleCollectionExtensions>`, 'invalid-system-apps'],
    ['ThresholdExtensions without RedstoneExtensions ([RCE]: "you must include both")', `<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="Enabled" /></ThresholdExtensions></RuleCollectionExtensions>`, 'extensions-incomplete'],
    ['an empty RuleCollectionExtensions (ThresholdExtensions minOccurs=1)', `<RuleCollectionExtensions />`, 'extensions-incomplete'],
    ['Services without EnforcementMode (use="required")', `<RuleCollectionExtensions><ThresholdExtensions><Services /></ThresholdExtensions><RedstoneExtensions /></RuleCollectionExtensions>`, 'missing-attribute'],
  ])('flags %s at the extensions element', (_n, ext, code) => {
    const xml = policyOf(`\n${exe(`\n${pathRule()}\n${ext}`)}`)
    const { r } = open(xml)
    expect(one(r, code)).toMatchObject({ severity: 'error', line: 4 })
  })

  it('extensions on a collection other than Exe and Dll are kept, with a warning ([RCE] "only for the EXE and DLL rule collections")', () => {
    const { r, p } = open(policyOf(`<RuleCollection Type="Script" EnforcementMode="Enabled">${pathRule()}${EXT}</RuleCollection>`))
    expect(codes(r, 'warning')).toEqual(['extensions-wrong-collection'])
    expect(p.collections[0].extensions?.services?.enforcementMode).toBe('ServicesOnly')
  })
})

describe('RuleCollection and policy attributes ([XSD] RuleCollectionType, PolicyVersionType)', () => {
  it('EnforcementMode absent (use="optional") reads as NotConfigured, is not flagged, and is written back absent', () => {
    const { r, p } = open(policyOf(`<RuleCollection Type="Exe">${pathRule()}</RuleCollection>`))
    expect(r.diagnostics).toEqual([])
    expect(p.collections[0].enforcementMode).toBe('NotConfigured')
    expect(writePolicyXml(p)).toContain('<RuleCollection Type="Exe">')
    // Review: a NotConfigured collection with rules is enforced ([DEEP] 11.1).
    expect(reviewPolicy(p).map((f) => f.code)).toContain('not-configured-with-rules')
  })

  it('a merge that raises the mode of a collection without EnforcementMode writes the attribute ([PS-Set] more restrictive mode)', () => {
    const target = open(policyOf(`<RuleCollection Type="Exe">${pathRule()}</RuleCollection>`)).p
    const incoming = open(policyOf(exe(pathRule(G2), 'AuditOnly'))).p
    const merged = mergePolicies(target, incoming)
    expect(merged.collections[0].enforcementMode).toBe('AuditOnly')
    expect(writePolicyXml(merged)).toContain('<RuleCollection Type="Exe" EnforcementMode="AuditOnly">')
    expect(readPolicy(writePolicyXml(merged)).value?.collections[0].enforcementMode).toBe('AuditOnly')
  })

  it('Type absent (use="required") is an error located at the collection; kept absent', () => {
    const { r, p } = open(policyOf(`\n<RuleCollection EnforcementMode="Enabled" />`))
    expect(one(r, 'missing-attribute')).toMatchObject({ severity: 'error', line: 2, column: 1 })
    expect(writePolicyXml(p)).toContain('<RuleCollection EnforcementMode="Enabled" />')
  })

  it.each([
    ['1', true],
    ['1.0', true],
    ['+1', true],
    ['one', false],
    ['1.0.0', false],
  ])('Version="%s" is an xs:decimal: %s', (v, ok) => {
    const { r } = open(`<AppLockerPolicy Version="${v}" />`)
    expect(codes(r, 'error')).toEqual(ok ? [] : ['invalid-version'])
  })

  it('Version absent is an error (use="required")', () => {
    const { r, p } = open('<AppLockerPolicy />')
    expect(codes(r, 'error')).toEqual(['missing-attribute'])
    expect(writePolicyXml(p)).toContain('<AppLockerPolicy />')
  })

  it('an empty policy <AppLockerPolicy Version="1" /> is valid and written back as it was ([DEL])', () => {
    const { r, p } = open('<AppLockerPolicy Version="1" />')
    expect(r.diagnostics).toEqual([])
    expect(p).toEqual({ version: '1', collections: [] })
    expect(writePolicyXml(p)).toBe('<?xml version="1.0" encoding="utf-8"?>\n<AppLockerPolicy Version="1" />\n')
    expect(reviewPolicy(p)).toEqual([])
  })

  it('a collection type appearing twice ([XSD] UniqueRuleCollectionTypeConstraint) is an error at the second one; both kept, and compare sees the second', () => {
    const xml = `<AppLockerPolicy Version="1">\n${exe(pathRule(G1))}\n${exe(pathRule(G2), 'AuditOnly')}\n</AppLockerPolicy>`
    const { r, p } = open(xml)
    expect(one(r, 'duplicate-collection')).toMatchObject({ severity: 'error', line: 3, ref: { collection: 1 } })
    expect(p.collections.map((c) => c.rules[0].id)).toEqual([G1, G2])
    const changed = structuredClone(p)
    ;(changed.collections[1].rules[0] as FilePathRule).condition!.path = 'C:\\x\\*'
    expect(diffPolicies(p, changed).identical).toBe(false)
  })
})

describe('one-line Get-AppLockerPolicy output ([PS-Get], [DEEP] 1.3 and Example A)', () => {
  it('reads it without a problem and writes the same document (only whitespace and the declaration added)', () => {
    const { r, p } = open(EXAMPLE_A)
    expect(r.diagnostics).toEqual([])
    expect(p.collections.map((c) => [c.type, c.enforcementMode, c.rules.length])).toEqual([
      ['Appx', 'Enabled', 1],
      ['Dll', 'NotConfigured', 0],
      ['Exe', 'Enabled', 3],
      ['Msi', 'Enabled', 3],
      ['Script', 'Enabled', 3],
    ])
    const written = writePolicyXml(p)
    expect(written).toContain('<RuleCollection Type="Dll" EnforcementMode="NotConfigured" />')
    const squeeze = (s: string) => s.replace(/^<\?xml[^>]*\?>/, '').replace(/>\s+</g, '><').trim()
    expect(squeeze(written)).toBe(EXAMPLE_A)
  })

  it('reads the same with attributes in any order (the schema does not order attributes)', () => {
    const shuffled = EXAMPLE_A.replace(/<(\w+)((?: \w+="[^"]*")+)( ?\/?)>/g, (_m, name: string, attrs: string, end: string) => {
      const list = attrs.trim().match(/\w+="[^"]*"/g) ?? []
      return `<${name} ${list.reverse().join(' ')}${end}>`
    })
    expect(shuffled).not.toBe(EXAMPLE_A)
    expect(shuffled).toContain('Action="Allow" UserOrGroupSid="S-1-1-0"')
    const a = open(EXAMPLE_A).p
    const { r, p } = open(shuffled)
    expect(r.diagnostics).toEqual([])
    expect(p).toStrictEqual(a)
    // Written back in Windows' order: Id, Name, Description, UserOrGroupSid, Action.
    expect(writePolicyXml(p)).toBe(writePolicyXml(a))
  })
})

describe('encodings ([DEEP] 1.3; corpus SOURCES.md: CERT-CEA DenyLocker declares utf-16 but is UTF-8)', () => {
  const BODY = policyOf(exe(pathRule(G1, `Id="${G1}" Name="Caf\u00e9 \u00ae" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"`)))
  const plain = () => readPolicy(BODY).value

  it('encoding="utf-16" declared on UTF-8 bytes: read as UTF-8, with a warning, same model', () => {
    const bytes = utf8(`<?xml version="1.0" encoding="utf-16"?>\n${BODY}`)
    const { r, p } = open(bytes)
    expect(r.encoding).toBe('utf-8')
    expect(one(r, 'encoding-mismatch')).toMatchObject({ severity: 'warning', line: 1 })
    expect(p).toStrictEqual(plain())
  })

  it.each([
    ['UTF-8 BOM + declaration', () => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`<?xml version="1.0" encoding="utf-8"?>\r\n${BODY}`)]), 'utf-8'],
    ['UTF-16 LE BOM + declaration, CRLF', () => utf16(`<?xml version="1.0" encoding="utf-16"?>\r\n${BODY}\r\n`, true), 'utf-16le'],
    ['UTF-16 BE BOM', () => utf16(BODY, false), 'utf-16be'],
    ['UTF-16 LE without BOM', () => utf16(BODY, true, false), 'utf-16le'],
  ])('%s', (_n, bytes, encoding) => {
    const { r, p } = open(bytes())
    expect(r.encoding).toBe(encoding)
    expect(r.diagnostics).toEqual([])
    expect(p).toStrictEqual(plain())
  })

  it('encodePolicy utf-16le: FF FE, then a declaration saying utf-16, CRLF; reads back equal', () => {
    const p = plain() as Policy
    const bytes = encodePolicy(p, 'utf-16le')
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe])
    const text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
    expect(text.startsWith('<?xml version="1.0" encoding="utf-16"?>\r\n')).toBe(true)
    expect(text).not.toMatch(/[^\r]\n/)
    expect(text).toContain('Name="Café ®"')
    const back = readPolicy(bytes)
    expect(back.encoding).toBe('utf-16le')
    expect(back.diagnostics).toEqual([])
    expect(back.value).toStrictEqual(p)
  })

  it('encodePolicy utf-8: no BOM, declaration says utf-8', () => {
    const bytes = encodePolicy(plain() as Policy, 'utf-8')
    expect(bytes[0]).toBe(0x3c)
    expect(new TextDecoder().decode(bytes).startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true)
  })
})

describe('namespaces ([DEEP] 1.1: the XSD has no targetNamespace)', () => {
  it('a default namespace on the root is kept and flagged as an error at the root', () => {
    const xml = `<AppLockerPolicy xmlns="http://schemas.microsoft.com/applocker/v1" Version="1">\n${exe(pathRule())}\n</AppLockerPolicy>`
    const { r, p } = open(xml)
    expect(one(r, 'xml-namespace')).toMatchObject({ severity: 'error', line: 1, column: 1 })
    expect(writePolicyXml(p)).toContain('<AppLockerPolicy Version="1" xmlns="http://schemas.microsoft.com/applocker/v1">')
    expect(validatePolicy(p).map((d) => d.code)).toEqual(['xml-namespace'])
  })

  it('a prefixed namespace declaration (xmlns:xsi) is harmless and kept silently', () => {
    const { r, p } = open('<AppLockerPolicy xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Version="1" />')
    expect(r.diagnostics).toEqual([])
    expect(p.extra?.attributes).toEqual({ 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' })
  })

  it('a prefixed root is refused with a located message that says why', () => {
    const r = readPolicy('<al:AppLockerPolicy xmlns:al="urn:x" Version="1" />')
    expect(r.value).toBeNull()
    expect(r.diagnostics).toMatchObject([{ severity: 'error', code: 'xml-namespace', line: 1, column: 1 }])
  })
})

describe('attribute values ([XSD] RuleAttributes; XML 1.0 character references)', () => {
  it('character references &#xD;&#xA; and &#174; decode, and CR LF is written back as references', () => {
    const { r, p } = open(policyOf(exe(pathRule(G1, `Id="${G1}" Name="MICROSOFT&#174; WINDOWS&#xAE;" Description="Product: X&#xD;&#xA;Publisher: Y&#9;Z" UserOrGroupSid="S-1-1-0" Action="Allow"`))))
    expect(r.diagnostics).toEqual([])
    const rule = p.collections[0].rules[0]
    expect(rule.name).toBe('MICROSOFT® WINDOWS®')
    expect(rule.description).toBe('Product: X\r\nPublisher: Y\tZ')
    expect(writePolicyXml(p)).toContain('Description="Product: X&#xD;&#xA;Publisher: Y&#x9;Z"')
  })

  it.each([
    ['upper case', G1.toUpperCase(), null],
    ['braces', `{${G1}}`, 'invalid-rule-id'],
    ['too short', G1.slice(1), 'invalid-rule-id'],
  ])('Id in %s ([XSD] GuidType, no braces, either case)', (_n, id, code) => {
    const xml = policyOf(`\n${exe(`\n${pathRule(id)}`)}`)
    const { r, p } = open(xml)
    expect(p.collections[0].rules[0].id).toBe(id)
    if (code) expect(one(r, code)).toMatchObject({ severity: 'error', line: 3, column: 1 })
    else expect(r.diagnostics).toEqual([])
  })

  it('the same Id in two collections, in different case, is an error at the second rule ([XSD] UniqueRuleIdConstraint: RuleCollection/*)', () => {
    const xml = `<AppLockerPolicy Version="1">\n${exe(pathRule(G1))}\n<RuleCollection Type="Script" EnforcementMode="Enabled">\n${pathRule(G1.toUpperCase())}\n</RuleCollection>\n</AppLockerPolicy>`
    const { r, p } = open(xml)
    expect(one(r, 'duplicate-rule-id')).toMatchObject({ severity: 'error', line: 4, ref: { collection: 1, rule: 0 } })
    expect(reviewPolicy(p).filter((f) => f.code === 'duplicate-id')).toHaveLength(1)
  })

  it.each([
    ['Description absent (use="required")', `Id="${G1}" Name="n" UserOrGroupSid="S-1-1-0" Action="Allow"`, 'missing-attribute'],
    ['empty Name (minLength 1)', `Id="${G1}" Name="" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"`, 'empty-rule-name'],
    ['Name of 1025 characters (maxLength 1024)', `Id="${G1}" Name="${'n'.repeat(1025)}" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"`, 'rule-name-too-long'],
    ['SID "S-1-5" (minLength 7)', `Id="${G1}" Name="n" Description="" UserOrGroupSid="S-1-5" Action="Allow"`, 'invalid-sid'],
    ['an account name as SID', `Id="${G1}" Name="n" Description="" UserOrGroupSid="Everyone" Action="Allow"`, 'invalid-sid'],
    ['Action="allow" (enumeration is case-sensitive)', `Id="${G1}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="allow"`, 'invalid-action'],
  ])('%s is an error at the rule, kept as it was', (_n, attrs, code) => {
    const xml = policyOf(`\n${exe(`\n${pathRule(G1, attrs)}`)}`)
    const { r, p } = open(xml)
    expect(one(r, code)).toMatchObject({ severity: 'error', line: 3 })
    expect(writePolicyXml(p)).toContain(`<FilePathRule ${attrs.replace(/ Description=""/, ' Description=""')}>`)
  })

  it('Description="" and S-1-1-0 (exactly 7 characters) are valid', () => {
    const { r } = open(policyOf(exe(pathRule())))
    expect(r.diagnostics).toEqual([])
  })
})

describe('version ranges ([XSD] FileVersionType: * or ([0-9]{1,5}.){3}[0-9]{1,5})', () => {
  it.each([
    ['*', '*', []],
    ['0.0.0.0', '65535.65535.65535.65535', []],
    ['99999.0.0.0', '99999.99999.99999.99999', []],
    ['1.2.3', '*', ['invalid-version-range']],
    ['1.2.3.4.5', '*', ['invalid-version-range']],
    ['100000.0.0.0', '*', ['invalid-version-range']],
    ['*', '1.0.0.a', ['invalid-version-range']],
    ['', '*', ['invalid-version-range']],
  ])('LowSection="%s" HighSection="%s"', (low, high, expected) => {
    const xml = policyOf(`\n${exe(`\n${pubRule(low, high)}`)}`)
    const { r, p } = open(xml)
    expect(codes(r, 'error')).toEqual(expected)
    for (const d of errors(r)) expect(d.line).toBe(3)
    const vr = (p.collections[0].rules[0] as FilePublisherRule).condition?.versionRange
    expect(vr).toEqual({ low, high })
  })

  it('BinaryVersionRange absent (minOccurs=1) is an error', () => {
    const xml = policyOf(exe(`<FilePublisherRule Id="${G1}" Name="p" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="*" ProductName="*" BinaryName="*" /></Conditions></FilePublisherRule>`))
    expect(codes(open(xml).r, 'error')).toEqual(['missing-version-range'])
  })

  it('PublisherName="" is an error (minLength 1); ProductName="" and BinaryName="" are valid', () => {
    const xml = policyOf(exe(`<FilePublisherRule Id="${G1}" Name="p" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="" ProductName="" BinaryName=""><BinaryVersionRange LowSection="*" HighSection="*" /></FilePublisherCondition></Conditions></FilePublisherRule>`))
    expect(codes(open(xml).r, 'error')).toEqual(['empty-publisher'])
  })
})

describe('rule structure ([XSD] File*RuleType, File*RuleConditionsType)', () => {
  it('Conditions with two conditions is an error; both are kept and written back', () => {
    const xml = policyOf(`\n${exe(`\n<FilePathRule Id="${G1}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="C:\\a\\*" /><FilePathCondition Path="C:\\b\\*" /></Conditions></FilePathRule>`)}`)
    const { r, p } = open(xml)
    expect(one(r, 'several-conditions')).toMatchObject({ severity: 'error', line: 3 })
    const rule = p.collections[0].rules[0] as FilePathRule
    expect([rule.condition?.path, ...(rule.extraConditions ?? []).map((c) => (c.kind === 'path' ? c.path : ''))]).toEqual(['C:\\a\\*', 'C:\\b\\*'])
  })

  it('a condition of another kind is an error', () => {
    const xml = policyOf(exe(`<FilePathRule Id="${G1}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FileHashCondition><FileHash Type="SHA256" Data="0x${'a'.repeat(64)}" /></FileHashCondition></Conditions></FilePathRule>`))
    expect(codes(open(xml).r, 'error')).toEqual(['wrong-condition-kind'])
  })

  it('Exceptions before Conditions is valid (xs:all); written back Conditions first', () => {
    const xml = policyOf(exe(`<FilePathRule Id="${G1}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Exceptions><FilePathCondition Path="%WINDIR%\\Temp\\*" /></Exceptions><Conditions><FilePathCondition Path="%WINDIR%\\*" /></Conditions></FilePathRule>`))
    const { r, p } = open(xml)
    expect(r.diagnostics).toEqual([])
    const w = writePolicyXml(p)
    expect(w.indexOf('<Conditions>')).toBeLessThan(w.indexOf('<Exceptions>'))
  })

  it('an Exceptions element on a hash rule (FileHashRuleType has none) is an error; an empty one is kept', () => {
    const xml = policyOf(`\n${exe(`\n${hashRule(`<FileHash Type="SHA256" Data="0x${'a'.repeat(64)}" />`, '<Exceptions />')}`)}`)
    const { r, p } = open(xml)
    expect(one(r, 'hash-rule-exceptions')).toMatchObject({ severity: 'error', line: 3 })
    expect(writePolicyXml(p)).toContain('<Exceptions />')
  })

  it('a FileHashCondition without FileHash (minOccurs=1) and a rule without Conditions are errors', () => {
    const xml = policyOf(exe(`${hashRule('')}<FilePathRule Id="${G2}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow" />`))
    expect(codes(open(xml).r, 'error').sort()).toEqual(['empty-hash-condition', 'missing-condition'])
  })

  it('unknown elements and attributes at every level are kept, each reported at its own line', () => {
    const xml = [
      '<AppLockerPolicy Version="1" a0="0">',
      '<X0 />',
      '<RuleCollection Type="Exe" EnforcementMode="Enabled" a1="1">',
      '<X1>text</X1>',
      `<FilePublisherRule Id="${G1}" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow" a2="2">`,
      '<X2 />',
      '<Conditions a3="3">',
      '<X3 />',
      '<FilePublisherCondition PublisherName="*" ProductName="*" BinaryName="*" a4="4">',
      '<BinaryVersionRange LowSection="*" HighSection="*" a5="5"><X5 /></BinaryVersionRange>',
      '<X4 />',
      '</FilePublisherCondition>',
      '</Conditions>',
      '<Exceptions a6="6"><X6 /><FileHashCondition a7="7"><FileHash Type="SHA256" Data="0x' + 'a'.repeat(64) + '" a8="8"><X8 /></FileHash><X7 /></FileHashCondition></Exceptions>',
      '</FilePublisherRule>',
      '<RuleCollectionExtensions a9="9"><ThresholdExtensions a10="10"><Services EnforcementMode="Enabled" a11="11" /><X10 /></ThresholdExtensions><RedstoneExtensions><SystemApps Allow="Enabled" /><X11 /></RedstoneExtensions><X9 /></RuleCollectionExtensions>',
      '</RuleCollection>',
      '</AppLockerPolicy>',
    ].join('\n')
    const { r, p } = open(xml)
    const lines = (code: string) => r.diagnostics.filter((d) => d.code === code).map((d) => d.line)
    expect(lines('unknown-element')).toEqual([2, 4, 6, 8, 10, 11, 14, 14, 16, 16, 16])
    // Inside Exceptions an unknown element is an error (issue 11: Windows refuses the policy), at its line.
    expect(lines('unknown-exception')).toEqual([14])
    expect(lines('unknown-attribute')).toEqual([1, 3, 5, 7, 9, 10, 14, 14, 14, 16, 16, 16])
    const written = writePolicyXml(p)
    for (let i = 0; i <= 11; i++) expect(written).toContain(`<X${i}`)
    for (let i = 0; i <= 11; i++) expect(written).toContain(`a${i}="${i}"`)
  })
})

describe('writer output looks like what Windows writes ([DEEP] 1.3)', () => {
  it('attribute order, " />" self-closing, collection order preserved (AaronLocker order Exe, Msi, Script, Dll, Appx stays)', () => {
    const xml = policyOf(
      ['Exe', 'Msi', 'Script', 'Dll', 'Appx'].map((t) => `<RuleCollection EnforcementMode="AuditOnly" Type="${t}" />`).join(''),
    )
    const { p } = open(xml)
    const w = writePolicyXml(p)
    expect(w.match(/<RuleCollection [^>]*\/>/g)).toEqual(['Exe', 'Msi', 'Script', 'Dll', 'Appx'].map((t) => `<RuleCollection Type="${t}" EnforcementMode="AuditOnly" />`))
    expect(w).not.toMatch(/[^ ]\/>/)
  })
})

describe('merge edge cases (Set-AppLockerPolicy -Merge, APPLOCKER.md section 6)', () => {
  it('a collection only the incoming policy has is added with its mode', () => {
    const target = open(policyOf(exe(pathRule()))).p
    const incoming = open(policyOf(`<RuleCollection Type="Script" EnforcementMode="AuditOnly">${pathRule(G2)}</RuleCollection>`)).p
    const merged = mergePolicies(target, incoming)
    expect(merged.collections.map((c) => [c.type, c.enforcementMode, c.rules.map((x) => x.id)])).toEqual([
      ['Exe', 'Enabled', [G1]],
      ['Script', 'AuditOnly', [G2]],
    ])
  })

  it('a duplicate Id with different content keeps the target copy and reports the conflict (also across collections)', () => {
    const target = open(policyOf(exe(pathRule(G1, undefined, 'C:\\a\\*')))).p
    const incoming = open(policyOf(`<RuleCollection Type="Script" EnforcementMode="Enabled">${pathRule(G1.toUpperCase(), undefined, 'C:\\b\\*')}</RuleCollection>`)).p
    const preview = previewMerge(target, incoming)
    const script = preview.perCollection.find((c) => c.type === 'Script')!
    expect(script.duplicates).toHaveLength(1)
    expect(script.conflicts).toHaveLength(1)
    expect((script.conflicts[0].kept as FilePathRule).condition?.path).toBe('C:\\a\\*')
    const merged = mergePolicies(target, incoming)
    expect(validatePolicy(merged).filter((d) => d.code === 'duplicate-rule-id')).toEqual([])
    expect(merged.collections.flatMap((c) => c.rules.map((x) => (x as FilePathRule).condition?.path))).toEqual(['C:\\a\\*'])
  })
})
