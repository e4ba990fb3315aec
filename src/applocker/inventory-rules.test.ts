import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compilePolicy } from './evaluate/compile'
import { decide } from './evaluate/decide'
import { DEFAULT_MACHINE } from './evaluate/types'
import { proposeRules } from './generate'
import { readInventory } from './inventory/read'
import type { InventoryFile } from './inventory/types'
import {
  addRulesWithoutDuplicates,
  additionWarnings,
  eventKindOf,
  inventoryCarriesFileIdentity,
  inventoryFacets,
  inventoryRulePath,
  proposeRulesFromInventory,
  selectInventory,
  sourceOfInventoryFile,
} from './inventory-rules'
import { emptyPolicy, findCollection, type FileHashRule, type FilePublisherRule, type Policy, type Rule } from './policy'
import { readPolicy } from './xml/read'

const SAMPLES = new URL('./__fixtures__/samples/', import.meta.url)
const BOB = 'S-1-5-21-1111111111-2222222222-3333333333-1001'
const ALICE = 'S-1-5-21-1111111111-2222222222-3333333333-1002'
const CONTOSO = 'O=CONTOSO LTD, L=SEATTLE, S=WASHINGTON, C=US'

function events(): InventoryFile[] {
  const r = readInventory(readFileSync(new URL('audited-events.xml', SAMPLES)))
  expect(r.value).not.toBeNull()
  return r.value!
}

function auditPolicy(): Policy {
  const r = readPolicy(readFileSync(new URL('audit-only-defaults.xml', SAMPLES)))
  expect(r.value).not.toBeNull()
  return r.value!
}

const base = { sid: 'S-1-1-0', preference: 'publisher' as const, groupSimilar: true }

describe('choosing events', () => {
  it('knows the audited, blocked and allowed event IDs of every collection', () => {
    expect([8003, 8006, 8021, 8024].map(eventKindOf)).toEqual(['audited', 'audited', 'audited', 'audited'])
    expect([8004, 8007, 8022, 8025].map(eventKindOf)).toEqual(['blocked', 'blocked', 'blocked', 'blocked'])
    expect([8002, 8005, 8020, 8023].map(eventKindOf)).toEqual(['allowed', 'allowed', 'allowed', 'allowed'])
    expect(eventKindOf(8027)).toBeNull()
  })

  it('selects by event kind (audited by default), collection and user', () => {
    const rows = events()
    const paths = (ix: number[]) => ix.map((i) => rows[i].path)
    const audited = selectInventory(rows)
    expect(audited).toHaveLength(9)
    expect(paths(audited)).not.toContain('C:\\Users\\bob\\Downloads\\miner.exe')
    expect(paths(selectInventory(rows, { events: ['blocked'] }))).toEqual(['C:\\Users\\bob\\Downloads\\miner.exe'])
    expect(paths(selectInventory(rows, { events: ['audited'], collections: ['Script', 'Msi'] }))).toEqual([
      'C:\\Users\\bob\\Desktop\\cleanup.ps1',
      'C:\\Users\\alice\\Downloads\\FabrikamViewer.msi',
    ])
    expect(paths(selectInventory(rows, { events: ['audited', 'blocked'], users: [ALICE.toLowerCase()] }))).toEqual([
      'C:\\Users\\alice\\Downloads\\FabrikamViewer.msi',
      'C:\\Users\\alice\\Tools\\ReportGen.exe',
      'C:\\Users\\alice\\Tools\\portable.exe',
    ])
  })

  it('keeps every entry of an inventory that is not events', () => {
    const rows: InventoryFile[] = [{ path: 'C:\\a.exe', hash: '0x' + 'A'.repeat(64) }, { path: 'C:\\b.ps1' }]
    expect(selectInventory(rows, { events: ['blocked'] })).toEqual([0, 1])
    expect(inventoryCarriesFileIdentity(rows)).toBe(true)
    expect(inventoryCarriesFileIdentity([{ path: 'C:\\b.ps1' }])).toBe(false)
  })

  it('counts what can be chosen', () => {
    const f = inventoryFacets(events())
    expect(f.events).toEqual({ audited: 9, blocked: 1, allowed: 2 })
    expect(f.collections).toEqual({ Exe: 8, Script: 2, Msi: 1, Appx: 1 })
    expect(f.users.map((u) => [u.sid, u.count])).toEqual([
      [BOB, 8],
      [ALICE, 4],
    ])
    expect(f.usable).toBe(11)
  })
})

describe('rules from events (New-AppLockerPolicy -RuleType Publisher,Hash -Optimize)', () => {
  it('proposes publisher rules for signed files, hash rules otherwise, and lists events with neither', () => {
    const p = proposeRulesFromInventory(events(), { events: ['audited'] }, base)
    // SetupTool.exe was logged twice: one file.
    expect(p.selected).toHaveLength(9)
    expect(p.distinct).toBe(8)
    expect(p.rules.map((r) => [r.collection, r.rule.kind, r.rule.name])).toEqual([
      ['Exe', 'publisher', `CONTOSO SYNC signed by ${CONTOSO}`],
      ['Exe', 'hash', 'SetupTool.exe'],
      ['Exe', 'publisher', 'FABRIKAM REPORTS signed by O=FABRIKAM, INC., L=AUSTIN, S=TEXAS, C=US'],
      ['Msi', 'hash', 'FabrikamViewer.msi'],
      ['Script', 'hash', 'cleanup.ps1'],
      ['Appx', 'publisher', 'CONTOSO.NOTESAPP, from CONTOSO LTD'],
    ])
    const hash = p.rules[1].rule as FileHashRule
    // Events do not give the file's size: SourceFileLength is left out (it is optional and informational).
    expect(hash.condition!.hashes).toEqual([{ type: 'SHA256', data: '0x3A5E0C1F9B7D2E4A6C8B0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A', sourceFileName: 'SetupTool.exe' }])
    expect(p.notes.filter((n) => n.severity === 'error')).toEqual([
      // Its event recorded neither: unknown rather than unsigned (reference/applocker-deep.md 8.3).
      { path: 'C:\\Users\\alice\\Tools\\portable.exe', severity: 'error', message: 'Neither a hash nor a signer in event 8003 (Windows did not record them): no rule (a path rule can be made on request).' },
    ])
    expect(p.notes.filter((n) => n.severity === 'info').map((n) => n.message)).toContain('No publisher (event 8003 names no signer): a file hash rule is proposed instead.')
  })

  it('offers the publisher levels of the wizard: publisher, product, file name, file name and this version and above', () => {
    const sel = { events: ['audited' as const], collections: ['Exe' as const] }
    const at = (publisherLevel: 'publisher' | 'product' | 'file' | 'version', groupSimilar = true) =>
      proposeRulesFromInventory(events(), sel, { ...base, ruleTypes: ['publisher'], publisherLevel, groupSimilar })
        .rules.map((r) => (r.rule as FilePublisherRule).condition!)
        .filter((c) => c.publisherName === CONTOSO)
        .map((c) => [c.productName, c.binaryName, c.versionRange!.low, c.versionRange!.high])
    expect(at('publisher')).toEqual([['*', '*', '*', '*']])
    // Grouped (-Optimize): the lowest version's first two parts + ".0.0" and above; the slider's product level: any version.
    expect(at('product')).toEqual([['CONTOSO SYNC', '*', '4.2.0.0', '*']])
    expect(at('product', false)).toEqual([['CONTOSO SYNC', '*', '*', '*']])
    expect(at('file')).toEqual([
      ['CONTOSO SYNC', 'CONTOSOSYNC.EXE', '*', '*'],
      ['CONTOSO SYNC', 'SYNCUPDATER.EXE', '*', '*'],
    ])
    expect(at('version')).toEqual([
      ['CONTOSO SYNC', 'CONTOSOSYNC.EXE', '4.2.0.0', '*'],
      ['CONTOSO SYNC', 'SYNCUPDATER.EXE', '4.2.1.0', '*'],
    ])
  })

  it('follows -RuleType: publisher only leaves unsigned files out; path only on request', () => {
    const rows = events()
    const publisherOnly = proposeRulesFromInventory(rows, {}, { ...base, ruleTypes: ['publisher'] })
    expect(publisherOnly.rules.every((r) => r.rule.kind === 'publisher')).toBe(true)
    expect(publisherOnly.notes.find((n) => n.path.endsWith('SetupTool.exe'))?.message).toBe('No publisher (event 8003 names no signer): no rule (allow file hash rules to cover unsigned files).')
    const withPath = proposeRulesFromInventory(rows, {}, { ...base, groupSimilar: false, ruleTypes: ['publisher', 'hash', 'path'] })
    const portable = withPath.rules.find((r) => r.files.includes('C:\\Users\\alice\\Tools\\portable.exe'))
    expect(portable?.rule.kind).toBe('path')
    // The event's FilePath, as Windows wrote it (AppLocker's variables, as the wizard writes paths).
    expect(portable?.rule.condition).toEqual({ kind: 'path', path: '%OSDRIVE%\\USERS\\ALICE\\TOOLS\\PORTABLE.EXE' })
    const hashOnly = proposeRulesFromInventory(rows, { collections: ['Exe'] }, { ...base, ruleTypes: ['hash'] })
    expect(hashOnly.rules.map((r) => r.rule.kind)).toEqual(['hash'])
    expect((hashOnly.rules[0].rule as FileHashRule).condition!.hashes).toHaveLength(4)
  })

  it('reads a hash that is not SHA256 as no hash', () => {
    const s = sourceOfInventoryFile({ path: 'C:\\x.exe', hash: '0x' + 'AB'.repeat(20) })
    expect(s.hash).toBeNull()
    expect(s.noHashMessage).toMatch(/is not a SHA256 hash/)
    expect(sourceOfInventoryFile({ path: 'C:\\x.txt', hash: '0x' + 'AB'.repeat(32) }).problem?.message).toMatch(/No AppLocker rule collection/)
  })

  it('makes the same rules as "Automatically Generate Rules..." for the same facts', () => {
    const pub = { name: CONTOSO, product: 'CONTOSO SYNC', binary: 'CONTOSOSYNC.EXE', version: '4.2.0.0' }
    const fromInventory = proposeRulesFromInventory([{ path: 'C:\\Apps\\ContosoSync.exe', publisher: pub, hash: '0x' + 'A1'.repeat(32) }], {}, { ...base, groupSimilar: false })
    const fromFile = proposeRules(
      [{ path: 'C:\\Apps\\ContosoSync.exe', size: 10, kind: 'pe', pe: { dll: false, pe32plus: true, machine: 0x8664 }, hash: '0x' + 'A1'.repeat(32), hashKind: 'authenticode', publisher: pub, warnings: [] }],
      { ...base, groupSimilar: false },
    )
    expect(fromInventory.rules.map((r) => r.rule.condition)).toEqual(fromFile.rules.map((r) => r.rule.condition))
  })
})

describe('adding to the open policy', () => {
  it('closes the loop: every file that got a rule is allowed, and nothing allowed before changes', () => {
    const rows = events()
    const before = auditPolicy()
    const proposal = proposeRulesFromInventory(rows, { events: ['audited'] }, { ...base, existing: before })
    const { policy: after, added, skipped } = addRulesWithoutDuplicates(before, proposal.rules)
    expect(added).toHaveLength(6)
    expect(skipped).toHaveLength(0)
    const cBefore = compilePolicy(before, DEFAULT_MACHINE)
    const cAfter = compilePolicy(after, DEFAULT_MACHINE)
    const covered = new Set(proposal.rules.flatMap((r) => r.files))
    for (const row of rows) {
      const principal = { user: row.user ?? undefined, groups: ['S-1-5-32-545'] }
      const b = decide(cBefore, row, principal)
      const a = decide(cAfter, row, principal)
      if (b.decision === 'Allowed' || b.decision === 'AllowedByDefault') expect([a.decision, a.matchingRuleId, a.effect], row.path).toEqual([b.decision, b.matchingRuleId, b.effect])
      if (covered.has(row.path)) expect([a.decision, a.effect], row.path).toEqual(['Allowed', 'runs'])
    }
    // Not covered: the file with neither hash nor signer, and the blocked event that was not chosen.
    expect(rows.filter((r) => !covered.has(r.path) && r.event?.id !== 8002 && r.event?.id !== 8005).map((r) => r.path)).toEqual([
      'C:\\Users\\alice\\Tools\\portable.exe',
      'C:\\Users\\bob\\Downloads\\miner.exe',
    ])
  })

  it('does not duplicate rules already in the policy (by content, whatever their Id and name)', () => {
    const rows = events()
    const first = proposeRulesFromInventory(rows, {}, base)
    const once = addRulesWithoutDuplicates(auditPolicy(), first.rules).policy
    const again = proposeRulesFromInventory(rows, {}, { ...base, existing: once })
    expect(again.rules.every((r) => r.existing)).toBe(true)
    const twice = addRulesWithoutDuplicates(once, again.rules)
    expect(twice.added).toHaveLength(0)
    expect(twice.skipped).toHaveLength(6)
    expect(twice.policy).toBe(once)
  })

  it('leaves out hashes a hash rule for the same user already carries', () => {
    const rows: InventoryFile[] = [
      { path: 'C:\\t\\a.exe', hash: '0x' + 'A'.repeat(64) },
      { path: 'C:\\t\\b.exe', hash: '0x' + 'B'.repeat(64) },
    ]
    const withA = addRulesWithoutDuplicates(emptyPolicy(), proposeRulesFromInventory(rows.slice(0, 1), {}, base).rules).policy
    const p = proposeRulesFromInventory(rows, {}, { ...base, existing: withA })
    expect(p.rules).toHaveLength(1)
    expect(p.rules[0].existing).toBeUndefined()
    expect(p.rules[0].rule.name).toBe('b.exe')
    expect((p.rules[0].rule as FileHashRule).condition!.hashes.map((h) => h.sourceFileName)).toEqual(['b.exe'])
    expect(p.rules[0].files).toEqual(['C:\\t\\b.exe'])
    // For another user the hash is not yet allowed.
    expect(proposeRulesFromInventory(rows, {}, { ...base, sid: BOB, existing: withA }).rules[0].rule.condition).toMatchObject({ hashes: [{}, {}] })
    // The trimmed rule keeps the name prefix, and is named by its distinct files.
    const named = proposeRulesFromInventory([...rows, { path: 'D:\\other\\B.EXE', hash: '0x' + 'C'.repeat(64) }], {}, { ...base, namePrefix: 'Audit 2024', existing: withA })
    expect(named.rules.map((r) => r.rule.name)).toEqual(['Audit 2024: b.exe'])
    expect((named.rules[0].rule as FileHashRule).condition!.hashes.map((h) => h.sourceFileName)).toEqual(['b.exe', 'B.EXE'])
  })

  it('warns when a collection gets its first rules (it is then enforced even as Not configured)', () => {
    const rows: InventoryFile[] = [{ path: 'C:\\t\\a.dll', hash: '0x' + 'A'.repeat(64) }]
    const p = proposeRulesFromInventory(rows, {}, base)
    expect(additionWarnings(emptyPolicy(), p.rules)).toEqual([expect.stringMatching(/^The DLL rule collection has no rules yet/)])
    expect(additionWarnings(auditPolicy(), proposeRulesFromInventory(events(), {}, base).rules)).toEqual([])
    const r = addRulesWithoutDuplicates(emptyPolicy(), p.rules)
    expect(r.newCollections).toEqual(['Dll'])
    expect(findCollection(r.policy, 'Dll')?.rules).toHaveLength(1)
  })
})

/** An AppLocker file event as wevtutil writes it; no FullFilePath unless given. */
function fileEvent(id: number, o: { filePath: string; fullFilePath?: string; hash?: string; fqbn?: string }): string {
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-AppLocker'/><EventID>${id}</EventID><Computer>PC-1</Computer></System>` +
    `<UserData><RuleAndFileData><PolicyName>EXE</PolicyName><RuleId>{00000000-0000-0000-0000-000000000000}</RuleId><RuleName>-</RuleName><TargetUser>${BOB}</TargetUser>` +
    `<FilePath>${o.filePath}</FilePath><FileHash>${o.hash ?? ''}</FileHash><Fqbn>${o.fqbn ?? '-'}</Fqbn>` +
    (o.fullFilePath ? `<FullFilePath>${o.fullFilePath}</FullFilePath>` : '') +
    `</RuleAndFileData></UserData></Event>`
  )
}

const readEvents = (...events: string[]) => readInventory(`<Events>${events.join('')}</Events>`).value!
const rulePaths = (p: { rules: { rule: Rule }[] }) => p.rules.map((r) => (r.rule.kind === 'path' ? r.rule.condition!.path : r.rule.kind))

describe('path rules keep AppLocker path variables (reference/applocker-deep.md 4.1, 8.3)', () => {
  const pathOnly = { ...base, groupSimilar: false, ruleTypes: ['path' as const] }

  it("an event's FilePath as Windows wrote it: %PROGRAMFILES% is both Program Files folders, %SYSTEM32% System32 and SysWOW64, %HOT% any USB drive", () => {
    const rows = readEvents(
      fileEvent(8003, { filePath: '%PROGRAMFILES%\\VENDOR\\APP.EXE' }),
      fileEvent(8003, { filePath: '%HOT%\\TOOLS\\X.EXE' }),
      fileEvent(8003, { filePath: '%SYSTEM32%\\X.EXE' }),
      // With FullFilePath too: the rule still takes the variable form.
      fileEvent(8003, { filePath: '%OSDRIVE%\\USERS\\BOB\\Y.EXE', fullFilePath: 'C:\\Users\\bob\\y.exe' }),
    )
    // The simulation decides on the real path of the simulated machine.
    expect(rows.map((r) => r.path)).toEqual(['C:\\PROGRAM FILES\\VENDOR\\APP.EXE', 'E:\\TOOLS\\X.EXE', 'C:\\WINDOWS\\SYSTEM32\\X.EXE', 'C:\\Users\\bob\\y.exe'])
    expect(rows.map(inventoryRulePath)).toEqual(['%PROGRAMFILES%\\VENDOR\\APP.EXE', '%HOT%\\TOOLS\\X.EXE', '%SYSTEM32%\\X.EXE', '%OSDRIVE%\\USERS\\BOB\\Y.EXE'])
    expect(rulePaths(proposeRulesFromInventory(rows, {}, pathOnly))).toEqual(['%PROGRAMFILES%\\VENDOR\\APP.EXE', '%HOT%\\TOOLS\\X.EXE', '%SYSTEM32%\\X.EXE', '%OSDRIVE%\\USERS\\BOB\\Y.EXE'])
    // Grouped by folder, the folder keeps its variable.
    const grouped = readEvents(fileEvent(8003, { filePath: '%PROGRAMFILES%\\VENDOR\\A.EXE' }), fileEvent(8003, { filePath: '%PROGRAMFILES%\\VENDOR\\B.EXE' }))
    expect(rulePaths(proposeRulesFromInventory(grouped, {}, { ...pathOnly, groupSimilar: true }))).toEqual(['%PROGRAMFILES%\\VENDOR\\*'])
  })

  it('so the rule covers the file wherever the variable points: Program Files (x86), SysWOW64, another USB drive letter', () => {
    const rows = readEvents(fileEvent(8003, { filePath: '%PROGRAMFILES%\\VENDOR\\APP.EXE' }), fileEvent(8003, { filePath: '%SYSTEM32%\\X.EXE' }), fileEvent(8003, { filePath: '%HOT%\\TOOLS\\X.EXE' }))
    const policy = addRulesWithoutDuplicates(emptyPolicy(), proposeRulesFromInventory(rows, {}, pathOnly).rules).policy
    const compiled = compilePolicy(policy, { ...DEFAULT_MACHINE, hotDrives: ['E:', 'F:'] })
    const principal = { user: BOB, groups: [] }
    for (const path of ['C:\\Program Files (x86)\\Vendor\\app.exe', 'C:\\Windows\\SysWOW64\\x.exe', 'F:\\Tools\\x.exe']) {
      expect(decide(compiled, { path }, principal).decision, path).toBe('Allowed')
    }
  })

  it('a full path only (CSV, FILES.json, an event without FilePath) is turned back into its variable form, as the wizard does', () => {
    const rows: InventoryFile[] = [
      { path: 'C:\\Program Files (x86)\\App\\a.exe' },
      { path: 'C:\\Windows\\SysWOW64\\b.exe' },
      { path: 'C:\\Windows\\Temp\\c.exe' },
      { path: 'C:/Users/bob/d.exe' },
      { path: 'E:\\Tools\\e.exe' },
      { path: '\\\\server\\share\\f.exe' },
      { path: '%OSDRIVE%\\G.EXE' },
    ]
    expect(rows.map(inventoryRulePath)).toEqual([
      '%PROGRAMFILES%\\App\\a.exe',
      '%SYSTEM32%\\b.exe',
      '%WINDIR%\\Temp\\c.exe',
      '%OSDRIVE%\\Users\\bob\\d.exe',
      // Another drive (its letter is no variable: %HOT% and %REMOVABLE% differ per machine) and shares stay as they are.
      'E:\\Tools\\e.exe',
      '\\\\server\\share\\f.exe',
      '%OSDRIVE%\\G.EXE',
    ])
    expect(rulePaths(proposeRulesFromInventory(rows.slice(0, 2), {}, pathOnly))).toEqual(['%PROGRAMFILES%\\App\\a.exe', '%SYSTEM32%\\b.exe'])
    // A pathFor given by the caller still wins.
    expect(rulePaths(proposeRulesFromInventory(rows.slice(0, 1), {}, { ...pathOnly, pathFor: (s) => `X:\\${s.path.slice(3)}` }))).toEqual(['X:\\Program Files (x86)\\App\\a.exe'])
  })
})

describe('events in which Windows did not record the signer or hash (blocked files)', () => {
  const MS = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'
  const FQBN = `${MS}\\MICROSOFT® WINDOWS® OPERATING SYSTEM\\WHOAMI.EXE\\10.0.26100.1882`
  const file = { filePath: '%OSDRIVE%\\USERS\\PUBLIC\\TEST8003.EXE', fullFilePath: 'C:\\Users\\Public\\test8003.exe' }

  it('says the signer and hash were not recorded, rather than that the file is unsigned', () => {
    const rows = readEvents(fileEvent(8004, file))
    const p = proposeRulesFromInventory(rows, { events: ['blocked'] }, base)
    expect(p.notes).toEqual([
      { path: 'C:\\Users\\Public\\test8003.exe', severity: 'error', message: 'Neither a hash nor a signer in event 8004 (Windows did not record them, as for every blocked file): no rule (a path rule can be made on request).' },
    ])
    const publisherOnly = proposeRulesFromInventory(rows, { events: ['blocked'] }, { ...base, ruleTypes: ['publisher'] })
    expect(publisherOnly.notes[0].message).toBe('No publisher (Windows did not record the signer in event 8004, as for every blocked file): no rule (allow file hash rules to cover unsigned files).')
    const withPath = proposeRulesFromInventory(rows, { events: ['blocked'] }, { ...base, ruleTypes: ['publisher', 'hash', 'path'] })
    expect(rulePaths(withPath)).toEqual(['%OSDRIVE%\\USERS\\PUBLIC\\TEST8003.EXE'])
    expect(withPath.notes[0].message).toBe('No publisher (Windows did not record the signer in event 8004, as for every blocked file) and no hash: a path rule is proposed instead.')
  })

  it('proposes the publisher rule its 8003 gives when the same file has one', () => {
    const rows = readEvents(fileEvent(8003, { ...file, hash: 'AB'.repeat(32), fqbn: FQBN }), fileEvent(8004, file))
    const p = proposeRulesFromInventory(rows, { events: ['blocked'] }, base)
    expect(p.notes).toEqual([])
    expect(p.rules.map((r) => [r.rule.kind, r.rule.name])).toEqual([['publisher', `MICROSOFT® WINDOWS® OPERATING SYSTEM signed by ${MS}`]])
    expect((p.rules[0].rule as FilePublisherRule).condition!.versionRange).toEqual({ low: '10.0.0.0', high: '*' })
    // Both events are one file.
    expect(proposeRulesFromInventory(rows, { events: ['audited', 'blocked'] }, base).distinct).toBe(1)
  })
})
