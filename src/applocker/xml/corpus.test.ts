/**
 * Round trip over the real-world corpus (src/applocker/__fixtures__/corpus, a byte-for-byte copy of
 * shared/corpus): every top-level policy reads without errors, writes, and reads back to an equal
 * model in both encodings; counts match SOURCES.md; fragments wrap; invalid files are refused or
 * opened with located messages.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from '../diagnostics'
import { exceptionConditions, ruleCount, type Policy } from '../policy'
import { readPolicy } from './read'
import { encodePolicy, writePolicyXml } from './write'

const CORPUS = join(__dirname, '..', '__fixtures__', 'corpus')
const bytesOf = (rel: string) => new Uint8Array(readFileSync(join(CORPUS, rel)))
const topLevel = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.xml'))
  .sort()
const fragments = readdirSync(join(CORPUS, 'fragments')).filter((f) => f.endsWith('.xml'))

/** Rows of the "Top level" table of SOURCES.md: file -> bytes, rules, collections column. */
function sourcesTable(): Map<string, { bytes: number; rules: number; collections: string; encoding: string }> {
  const md = readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8')
  const section = md.slice(md.indexOf('## Top level'), md.indexOf('## `fragments/`'))
  const rows = new Map<string, { bytes: number; rules: number; collections: string; encoding: string }>()
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    if (cells.length < 9 || !cells[1].endsWith('.xml')) continue
    rows.set(cells[1], { bytes: Number(cells[4]), encoding: cells[5], rules: parseInt(cells[6].replace(/\*/g, ''), 10), collections: cells[7] })
  }
  return rows
}

function read(rel: string, wrapRoots = false) {
  return readPolicy(bytesOf(rel), { wrapRoots })
}

describe('corpus: top-level policies', () => {
  it('has the 23 top-level files listed in SOURCES.md', () => {
    const table = sourcesTable()
    expect(topLevel).toHaveLength(23)
    expect([...table.keys()].sort()).toEqual(topLevel)
    for (const f of topLevel) expect(bytesOf(f).byteLength, f).toBe(table.get(f)!.bytes)
  })

  /**
   * Files Windows would refuse or whose rules never match, with the errors the one validator
   * (validate.ts) reports for them: AaronLocker's template placeholders in Exceptions, and
   * mhaggis' %USERNAME% paths (a variable AppLocker does not expand). Every other file reads
   * without errors.
   */
  const EXPECTED_ERRORS: Record<string, Record<string, number>> = {
    'aaronlocker-DefaultRulesWithPlaceholders.xml': { 'unknown-exception': 7 },
    'mhaggis-applockergen-blockextensions.xml': { 'unknown-path-variable': 48 },
  }

  it.each(topLevel)('%s: reads with only the expected errors, round-trips in UTF-8 and UTF-16 LE', (file) => {
    const first = read(file)
    expect(first.value, first.diagnostics.map(formatDiagnostic).join('\n')).not.toBeNull()
    expect(first.source).toBe('policy')
    const errors = first.diagnostics.filter((d) => d.severity === 'error')
    const byCode: Record<string, number> = {}
    for (const e of errors) byCode[e.code] = (byCode[e.code] ?? 0) + 1
    expect(byCode, errors.map(formatDiagnostic).slice(0, 5).join('\n')).toEqual(EXPECTED_ERRORS[file] ?? {})
    for (const e of errors) expect(e.line, formatDiagnostic(e)).toBeGreaterThan(0)
    const policy = first.value as Policy

    const xml = writePolicyXml(policy)
    const again = readPolicy(xml)
    expect(again.value).toStrictEqual(policy)
    // Writing is stable: the second write is identical to the first.
    expect(writePolicyXml(again.value as Policy)).toBe(xml)

    const utf16 = readPolicy(encodePolicy(policy, 'utf-16le'))
    expect(utf16.encoding).toBe('utf-16le')
    expect(utf16.value).toStrictEqual(policy)
    const utf8 = readPolicy(encodePolicy(policy, 'utf-8'))
    expect(utf8.encoding).toBe('utf-8')
    expect(utf8.value).toStrictEqual(policy)
  })

  it.each(topLevel)('%s: rule and collection counts match SOURCES.md', (file) => {
    const table = sourcesTable()
    const row = { ...table.get(file)! }
    // "same collections, all Enabled": the row above (the audit twin) with another mode.
    const same = /^same collections, all (\w+)/.exec(row.collections)
    if (same) {
      const names = [...table.keys()]
      row.collections = table.get(names[names.indexOf(file) - 1])!.collections.replace(/:(\w+):(\d+)/g, `:${same[1]}:$2`)
    }
    const policy = read(file).value as Policy
    expect(ruleCount(policy)).toBe(row.rules)
    // Explicit Type:Mode:count triples ("Dll:AuditOnly:19").
    const triples = [...row.collections.matchAll(/\b(Exe|Msi|Script|Dll|Appx):(\w+):(\d+)/g)]
    expect(triples.length).toBeGreaterThan(0)
    for (const [, type, mode, n] of triples) {
      const c = policy.collections.find((x) => x.type === type)
      expect(c, `${file} ${type}`).toBeDefined()
      expect(c!.enforcementMode).toBe(mode)
      expect(c!.rules).toHaveLength(Number(n))
    }
    // Grouped ones ("Appx/Dll/Msi NotConfigured:0").
    for (const [, types, mode, n] of row.collections.matchAll(/((?:Exe|Msi|Script|Dll|Appx)(?:\/(?:Exe|Msi|Script|Dll|Appx))+) (\w+):(\d+)/g)) {
      for (const type of types.split('/')) {
        const c = policy.collections.find((x) => x.type === type)
        expect(c, `${file} ${type}`).toBeDefined()
        expect(c!.enforcementMode).toBe(mode)
        expect(c!.rules).toHaveLength(Number(n))
      }
    }
  })

  it('reports the encodings SOURCES.md gives', () => {
    const table = sourcesTable()
    for (const f of topLevel) {
      const enc = table.get(f)!.encoding
      const expected = /UTF-16 LE/.test(enc) ? 'utf-16le' : 'utf-8'
      expect(read(f).encoding, f).toBe(expected)
    }
  })

  it('keeps CR LF inside the OneDrive 1809 descriptions and writes them back as &#xD;&#xA;', () => {
    const policy = read('aaronlocker-OneDrive-InitialInstall-Win10v1809.xml').value as Policy
    const rule = policy.collections.flatMap((c) => c.rules).find((r) => r.description.startsWith('Product: MICROSOFT ONEDRIVE'))!
    expect(rule.description).toBe(
      'Product: MICROSOFT ONEDRIVE\r\nPublisher: O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US\r\nFile(s) found in: %OSDRIVE%\\USERS\\ABBY\\APPDATA\\LOCAL\\MICROSOFT\\ONEDRIVE\\18.143.0717.0002',
    )
    const xml = writePolicyXml(policy)
    expect(xml).toContain('Description="Product: MICROSOFT ONEDRIVE&#xD;&#xA;Publisher: O=MICROSOFT CORPORATION')
    expect(new TextDecoder('utf-16le').decode(encodePolicy(policy, 'utf-16le'))).toContain('MICROSOFT ONEDRIVE&#xD;&#xA;Publisher')
  })

  it('keeps "®" product names and ProductName=""', () => {
    const nsa = read('nsacyber-windows11-starter.xml').value as Policy
    const products = nsa.collections.flatMap((c) => c.rules).flatMap((r) => [r.condition, ...exceptionConditions(r)]).flatMap((c) => (c?.kind === 'publisher' ? [c.productName] : []))
    expect(products.some((p) => p.includes('®'))).toBe(true)
    const xml = writePolicyXml(nsa)
    for (const p of products.filter((x) => x.includes('®'))) expect(xml).toContain(`ProductName="${p}"`)

    const api = read('api0cradle-PublisherBlockRules-EXE.xml').value as Policy
    const empty = api.collections.flatMap((c) => c.rules).filter((r) => r.condition?.kind === 'publisher' && r.condition.productName === '')
    expect(empty).toHaveLength(1)
    expect(writePolicyXml(api)).toContain('ProductName=""')
    const dco = read('dcodev1702-lolbins-audit.xml').value as Policy
    expect(dco.collections.flatMap((c) => c.rules).filter((r) => r.condition?.kind === 'publisher' && r.condition.productName === '')).toHaveLength(2)
  })

  it('keeps RuleCollectionExtensions (dcodev1702) and writes them after the rules', () => {
    const policy = read('dcodev1702-lolbins-audit.xml').value as Policy
    const withExt = policy.collections.filter((c) => c.extensions)
    expect(withExt.length).toBeGreaterThan(0)
    for (const c of withExt) {
      expect(c.extensions).toMatchObject({ threshold: true, redstone: true })
      expect(c.extensions!.services?.enforcementMode).toBeTruthy()
      expect(c.extensions!.systemApps?.allow).toBeTruthy()
    }
    const xml = writePolicyXml(policy)
    const exe = xml.slice(xml.indexOf('<RuleCollection Type="Exe"'), xml.indexOf('</RuleCollection>', xml.indexOf('<RuleCollection Type="Exe"')))
    const extAt = exe.indexOf('<RuleCollectionExtensions>')
    expect(extAt).toBeGreaterThan(exe.lastIndexOf('</FilePathRule>'))
    expect(extAt).toBeGreaterThan(exe.lastIndexOf('</FilePublisherRule>'))
    expect(exe).toMatch(/<ThresholdExtensions>\s*<Services EnforcementMode="\w+" \/>\s*<\/ThresholdExtensions>\s*<RedstoneExtensions>\s*<SystemApps Allow="\w+" \/>/)
  })

  it('keeps multi-hash conditions (mhaggis: 49 hash rules, 67 hashes, 7 with several)', () => {
    const policy = read('mhaggis-applockergen-generated-policy.xml').value as Policy
    const hashRules = policy.collections.flatMap((c) => c.rules).filter((r) => r.kind === 'hash')
    expect(hashRules).toHaveLength(49)
    const counts = hashRules.map((r) => (r.condition?.kind === 'hash' ? r.condition.hashes.length : 0))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(67)
    expect(counts.filter((n) => n > 1)).toHaveLength(7)
    const xml = writePolicyXml(policy)
    expect(xml.match(/<FileHash /g)).toHaveLength(67)
  })

  it('keeps the Placeholders template elements inside <Exceptions> at their position, with warnings by line', () => {
    const r = read('aaronlocker-DefaultRulesWithPlaceholders.xml')
    const policy = r.value as Policy
    const unknown = policy.collections.flatMap((c) => c.rules.flatMap((rule) => rule.exceptions)).filter((e) => e.kind === 'unknown')
    expect(unknown.map((u) => u.name).sort()).toEqual([
      'PLACEHOLDER_PF_WRITABLEDIRS',
      'PLACEHOLDER_PF_WRITABLEDIRS',
      'PLACEHOLDER_PF_WRITABLEDIRS',
      'PLACEHOLDER_WINDIR_EXEDENYLIST',
      'PLACEHOLDER_WINDIR_WRITABLEDIRS',
      'PLACEHOLDER_WINDIR_WRITABLEDIRS',
      'PLACEHOLDER_WINDIR_WRITABLEDIRS',
    ])
    // Issue 11: a placeholder makes Windows refuse the policy, so each is an error (counted by the import dialog).
    const warnings = r.diagnostics.filter((d) => d.code === 'unknown-exception')
    expect(warnings).toHaveLength(7)
    for (const w of warnings) {
      expect(w.severity).toBe('error')
      expect(w.line).toBeGreaterThan(1)
      expect(w.ref?.rule).toBeDefined()
    }
    // The text at each reported line is the placeholder itself.
    const text = new TextDecoder('utf-16le').decode(bytesOf('aaronlocker-DefaultRulesWithPlaceholders.xml').subarray(2)).split(/\r?\n/)
    for (const w of warnings) expect(text[w.line! - 1].slice(w.column! - 1)).toMatch(/^<PLACEHOLDER_/)
    // Written back at its position inside Exceptions.
    const xml = writePolicyXml(policy)
    expect(xml).toMatch(/<Exceptions>\s*<PLACEHOLDER_PF_WRITABLEDIRS\s*\/>/)
  })
})

describe('corpus: fragments (bare RuleCollection)', () => {
  it.each(fragments)('%s wraps into a policy and round-trips', (file) => {
    const r = read(join('fragments', file))
    expect(r.source).toBe('fragment')
    expect(r.value?.collections).toHaveLength(1)
    expect(r.diagnostics.find((d) => d.code === 'fragment')?.severity).toBe('info')
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([])
    const policy = r.value as Policy
    expect(readPolicy(writePolicyXml(policy)).value).toStrictEqual(policy)
  })

  it('reads the expected collections and rule counts', () => {
    const expected: Record<string, [string, string, number]> = {
      'ukncsc-intune-exe-rulecollection.xml': ['Exe', 'Enabled', 9],
      'wdac-toolkit-test-script-rulecollection.xml': ['Script', 'Enabled', 10],
      'asd-blueprint-block-apps-local-admins-rulecollection.xml': ['Exe', 'Enabled', 13],
    }
    for (const [file, [type, mode, n]] of Object.entries(expected)) {
      const c = read(join('fragments', file)).value!.collections[0]
      expect([c.type, c.enforcementMode, c.rules.length]).toEqual([type, mode, n])
    }
  })

  it('reads ukncsc attributes written in reverse order and its ® product names', () => {
    const c = read('fragments/ukncsc-intune-exe-rulecollection.xml').value!.collections[0]
    const big = c.rules.find((r) => r.exceptions.length > 20)!
    expect(big.condition).toEqual({ kind: 'path', path: '%WINDIR%\\*' })
    expect(exceptionConditions(big).filter((e) => e.kind === 'path')).toHaveLength(17)
    expect(exceptionConditions(big).filter((e) => e.kind === 'publisher')).toHaveLength(14)
    expect(JSON.stringify(c)).toContain('MICROSOFT ® WINDOWS SCRIPT HOST')
  })
})

describe('corpus: invalid files', () => {
  it('refuses the unquoted attribute at line 890, column 260', () => {
    const r = read('invalid/nsacyber-windows10-starter-2025-03-unquoted-attribute.xml')
    expect(r.value).toBeNull()
    const e = r.diagnostics.find((d) => d.severity === 'error')!
    expect(e.code).toBe('not-well-formed')
    expect([e.line, e.column]).toEqual([890, 260])
    expect(e.message).toContain('Action')
    expect(formatDiagnostic(e)).toMatch(/^Line 890, column 260: /)
  })

  it('refuses several RuleCollection roots, and wraps them when asked', () => {
    const r = read('invalid/asd-blueprint-block-apps-local-admins-2021-multiroot.xml')
    expect(r.value).toBeNull()
    const e = r.diagnostics.find((d) => d.code === 'multiple-roots')!
    expect(e.severity).toBe('error')
    expect(e.message).toContain('several RuleCollection roots')
    expect(e.line).toBeGreaterThan(1)

    const w = read('invalid/asd-blueprint-block-apps-local-admins-2021-multiroot.xml', true)
    expect(w.source).toBe('wrapped-roots')
    const got = w.value!.collections.map((c) => `${c.type}:${c.enforcementMode}:${c.rules.length}`)
    expect(got).toEqual(['Appx:Enabled:5', 'Dll:NotConfigured:0', 'Exe:Enabled:13', 'Msi:NotConfigured:0'])
    expect(w.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([])
    // The hash exception inside the "All files" path rule survives.
    expect(w.value!.collections.flatMap((c) => c.rules).some((r) => r.exceptions.some((x) => x.kind === 'hash'))).toBe(true)
    expect(readPolicy(writePolicyXml(w.value!)).value).toStrictEqual(w.value)
  })

  it('opens the Shift-JIS file, says plainly it is not UTF-8/UTF-16 and where, then lists each bad value by line', () => {
    const r = read('invalid/esuko-support-wrong-enums-shiftjis.xml')
    expect(r.value).not.toBeNull()
    const enc = r.diagnostics.find((d) => d.code === 'invalid-encoding')!
    expect(enc.message).toMatch(/not UTF-8 or UTF-16/)
    expect(enc.line).toBeGreaterThan(0)
    expect(enc.column).toBeGreaterThan(0)
    expect(enc.message).toMatch(/byte 0x[0-9A-F]{2} at line \d+, column \d+/)
    const codes = new Set(r.diagnostics.map((d) => d.code))
    expect(codes).toContain('unknown-collection-type')
    expect(codes).toContain('invalid-enforcement-mode')
    expect(r.diagnostics.find((d) => d.code === 'unknown-collection-type')!.message).toContain('"Executable"')
    expect(r.diagnostics.find((d) => d.code === 'invalid-enforcement-mode')!.message).toContain('"Enforced"')
    const ids = r.diagnostics.filter((d) => d.code === 'invalid-rule-id')
    expect(ids).toHaveLength(23)
    expect(new Set(ids.map((d) => d.line)).size).toBe(23)
    // Invalid enum values are kept raw and written back until fixed.
    const xml = writePolicyXml(r.value!)
    expect(xml).toContain('<RuleCollection Type="Executable" EnforcementMode="Enforced">')
  })

  it('opens the group-name SID file with the rule marked at its line', () => {
    const r = read('invalid/marckean-avd-2023-07-group-name-instead-of-sid.xml')
    expect(r.value).not.toBeNull()
    const e = r.diagnostics.filter((d) => d.severity === 'error')
    expect(e).toHaveLength(1)
    expect(e[0].code).toBe('invalid-sid')
    expect(e[0].message).toContain('AVD Users')
    const text = readFileSync(join(CORPUS, 'invalid/marckean-avd-2023-07-group-name-instead-of-sid.xml'), 'utf8').split('\n')
    expect(text[e[0].line! - 1]).toContain('AVD Users')
    const rule = r.value!.collections[e[0].ref!.collection].rules[e[0].ref!.rule!]
    expect(rule.userOrGroupSid).toBe('AVD Users')
  })
})

describe('corpus: damaged copies never crash the reader', () => {
  it.each(['nsacyber-windows11-starter.xml', 'dcodev1702-lolbins-audit.xml', 'aaronlocker-DefaultRulesWithPlaceholders.xml', 'invalid/esuko-support-wrong-enums-shiftjis.xml'])('%s', (file) => {
    const bytes = bytesOf(file)
    let seed = bytes.length
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    const check = (b: Uint8Array) => {
      const r = readPolicy(b)
      expect(r.diagnostics.map((d) => d.code)).not.toContain('read-failed')
      if (r.value === null) expect(r.diagnostics.filter((d) => d.severity === 'error').every((d) => d.line !== undefined || d.code === 'empty' || d.code === 'too-large')).toBe(true)
    }
    for (let k = 0; k < 60; k++) check(bytes.subarray(0, Math.floor(rand() * bytes.length)))
    for (let k = 0; k < 60; k++) {
      const c = bytes.slice()
      for (let j = 0; j < 4; j++) c[Math.floor(rand() * c.length)] = Math.floor(rand() * 256)
      check(c)
    }
  })
})
