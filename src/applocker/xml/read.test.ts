import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from '../diagnostics'
import type { FilePathRule, FilePublisherRule, Policy } from '../policy'
import { generatePolicy } from '../../testing/generate'
import { DEFAULT_MAX_BYTES, decodeXmlBytes, readPolicy } from './read'
import { writePolicyXml } from './write'
import { utf16, utf8 } from '../../testing/builders'

const SMALL = `<AppLockerPolicy Version="1">
  <RuleCollection Type="Exe" EnforcementMode="AuditOnly">
    <!-- a comment inside -->
    <FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="(Default Rule) All files located in the Program Files folder" Description="Allows &amp; more" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <FilePathCondition Path="%PROGRAMFILES%\\*" />
      </Conditions>
      <Exceptions>
        <FilePathCondition Path="%PROGRAMFILES%\\Vendor\\Temp\\*" />
      </Exceptions>
    </FilePathRule>
    <FilePublisherRule Id="a9e18c21-ff8f-43cf-b9fc-db40eed693ba" Name="MSHTA" Description="" UserOrGroupSid="S-1-5-32-545" Action="Deny">
      <Conditions>
        <FilePublisherCondition PublisherName="O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US" ProductName="MICROSOFT® WINDOWS® OPERATING SYSTEM" BinaryName="MSHTA.EXE">
          <BinaryVersionRange LowSection="*" HighSection="*" />
        </FilePublisherCondition>
      </Conditions>
    </FilePublisherRule>
  </RuleCollection>
</AppLockerPolicy>
`

const errorsOf = (r: ReturnType<typeof readPolicy>) => r.diagnostics.filter((d) => d.severity === 'error')

describe('readPolicy: encodings', () => {
  const reference = readPolicy(SMALL).value as Policy

  it('reads the small policy into the model', () => {
    expect(reference.version).toBe('1')
    expect(reference.collections).toHaveLength(1)
    const [path, pub] = reference.collections[0].rules as [FilePathRule, FilePublisherRule]
    expect(path).toMatchObject({ kind: 'path', action: 'Allow', description: 'Allows & more', condition: { kind: 'path', path: '%PROGRAMFILES%\\*' }, hasExceptionsElement: true })
    expect(path.exceptions).toEqual([{ kind: 'path', path: '%PROGRAMFILES%\\Vendor\\Temp\\*' }])
    expect(pub.condition).toEqual({
      kind: 'publisher',
      publisherName: 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US',
      productName: 'MICROSOFT® WINDOWS® OPERATING SYSTEM',
      binaryName: 'MSHTA.EXE',
      versionRange: { low: '*', high: '*' },
    })
    expect(pub.action).toBe('Deny')
  })

  it.each([
    ['UTF-8 without BOM', utf8(SMALL), 'utf-8'],
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(SMALL)]), 'utf-8'],
    ['UTF-8 CRLF with declaration', utf8('<?xml version="1.0" encoding="utf-8"?>\r\n' + SMALL.replace(/\n/g, '\r\n')), 'utf-8'],
    ['UTF-16 LE with BOM and CRLF', utf16('<?xml version="1.0" encoding="utf-16"?>\r\n' + SMALL.replace(/\n/g, '\r\n'), true), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16(SMALL, false), 'utf-16be'],
    ['UTF-16 LE without BOM', utf16(SMALL, true, false), 'utf-16le'],
  ])('%s gives the same model', (_name, bytes, encoding) => {
    const r = readPolicy(bytes)
    expect(r.encoding).toBe(encoding)
    expect(errorsOf(r)).toEqual([])
    expect(r.value).toStrictEqual(reference)
  })

  it('reports line and column the same with CRLF as with LF', () => {
    const bad = SMALL.replace('S-1-5-32-545', 'Domain Users')
    const lf = readPolicy(bad).diagnostics.find((d) => d.code === 'invalid-sid')!
    const crlf = readPolicy(utf16(bad.replace(/\n/g, '\r\n'), true)).diagnostics.find((d) => d.code === 'invalid-sid')!
    expect([crlf.line, crlf.column]).toEqual([lf.line, lf.column])
    expect(lf.line).toBe(12)
    expect(lf.column).toBe(5)
  })

  it('counts a bare CR as a line end (old Mac files), in model errors and in syntax errors', () => {
    const bad = SMALL.replace('S-1-5-32-545', 'Domain Users')
    const cr = readPolicy(bad.replace(/\n/g, '\r')).diagnostics.find((d) => d.code === 'invalid-sid')!
    expect([cr.line, cr.column]).toEqual([12, 5])
    const unquoted = '<AppLockerPolicy Version="1">\r<RuleCollection Type="Exe" EnforcementMode=Bogus />\r</AppLockerPolicy>'
    const r = readPolicy(unquoted)
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ code: 'not-well-formed', line: 2, column: 43 })
  })

  it('locates a problem of the condition and of an exception at their element, past other elements before them', () => {
    const xml = `<AppLockerPolicy Version="1">
  <RuleCollection Type="Exe" EnforcementMode="Enabled">
    <FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="r" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <!-- a note -->
        <FilePublisherCondition PublisherName="O=X" ProductName="*" BinaryName="*"><BinaryVersionRange LowSection="*" HighSection="*" /></FilePublisherCondition>
        <FilePathCondition Path="%APPDATA%\\*" />
      </Conditions>
      <Conditions><FilePathCondition Path="%TEMP%\\*" /></Conditions>
      <Exceptions>
        <FilePathCondition Path="%WINDIR%\\*" />
        <?pi x?>
          <FilePathCondition Path="" />
      </Exceptions>
      <Exceptions><FilePathCondition Path="" /></Exceptions>
    </FilePathRule>
  </RuleCollection>
</AppLockerPolicy>`
    const d = readPolicy(xml).diagnostics
    expect(d.find((x) => x.code === 'unknown-path-variable')).toMatchObject({ line: 7, column: 9 })
    expect(d.find((x) => x.code === 'empty-path')).toMatchObject({ line: 13, column: 11 })
  })

  it('accepts a declaration that disagrees with the bytes, with a warning', () => {
    const r = readPolicy(utf8('<?xml version="1.0" encoding="utf-16"?>\n' + SMALL))
    expect(r.value).toStrictEqual(reference)
    expect(r.diagnostics.find((d) => d.code === 'encoding-mismatch')?.severity).toBe('warning')
  })

  it('says plainly where bytes are not UTF-8 and opens the rest', () => {
    const bytes = utf8(SMALL.replace('<!-- a comment inside -->', '<!-- XX -->'))
    const at = bytes.indexOf(0x58) // first 'X'
    bytes[at] = 0x82 // a Shift-JIS lead byte
    bytes[at + 1] = 0xa0
    const d = decodeXmlBytes(bytes)
    expect(d.diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-encoding', line: 3, column: 10 })
    expect(d.diagnostics[0].message).toContain('not UTF-8 or UTF-16')
    expect(d.diagnostics[0].message).toContain('0x82')
    const r = readPolicy(bytes)
    expect(r.value?.collections[0].rules).toHaveLength(2)
  })

  it('flags a lone surrogate in UTF-16', () => {
    const bytes = utf16(SMALL, true)
    const i = 2 + SMALL.indexOf('a comment') * 2
    bytes[i] = 0x00
    bytes[i + 1] = 0xd8
    const r = readPolicy(bytes)
    expect(r.diagnostics[0]).toMatchObject({ code: 'invalid-encoding', line: 3 })
    expect(r.value).not.toBeNull()
  })

  it('accepts a string, with or without BOM', () => {
    expect(readPolicy('\uFEFF' + SMALL).value).toStrictEqual(reference)
    expect(readPolicy(SMALL).encoding).toBe('text')
  })
})

describe('readPolicy: refusals', () => {
  const refused = (input: string | Uint8Array, code: string) => {
    const r = readPolicy(input)
    expect(r.value).toBeNull()
    expect(r.source).toBeNull()
    const e = r.diagnostics.find((d) => d.severity === 'error')!
    expect(e.code).toBe(code)
    return e
  }

  it('refuses XML that is not well formed, with line and column', () => {
    const e = refused(SMALL.replace('</Conditions>\n      <Exceptions>', '</Condition>\n      <Exceptions>'), 'not-well-formed')
    expect(e.line).toBe(7)
    expect(formatDiagnostic(e)).toMatch(/^Line 7, column \d+: The XML is not well formed/)
  })

  it('refuses an unquoted attribute value pointing at the "="', () => {
    const e = refused('<AppLockerPolicy Version="1">\n  <RuleCollection Type=Exe />\n</AppLockerPolicy>', 'not-well-formed')
    expect([e.line, e.column]).toEqual([2, 23])
    expect(e.message).toContain('Type="Exe"')
  })

  it('refuses a billion-laughs DOCTYPE before parsing, without expanding anything', () => {
    const lol = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}\n]>\n<AppLockerPolicy Version="1">&lol9;</AppLockerPolicy>`
    const e = refused(lol, 'doctype')
    expect([e.line, e.column]).toEqual([2, 1])
    expect(e.message).toMatch(/DOCTYPE/)
  })

  it('refuses external entities and bare ENTITY declarations', () => {
    refused('<!DOCTYPE x SYSTEM "file:///etc/passwd"><AppLockerPolicy Version="1" />', 'doctype')
    refused('<!ENTITY x "y"><AppLockerPolicy Version="1" />', 'entity-declaration')
  })

  it('does not mistake a DOCTYPE inside a comment', () => {
    expect(readPolicy('<!-- <!DOCTYPE x> -->\n<AppLockerPolicy Version="1" />').value).toEqual({ version: '1', collections: [], notes: { before: [{ kind: 'comment', text: ' <!DOCTYPE x> ' }] } })
  })

  it('gives a helpful message for HTML entities such as &reg;', () => {
    const e = refused(SMALL.replace('MICROSOFT® WINDOWS®', 'MICROSOFT&reg; WINDOWS&reg;'), 'html-entity')
    expect(e.line).toBe(14)
    expect(e.message).toContain('&reg;')
    expect(e.message).toContain('®')
    expect(e.message).toContain('&#174;')
  })

  it('refuses a bare ampersand', () => {
    refused(SMALL.replace('Allows &amp; more', 'Allows & more'), 'bare-ampersand')
  })

  it('says plainly when the file is a WDAC / App Control SiPolicy', () => {
    const e = refused('<?xml version="1.0"?>\n<SiPolicy xmlns="urn:schemas-microsoft-com:sipolicy" PolicyType="Base Policy"><VersionEx>10.0.0.0</VersionEx></SiPolicy>', 'wdac-policy')
    expect(e.message).toMatch(/App Control/)
    expect(e.message).toMatch(/not an AppLocker policy/)
    expect(e.line).toBe(2)
  })

  it('refuses another root element', () => {
    expect(refused('<Policy />', 'wrong-root').message).toContain('<Policy>')
  })

  it('refuses files over maxBytes; the default is at least 100 MB', () => {
    expect(DEFAULT_MAX_BYTES).toBeGreaterThanOrEqual(100 * 1000 * 1000)
    const r = readPolicy(utf8(SMALL), { maxBytes: 100 })
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].code).toBe('too-large')
    expect(readPolicy(utf8(SMALL), { maxBytes: 100_000 }).value).not.toBeNull()
  })

  it('refuses empty input and non-XML', () => {
    refused('', 'empty')
    refused('   \n ', 'empty')
    expect(readPolicy('hello').value).toBeNull()
    expect(readPolicy(new Uint8Array([0, 1, 2, 3, 255])).value).toBeNull()
  })

  it('says where a truncated file ends and which elements are still open', () => {
    const e = refused('<AppLockerPolicy Version="1">\n  <RuleCollection Type="Exe">\n', 'not-well-formed')
    expect(e.message).toContain('ends before <RuleCollection>, <AppLockerPolicy>')
    expect(e.line).toBe(2)
  })

  it('refuses text outside the root element', () => {
    const e = refused('<AppLockerPolicy Version="1" />\n<!-- ok -->\njunk', 'not-well-formed')
    expect([e.line, e.column]).toEqual([3, 1])
    expect(e.message).toContain('"junk"')
  })

  it('refuses names reserved for safety and absurd nesting, located', () => {
    const e = refused('<AppLockerPolicy Version="1">\n  <__proto__ a="1" />\n</AppLockerPolicy>', 'reserved-name')
    expect([e.line, e.column]).toEqual([2, 4])
    const deep = refused(`<AppLockerPolicy Version="1">${'<a>'.repeat(500)}${'</a>'.repeat(500)}</AppLockerPolicy>`, 'too-deep')
    expect(deep.line).toBe(1)
  })

  it('refuses several roots of other kinds', () => {
    // Not 'multiple-roots': that code means "several RuleCollection roots, can be wrapped".
    const e = refused('<AppLockerPolicy Version="1" />\n<AppLockerPolicy Version="1" />', 'not-well-formed')
    expect(e.message).toContain('2 root elements')
    expect(readPolicy('<AppLockerPolicy Version="1" />\n<RuleCollection Type="Exe" />', { wrapRoots: true }).value).toBeNull()
    expect(e.line).toBe(2)
  })
})

describe('readPolicy: fragments and wrapped roots', () => {
  const exe = '<RuleCollection Type="Exe" EnforcementMode="Enabled"><FilePathRule Id="fd686d83-a829-4351-8ff4-27c7de5755d2" Name="All" Description="" UserOrGroupSid="S-1-5-32-544" Action="Allow"><Conditions><FilePathCondition Path="*" /></Conditions></FilePathRule></RuleCollection>'
  const msi = '<RuleCollection Type="Msi" EnforcementMode="NotConfigured" />'

  it('wraps a bare RuleCollection with an info diagnostic', () => {
    const r = readPolicy(exe)
    expect(r.source).toBe('fragment')
    expect(r.value!.collections.map((c) => c.type)).toEqual(['Exe'])
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'fragment', line: 1, column: 1 })])
  })

  it('refuses sibling RuleCollection roots unless wrapRoots is set', () => {
    const text = `<?xml version="1.0"?>\n${exe}\n${msi}\n`
    const r = readPolicy(text)
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ code: 'multiple-roots', severity: 'error', line: 3, column: 1 })
    expect(r.diagnostics[0].message).toContain('several RuleCollection roots')
    const w = readPolicy(text, { wrapRoots: true })
    expect(w.source).toBe('wrapped-roots')
    expect(w.value!.collections.map((c) => c.type)).toEqual(['Exe', 'Msi'])
    expect(w.diagnostics.find((d) => d.code === 'wrapped-roots')?.severity).toBe('info')
  })

  it('still refuses wrapped roots that are not well formed, at the right place', () => {
    const text = `${exe}\n${msi}\n<RuleCollection Type="Dll" EnforcementMode=Enabled />`
    const r = readPolicy(text, { wrapRoots: true })
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ code: 'not-well-formed', line: 3, column: 43 })
  })
})

describe('readPolicy: fidelity', () => {
  const ODD = `<AppLockerPolicy Version="1" xmlns:x="urn:x" x:note="root">
  <RuleCollection Type="Dll" EnforcementMode="Enabled" Custom="1">
    <FilePathRule Id="86f235ad-3f7b-4121-bc95-ea8bde3a5db5" Name="Line&#xD;&#xA;break" Description="tab&#9;here" UserOrGroupSid="S-1-1-0" Action="Deny" Extra="e">
      <Conditions>
        <FilePathCondition Path="%OSDRIVE%\\ThisWillBeBlocked.dll" Note="n"><Why>because</Why></FilePathCondition>
      </Conditions>
      <Exceptions>
        <FilePathCondition Path="a" />
        <PLACEHOLDER_X />
        <FileHashCondition>
          <FileHash Type="SHA256" Data="0x${'AB'.repeat(32)}" SourceFileName="a &lt;b&gt; &quot;c&quot;.dll" SourceFileLength="0123" />
        </FileHashCondition>
      </Exceptions>
      <Comment lang="en">kept <b>verbatim</b></Comment>
    </FilePathRule>
    <RuleCollectionExtensions>
      <ThresholdExtensions>
        <Services EnforcementMode="Enabled" />
      </ThresholdExtensions>
      <RedstoneExtensions>
        <SystemApps Allow="Enabled"/>
        <OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="2" />
      </RedstoneExtensions>
    </RuleCollectionExtensions>
  </RuleCollection>
  <RuleCollection Type="Exe">
    <FilePathRule Id="9420c496-046d-45ab-bd0e-455b2649e41e" Name="Block" UserOrGroupSid="S-1-1-0" Action="Block">
      <Conditions><FilePathCondition Path="multi
line" /></Conditions>
    </FilePathRule>
  </RuleCollection>
  <PolicyExtensions><ThresholdExtensions><Plugins /></ThresholdExtensions></PolicyExtensions>
</AppLockerPolicy>`

  const r = readPolicy(ODD)
  const p = r.value as Policy

  it('keeps unknown attributes and elements in extra, verbatim', () => {
    expect(p.extra).toEqual({
      attributes: { 'xmlns:x': 'urn:x', 'x:note': 'root' },
      children: [{ kind: 'unknown', name: 'PolicyExtensions', xml: '<PolicyExtensions><ThresholdExtensions><Plugins /></ThresholdExtensions></PolicyExtensions>', at: 2 }],
    })
    const dll = p.collections[0]
    expect(dll.extra).toEqual({ attributes: { Custom: '1' } })
    const rule = dll.rules[0] as FilePathRule
    expect(rule.name).toBe('Line\r\nbreak')
    expect(rule.description).toBe('tab\there')
    expect(rule.extra).toEqual({ attributes: { Extra: 'e' }, children: [{ kind: 'unknown', name: 'Comment', xml: '<Comment lang="en">kept <b>verbatim</b></Comment>', at: 2 }] })
    expect(rule.condition).toEqual({ kind: 'path', path: '%OSDRIVE%\\ThisWillBeBlocked.dll', extra: { attributes: { Note: 'n' }, children: [{ kind: 'unknown', name: 'Why', xml: '<Why>because</Why>', at: 0 }] } })
    expect(rule.exceptions.map((e) => e.kind)).toEqual(['path', 'unknown', 'hash'])
    expect(rule.exceptions[1]).toEqual({ kind: 'unknown', name: 'PLACEHOLDER_X', xml: '<PLACEHOLDER_X />' })
    expect(rule.exceptions[2]).toEqual({ kind: 'hash', hashes: [{ type: 'SHA256', data: `0x${'AB'.repeat(32)}`, sourceFileName: 'a <b> "c".dll', sourceFileLength: '0123' }] })
    expect(dll.extensions).toEqual({
      threshold: true,
      services: { enforcementMode: 'Enabled' },
      redstone: true,
      systemApps: { allow: 'Enabled' },
      redstoneExtra: { children: [{ kind: 'unknown', name: 'OriginDataRevocation', xml: '<OriginDataRevocation CurrentOriginDataId="1" TrustedOriginDataId="2" />', at: 1 }] },
    })
  })

  it('keeps invalid values raw and absent attributes absent', () => {
    const exe = p.collections[1]
    expect(exe.enforcementMode).toBe('NotConfigured')
    expect(exe.extra).toEqual({ absent: ['EnforcementMode'] })
    const rule = exe.rules[0]
    expect(rule.extra).toEqual({ invalid: { Action: 'Block' }, absent: ['Description'] })
    // Literal line breaks in attribute values are normalised to spaces, as XML requires.
    expect(rule.condition).toEqual({ kind: 'path', path: 'multi line' })
    const xml = writePolicyXml(p)
    expect(xml).toContain('<RuleCollection Type="Exe">')
    expect(xml).toContain('Name="Block" UserOrGroupSid="S-1-1-0" Action="Block"')
  })

  it('keeps the spaces at either end of attribute values (the parser trims them; XML does not)', () => {
    const x = `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode=" AuditOnly ">
<FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name=" " Description="a &amp; b " UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="%WINDIR%\\* " /></Conditions></FilePathRule>
<FilePublisherRule Id="921cc481-6e17-4653-8f75-050b80acca21" Name="p" Description="" UserOrGroupSid=" S-1-1-0" Action="Allow "><Conditions><FilePublisherCondition PublisherName="O=CONTOSO " ProductName=" P" BinaryName="*"><BinaryVersionRange LowSection="*" HighSection="*"/></FilePublisherCondition></Conditions></FilePublisherRule>
</RuleCollection></AppLockerPolicy>`
    const r = readPolicy(x)
    const exe = r.value!.collections[0]
    const [path, pub] = exe.rules as [FilePathRule, FilePublisherRule]
    expect(path.name).toBe(' ')
    expect(path.description).toBe('a & b ')
    expect(path.condition).toEqual({ kind: 'path', path: '%WINDIR%\\* ' })
    expect(pub.condition).toMatchObject({ publisherName: 'O=CONTOSO ', productName: ' P' })
    // Values the schema refuses stay refused: " AuditOnly " is not AuditOnly, " S-1-1-0" not a SID.
    expect(errorsOf(r).map((d) => d.code).sort()).toEqual(['invalid-action', 'invalid-enforcement-mode', 'invalid-sid'])
    expect(r.diagnostics.some((d) => d.code === 'empty-rule-name')).toBe(false)
    const out = writePolicyXml(r.value!)
    for (const kept of ['EnforcementMode=" AuditOnly "', 'Name=" "', 'Description="a &amp; b "', 'Path="%WINDIR%\\* "', 'UserOrGroupSid=" S-1-1-0"', 'Action="Allow "', 'PublisherName="O=CONTOSO "', 'ProductName=" P"']) {
      expect(out).toContain(kept)
    }
  })

  it('refuses a second Conditions, BinaryVersionRange or Services as the schema does, and a misspelt EnforcementMode', () => {
    const R = (inner: string) =>
      `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="AuditOnly">\n<FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">${inner}</FilePathRule></RuleCollection></AppLockerPolicy>`
    const twice = readPolicy(R('<Conditions><FilePathCondition Path="*"/></Conditions><Conditions><FilePathCondition Path="%USERPROFILE%\\x"/></Conditions>'))
    expect(errorsOf(twice)).toEqual([expect.objectContaining({ code: 'repeated-element', line: 2, column: 1 })])
    expect(errorsOf(twice)[0].message).toContain('<Conditions> inside FilePathRule "n" in the Exe collection is out of place')
    expect(twice.diagnostics.some((d) => d.code === 'unknown-element')).toBe(false)
    const range = readPolicy(
      R('').replace(
        /<FilePathRule[^]*<\/FilePathRule>/,
        '<FilePublisherRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="p" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePublisherCondition PublisherName="O=X" ProductName="*" BinaryName="*"><BinaryVersionRange LowSection="*" HighSection="*"/><BinaryVersionRange LowSection="x" HighSection="*"/></FilePublisherCondition></Conditions></FilePublisherRule>',
      ),
    )
    expect(errorsOf(range).map((d) => d.code)).toEqual(['repeated-element'])
    const services = readPolicy(
      R('<Conditions><FilePathCondition Path="*"/></Conditions>').replace(
        '</RuleCollection>',
        '<RuleCollectionExtensions><ThresholdExtensions><Services EnforcementMode="Enabled"/><Services EnforcementMode="Bogus"/></ThresholdExtensions><RedstoneExtensions><SystemApps Allow="Enabled"/></RedstoneExtensions></RuleCollectionExtensions></RuleCollection>',
      ),
    )
    expect(errorsOf(services).map((d) => d.code)).toEqual(['repeated-element'])
    // Names are case-sensitive: enforcementMode is not read, so the collection would enforce.
    const lower = readPolicy('<AppLockerPolicy Version="1"><RuleCollection Type="Exe" enforcementMode="AuditOnly"/></AppLockerPolicy>')
    expect(lower.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'misspelled-attribute', line: 1, column: 30 })])
    expect(lower.diagnostics[0].message).toContain("AppLocker's is EnforcementMode")
    expect(lower.diagnostics[0].message).toContain('enforces its rules')
    // Another unknown attribute stays a warning.
    expect(readPolicy('<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="AuditOnly" Owner="me"/></AppLockerPolicy>').diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'unknown-attribute'],
    ])
  })

  it('warns, located, about extensions before the rules or the collections; Export writes them in their place', () => {
    const rule = '<FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="n" Description="" UserOrGroupSid="S-1-1-0" Action="Allow"><Conditions><FilePathCondition Path="*"/></Conditions></FilePathRule>'
    const early = readPolicy(
      `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="AuditOnly">\n<RuleCollectionExtensions><RedstoneExtensions><SystemApps Allow="Enabled"/></RedstoneExtensions><ThresholdExtensions><Services EnforcementMode="Enabled"/></ThresholdExtensions></RuleCollectionExtensions>\n${rule}</RuleCollection></AppLockerPolicy>`,
    )
    expect(early.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['element-order', 2, 1],
      ['element-order', 2, 27],
    ])
    expect(early.diagnostics[0].message).toContain('<RuleCollectionExtensions> comes too early in the Exe RuleCollection')
    const out = writePolicyXml(early.value!)
    expect(out.indexOf('<FilePathRule')).toBeLessThan(out.indexOf('<RuleCollectionExtensions>'))
    expect(out.indexOf('<ThresholdExtensions>')).toBeLessThan(out.indexOf('<RedstoneExtensions>'))
    const policyExt = readPolicy('<AppLockerPolicy Version="1">\n<PolicyExtensions><ThresholdExtensions/></PolicyExtensions>\n<RuleCollection Type="Exe" EnforcementMode="AuditOnly"/></AppLockerPolicy>')
    expect(policyExt.diagnostics.filter((d) => d.code === 'element-order').map((d) => [d.line, d.column])).toEqual([[2, 1]])
    // In the schema's order: no warning.
    expect(readPolicy(writePolicyXml(early.value!)).diagnostics).toEqual([])
  })

  it('round-trips to an equal model', () => {
    const again = readPolicy(writePolicyXml(p))
    expect(again.value).toStrictEqual(p)
    expect(again.diagnostics.map((d) => d.code)).toEqual(r.diagnostics.map((d) => d.code))
  })

  it('reports unknown elements and attributes as located warnings, and model errors as located errors', () => {
    const w = (code: string) => r.diagnostics.filter((d) => d.code === code)
    expect(w('unknown-element').map((d) => [d.line, d.severity])).toEqual([
      [5, 'warning'],
      [14, 'warning'],
    ])
    // Inside Exceptions (a template placeholder) it is an error: Windows refuses the policy (issue 11).
    expect(w('unknown-exception').map((d) => [d.line, d.severity])).toEqual([[9, 'error']])
    // OriginDataRevocation (RedstoneExtensions) and PolicyExtensions (root) are elements of AppLocker.xsd
    // (WDAC-Toolkit AppLocker.xsd): kept verbatim with an info, not reported as unknown.
    expect(w('schema-element-kept').map((d) => [d.line, d.severity])).toEqual([
      [22, 'info'],
      [32, 'info'],
    ])
    // xmlns:x is a namespace declaration, not an attribute: kept silently; x:note is reported.
    expect(w('unknown-attribute').map((d) => d.line)).toEqual([1, 2, 3, 5])
    expect(w('invalid-action')[0]).toMatchObject({ severity: 'error', line: 27, column: 5, ref: { collection: 1, rule: 0 } })
    expect(w('missing-attribute')[0]).toMatchObject({ severity: 'error', line: 27, ref: { collection: 1, rule: 0 } })
    expect(w('unknown-exception')[0].ref).toEqual({ collection: 0, rule: 0 })
  })

  it('locates duplicate Ids, missing conditions and bad values at their element', () => {
    const text = `<AppLockerPolicy Version="1">
  <RuleCollection Type="Exe" EnforcementMode="Enforced">
    <FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="a" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions><FilePathCondition Path="*" /></Conditions>
    </FilePathRule>
  </RuleCollection>
  <RuleCollection Type="Script" EnforcementMode="Enabled">
    <FilePathRule Id="921CC481-6E17-4653-8F75-050B80ACCA20" Name="b" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions />
    </FilePathRule>
    <FilePublisherRule Id="{b7af7102-efde-4369-8a89-7a6a392d1473}" Name="c" Description="" UserOrGroupSid="S-1-1-0" Action="Allow">
      <Conditions>
        <FilePublisherCondition PublisherName="*" ProductName="*" BinaryName="*"><BinaryVersionRange LowSection="2.0" HighSection="*" /></FilePublisherCondition>
      </Conditions>
    </FilePublisherRule>
  </RuleCollection>
</AppLockerPolicy>`
    const got = readPolicy(text)
    expect(got.value).not.toBeNull()
    const lines = got.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)
    expect(lines).toEqual(['invalid-enforcement-mode@2:3', 'duplicate-rule-id@8:5', 'missing-condition@8:5', 'invalid-rule-id@11:5', 'invalid-version-range@13:9'])
    expect(formatDiagnostic(got.diagnostics[2])).toBe('Line 8, column 5: FilePathRule "b" in the Script collection has no FilePathCondition under Conditions.')
  })

  it('opens an empty policy and a policy of empty collections', () => {
    expect(readPolicy('<AppLockerPolicy Version="1" />')).toMatchObject({ value: { version: '1', collections: [] }, diagnostics: [], source: 'policy' })
    const r2 = readPolicy('<AppLockerPolicy Version="1"><RuleCollection Type="Dll" EnforcementMode="NotConfigured" /></AppLockerPolicy>')
    expect(r2.value).toStrictEqual({ version: '1', collections: [{ type: 'Dll', enforcementMode: 'NotConfigured', rules: [] }] })
  })

  it('round-trips a generated policy exactly', () => {
    const g = generatePolicy(400, 3)
    const back = readPolicy(writePolicyXml(g))
    expect(back.diagnostics).toEqual([])
    expect(back.value).toStrictEqual(g)
  })
})

describe('readPolicy: never throws', () => {
  const samples = [SMALL, writePolicyXml(generatePolicy(30, 5))]

  it('survives truncation at every offset of a small policy and many of a larger one', () => {
    for (const text of samples) {
      const step = text.length > 5000 ? 7 : 1
      for (let i = 0; i < text.length; i += step) {
        const r = readPolicy(text.slice(0, i))
        // 'read-failed' would mean the reader's own safety net caught an internal exception.
        expect(r.diagnostics.map((d) => d.code)).not.toContain('read-failed')
        if (r.value === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true)
      }
    }
  })

  it('survives truncated and corrupted bytes in both encodings', () => {
    const bytes = [utf8(SMALL), utf16(SMALL, true), utf16(SMALL, false)]
    let seed = 42
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    for (const b of bytes) {
      for (let i = 0; i < b.length; i += 3) expect(readPolicy(b.subarray(0, i)).diagnostics.map((d) => d.code)).not.toContain('read-failed')
      for (let k = 0; k < 300; k++) {
        const c = b.slice()
        for (let j = 0; j < 3; j++) c[Math.floor(rand() * c.length)] = Math.floor(rand() * 256)
        const r = readPolicy(c)
        expect(r.diagnostics.map((d) => d.code)).not.toContain('read-failed')
        if (r.value === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true)
      }
    }
  })
})

describe('entity names that are also object property names', () => {
  it('"&constructor;" is reported as an unknown entity with its location', () => {
    const r = readPolicy('<AppLockerPolicy Version="1">\n  <X a="&constructor;"/>\n</AppLockerPolicy>')
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].code).toBe('html-entity')
    expect(r.diagnostics[0].message).toContain('"&constructor;" is an entity that XML does not know')
    expect(r.diagnostics[0].line).toBe(2)
  })
})

describe('elements named like object properties', () => {
  it('are kept and named as in the file', () => {
    const r = readPolicy('<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled"><toString a="1"/></RuleCollection></AppLockerPolicy>')
    expect(r.value!.collections[0].extra?.children?.[0]).toMatchObject({ name: 'toString', xml: '<toString a="1"/>' })
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('<toString> inside')
  })
})

describe('messages quote at most about 200 characters of a value', () => {
  const huge = 'N'.repeat(2_000_000)
  const longest = (r: ReturnType<typeof readPolicy>) => Math.max(...r.diagnostics.map((d) => formatDiagnostic(d).length))

  it('a huge rule name, attribute name, element name and text', () => {
    const xml = `<AppLockerPolicy Version="1"><RuleCollection Type="Exe" EnforcementMode="Enabled">
  <FilePathRule Id="921cc481-6e17-4653-8f75-050b80acca20" Name="${huge}" Description="" UserOrGroupSid="S-1-1-0" Action="Allow" ${huge}="x">
    <Conditions><FilePathCondition Path="*" /></Conditions>
    <${huge} />
    ${huge}
  </FilePathRule>
</RuleCollection></AppLockerPolicy>`
    const r = readPolicy(xml)
    expect(r.value).not.toBeNull()
    // The reader's own messages (the validator's are checked in validate.test.ts).
    const own = r.diagnostics.filter((d) => ['unknown-attribute', 'unknown-element', 'unexpected-text'].includes(d.code))
    expect(own.map((d) => d.code).sort()).toEqual(['unexpected-text', 'unknown-attribute', 'unknown-element'])
    expect(Math.max(...own.map((d) => formatDiagnostic(d).length))).toBeLessThan(1000)
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('(2,000,000 characters)')
  })

  it('a huge root name, entity name and mismatched closing tag', () => {
    for (const xml of [`<${huge}/>`, `<AppLockerPolicy a="&${huge};"/>`, `<AppLockerPolicy><${huge}></x></AppLockerPolicy>`, `<AppLockerPolicy ${huge}=x/>`]) {
      const r = readPolicy(xml)
      expect(r.value).toBeNull()
      expect(longest(r)).toBeLessThan(1200)
    }
  })
})
