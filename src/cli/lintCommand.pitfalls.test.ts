/**
 * `npm run --silent cli -- lint` flags each pitfall of reference/applocker-deep.md section 11 that
 * can be seen in the policy file alone (the section number is in each case's title).
 */
import { describe, expect, it } from 'vitest'
import { fakeIO as fakeCliIO, readFrom } from '../testing/cliIO'
import { lintCommand } from './lintCommand'

const policyOf = (body: string) => `<AppLockerPolicy Version="1">${body}</AppLockerPolicy>`
const exe = (rules: string, mode = 'Enabled') => `<RuleCollection Type="Exe" EnforcementMode="${mode}">${rules}</RuleCollection>`
const pubRule = (low: string, high: string, id: string) =>
  `<FilePublisherRule Id="${id}" Name="p" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="O=X" ProductName="" BinaryName=""><BinaryVersionRange LowSection="${low}" HighSection="${high}" /></FilePublisherCondition></Conditions></FilePublisherRule>`
const HTML_ENTITY = '<AppLockerPolicy Version="1">\n  <RuleCollection Type="Exe" EnforcementMode="AuditOnly">\n    <FilePathRule Id="9420c496-046d-45ab-bd0e-455b2649e41e" Name="MICROSOFT&reg; INTUNE&trade;" Description="" UserOrGroupSid="S-1-1-0" Action="Deny" />\n  </RuleCollection>\n</AppLockerPolicy>'

describe('review (lint) flags the documented pitfalls that can be seen statically ([DEEP] 11)', () => {
  const fakeIO = (files: Record<string, string>) => {
    const f = fakeCliIO(readFrom(files))
    return { io: f.io, out: f.both }
  }
  const exeRule = (id: string, attrs: { path: string; action?: string; sid?: string; exceptions?: string }) =>
    `<FilePathRule Id="${id}" Name="r-${id.slice(0, 4)}" Description="" UserOrGroupSid="${attrs.sid ?? 'S-1-1-0'}" Action="${attrs.action ?? 'Allow'}"><Conditions><FilePathCondition Path="${attrs.path}" /></Conditions>${attrs.exceptions ?? ''}</FilePathRule>`
  const ids = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)

  it.each([
    ['11.1 NotConfigured with rules enforces', `<RuleCollection Type="Script" EnforcementMode="NotConfigured">${exeRule(ids[0], { path: '%PROGRAMFILES%\\*' })}</RuleCollection>`, 'not-configured-with-rules'],
    ['11.2 Deny-only collection', `<RuleCollection Type="Script" EnforcementMode="Enabled">${exeRule(ids[0], { path: '*.js', action: 'Deny' })}</RuleCollection>`, 'deny-only-collection'],
    ['11.3 Exe enforced without Appx rules', exe(exeRule(ids[0], { path: '%PROGRAMFILES%\\*' }) + exeRule(ids[1], { path: '*', sid: 'S-1-5-32-544' })), 'exe-no-appx-rules'],
    ['11.4 Deny for Everyone also hits admins', exe(exeRule(ids[0], { path: '%PROGRAMFILES%\\*' }) + exeRule(ids[1], { path: '%OSDRIVE%\\x\\evil.exe', action: 'Deny' })), 'deny-applies-to-admins'],
    ['11.5 user-writable folders under %WINDIR%\\*', exe(exeRule(ids[0], { path: '%WINDIR%\\*' })), 'user-writable-path'],
    ['11.6 bypass binaries allowed by %WINDIR%\\*', exe(exeRule(ids[0], { path: '%WINDIR%\\*' })), 'bypass-binary-allowed'],
    ['11.7 non-AppLocker variable', exe(exeRule(ids[0], { path: '%APPDATA%\\x\\*' })), 'unknown-path-variable'],
    ['11.8 short 8.3 name', exe(exeRule(ids[0], { path: '%OSDRIVE%\\PROGRA~1\\App\\*' })), 'short-name-path'],
    ['11.9 folder without \\*', exe(exeRule(ids[0], { path: '%OSDRIVE%\\Tools' })), 'folder-without-star'],
    ['11.10 Deny path rule', exe(exeRule(ids[0], { path: '*' }) + exeRule(ids[1], { path: '%OSDRIVE%\\x\\evil.exe', action: 'Deny' })), 'deny-path-rule'],
    ['11.11 Low above High', exe(pubRule('2.0.0.0', '1.0.0.0', ids[0])), 'version-range-inverted'],
    ['11.11 "*" with other text in a publisher field', exe(pubRule('*', '*', ids[0]).replace('PublisherName="O=X"', 'PublisherName="O=CONTOSO*"')), 'publisher-literal-star'],
    ['11.13 duplicate Ids', exe(exeRule(ids[0], { path: 'C:\\a\\*' }) + exeRule(ids[0], { path: 'C:\\b\\*' })), 'duplicate-id'],
    ['11.14 account name instead of a SID', exe(exeRule(ids[0], { path: '*', sid: 'CONTOSO\\Finance' })), 'malformed-sid'],
    ['11.16 DLL rules without the Windows rules', `<RuleCollection Type="Dll" EnforcementMode="Enabled">${exeRule(ids[0], { path: '%PROGRAMFILES%\\App\\*' })}</RuleCollection>`, 'dll-missing-defaults'],
    ['11.17 Services enforced without SystemApps', exe(exeRule(ids[0], { path: '*' }) + '<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="Enabled" /></ThresholdExtensions><RedstoneExtensions /></RuleCollectionExtensions>'), 'services-without-systemapps'],
    ['11.17 ThresholdExtensions without RedstoneExtensions', exe(exeRule(ids[0], { path: '*' }) + '<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="Enabled" /></ThresholdExtensions></RuleCollectionExtensions>'), 'extension-partner-missing'],
  ])('%s', async (_n, body, code) => {
    const f = fakeIO({ 'p.xml': policyOf(body) })
    await lintCommand(['p.xml'], f.io)
    expect(f.out.join('')).toContain(`[${code}]`)
  })

  it('11.22 a WDAC <SiPolicy> is refused as such', async () => {
    const f = fakeIO({ 'p.xml': '<SiPolicy xmlns="urn:schemas-microsoft-com:sipolicy" PolicyType="Base Policy" />' })
    expect(await lintCommand(['p.xml'], f.io)).toBe(1)
    expect(f.out.join('')).toMatch(/Line 1, column 1: This is a Windows Defender Application Control .*<SiPolicy>/)
  })

  it('11.21 Markdown-copied &reg; is refused with its line', async () => {
    const f = fakeIO({ 'p.xml': HTML_ENTITY })
    expect(await lintCommand(['p.xml'], f.io)).toBe(1)
    expect(f.out.join('')).toContain('Line 3, column 76: "&reg;" is an HTML entity')
  })
})
