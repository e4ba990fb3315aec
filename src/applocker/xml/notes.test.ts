/**
 * Lossless means comments too (issue 11 section 2): every comment and processing instruction of a
 * file is written back at its place, unknown elements stay where they stood, and a comment directly
 * above a rule moves and is deleted with the rule.
 */
import { describe, expect, it } from 'vitest'
import { diffPolicies } from '../diff'
import { mergePolicies } from '../merge'
import { copyRules, deleteRules, duplicateRules, moveRules } from '../ops'
import type { Policy } from '../policy'
import { readPolicy } from './read'
import { encodePolicy, writePolicyXml } from './write'

/** Comments and PIs (not the XML declaration) in document order, line ends normalised. */
const notesOf = (xml: string) => [...xml.replace(/\r\n?/g, '\n').matchAll(/<!--[\s\S]*?-->|<\?(?!xml[\s?])[\s\S]*?\?>/g)].map((m) => m[0])
/** Comments, PIs and element start tags in document order: equal sequences = everything at its place. */
const layoutOf = (xml: string) => [...xml.replace(/\r\n?/g, '\n').matchAll(/<!--[\s\S]*?-->|<\?(?!xml[\s?])[\s\S]*?\?>|<[A-Za-z_][\w.:-]*/g)].map((m) => m[0])

function decode(bytes: Uint8Array): string {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe
  return new TextDecoder(le ? 'utf-16le' : 'utf-8').decode(bytes).replace(/^\uFEFF/, '')
}

const POLICY = `<?xml version="1.0" encoding="utf-8"?>
<!-- before the root -->
<?app-workbench keep="1"?>
<AppLockerPolicy Version="1">
  <!-- Executable rules -->
  <RuleCollection Type="Exe" EnforcementMode="AuditOnly">
    <!-- about rule A -->
    <FilePathRule Id="11111111-1111-4111-8111-111111111111" Name="A" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <!-- inside A, before Conditions -->
      <Conditions>
        <!-- before the condition -->
        <FilePathCondition Path="%PROGRAMFILES%\\*" />
        <!-- after the condition -->
      </Conditions>
      <Exceptions>
        <FilePathCondition Path="%PROGRAMFILES%\\x\\*" />
        <!-- between exceptions -->
        <FilePathCondition Path="%PROGRAMFILES%\\y\\*" />
      </Exceptions>
      <!-- at the end of A -->
    </FilePathRule>
    <Unknown1 a="1" />
    <!-- about rule B -->
    <FilePublisherRule Id="22222222-2222-4222-8222-222222222222" Name="B" Description="" UserOrGroupSid="S-1-1-0" Action="Deny">
      <Conditions>
        <FilePublisherCondition PublisherName="O=X" ProductName="*" BinaryName="*">
          <!-- before the range -->
          <BinaryVersionRange LowSection="*" HighSection="*" />
        </FilePublisherCondition>
      </Conditions>
    </FilePublisherRule>
    <FilePathRule Id="33333333-3333-4333-8333-333333333333" Name="C" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <FilePathCondition Path="*" />
      </Conditions>
    </FilePathRule>
    <!-- after the last rule -->
    <Unknown2 />
  </RuleCollection>
  <RuleCollection Type="Script" EnforcementMode="Enabled" />
  <!-- at the end of the policy -->
</AppLockerPolicy>
<!-- after the root -->
`

const read = (xml: string) => {
  const r = readPolicy(xml)
  if (!r.value) throw new Error(r.diagnostics.map((d) => d.message).join('\n'))
  return r.value
}

describe('comments, processing instructions and unknown elements stay at their place', () => {
  it('writes a policy back with every note and unknown element where it stood', () => {
    const out = writePolicyXml(read(POLICY))
    expect(layoutOf(out)).toEqual(layoutOf(POLICY))
    expect(out).toContain('<?app-workbench keep="1"?>')
    // Reading the output again gives the same model (notes included).
    expect(read(out)).toStrictEqual(read(POLICY))
  })

  it('survives the browser storage (plain JSON) and UTF-16 export', () => {
    const p = read(POLICY)
    const stored = JSON.parse(JSON.stringify(p)) as Policy
    expect(writePolicyXml(stored)).toBe(writePolicyXml(p))
    expect(layoutOf(decode(encodePolicy(p, 'utf-16le')))).toEqual(layoutOf(POLICY))
  })

  it('comments do not count as differences in Compare, and merging keeps them with their rules', () => {
    const p = read(POLICY)
    const bare = read(POLICY.replace(/<!--[\s\S]*?-->/g, ''))
    expect(diffPolicies(p, bare).identical).toBe(true)
    const merged = mergePolicies({ version: '1', collections: [] }, p)
    expect(notesOf(writePolicyXml(merged))).toContain('<!-- about rule B -->')
  })
})

describe('a comment directly above a rule goes with it', () => {
  const rulesAndNotes = (xml: string) => layoutOf(xml).filter((t) => t.startsWith('<!--') || /^<File\w+Rule$/.test(t))

  it('is deleted with the rule', () => {
    const p = deleteRules(read(POLICY), 'Exe', [1])
    const out = writePolicyXml(p)
    expect(out).not.toContain('about rule B')
    expect(out).toContain('about rule A')
    expect(out).toContain('after the last rule')
    expect(out).toContain('<Unknown1 a="1" />')
  })

  it('moves with the rule to another collection', () => {
    const p = moveRules(read(POLICY), 'Exe', [0], 'Script')
    const out = writePolicyXml(p)
    const script = out.slice(out.indexOf('<RuleCollection Type="Script"'))
    expect(script).toContain('<!-- about rule A -->')
    expect(script).toContain('<!-- between exceptions -->')
    expect(out.slice(0, out.indexOf('<RuleCollection Type="Script"'))).not.toContain('about rule A')
    expect(rulesAndNotes(script).slice(0, 3)).toEqual(['<!-- about rule A -->', '<FilePathRule', '<!-- inside A, before Conditions -->'])
  })

  it('is not duplicated by Duplicate or Copy to (the copies keep the comments inside the rule)', () => {
    const dup = writePolicyXml(duplicateRules(read(POLICY), 'Exe', [0]))
    expect(dup.match(/about rule A/g)).toHaveLength(1)
    expect(dup.match(/between exceptions/g)).toHaveLength(2)
    const copied = writePolicyXml(copyRules(read(POLICY), 'Exe', [0], 'Script'))
    expect(copied.match(/about rule A/g)).toHaveLength(1)
  })

  it('keeps a comment whose element is gone (a deleted exception) inside the rule rather than losing it', () => {
    const p = read(POLICY)
    const rule = p.collections[0].rules[0]
    const edited = { ...rule, exceptions: [] }
    const out = writePolicyXml({ ...p, collections: [{ ...p.collections[0], rules: [edited, ...p.collections[0].rules.slice(1)] }, p.collections[1]] })
    expect(notesOf(out)).toEqual(notesOf(POLICY))
  })
})
