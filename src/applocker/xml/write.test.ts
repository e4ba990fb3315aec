import { describe, expect, it } from 'vitest'
import type { CollectionType, Policy, RuleCollection, UnknownElement } from '../policy'
import { readPolicy } from './read'
import { encodePolicy, escapeAttribute, writePolicyXml, writeRuleCollectionXml } from './write'

const policy: Policy = {
  version: '1',
  collections: [
    {
      type: 'Script',
      enforcementMode: 'AuditOnly',
      rules: [
        {
          kind: 'path',
          id: '06dce67b-934c-454f-a263-2515c8796a5d',
          name: 'Scripts & "tools" <here>',
          description: 'Line one\r\nLine two\tTabbed',
          userOrGroupSid: 'S-1-1-0',
          action: 'Allow',
          condition: { kind: 'path', path: '%PROGRAMFILES%\\*' },
          exceptions: [
            { kind: 'path', path: '%PROGRAMFILES%\\Temp\\*' },
            { kind: 'publisher', publisherName: 'O=X', productName: '', binaryName: '*', versionRange: { low: '1.0.0.0', high: '*' } },
          ],
        },
        {
          kind: 'hash',
          id: 'b7af7102-efde-4369-8a89-7a6a392d1473',
          name: 'Hash',
          description: '',
          userOrGroupSid: 'S-1-5-32-544',
          action: 'Deny',
          condition: {
            kind: 'hash',
            hashes: [
              { type: 'SHA256', data: '0x' + 'A'.repeat(64), sourceFileName: 'a.ps1', sourceFileLength: '10' },
              { type: 'SHA256', data: '0x' + 'B'.repeat(64) },
            ],
          },
          exceptions: [],
        },
      ],
    },
    { type: 'Dll', enforcementMode: 'NotConfigured', rules: [] },
    {
      type: 'Exe',
      enforcementMode: 'Enabled',
      rules: [],
      extensions: { threshold: true, services: { enforcementMode: 'Enabled' }, redstone: true, systemApps: { allow: 'Enabled' } },
    },
  ],
}

const EXPECTED = `<?xml version="1.0" encoding="utf-8"?>
<AppLockerPolicy Version="1">
  <RuleCollection Type="Script" EnforcementMode="AuditOnly">
    <FilePathRule Id="06dce67b-934c-454f-a263-2515c8796a5d" Name="Scripts &amp; &quot;tools&quot; &lt;here&gt;" Description="Line one&#xD;&#xA;Line two&#x9;Tabbed" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <FilePathCondition Path="%PROGRAMFILES%\\*" />
      </Conditions>
      <Exceptions>
        <FilePathCondition Path="%PROGRAMFILES%\\Temp\\*" />
        <FilePublisherCondition PublisherName="O=X" ProductName="" BinaryName="*">
          <BinaryVersionRange LowSection="1.0.0.0" HighSection="*" />
        </FilePublisherCondition>
      </Exceptions>
    </FilePathRule>
    <FileHashRule Id="b7af7102-efde-4369-8a89-7a6a392d1473" Name="Hash" Description="" UserOrGroupSid="S-1-5-32-544" Action="Deny">
      <Conditions>
        <FileHashCondition>
          <FileHash Type="SHA256" Data="0x${'A'.repeat(64)}" SourceFileName="a.ps1" SourceFileLength="10" />
          <FileHash Type="SHA256" Data="0x${'B'.repeat(64)}" />
        </FileHashCondition>
      </Conditions>
    </FileHashRule>
  </RuleCollection>
  <RuleCollection Type="Dll" EnforcementMode="NotConfigured" />
  <RuleCollection Type="Exe" EnforcementMode="Enabled">
    <RuleCollectionExtensions>
      <ThresholdExtensions>
        <Services EnforcementMode="Enabled" />
      </ThresholdExtensions>
      <RedstoneExtensions>
        <SystemApps Allow="Enabled" />
      </RedstoneExtensions>
    </RuleCollectionExtensions>
  </RuleCollection>
</AppLockerPolicy>
`

describe('writePolicyXml', () => {
  it('writes the layout Windows expects (order, attribute names, 2-space indent, collections in policy order)', () => {
    expect(writePolicyXml(policy)).toBe(EXPECTED)
  })

  it('reads back what it wrote', () => {
    const r = readPolicy(writePolicyXml(policy))
    expect(r.diagnostics).toEqual([])
    // hasExceptionsElement is recorded on read because the element was written.
    const expected = structuredClone(policy)
    expected.collections[0].rules[0].hasExceptionsElement = true
    expect(r.value).toStrictEqual(expected)
  })

  it('writes an empty policy self-closing', () => {
    expect(writePolicyXml({ version: '1', collections: [] })).toBe('<?xml version="1.0" encoding="utf-8"?>\n<AppLockerPolicy Version="1" />\n')
  })

  it('writes an empty Exceptions element when the file had one, and none for hash rules without', () => {
    const p: Policy = structuredClone(policy)
    const rule = p.collections[0].rules[0]
    rule.exceptions = []
    rule.hasExceptionsElement = true
    const xml = writePolicyXml(p)
    expect(xml).toContain('      <Exceptions />\n')
    expect(xml.slice(xml.indexOf('<FileHashRule'))).not.toContain('Exceptions')
  })

  it('puts unknown attributes after known ones and unknown children at the end of their parent', () => {
    const c: RuleCollection = {
      type: null,
      enforcementMode: 'NotConfigured',
      rules: [],
      extra: { attributes: { Zeta: 'z' }, invalid: { Type: 'Executable', EnforcementMode: 'Enforced' }, children: [{ kind: 'unknown', name: 'X', xml: '<X a="1" />' }] },
    }
    expect(writeRuleCollectionXml(c)).toBe('<RuleCollection Type="Executable" EnforcementMode="Enforced" Zeta="z">\n  <X a="1" />\n</RuleCollection>\n')
  })

  it('leaves out attributes recorded as absent', () => {
    const c: RuleCollection = { type: 'Exe', enforcementMode: 'NotConfigured', rules: [], extra: { absent: ['EnforcementMode'] } }
    expect(writeRuleCollectionXml(c)).toBe('<RuleCollection Type="Exe" />\n')
  })

  it('escapes &, <, >, " and tab/LF/CR; characters XML 1.0 forbids become U+FFFD', () => {
    expect(escapeAttribute('a&b<c>d"e\r\nf\tg\u0001')).toBe('a&amp;b&lt;c&gt;d&quot;e&#xD;&#xA;f&#x9;g\uFFFD')
    expect(escapeAttribute('nul\u0000esc\u001b lone\ud800 \udc00 pair😀 \ufffe\uffff')).toBe('nul\uFFFDesc\uFFFD lone\uFFFD \uFFFD pair😀 \uFFFD\uFFFD')
    expect(escapeAttribute("plain 'single' ®")).toBe("plain 'single' ®")
  })
})

describe('writeRuleCollectionXml', () => {
  it('writes a bare RuleCollection without declaration (Intune CSP payload) that reads back as a fragment', () => {
    const xml = writeRuleCollectionXml(policy.collections[0])
    expect(xml.startsWith('<RuleCollection Type="Script" EnforcementMode="AuditOnly">\n')).toBe(true)
    expect(xml).not.toContain('<?xml')
    const r = readPolicy(xml)
    expect(r.source).toBe('fragment')
    expect(r.value!.collections[0].rules).toHaveLength(2)
  })
})

describe('encodePolicy', () => {
  it('utf-8: no BOM, encoding="utf-8"', () => {
    const b = encodePolicy(policy, 'utf-8')
    expect([...b.subarray(0, 5)]).toEqual([...new TextEncoder().encode('<?xml')])
    expect(new TextDecoder().decode(b)).toBe(EXPECTED)
  })

  it('utf-16le: BOM, encoding="utf-16", CRLF line ends everywhere', () => {
    const b = encodePolicy(policy, 'utf-16le')
    expect([b[0], b[1]]).toEqual([0xff, 0xfe])
    const text = new TextDecoder('utf-16le').decode(b.subarray(2))
    expect(text.startsWith('<?xml version="1.0" encoding="utf-16"?>\r\n<AppLockerPolicy Version="1">\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    expect(text.replace(/\r\n/g, '\n').replace('encoding="utf-16"', 'encoding="utf-8"')).toBe(EXPECTED)
    const r = readPolicy(b)
    expect(r.encoding).toBe('utf-16le')
    expect(r.diagnostics).toEqual([])
    expect(r.value).toStrictEqual(readPolicy(EXPECTED).value)
  })

  it('keeps characters outside the BMP in UTF-16', () => {
    const p: Policy = structuredClone(policy)
    p.collections[0].rules[0].name = 'emoji 😀 ®'
    expect(readPolicy(encodePolicy(p, 'utf-16le')).value!.collections[0].rules[0].name).toBe('emoji 😀 ®')
    expect(readPolicy(encodePolicy(p, 'utf-8')).value!.collections[0].rules[0].name).toBe('emoji 😀 ®')
  })
})

describe('schema order of the elements kept verbatim (AppLocker.xsd sequences)', () => {
  const PE = '<PolicyExtensions><ThresholdExtensions /></PolicyExtensions>'
  const pe = (at?: number): UnknownElement => (at === undefined ? { kind: 'unknown', name: 'PolicyExtensions', xml: PE } : { kind: 'unknown', name: 'PolicyExtensions', xml: PE, at })
  const foo = (at: number): UnknownElement => ({ kind: 'unknown', name: 'Foo', xml: '<Foo />', at })
  const col = (type: CollectionType): RuleCollection => ({ type, enforcementMode: 'Enabled', rules: [] })
  /** The root's children, one per line, as written. */
  const children = (p: Policy) =>
    writePolicyXml(p)
      .split('\n')
      .filter((l) => l.startsWith('  <') && !l.startsWith('  </'))
      .map((l) => l.trim().replace(/^<RuleCollection Type="(\w+)".*$/, '$1'))

  it('writes PolicyExtensions after a collection added after it (it stood after the last one)', () => {
    const p: Policy = { version: '1', collections: [col('Exe'), col('Script')], extra: { children: [pe(1)] } }
    expect(children(p)).toEqual(['Exe', 'Script', PE])
  })

  it('writes PolicyExtensions that stood before the first RuleCollection after the last one', () => {
    const p: Policy = { version: '1', collections: [col('Exe'), col('Msi')], extra: { children: [pe(0)] } }
    expect(children(p)).toEqual(['Exe', 'Msi', PE])
    expect(readPolicy(writePolicyXml(p)).value!.extra!.children![0].at).toBe(2)
  })

  it('keeps unknown elements between collections where they stood, and what followed PolicyExtensions after it', () => {
    // File: Exe, Foo, Msi, PolicyExtensions, Foo(2); Script added at the end.
    const p: Policy = { version: '1', collections: [col('Exe'), col('Msi'), col('Script')], extra: { children: [foo(1), pe(3), { ...foo(4), xml: '<Foo n="2" />' }] } }
    expect(children(p)).toEqual(['Exe', '<Foo />', 'Msi', 'Script', PE, '<Foo n="2" />'])
  })

  it('moves the comment directly above PolicyExtensions with it; one between collections stays', () => {
    const p: Policy = {
      version: '1',
      collections: [col('Exe'), col('Msi'), col('Script')],
      extra: { children: [pe(2)] },
      notes: { inside: [{ kind: 'comment', text: ' between ', path: '', at: 1 }, { kind: 'comment', text: ' about the extensions ', path: '', at: 2 }, { kind: 'comment', text: ' end ', path: '', at: 3 }] },
    }
    expect(children(p)).toEqual(['Exe', '<!-- between -->', 'Msi', 'Script', '<!-- about the extensions -->', PE, '<!-- end -->'])
  })

  it('writes a file already in schema order back unchanged (PolicyExtensions last, comments around it)', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>\n<AppLockerPolicy Version="1">\n  <RuleCollection Type="Exe" EnforcementMode="Enabled" />\n  <Foo />\n  <!-- c -->\n  ${PE}\n  <!-- end -->\n</AppLockerPolicy>\n`
    expect(writePolicyXml(readPolicy(xml).value!)).toBe(xml)
  })

  it('writes PolicyExtensions without a place, and several of them, after the collections in file order', () => {
    const p: Policy = { version: '1', collections: [col('Exe')], extra: { children: [pe(), { ...pe(0), xml: PE.replace('<ThresholdExtensions />', '<ThresholdExtensions><Plugins /></ThresholdExtensions>') }] } }
    expect(children(p)).toEqual(['Exe', PE.replace('<ThresholdExtensions />', '<ThresholdExtensions><Plugins /></ThresholdExtensions>'), PE])
  })

  it('writes SystemApps before OriginDataRevocation, even when OriginDataRevocation stood first (SystemApps added later)', () => {
    const odr: UnknownElement = { kind: 'unknown', name: 'OriginDataRevocation', xml: '<OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="1" />', at: 0 }
    const c: RuleCollection = {
      type: 'Exe',
      enforcementMode: 'Enabled',
      rules: [],
      extensions: { threshold: true, redstone: true, systemApps: { allow: 'Enabled' }, redstoneExtra: { children: [odr] } },
    }
    const xml = writeRuleCollectionXml(c)
    expect(xml).toContain('<RedstoneExtensions>\n      <SystemApps Allow="Enabled" />\n      <OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="1" />\n    </RedstoneExtensions>')
    // Without SystemApps it is the only child.
    delete c.extensions!.systemApps
    expect(writeRuleCollectionXml(c)).toContain('<RedstoneExtensions>\n      <OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="1" />\n    </RedstoneExtensions>')
  })
})

describe('the one-template path for plain rules', () => {
  it('writes the same text as the general path (forced by an empty extra on every element)', async () => {
    const { generatePolicy } = await import('../../testing/generate')
    for (const seed of [1, 2, 3]) {
      const p = generatePolicy(300, seed)
      p.collections[0].rules[0].name = 'Tab\there & "quotes" <x> \u0001 \ud800'
      const plain = writePolicyXml(p)
      const general = structuredClone(p)
      for (const c of general.collections) {
        for (const r of c.rules) {
          r.extra = {}
          if (r.condition) r.condition.extra = {}
          for (const e of r.exceptions) if (e.kind !== 'unknown') e.extra = {}
        }
      }
      expect(writePolicyXml(general)).toBe(plain)
      expect(encodePolicy(general, 'utf-16le')).toEqual(encodePolicy(p, 'utf-16le'))
    }
  })
})
