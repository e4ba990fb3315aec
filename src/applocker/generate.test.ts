import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePeFixtures, readFixture } from '../testing/pe-fixtures'
import { getFileInformation, type FileInfo } from './fileinfo/fileinfo'
import {
  collectionFor,
  conditionFromFile,
  describeCondition,
  fitRuleName,
  groupedPublisherLow,
  hashRuleName,
  packageIdentityCondition,
  proposeRules,
  ruleVersion,
  type ProposeOptions,
} from './generate'
import { addRule, addRules } from './ops'
import { emptyPolicy, findCollection, type FileHashRule, type FilePathRule, type FilePublisherRule } from './policy'
import { validatePolicy } from './validate'

const PUB = 'O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US'
const H = (c: string) => '0x' + c.repeat(64)

function pe(path: string, hash: string, publisher: FileInfo['publisher'], dll = false, size = 1000): FileInfo {
  return { path, size, kind: 'pe', pe: { dll, pe32plus: true, machine: 0x8664 }, hash, hashKind: 'authenticode', publisher, warnings: [] }
}
function flat(path: string, kind: FileInfo['kind'], hash: string | null, size = 10): FileInfo {
  return { path, size, kind, hash, hashKind: hash ? 'flat' : null, publisher: null, warnings: [] }
}
const signed = (binary: string, version: string, product = 'CONTOSO APP') => ({ name: PUB, product, binary, version })

const base: ProposeOptions = { sid: 'S-1-1-0', preference: 'publisher', groupSimilar: false }

describe('collectionFor', () => {
  it('puts files in the collection that controls them', () => {
    expect(collectionFor(pe('a.exe', H('A'), null))).toBe('Exe')
    expect(collectionFor(pe('a.dll', H('A'), null, true))).toBe('Dll')
    // By content: a DLL named .exe is still a library; a program named .ocx still a program.
    expect(collectionFor(pe('odd.exe', H('A'), null, true))).toBe('Dll')
    expect(collectionFor(pe('odd.ocx', H('A'), null, false))).toBe('Exe')
    expect(collectionFor(flat('setup.msi', 'msi', H('B')))).toBe('Msi')
    for (const s of ['a.ps1', 'b.BAT', 'c.cmd', 'd.vbs', 'e.js']) expect(collectionFor(flat(s, 'script', H('C')))).toBe('Script')
    expect(collectionFor(flat('mod.psm1', 'script', H('C')))).toBeNull()
    expect(collectionFor(flat('readme.txt', 'other', H('C')))).toBeNull()
    expect(collectionFor({ ...flat('app.msix', 'package', H('D')) })).toBe('Appx')
  })
})

describe('proposeRules: publisher where signed, hash otherwise', () => {
  const files = [
    pe('bin/app.exe', H('1'), signed('APP.EXE', '2.0.0.0')),
    pe('bin/app-old.exe', H('2'), signed('APP.EXE', '1.5.0.0')),
    pe('bin/helper.exe', H('3'), signed('HELPER.EXE', '2.0.0.0')),
    pe('bin/tool.exe', H('4'), null),
    pe('bin/core.dll', H('5'), signed('CORE.DLL', '2.0.0.0'), true),
    flat('bin/run.ps1', 'script', H('6')),
    flat('bin/readme.txt', 'other', H('7')),
    flat('bin/empty.exe', 'empty', null, 0),
  ]

  it('without grouping: one publisher rule per file name, "and above" its lowest version; hash rules per unsigned file', () => {
    const { rules, notes } = proposeRules(files, base)
    const summary = rules.map((r) => [r.collection, r.rule.kind, r.rule.name])
    expect(summary).toEqual([
      ['Exe', 'publisher', `APP.EXE, version 1.5.0.0 and above, in CONTOSO APP, from ${PUB}`],
      ['Exe', 'publisher', `HELPER.EXE, version 2.0.0.0 and above, in CONTOSO APP, from ${PUB}`],
      ['Exe', 'hash', 'tool.exe'],
      ['Script', 'hash', 'run.ps1'],
      ['Dll', 'publisher', `CORE.DLL, version 2.0.0.0 and above, in CONTOSO APP, from ${PUB}`],
    ])
    const app = rules[0].rule as FilePublisherRule
    expect(app.condition).toEqual({ kind: 'publisher', publisherName: PUB, productName: 'CONTOSO APP', binaryName: 'APP.EXE', versionRange: { low: '1.5.0.0', high: '*' } })
    expect(rules[0].files).toEqual(['bin/app.exe', 'bin/app-old.exe'])
    const tool = rules[2].rule as FileHashRule
    expect(tool.condition?.hashes).toEqual([{ type: 'SHA256', data: H('4'), sourceFileName: 'tool.exe', sourceFileLength: '1000' }])
    for (const r of rules) {
      expect(r.rule.userOrGroupSid).toBe('S-1-1-0')
      expect(r.rule.action).toBe('Allow')
      expect(r.rule.id).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(new Set(rules.map((r) => r.rule.id)).size).toBe(rules.length)
    expect(notes).toEqual([
      { path: 'bin/tool.exe', severity: 'info', message: expect.stringContaining('not signed') },
      { path: 'bin/run.ps1', severity: 'info', message: expect.stringContaining('file hash rule') },
      { path: 'bin/readme.txt', severity: 'error', message: expect.stringContaining('No AppLocker rule collection') },
      { path: 'bin/empty.exe', severity: 'error', message: expect.stringContaining('empty') },
    ])
  })

  it('grouping similar files: one rule per publisher + product, one hash rule per collection', () => {
    const more = [...files, pe('bin/tool2.exe', H('8'), null, false, 2048), pe('bin/tool-copy.exe', H('4'), null)]
    const { rules } = proposeRules(more, { ...base, groupSimilar: true })
    expect(rules.map((r) => [r.collection, r.rule.name])).toEqual([
      ['Exe', `CONTOSO APP signed by ${PUB}`],
      ['Exe', 'tool.exe, tool2.exe'],
      ['Script', 'run.ps1'],
      ['Dll', `CONTOSO APP signed by ${PUB}`],
    ])
    // The lowest version seen (1.5.0.0, app-old.exe), its first two parts and above.
    expect((rules[0].rule as FilePublisherRule).condition).toEqual({ kind: 'publisher', publisherName: PUB, productName: 'CONTOSO APP', binaryName: '*', versionRange: { low: '1.5.0.0', high: '*' } })
    expect(rules[0].files).toHaveLength(3)
    // The copy with an equal hash adds no second FileHash.
    const h = (rules[1].rule as FileHashRule).condition!.hashes
    expect(h.map((x) => [x.data, x.sourceFileName, x.sourceFileLength])).toEqual([
      [H('4'), 'tool.exe', '1000'],
      [H('8'), 'tool2.exe', '2048'],
    ])
    expect(rules[1].files).toEqual(['bin/tool.exe', 'bin/tool2.exe', 'bin/tool-copy.exe'])
  })

  it('a signature that is present but not accepted falls back to a hash rule and says why', () => {
    const f: FileInfo = { ...pe('x.exe', H('9'), null), signature: { publisherName: PUB, signerSubject: 'CN=X', digestAlgorithm: 'SHA256', digestMatches: false, signatureValid: true } }
    const { rules, notes } = proposeRules([f], base)
    expect(rules.map((r) => r.rule.kind)).toEqual(['hash'])
    expect(notes[0].message).toContain('signature is not accepted')
  })

  it('an installer hash rule carries the flat hash and the alternative SIP digest', () => {
    const msi: FileInfo = { ...flat('setup.msi', 'msi', H('A'), 4096), alternativeHashes: [H('B')] }
    const { rules } = proposeRules([msi], base)
    expect(rules[0].collection).toBe('Msi')
    expect((rules[0].rule as FileHashRule).condition!.hashes.map((h) => h.data)).toEqual([H('A'), H('B')])
  })

  it('a hash rule is named by its distinct files: an installer once, not once per FileHash entry', () => {
    const msi = (path: string, a: string, b: string): FileInfo => ({ ...flat(path, 'msi', H(a), 4096), alternativeHashes: [H(b)] })
    expect(proposeRules([msi('setup.msi', 'A', 'B')], base).rules[0].rule.name).toBe('setup.msi')
    const two = proposeRules([msi('a.msi', 'A', 'B'), msi('b.msi', 'C', 'D')], { ...base, preference: 'hash', groupSimilar: true })
    expect(two.rules.map((r) => r.rule.name)).toEqual(['a.msi, b.msi'])
    expect((two.rules[0].rule as FileHashRule).condition!.hashes).toHaveLength(4)
    // Two files of one name in two folders: the name once; more than three names cut with "...".
    expect(proposeRules([pe('x/a.exe', H('1'), null), pe('y/A.EXE', H('2'), null)], { ...base, preference: 'hash', groupSimilar: true }).rules[0].rule.name).toBe('a.exe')
    const four = ['a', 'b', 'c', 'd'].map((n, i) => pe(`${n}.exe`, H(String(i + 1)), null))
    expect(proposeRules(four, { ...base, preference: 'hash', groupSimilar: true }).rules[0].rule.name).toBe('a.exe, b.exe, c.exe...')
    expect(hashRuleName({ kind: 'hash', hashes: [{ type: 'SHA256', data: H('A') }, { type: 'SHA256', data: H('A') }] })).toBe(H('A'))
  })
})

describe('proposeRules: packaged apps', () => {
  const pkg = (signedPkg: boolean): FileInfo => ({
    ...flat('Contoso.App_1.2.3.0.msix', 'package', H('C'), 5000),
    package: { publisher: 'CN=Contoso, O=Contoso, C=US', name: 'Contoso.App', version: '1.2.3.0' },
    publisher: signedPkg ? { name: 'CN=Contoso, O=Contoso, C=US', product: 'Contoso.App', binary: 'APPX', version: '1.2.3.0' } : null,
  })
  it.each(['publisher', 'hash', 'path'] as const)('always publisher rules, at package-name level when grouping (preference %s)', (preference) => {
    const { rules } = proposeRules([pkg(true)], { ...base, preference, groupSimilar: true })
    expect(rules).toHaveLength(1)
    expect(rules[0].collection).toBe('Appx')
    expect(rules[0].rule.name).toBe('Contoso.App, from Contoso')
    expect((rules[0].rule as FilePublisherRule).condition).toMatchObject({ productName: 'Contoso.App', binaryName: '*', versionRange: { low: '*', high: '*' } })
  })
  it('at version level (the default without grouping) the package version and above, the lowest seen', () => {
    const older: FileInfo = { ...pkg(true), path: 'Contoso.App_1.0.5.0.msix', publisher: { ...pkg(true).publisher!, version: '1.0.5.0' } }
    for (const options of [base, { ...base, groupSimilar: true, publisherLevel: 'version' as const }]) {
      const { rules } = proposeRules([pkg(true), older], options)
      expect(rules.map((r) => r.rule.name)).toEqual(['Contoso.App, version 1.0.5.0 and above, from Contoso'])
      expect((rules[0].rule as FilePublisherRule).condition).toEqual({ kind: 'publisher', publisherName: 'CN=Contoso, O=Contoso, C=US', productName: 'Contoso.App', binaryName: '*', versionRange: { low: '1.0.5.0', high: '*' } })
      expect(rules[0].files).toEqual(['Contoso.App_1.2.3.0.msix', 'Contoso.App_1.0.5.0.msix'])
    }
    // File name level has no meaning for a package: package name, any version.
    expect((proposeRules([pkg(true)], { ...base, publisherLevel: 'file' }).rules[0].rule as FilePublisherRule).condition!.versionRange).toEqual({ low: '*', high: '*' })
  })
  it('an unsigned package gets no rule, reported', () => {
    const { rules, notes } = proposeRules([pkg(false)], base)
    expect(rules).toEqual([])
    expect(notes[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('not signed') })
  })
})

describe('proposeRules: hash and path preferences', () => {
  const files = [pe('App/app.exe', H('1'), signed('APP.EXE', '1.0.0.0')), pe('App/sub/x.exe', H('2'), null), pe('App/y.exe', H('3'), null), flat('App/go.cmd', 'script', H('4')), flat('App/empty.bat', 'empty', null, 0)]

  it('hash: signed files get hash rules too', () => {
    const { rules } = proposeRules(files, { ...base, preference: 'hash' })
    expect(rules.map((r) => [r.collection, r.rule.kind, r.rule.name])).toEqual([
      ['Exe', 'hash', 'app.exe'],
      ['Exe', 'hash', 'x.exe'],
      ['Exe', 'hash', 'y.exe'],
      ['Script', 'hash', 'go.cmd'],
    ])
  })

  it('path: one rule per file, or one per folder when grouping; an empty file can still get a path rule', () => {
    const pathFor = (i: FileInfo) => `%PROGRAMFILES%\\${i.path.replace(/\//g, '\\')}`
    const single = proposeRules(files, { ...base, preference: 'path', pathFor })
    expect(single.rules.map((r) => (r.rule as FilePathRule).condition!.path)).toEqual([
      '%PROGRAMFILES%\\App\\app.exe',
      '%PROGRAMFILES%\\App\\sub\\x.exe',
      '%PROGRAMFILES%\\App\\y.exe',
      '%PROGRAMFILES%\\App\\go.cmd',
      '%PROGRAMFILES%\\App\\empty.bat',
    ])
    expect(single.rules[0].rule.name).toBe('%PROGRAMFILES%\\App\\app.exe')
    const grouped = proposeRules(files, { ...base, preference: 'path', pathFor, groupSimilar: true })
    // App\sub\x.exe is covered by App\* (a folder\* rule covers every subfolder): folded in, not proposed.
    expect(grouped.rules.map((r) => [r.collection, (r.rule as FilePathRule).condition!.path])).toEqual([
      ['Exe', '%PROGRAMFILES%\\App\\*'],
      ['Script', '%PROGRAMFILES%\\App\\*'],
    ])
    expect(grouped.rules[0].files).toEqual(['App/app.exe', 'App/y.exe', 'App/sub/x.exe'])
  })

  it('default path is the file path with backslashes', () => {
    const { rules } = proposeRules([files[1]], { ...base, preference: 'path' })
    expect((rules[0].rule as FilePathRule).condition!.path).toBe('App\\sub\\x.exe')
  })
})

describe('flags proposals the policy already has, and adds the chosen ones', () => {
  it('marks an existing equivalent rule and applies into the right collections', () => {
    const files = [pe('a.exe', H('1'), null), flat('b.ps1', 'script', H('2'))]
    const first = proposeRules(files, { ...base, sid: 'S-1-5-32-545' })
    expect(first.rules.every((r) => !r.existing)).toBe(true)
    let policy = addRule(emptyPolicy(), 'Exe', first.rules[0].rule)
    const again = proposeRules(files, { ...base, sid: 'S-1-5-32-545', existing: policy })
    expect(again.rules.map((r) => !!r.existing)).toEqual([true, false])
    policy = addRules(policy, [again.rules[1]])
    expect(findCollection(policy, 'Exe')!.rules).toHaveLength(1)
    expect(findCollection(policy, 'Script')!.rules[0].name).toBe('b.ps1')
    expect(findCollection(policy, 'Script')!.rules[0].userOrGroupSid).toBe('S-1-5-32-545')
  })
})

describe('conditionFromFile', () => {
  it('publisher: all four fields, version and above; hash: one FileHash', () => {
    const f = pe('dir/app.exe', H('1'), signed('APP.EXE', '3.1.0.0'))
    expect(conditionFromFile(f, 'publisher').value).toEqual({ kind: 'publisher', publisherName: PUB, productName: 'CONTOSO APP', binaryName: 'APP.EXE', versionRange: { low: '3.1.0.0', high: '*' } })
    expect(conditionFromFile(f, 'hash').value).toEqual({ kind: 'hash', hashes: [{ type: 'SHA256', data: H('1'), sourceFileName: 'app.exe', sourceFileLength: '1000' }] })
  })
  it('explains what a file cannot give', () => {
    expect(conditionFromFile(pe('t.exe', H('1'), null), 'publisher').diagnostics[0].message).toContain('not signed')
    expect(conditionFromFile(flat('e.ps1', 'empty', null, 0), 'hash').diagnostics[0].message).toContain('empty')
  })
  it('describeCondition is readable', () => {
    expect(describeCondition({ kind: 'publisher', publisherName: PUB, productName: 'P', binaryName: '*', versionRange: { low: '*', high: '*' } })).toBe(`${PUB} \\ P \\ * \\ any version`)
  })
})

describe('with real files (build-pe.sh fixtures)', () => {
  beforeAll(() => {
    ensurePeFixtures()
  }, 180_000)

  it('signed exe -> publisher rule with the certificate subject, unsigned dll -> hash rule, script -> hash rule', async () => {
    const infos: FileInfo[] = []
    for (const name of ['hello64-signed.exe', 'probe64.dll', 'hello.ps1', 'truncated.exe']) {
      const r = await getFileInformation(name, readFixture(name))
      if (r.value) infos.push(r.value)
    }
    expect(infos).toHaveLength(3)
    const { rules } = proposeRules(infos, base)
    expect(rules.map((r) => [r.collection, r.rule.kind])).toEqual([
      ['Exe', 'publisher'],
      ['Script', 'hash'],
      ['Dll', 'hash'],
    ])
    expect((rules[0].rule as FilePublisherRule).condition).toEqual({
      kind: 'publisher',
      publisherName: 'O=PROBE TEST CORP, INC., L=ZÜRICH, S=ZURICH CANTON, C=CH',
      productName: 'PROBE PRODUCT',
      binaryName: 'HELLO.EXE',
      versionRange: { low: '1.2.3.4', high: '*' },
    })
    expect((rules[2].rule as FileHashRule).condition!.hashes[0].data).toBe(infos[1].hash)
  })
})

describe('the snap-in wizard: rule-name prefix and one collection at a time (issue 16 item 9)', () => {
  const files = [
    pe('bin/app.exe', H('1'), signed('APP.EXE', '2.0.0.0')),
    pe('bin/lib.dll', H('2'), null, true),
    flat('scripts/run.ps1', 'script', H('3')),
    flat('setup.msi', 'msi', H('4')),
  ]
  it('"Name to identify this set of rules" prefixes every rule name with "<name>: "', () => {
    const p = proposeRules(files, { ...base, namePrefix: '  Contoso  ' })
    expect(p.rules.map((r) => r.rule.name)).toEqual([
      `Contoso: APP.EXE, version 2.0.0.0 and above, in CONTOSO APP, from ${PUB}`,
      'Contoso: setup.msi',
      'Contoso: run.ps1',
      'Contoso: lib.dll',
    ])
    // A blank prefix leaves the names as Windows makes them.
    expect(proposeRules(files, { ...base, namePrefix: ' ' }).rules[0].rule.name).toBe(`APP.EXE, version 2.0.0.0 and above, in CONTOSO APP, from ${PUB}`)
  })
  it('only the chosen collections get rules; the other files are noted as left out', () => {
    const p = proposeRules(files, { ...base, collections: ['Exe'] })
    expect(p.rules.map((r) => r.collection)).toEqual(['Exe'])
    expect(p.notes.map((n) => [n.path, n.severity])).toEqual([
      ['bin/lib.dll', 'info'],
      ['scripts/run.ps1', 'info'],
      ['setup.msi', 'info'],
    ])
    expect(p.notes[0].message).toBe('Left out: a file of DLL Rules, and rules are generated for Executable Rules only.')
    // Everything but DLLs (the DLL collection left as it was).
    const noDll = proposeRules(files, { ...base, collections: ['Exe', 'Msi', 'Script', 'Appx'] })
    expect(noDll.rules.map((r) => r.collection)).toEqual(['Exe', 'Msi', 'Script'])
    expect(noDll.notes.filter((n) => n.message.startsWith('Left out'))).toEqual([{ path: 'bin/lib.dll', severity: 'info', message: 'Left out: a file of DLL Rules, and rules are generated for Executable Rules, Windows Installer Rules, Script Rules and Packaged app Rules only.' }])
    // Without the option, every collection as before.
    expect(proposeRules(files, base).rules.map((r) => r.collection)).toEqual(['Exe', 'Msi', 'Script', 'Dll'])
  })
})

describe('an unsigned package in a packaged-app rule', () => {
  it('advises the manifest identity, never a hash condition, and builds the condition from it', async () => {
    const { strToU8, zipSync } = await import('fflate')
    const manifest = `<?xml version="1.0" encoding="utf-8"?><Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Identity Name="Contoso.Notes" Publisher="CN=Contoso, O=Contoso, C=US" Version="1.2.0.0" /></Package>`
    const info = (await getFileInformation('notes.msix', zipSync({ 'AppxManifest.xml': strToU8(manifest) }))).value!
    const r = conditionFromFile(info, 'publisher')
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].message).not.toMatch(/hash/i)
    expect(r.diagnostics[0].message).toMatch(/Identity element/)
    expect(packageIdentityCondition(info)).toEqual({
      kind: 'publisher',
      publisherName: 'CN=Contoso, O=Contoso, C=US',
      productName: 'Contoso.Notes',
      binaryName: '*',
      versionRange: { low: '1.2.0.0', high: '*' },
    })
  })
})

/** The error codes validatePolicy gives a policy holding the proposed rules (what Windows would refuse). */
function refused(rules: ReturnType<typeof proposeRules>['rules']): string[] {
  return validatePolicy(addRules(emptyPolicy(), rules))
    .filter((d) => d.severity === 'error')
    .map((d) => d.code)
}

describe('versions Windows accepts (XSD: * or four parts of 1-5 digits)', () => {
  it('ruleVersion pads short versions, and takes a version that is none as no version (0.0.0.0)', () => {
    expect(ruleVersion('1.2')).toEqual({ version: '1.2.0.0', usable: true })
    expect(ruleVersion('7')).toEqual({ version: '7.0.0.0', usable: true })
    expect(ruleVersion(' 10.0.19041.1 ')).toEqual({ version: '10.0.19041.1', usable: true })
    expect(ruleVersion('020.000.1621')).toEqual({ version: '20.0.1621.0', usable: true })
    expect(ruleVersion('65535.65535.65535.65535')).toEqual({ version: '65535.65535.65535.65535', usable: true })
    // A file without a version resource is 0.0.0.0, with nothing to say.
    expect(ruleVersion('')).toEqual({ version: '0.0.0.0', usable: true })
    for (const bad of ['1.2.3.4.5', '70000.1.0.0', '1.123456.0.0', '1..2', '1.2a', 'v1', '1.'.repeat(3) + '9'.repeat(400)]) expect(ruleVersion(bad), bad).toEqual({ version: '0.0.0.0', usable: false })
  })

  it('a rule made from a short version carries it padded; one made from a version that is none starts at 0.0.0.0, with a note', () => {
    const files = [
      pe('a.exe', H('1'), signed('A.EXE', '1.2')),
      pe('b.exe', H('2'), signed('B.EXE', '1.2.3.4.5')),
      pe('c.exe', H('3'), signed('C.EXE', '70000.1.0.0')),
      pe('d.exe', H('4'), signed('D.EXE', '')),
    ]
    const p = proposeRules(files, base)
    expect(p.rules.map((r) => (r.rule as FilePublisherRule).condition!.versionRange)).toEqual([
      { low: '1.2.0.0', high: '*' },
      { low: '0.0.0.0', high: '*' },
      { low: '0.0.0.0', high: '*' },
      { low: '0.0.0.0', high: '*' },
    ])
    expect(p.rules[0].rule.name).toBe(`A.EXE, version 1.2.0.0 and above, in CONTOSO APP, from ${PUB}`)
    expect(p.notes).toEqual([
      {
        path: 'b.exe',
        severity: 'info',
        message:
          'The file version "1.2.3.4.5" is not one AppLocker can use (at most four numbers of 0 to 65535, e.g. 10.0.19041.1): it is taken as having no version (0.0.0.0, as a file without a version resource), so the publisher rule for it starts at version 0.0.0.0.',
      },
      { path: 'c.exe', severity: 'info', message: expect.stringContaining('"70000.1.0.0" is not one AppLocker can use') },
    ])
    expect(refused(p.rules)).toEqual([])
    // Levels that do not use the version say nothing about it.
    expect(proposeRules(files, { ...base, publisherLevel: 'file' }).notes).toEqual([])
    // Grouped, and a packaged app at version level: the same bounds, the same checks passed.
    const grouped = proposeRules(files, { ...base, groupSimilar: true })
    expect((grouped.rules[0].rule as FilePublisherRule).condition!.versionRange).toEqual({ low: '0.0.0.0', high: '*' })
    expect(grouped.notes.map((n) => n.path)).toEqual(['b.exe', 'c.exe'])
    expect(refused(grouped.rules)).toEqual([])
    const pkg: FileInfo = { ...flat('p.msix', 'package', H('9')), publisher: { name: 'CN=Contoso, O=Contoso, C=US', product: 'Contoso.App', binary: 'APPX', version: '1.2.3.4.5' } }
    const appx = proposeRules([pkg], base)
    expect((appx.rules[0].rule as FilePublisherRule).condition!.versionRange).toEqual({ low: '0.0.0.0', high: '*' })
    expect(appx.notes[0].message).toMatch(/^The package version "1\.2\.3\.4\.5" is not one AppLocker can use/)
    expect(refused(appx.rules)).toEqual([])
  })

  it('a version below another of the same file name wins even when it is padded or none', () => {
    const p = proposeRules([pe('x/a.exe', H('1'), signed('A.EXE', '2.0.0.0')), pe('y/a.exe', H('2'), signed('A.EXE', '1.5'))], base)
    expect((p.rules[0].rule as FilePublisherRule).condition!.versionRange).toEqual({ low: '1.5.0.0', high: '*' })
    // A file without a version (0.0.0.0) lowers the bound too, even after a file with a version.
    const none = proposeRules([pe('x/a.exe', H('1'), signed('A.EXE', '2.0.0.0')), pe('y/a.exe', H('2'), signed('A.EXE', ''))], base)
    expect((none.rules[0].rule as FilePublisherRule).condition!.versionRange).toEqual({ low: '0.0.0.0', high: '*' })
  })

  it('conditionFromFile pads the version, and says when it is none', () => {
    expect(conditionFromFile(pe('a.exe', H('1'), signed('A.EXE', '3.1')), 'publisher')).toEqual({
      value: { kind: 'publisher', publisherName: PUB, productName: 'CONTOSO APP', binaryName: 'A.EXE', versionRange: { low: '3.1.0.0', high: '*' } },
      diagnostics: [],
    })
    const bad = conditionFromFile(pe('a.exe', H('1'), signed('A.EXE', '1.2.3.4.5')), 'publisher')
    expect((bad.value as { versionRange: unknown }).versionRange).toEqual({ low: '0.0.0.0', high: '*' })
    expect(bad.diagnostics).toEqual([{ severity: 'warning', code: 'unusable-file-version', message: 'The file version "1.2.3.4.5" is not a version AppLocker can use: 0.0.0.0 is used instead.' }])
    const manifest: FileInfo = { ...flat('n.msix', 'package', H('9')), package: { publisher: 'CN=Contoso', name: 'Contoso.Notes', version: '1.2' } }
    expect(packageIdentityCondition(manifest)!.versionRange).toEqual({ low: '1.2.0.0', high: '*' })
  })
})

describe('rule names Windows accepts (XSD: Name length 1..1024)', () => {
  it('fitRuleName cuts a longer name to 1,024 characters ending in "[...]", as AaronLockerV2 does', () => {
    expect(fitRuleName('a'.repeat(1024))).toBe('a'.repeat(1024))
    expect(fitRuleName('a'.repeat(1025))).toBe(`${'a'.repeat(1019)}[...]`)
    // Never half a surrogate pair.
    const cut = fitRuleName(`${'a'.repeat(1018)}\u{1F600}${'b'.repeat(10)}`)
    expect(cut).toBe(`${'a'.repeat(1018)}[...]`)
  })

  it('every generated name is cut: a long path, a long prefix, a long product name', () => {
    const long = `C:\\${'x'.repeat(1100)}\\app.exe`
    const path = proposeRules([pe(long, H('1'), null)], { ...base, preference: 'path' })
    const prefix = proposeRules([pe('a.exe', H('1'), null)], { ...base, preference: 'hash', namePrefix: 'p'.repeat(1020) })
    const product = proposeRules([pe('a.exe', H('1'), signed('A.EXE', '1.0.0.0', 'P'.repeat(1000)))], base)
    const grouped = proposeRules([pe('a.exe', H('1'), signed('A.EXE', '1.0.0.0', 'P'.repeat(1000)))], { ...base, groupSimilar: true, namePrefix: 'Program Files' })
    for (const p of [path, prefix, product, grouped]) {
      const name = p.rules[0].rule.name
      expect(name).toHaveLength(1024)
      expect(name.endsWith('[...]')).toBe(true)
      expect(refused(p.rules)).toEqual([])
    }
    // The condition keeps the whole path; only the name is cut.
    expect((path.rules[0].rule as FilePathRule).condition!.path).toBe(long)
    expect(path.rules[0].rule.name).toBe(`${long.slice(0, 1019)}[...]`)
    expect(prefix.rules[0].rule.name.startsWith(`${'p'.repeat(1019)}`)).toBe(true)
    expect(grouped.rules[0].rule.name.startsWith(`Program Files: ${'P'.repeat(100)}`)).toBe(true)
  })
})

describe('grouped publisher rules keep a minimum version (as Windows-made grouped rules do)', () => {
  it('low = the first two parts of the lowest version among the files + ".0.0", high *, named "<PRODUCT> signed by <publisher>"', () => {
    const files = [
      pe('teams.exe', H('1'), signed('TEAMS.EXE', '23306.3309.1.2', 'MICROSOFT TEAMS')),
      pe('update.exe', H('2'), signed('UPDATE.EXE', '23306.3310.0.0', 'MICROSOFT TEAMS')),
      pe('old.exe', H('3'), signed('OLD.EXE', '24001.1.0.0', 'MICROSOFT TEAMS')),
      pe('np.exe', H('4'), signed('NP.EXE', '8.6.2.0', 'NOTEPAD++')),
      pe('gup.exe', H('5'), signed('GUP.EXE', '', 'NOTEPAD++')),
    ]
    const p = proposeRules(files, { ...base, groupSimilar: true, namePrefix: 'Program Files' })
    expect(p.rules.map((r) => [r.rule.name, (r.rule as FilePublisherRule).condition])).toEqual([
      [
        `Program Files: MICROSOFT TEAMS signed by ${PUB}`,
        { kind: 'publisher', publisherName: PUB, productName: 'MICROSOFT TEAMS', binaryName: '*', versionRange: { low: '23306.3309.0.0', high: '*' } },
      ],
      // A file without a version makes the low bound 0.0.0.0.
      [`Program Files: NOTEPAD++ signed by ${PUB}`, { kind: 'publisher', publisherName: PUB, productName: 'NOTEPAD++', binaryName: '*', versionRange: { low: '0.0.0.0', high: '*' } }],
    ])
    expect(p.rules[0].files).toEqual(['teams.exe', 'update.exe', 'old.exe'])
    expect(groupedPublisherLow('4.18.23110.3')).toBe('4.18.0.0')
    expect(groupedPublisherLow('10')).toBe('10.0.0.0')
  })

  it('without grouping, product level stays any version with the slider name; publisher level stays any publisher file', () => {
    const files = [pe('a.exe', H('1'), signed('A.EXE', '2.5.1.0'))]
    const product = proposeRules(files, { ...base, publisherLevel: 'product' }).rules[0].rule as FilePublisherRule
    expect([product.name, product.condition!.versionRange]).toEqual([`CONTOSO APP, from ${PUB}`, { low: '*', high: '*' }])
    const publisher = proposeRules(files, { ...base, groupSimilar: true, publisherLevel: 'publisher' }).rules[0].rule as FilePublisherRule
    expect([publisher.name, publisher.condition!.versionRange]).toEqual([`Signed by ${PUB}`, { low: '*', high: '*' }])
  })
})

describe('grouped path rules do not repeat what a broader proposed rule covers', () => {
  const pathFor = (i: FileInfo) => `%PROGRAMFILES%\\${i.path.replace(/\//g, '\\')}`
  it('drops a path rule under a proposed <folder>\\* rule of the same collection, gives it its files, and notes each file', () => {
    const files = [
      pe('App/a.exe', H('1'), null),
      pe('App/b.exe', H('2'), null),
      pe('App/sub/c.exe', H('3'), null),
      pe('App/sub/d.exe', H('4'), null),
      pe('App/sub/deeper/e.exe', H('5'), null),
      pe('Other/x.exe', H('6'), null),
      flat('App/sub/s.ps1', 'script', H('7')),
      flat('App/sub/t.ps1', 'script', H('8')),
    ]
    const p = proposeRules(files, { ...base, preference: 'path', groupSimilar: true, pathFor, action: 'Deny', sid: 'S-1-5-32-545' })
    expect(p.rules.map((r) => [r.collection, (r.rule as FilePathRule).condition!.path, r.rule.action, r.rule.userOrGroupSid])).toEqual([
      ['Exe', '%PROGRAMFILES%\\App\\*', 'Deny', 'S-1-5-32-545'],
      ['Exe', '%PROGRAMFILES%\\Other\\x.exe', 'Deny', 'S-1-5-32-545'],
      // Another collection: App\* of Exe Rules does not cover scripts.
      ['Script', '%PROGRAMFILES%\\App\\sub\\*', 'Deny', 'S-1-5-32-545'],
    ])
    expect(p.rules[0].files).toEqual(['App/a.exe', 'App/b.exe', 'App/sub/c.exe', 'App/sub/d.exe', 'App/sub/deeper/e.exe'])
    expect(p.notes).toEqual([
      {
        path: 'App/sub/c.exe',
        severity: 'info',
        message: 'Covered by the proposed path rule %PROGRAMFILES%\\App\\*, which allows every subfolder: the narrower rule %PROGRAMFILES%\\App\\sub\\* (with 2 files) is folded into it.',
      },
      { path: 'App/sub/d.exe', severity: 'info', message: expect.stringContaining('the narrower rule %PROGRAMFILES%\\App\\sub\\* (with 2 files)') },
      {
        path: 'App/sub/deeper/e.exe',
        severity: 'info',
        message: 'Covered by the proposed path rule %PROGRAMFILES%\\App\\*, which allows every subfolder: the narrower rule %PROGRAMFILES%\\App\\sub\\deeper\\e.exe is folded into it.',
      },
    ])
  })

  it('compares case-insensitively, and keeps rules of sibling folders and rules not under the folder', () => {
    const files = [pe('App/a.exe', H('1'), null), pe('App/b.exe', H('2'), null), pe('APP/SUB/c.exe', H('3'), null), pe('Apple/x.exe', H('4'), null), pe('Apple/y.exe', H('5'), null)]
    const p = proposeRules(files, { ...base, preference: 'path', groupSimilar: true, pathFor })
    expect(p.rules.map((r) => (r.rule as FilePathRule).condition!.path)).toEqual(['%PROGRAMFILES%\\App\\*', '%PROGRAMFILES%\\Apple\\*'])
    expect(p.notes.map((n) => n.path)).toEqual(['APP/SUB/c.exe'])
  })
})
