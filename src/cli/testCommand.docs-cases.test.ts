/**
 * Cases taken from Microsoft's AppLocker documentation (and APPLOCKER.md, which wins where it
 * speaks), each with the article it comes from. Every case is a policy XML read by the XML
 * reader and decided three ways: the compiled engine (fast and explaining paths), the reference
 * evaluator, and the `test` command (test.ts) with a fake io. All must agree. (It lives here,
 * not in src/applocker/evaluate/, because the core may not import the CLI.)
 *
 * Article names are the file names under learn.microsoft.com/windows/security/application-security/
 * application-control/app-control-for-business/applocker/ (e.g. understanding-the-path-rule-condition-in-applocker).
 */
import { describe, expect, it } from 'vitest'
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import { decideReference } from '../testing/reference'
import { DEFAULT_MACHINE, type Decision, type FileFacts, type MachineSettings, type Principal } from '../applocker/evaluate/types'
import { readPolicy } from '../applocker/xml/read'
import { fakeIO as fakeCliIO, readFrom } from '../testing/cliIO'
import { testCommand, type TestResult } from './testCommand'

// ---------------------------------------------------------------------------------------------
// Policy XML builders

const EVERYONE = 'S-1-1-0'
const ADMINS = 'S-1-5-32-544'
const USERS = 'S-1-5-32-545'
const MS = 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US'
const WINDOWS_PRODUCT = 'MICROSOFT® WINDOWS® OPERATING SYSTEM'

let serial = 0
const nextId = () => `d0c5ca5e-0000-4000-8000-${String(++serial).padStart(12, '0')}`
const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

interface RuleOpts {
  action?: 'Allow' | 'Deny'
  sid?: string
  exceptions?: string[]
}
function ruleXml(element: string, name: string, condition: string, o: RuleOpts): string {
  const exc = o.exceptions && o.exceptions.length > 0 ? `<Exceptions>${o.exceptions.join('')}</Exceptions>` : ''
  return `<${element} Id="${nextId()}" Name="${attr(name)}" Description="" UserOrGroupSid="${o.sid ?? EVERYONE}" Action="${o.action ?? 'Allow'}"><Conditions>${condition}</Conditions>${exc}</${element}>`
}
const pathCond = (p: string) => `<FilePathCondition Path="${attr(p)}" />`
const pubCond = (publisher: string, product = '*', binary = '*', low = '*', high = '*') =>
  `<FilePublisherCondition PublisherName="${attr(publisher)}" ProductName="${attr(product)}" BinaryName="${attr(binary)}"><BinaryVersionRange LowSection="${low}" HighSection="${high}" /></FilePublisherCondition>`
const hashCond = (...data: string[]) =>
  `<FileHashCondition>${data.map((d, i) => `<FileHash Type="SHA256" Data="${d}" SourceFileName="f${i}.exe" SourceFileLength="1024" />`).join('')}</FileHashCondition>`
const pathRule = (name: string, p: string, o: RuleOpts = {}) => ruleXml('FilePathRule', name, pathCond(p), o)
const pubRule = (name: string, cond: string, o: RuleOpts = {}) => ruleXml('FilePublisherRule', name, cond, o)
const hashRule = (name: string, cond: string, o: RuleOpts = {}) => ruleXml('FileHashRule', name, cond, o)
const coll = (type: string, mode: string, ...rules: string[]) => `<RuleCollection Type="${type}" EnforcementMode="${mode}">${rules.join('')}</RuleCollection>`
const policy = (...collections: string[]) => `<?xml version="1.0" encoding="utf-8"?><AppLockerPolicy Version="1">${collections.join('')}</AppLockerPolicy>`

/** The default Exe rules (create-applocker-default-rules, executable-rules-in-applocker). */
const defaultExe = (mode = 'Enabled', ...more: string[]) =>
  coll(
    'Exe',
    mode,
    pathRule('(Default Rule) All files located in the Program Files folder', '%PROGRAMFILES%\\*'),
    pathRule('(Default Rule) All files located in the Windows folder', '%WINDIR%\\*'),
    pathRule('(Default Rule) All files', '*', { sid: ADMINS }),
    ...more,
  )

// ---------------------------------------------------------------------------------------------
// The three evaluators

const H1 = '0x5F374C2DD91A6F9E5A6E9A3C2B1D0E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D'
const H2 = '0x0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF'

type Key = [collection: string | null, decision: string, rule: string | null, mode: string | null, effect: string, eventId: number | null]
const keyOf = (d: Decision): Key => [d.collection, d.decision, d.matchingRuleName, d.mode, d.effect, d.eventId]

function fakeIO(files: Record<string, string>) {
  const f = fakeCliIO(readFrom(files))
  return { io: f.io, out: () => f.out.join(''), err: () => f.err.join('') }
}

async function cli(xml: string, files: FileFacts[], principal: Principal, extra: string[] = []) {
  const f = fakeIO({ 'policy.xml': xml, 'files.json': JSON.stringify(files) })
  const args = ['--policy', 'policy.xml', '--files', 'files.json', ...extra]
  if (principal.user) args.push('--user', principal.user)
  for (const g of principal.groups) args.push('--group', g)
  const code = await testCommand(args, f.io)
  return { code, out: f.out(), err: f.err() }
}

/**
 * Decides each file with the compiled engine (both paths), the reference evaluator and (on the
 * default machine) the CLI; checks they agree and returns the keys.
 */
async function decideAll(xml: string, files: FileFacts[], principal: Principal = { groups: [] }, machine: MachineSettings = DEFAULT_MACHINE): Promise<Key[]> {
  const read = readPolicy(xml)
  // A variable AppLocker does not expand is an error of the policy (the rule never matches); the
  // test of such paths checks those errors itself and still decides the files.
  expect(read.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unknown-path-variable')).toEqual([])
  const p = read.value!
  const compiled = compilePolicy(p, machine)
  const keys = files.map((file) => {
    const fast = keyOf(decide(compiled, file, principal, { explain: false }))
    const explained = decide(compiled, file, principal)
    expect(keyOf(explained), `explained, ${file.path}`).toEqual(fast)
    expect(keyOf(decideReference(p, file, principal, machine)), `reference, ${file.path}`).toEqual(fast)
    expect(explained.explanation.steps.length).toBeGreaterThan(0)
    return fast
  })
  if (machine === DEFAULT_MACHINE) {
    const r = await cli(xml, files, principal)
    expect(r.code).toBe(0)
    const results = JSON.parse(r.out) as TestResult[]
    expect(results.map((x): Key => [x.collection, x.decision, x.matchingRuleName, x.mode, x.effect, x.eventId])).toEqual(keys)
    expect(results.map((x) => x.path)).toEqual(files.map((f) => f.path))
  }
  return keys
}

/** Just the decision and deciding rule of each file. */
async function decisions(xml: string, files: (FileFacts | string)[], principal?: Principal, machine?: MachineSettings): Promise<[string, string | null][]> {
  const keys = await decideAll(xml, files.map((f) => (typeof f === 'string' ? { path: f } : f)), principal, machine)
  return keys.map((k) => [k[1], k[2]])
}

const ALLOWED = (rule: string): [string, string | null] => ['Allowed', rule]
const DENIED = (rule: string): [string, string | null] => ['Denied', rule]
const DBD: [string, string | null] = ['DeniedByDefault', null]

const signed = (path: string, binary: string, version: string, name = MS, product = WINDOWS_PRODUCT): FileFacts => ({ path, publisher: { name, product, binary, version } })

// ---------------------------------------------------------------------------------------------

describe('path variables (understanding-the-path-rule-condition-in-applocker, table of path variables)', () => {
  it('%WINDIR% is the Windows directory and everything under it, and nothing that merely starts with its name', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('win', '%WINDIR%\\*')))
    expect(
      await decisions(xml, ['C:\\Windows\\notepad.exe', 'C:\\Windows\\System32\\drivers\\etc\\x.exe', 'c:\\windows\\regedit.exe', 'C:\\WindowsApps\\x.exe', 'C:\\Users\\bob\\x.exe']),
    ).toEqual([ALLOWED('win'), ALLOWED('win'), ALLOWED('win'), DBD, DBD])
  })

  it('%SYSTEM32% covers System32 and SysWOW64 (64-bit Windows)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('sys', '%SYSTEM32%\\*'), pathRule('cmd', '%SYSTEM32%\\cmd.exe', { action: 'Deny' })))
    expect(await decisions(xml, ['C:\\Windows\\System32\\calc.exe', 'C:\\Windows\\SysWOW64\\calc.exe', 'C:\\Windows\\SysWOW64\\cmd.exe', 'C:\\Windows\\notepad.exe'])).toEqual([
      ALLOWED('sys'),
      ALLOWED('sys'),
      DENIED('cmd'),
      DBD,
    ])
  })

  it('%OSDRIVE% is the system drive only', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('tools', '%OSDRIVE%\\Tools\\*')))
    expect(await decisions(xml, ['C:\\Tools\\a.exe', 'c:\\tools\\sub\\b.exe', 'D:\\Tools\\a.exe', 'E:\\Tools\\a.exe'])).toEqual([ALLOWED('tools'), ALLOWED('tools'), DBD, DBD])
  })

  it('%PROGRAMFILES% covers Program Files and Program Files (x86)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('pf', '%PROGRAMFILES%\\*')))
    expect(await decisions(xml, ['C:\\Program Files\\App\\a.exe', 'C:\\Program Files (x86)\\App\\a.exe', 'C:\\ProgramData\\a.exe', 'C:\\Program Files Extra\\a.exe'])).toEqual([
      ALLOWED('pf'),
      ALLOWED('pf'),
      DBD,
      DBD,
    ])
  })

  it('%REMOVABLE% is removable media (CD/DVD, D: here) and %HOT% removable storage (USB, E: here)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('cd', '%REMOVABLE%\\*', { action: 'Deny' }), pathRule('usb', '%HOT%\\*', { action: 'Deny' }), pathRule('all', '*')))
    expect(await decisions(xml, ['D:\\setup.exe', 'E:\\tools\\x.exe', 'F:\\x.exe', 'C:\\x.exe'])).toEqual([DENIED('cd'), DENIED('usb'), ALLOWED('all'), ALLOWED('all')])
  })

  it('the variables resolve on the simulated machine (Windows on D:, no USB drive)', async () => {
    const machine: MachineSettings = {
      ...DEFAULT_MACHINE,
      windir: 'D:\\WINNT',
      system32: ['D:\\WINNT\\System32'],
      programFiles: ['D:\\Apps'],
      osDrive: 'D:',
      removableDrives: ['R:'],
      hotDrives: [],
    }
    const xml = policy(coll('Exe', 'Enabled', pathRule('win', '%WINDIR%\\*'), pathRule('os', '%OSDRIVE%\\Tools\\*'), pathRule('pf', '%PROGRAMFILES%\\*'), pathRule('usb', '%HOT%\\*')))
    expect(await decisions(xml, ['D:\\WINNT\\x.exe', 'C:\\Windows\\x.exe', 'D:\\Tools\\a.exe', 'C:\\Tools\\a.exe', 'D:\\Apps\\a.exe', 'E:\\a.exe'], undefined, machine)).toEqual([
      ALLOWED('win'),
      DBD,
      ALLOWED('os'),
      DBD,
      ALLOWED('pf'),
      DBD,
    ])
  })

  it('"Path variables aren\'t environment variables": %USERPROFILE%, %ProgramFiles(x86)%, %SystemRoot% are literal text', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('profile', '%USERPROFILE%\\*'), pathRule('x86', '%ProgramFiles(x86)%\\*'), pathRule('root', '%SystemRoot%\\*')))
    expect(readPolicy(xml).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['unknown-path-variable', 'unknown-path-variable', 'unknown-path-variable'])
    expect(await decisions(xml, ['C:\\Users\\bob\\a.exe', 'C:\\Program Files (x86)\\a.exe', 'C:\\Windows\\a.exe'])).toEqual([DBD, DBD, DBD])
  })

  it('variable names and paths compare case-insensitively (%windir% as the docs write it, %WINDIR% as Windows does)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('lower', '%windir%\\*'), pathRule('mixed', '%ProgramFiles%\\Internet Explorer\\*')))
    expect(await decisions(xml, ['C:\\WINDOWS\\NOTEPAD.EXE', 'c:\\program files\\internet explorer\\IEXPLORE.exe'])).toEqual([ALLOWED('lower'), ALLOWED('mixed')])
  })

  it('a file given in variable form (as events and Get-AppLockerFileInformation write it) is the same file as its real path', async () => {
    // using-event-viewer-with-applocker: FilePath is %SYSTEM32%\CSCRIPT.EXE, %OSDRIVE%\USERS\PUBLIC\TEST8003.EXE.
    const xml = policy(coll('Exe', 'Enabled', pathRule('real', 'C:\\Windows\\*'), pathRule('users', '%OSDRIVE%\\Users\\*', { action: 'Deny' }), pathRule('pf', 'C:\\Program Files\\*')))
    expect(await decisions(xml, ['%SYSTEM32%\\CSCRIPT.EXE', '%WINDIR%\\NOTEPAD.EXE', '%OSDRIVE%\\USERS\\PUBLIC\\TEST8003.EXE', '%PROGRAMFILES%\\APP\\A.EXE', 'C:\\Users\\Public\\x.exe'])).toEqual([
      ALLOWED('real'),
      ALLOWED('real'),
      DENIED('users'),
      ALLOWED('pf'),
      DENIED('users'),
    ])
  })
})

describe('wildcards in path conditions (understanding-the-path-rule-condition-in-applocker, APPLOCKER.md section 4)', () => {
  it('"The asterisk (*) character used by itself represents any path" (local, UNC, removable)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('any', '*')))
    expect(await decisions(xml, ['C:\\x.exe', '\\\\server\\share\\app.exe', 'E:\\a\\b\\c.exe', '%OSDRIVE%\\A.EXE'])).toEqual([ALLOWED('any'), ALLOWED('any'), ALLOWED('any'), ALLOWED('any')])
  })

  it('"%ProgramFiles%\\Internet Explorer\\* indicates that the rule affects all files and subfolders within the Internet Explorer folder"', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('ie', '%ProgramFiles%\\Internet Explorer\\*')))
    expect(
      await decisions(xml, [
        'C:\\Program Files\\Internet Explorer\\iexplore.exe',
        'C:\\Program Files (x86)\\Internet Explorer\\sub\\deeper\\x.exe',
        'C:\\Program Files\\Internet Explorer.exe',
        'C:\\Program Files\\Internet Explorer Extra\\x.exe',
      ]),
    ).toEqual([ALLOWED('ie'), ALLOWED('ie'), DBD, DBD])
  })

  it('a path without * names one file (understanding-applocker-rule-exceptions: %WINDIR%\\regedit.exe)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('regedit', '%WINDIR%\\regedit.exe')))
    expect(await decisions(xml, ['C:\\Windows\\regedit.exe', 'C:\\Windows\\System32\\regedit.exe', 'C:\\Windows\\regedit.exe.bak.exe'])).toEqual([ALLOWED('regedit'), DBD, DBD])
  })

  it('* matches any run of characters, backslashes included: leading, middle, several, trailing extension', async () => {
    const xml = policy(
      coll(
        'Exe',
        'Enabled',
        pathRule('chrome', '*\\chrome.exe'),
        pathRule('code', '%OSDRIVE%\\Users\\*\\AppData\\Local\\Programs\\Microsoft VS Code\\*'),
        pathRule('doxy', '*\\doxy*.exe'),
        pathRule('ext', 'C:\\Tools\\*.exe'),
      ),
    )
    expect(
      await decisions(xml, [
        'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
        'C:\\Users\\bob\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe',
        'C:\\Users\\a\\b\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\x.exe',
        'C:\\Users\\bob\\AppData\\Local\\Programs\\Other\\x.exe',
        'D:\\x\\doxygen.exe',
        'C:\\Tools\\a.exe',
        'C:\\Tools\\sub\\b.exe',
        'C:\\Tools\\a.exe.txt.com',
        'C:\\notchrome.exe',
      ]),
    ).toEqual([ALLOWED('chrome'), ALLOWED('code'), ALLOWED('code'), DBD, ALLOWED('doxy'), ALLOWED('ext'), ALLOWED('ext'), DBD, DBD])
  })

  it('*.* (what Windows writes for the default Msi administrators rule) matches any file with a dot', async () => {
    const xml = policy(coll('Msi', 'Enabled', pathRule('(Default Rule) All Windows Installer files', '*.*', { sid: ADMINS })))
    expect(await decisions(xml, ['C:\\x\\setup.msi', 'E:\\patch.MSP'], { groups: [ADMINS] })).toEqual([
      ALLOWED('(Default Rule) All Windows Installer files'),
      ALLOWED('(Default Rule) All Windows Installer files'),
    ])
  })

  it('"prefix" trap: %WINDIR%\\System32* also covers C:\\Windows\\System32Extra (AaronLocker adds the trailing backslash for this reason)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('prefix', '%WINDIR%\\System32*')))
    expect(await decisions(xml, ['C:\\Windows\\System32Extra\\a.exe', 'C:\\Windows\\System32\\a.exe', 'C:\\Windows\\a.exe'])).toEqual([ALLOWED('prefix'), ALLOWED('prefix'), DBD])
  })

  it('? is not a wildcard in a path (not documented for AppLocker paths: a literal character)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('q', 'C:\\Tools\\app?.exe'), pathRule('q2', 'C:\\T?\\*')))
    expect(await decisions(xml, ['C:\\Tools\\app1.exe', 'C:\\Tools\\app.exe', 'C:\\TX\\a.exe'])).toEqual([DBD, DBD, DBD])
  })

  it('a folder written without \\* (with or without the trailing backslash) covers nothing inside it', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('slash', '%OSDRIVE%\\Tools\\'), pathRule('bare', '%OSDRIVE%\\Apps')))
    expect(await decisions(xml, ['C:\\Tools\\a.exe', 'C:\\Apps\\a.exe'])).toEqual([DBD, DBD])
  })

  it('UNC paths: \\\\server\\share\\* covers the share; \\\\DC\\netlogon and \\\\domain\\netlogon are different strings (AaronLocker GetSafePathsToAllow)', async () => {
    const xml = policy(coll('Script', 'Enabled', pathRule('apps', '\\\\MYSERVER\\Apps\\*'), pathRule('netlogon', '\\\\contoso.com\\netlogon\\*')))
    expect(
      await decisions(xml, ['\\\\myserver\\apps\\MyProgram.ps1', '\\\\MYSERVER\\Apps\\sub\\x.bat', '\\\\OTHER\\Apps\\x.bat', '\\\\contoso.com\\NETLOGON\\logon.cmd', '\\\\DC01\\netlogon\\logon.cmd']),
    ).toEqual([ALLOWED('apps'), ALLOWED('apps'), DBD, ALLOWED('netlogon'), DBD])
  })

  it('alternate data streams: an allowed folder\'s ADS is allowed too; a <dir>:* exception closes it (AaronLocker, NSA starter policy)', async () => {
    const open = policy(coll('Exe', 'Enabled', pathRule('win', '%WINDIR%\\*', { exceptions: [pathCond('%WINDIR%\\Tasks\\*')] })))
    expect(await decisions(open, ['C:\\Windows\\Tasks:evil.exe', 'C:\\Windows\\Tasks\\evil.exe', 'C:\\Windows\\notepad.exe'])).toEqual([ALLOWED('win'), DBD, ALLOWED('win')])
    const closed = policy(coll('Exe', 'Enabled', pathRule('win', '%WINDIR%\\*', { exceptions: [pathCond('%WINDIR%\\Tasks\\*'), pathCond('%WINDIR%\\Tasks:*')] })))
    expect(await decisions(closed, ['C:\\Windows\\Tasks:evil.exe', 'C:\\Windows\\Tasks\\evil.exe', 'C:\\Windows\\notepad.exe'])).toEqual([DBD, DBD, ALLOWED('win')])
    // A Deny rule naming an ADS (%WINDIR%\Tasks:*) catches files in the stream only.
    const deny = policy(coll('Exe', 'Enabled', pathRule('all', '*'), pathRule('ads', '%WINDIR%\\Tasks:*', { action: 'Deny' })))
    expect(await decisions(deny, ['C:\\Windows\\Tasks:evil.exe', 'C:\\Windows\\Tasks\\ok.exe'])).toEqual([DENIED('ads'), ALLOWED('all')])
  })
})

describe('the file path as Windows resolves it (the engine sees the file\'s real location)', () => {
  const xml = policy(coll('Exe', 'Enabled', pathRule('win', '%WINDIR%\\*'), pathRule('pf', '%PROGRAMFILES%\\*'), pathRule('share', '\\\\srv\\apps\\*')))

  it('.. and . segments are resolved: C:\\Windows\\..\\Users\\bob\\x.exe is in the user\'s folder, not the Windows folder', async () => {
    expect(
      await decisions(xml, [
        'C:\\Windows\\..\\Users\\bob\\x.exe',
        'C:\\Windows\\System32\\..\\..\\Temp\\x.exe',
        'C:\\Windows\\.\\notepad.exe',
        'C:\\Temp\\..\\Windows\\notepad.exe',
        'C:\\..\\..\\Windows\\notepad.exe',
        '%WINDIR%\\..\\TEMP\\X.EXE',
        '\\\\srv\\apps\\..\\..\\x.exe',
      ]),
    ).toEqual([DBD, DBD, ALLOWED('win'), ALLOWED('win'), ALLOWED('win'), DBD, ALLOWED('share')])
  })

  it('forward slashes, repeated backslashes, surrounding quotes ("Copy as path"), \\\\?\\ prefixes and trailing dots do not change the file', async () => {
    expect(
      await decisions(xml, [
        'c:/windows/system32/cmd.exe',
        'C:\\Windows\\\\System32\\\\cmd.exe',
        '"C:\\Program Files\\App\\app.exe"',
        '\\\\?\\C:\\Windows\\notepad.exe',
        '\\\\?\\UNC\\srv\\apps\\tool.exe',
        'C:\\Users\\bob\\evil.exe.',
        '"C:\\Users\\bob\\evil.exe"',
      ]),
    ).toEqual([ALLOWED('win'), ALLOWED('win'), ALLOWED('pf'), ALLOWED('win'), ALLOWED('share'), DBD, DBD])
    // The last two are still executables (the quote and the trailing dot are not part of the name).
    const keys = await decideAll(xml, [{ path: 'C:\\Users\\bob\\evil.exe.' }, { path: '"C:\\Users\\bob\\run.ps1"' }])
    expect(keys.map((k) => k[0])).toEqual(['Exe', 'Script'])
  })
})

describe('publisher conditions (understanding-the-publisher-rule-condition-in-applocker)', () => {
  it('"Publisher conditions can be made only for files that are digitally signed": an unsigned file never matches, not even PublisherName="*"', async () => {
    const xml = policy(coll('Msi', 'Enabled', pubRule('(Default Rule) All digitally signed Windows Installer files', pubCond('*', '*', '*', '0.0.0.0', '*'))))
    const rule = '(Default Rule) All digitally signed Windows Installer files'
    expect(
      await decisions(xml, [
        signed('C:\\x\\setup.msi', '{11111111-2222-3333-4444-555555555555}', '1.0.0.0', 'O=CONTOSO, C=US', 'CONTOSO TOOLS'),
        { path: 'C:\\x\\unsigned.msi' },
        { path: 'C:\\x\\unsigned.msi', publisher: null },
      ]),
    ).toEqual([ALLOWED(rule), DBD, DBD])
  })

  it('"The asterisk (*) used by itself represents any publisher"; "M*" limits the rule to a publisher named "M*" (not a wildcard)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('any', pubCond('*')), pubRule('M*', pubCond('M*'), { action: 'Deny' })))
    expect(await decisions(xml, [signed('C:\\a.exe', 'A.EXE', '1.0.0.0', 'MICROSOFT'), signed('C:\\b.exe', 'B.EXE', '1.0.0.0', 'M*'), signed('C:\\c.exe', 'C.EXE', '1.0.0.0', 'M')])).toEqual([
      ALLOWED('any'),
      DENIED('M*'),
      ALLOWED('any'),
    ])
  })

  it('"A question mark (?) isn\'t a valid wildcard character" in Publisher or Product name', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('qpub', pubCond('?')), pubRule('qprod', pubCond(MS, 'WINDOW?'))))
    expect(await decisions(xml, [signed('C:\\a.exe', 'A.EXE', '1.0', 'X'), signed('C:\\a.exe', 'A.EXE', '1.0', MS, 'WINDOWS')])).toEqual([DBD, DBD])
  })

  it('Product name: * alone is any product; with other characters * is literal', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('anyproduct', pubCond(MS, '*')), pubRule('literal', pubCond('O=CONTOSO, C=US', 'CONTOSO*'))))
    expect(
      await decisions(xml, [
        signed('C:\\a.exe', 'A.EXE', '1.0', MS, 'ANYTHING'),
        signed('C:\\b.exe', 'B.EXE', '1.0', 'O=CONTOSO, C=US', 'CONTOSO TOOLS'),
        signed('C:\\c.exe', 'C.EXE', '1.0', 'O=CONTOSO, C=US', 'CONTOSO*'),
      ]),
    ).toEqual([ALLOWED('anyproduct'), DBD, ALLOWED('literal')])
  })

  it('publisher, product and file name compare case-insensitively (Windows upper-cases both sides)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('cmd', pubCond(MS.toLowerCase(), 'Microsoft® Windows® Operating System', 'cmd.exe'))))
    expect(await decisions(xml, [signed('C:\\Windows\\System32\\cmd.exe', 'CMD.EXE', '10.0.19041.1')])).toEqual([ALLOWED('cmd')])
  })

  it('File name: "Either the asterisk (*) or question mark (?) used by themselves represent any file names"; with text they are wildcards', async () => {
    const xml = policy(
      coll(
        'Exe',
        'Enabled',
        pubRule('q-alone', pubCond('O=A, C=US', '*', '?')),
        pubRule('star', pubCond('O=B, C=US', '*', 'CMD*.EXE')),
        pubRule('q', pubCond('O=C, C=US', '*', 'APP?.EXE')),
      ),
    )
    expect(
      await decisions(xml, [
        signed('C:\\a.exe', 'LONG NAME.EXE', '1.0', 'O=A, C=US'),
        signed('C:\\b.exe', 'CMDKEY.EXE', '1.0', 'O=B, C=US'),
        signed('C:\\b.exe', 'XCMD.EXE', '1.0', 'O=B, C=US'),
        signed('C:\\c.exe', 'APP1.EXE', '1.0', 'O=C, C=US'),
        signed('C:\\c.exe', 'APP12.EXE', '1.0', 'O=C, C=US'),
      ]),
    ).toEqual([ALLOWED('q-alone'), ALLOWED('star'), DBD, ALLOWED('q'), DBD])
  })

  it('the file name is the original file name from the version resource, not the name on disk', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('all', pubCond('*')), pubRule('no-ps', pubCond(MS, '*', 'POWERSHELL.EXE'), { action: 'Deny' })))
    expect(await decisions(xml, [signed('C:\\Users\\bob\\renamed.exe', 'POWERSHELL.EXE', '10.0.19041.1')])).toEqual([DENIED('no-ps')])
  })

  it('"And above. The rule applies to this version and all later versions" (inclusive); versions compare numerically', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('above', pubCond(MS, '*', 'A.EXE', '10.0.2.0', '*'))))
    expect(
      await decisions(xml, [
        signed('C:\\a.exe', 'A.EXE', '10.0.2.0'),
        signed('C:\\a.exe', 'A.EXE', '10.0.10.0'),
        signed('C:\\a.exe', 'A.EXE', '10.0.1.999'),
        signed('C:\\a.exe', 'A.EXE', '9.99.99.99'),
        signed('C:\\a.exe', 'A.EXE', '11'),
      ]),
    ).toEqual([ALLOWED('above'), ALLOWED('above'), DBD, DBD, ALLOWED('above')])
  })

  it('"And below. The rule applies to this version and all earlier versions"; AaronLocker\'s PowerShell v2 rule (* to 9.9.9.9) leaves 10.x alone', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('all', pubCond('*')), pubRule('ps2', pubCond(MS, '*', 'POWERSHELL.EXE', '*', '9.9.9.9'), { action: 'Deny' })))
    expect(
      await decisions(xml, [signed('C:\\p.exe', 'POWERSHELL.EXE', '9.9.9.9'), signed('C:\\p.exe', 'POWERSHELL.EXE', '6.1.7600.16385'), signed('C:\\p.exe', 'POWERSHELL.EXE', '10.0.19041.1')]),
    ).toEqual([DENIED('ps2'), DENIED('ps2'), ALLOWED('all')])
  })

  it('"Exactly" = both bounds equal; missing parts are 0 (a file version 10 is 10.0.0.0); a file without a version is 0.0.0.0', async () => {
    const xml = policy(
      coll('Exe', 'Enabled', pubRule('exact', pubCond('O=A, C=US', '*', '*', '10.0.0.0', '10.0.0.0')), pubRule('zero', pubCond('O=B, C=US', '*', '*', '0.0.0.0', '*')), pubRule('one', pubCond('O=C, C=US', '*', '*', '1.0.0.0', '*'))),
    )
    expect(
      await decisions(xml, [
        signed('C:\\a.exe', 'A', '10.0.0.0', 'O=A, C=US'),
        signed('C:\\a.exe', 'A', '10', 'O=A, C=US'),
        signed('C:\\a.exe', 'A', '10.0.0.1', 'O=A, C=US'),
        signed('C:\\b.exe', 'B', '', 'O=B, C=US'),
        signed('C:\\c.exe', 'C', '', 'O=C, C=US'),
      ]),
    ).toEqual([ALLOWED('exact'), ALLOWED('exact'), DBD, ALLOWED('zero'), DBD])
  })

  it('a version range of * to * is any version', async () => {
    const xml = policy(coll('Exe', 'Enabled', pubRule('anyversion', pubCond(MS, '*', '*', '*', '*'))))
    expect(await decisions(xml, [signed('C:\\a.exe', 'A', '0.0.0.1'), signed('C:\\a.exe', 'A', '65535.65535.65535.65535'), signed('C:\\a.exe', 'A', '')])).toEqual([
      ALLOWED('anyversion'),
      ALLOWED('anyversion'),
      ALLOWED('anyversion'),
    ])
  })

  it('packaged apps: publisher is the package\'s DN as written, product the package name; Microsoft.Bing* is a literal name (APPLOCKER.md)', async () => {
    const pkgPub = 'CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'
    const xml = policy(
      coll('Appx', 'Enabled', pubRule('reader', pubCond(pkgPub, 'Microsoft.Reader', '*', '1.0.0.0', '*')), pubRule('bing', pubCond(pkgPub, 'Microsoft.Bing*', '*', '0.0.0.0', '*'))),
    )
    const app = (name: string, version: string, publisher = pkgPub): FileFacts => ({
      path: `${name}_${version}_x64__8wekyb3d8bbwe`,
      package: `${name}_${version}_x64__8wekyb3d8bbwe`,
      publisher: { name: publisher, product: name, binary: 'APPX', version },
    })
    expect(await decisions(xml, [app('microsoft.reader', '2.0.0.0', pkgPub.toUpperCase()), app('Microsoft.Reader', '0.9.0.0'), app('Microsoft.BingMaps', '1.0.0.0'), app('Contoso.App', '1.0.0.0', 'CN=Contoso')])).toEqual([
      ALLOWED('reader'),
      DBD,
      DBD,
      DBD,
    ])
  })
})

describe('file hash conditions (understanding-the-file-hash-rule-condition-in-applocker)', () => {
  it('hashes compare case-insensitively, with or without 0x; any FileHash of the condition matches; a file without a hash never does', async () => {
    const xml = policy(coll('Exe', 'Enabled', hashRule('tools', hashCond(H1, H2.toLowerCase()))))
    expect(
      await decisions(xml, [
        { path: 'C:\\a.exe', hash: H1.slice(2).toLowerCase() },
        { path: 'C:\\b.exe', hash: H2 },
        { path: 'C:\\c.exe', hash: `0X${H2.slice(2)}` },
        { path: 'C:\\d.exe', hash: H1.slice(0, -1) + '0' },
        { path: 'C:\\e.exe' },
      ]),
    ).toEqual([ALLOWED('tools'), ALLOWED('tools'), ALLOWED('tools'), DBD, DBD])
  })

  it('a hash rule matches wherever the file is (the path does not matter)', async () => {
    const xml = policy(coll('Script', 'Enabled', hashRule('script', hashCond(H1), { action: 'Deny' }), pathRule('all', '*')))
    expect(await decisions(xml, [{ path: 'C:\\Windows\\x.ps1', hash: H1 }, { path: '\\\\srv\\s\\y.ps1', hash: H1 }, { path: 'C:\\z.ps1', hash: H2 }])).toEqual([DENIED('script'), DENIED('script'), ALLOWED('all')])
  })
})

describe('exceptions (understanding-applocker-rule-exceptions, understanding-applocker-rule-behavior)', () => {
  it('"Allow Everyone to run Windows except Registry Editor": the excluded file is denied by default', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('windows', '%WINDIR%\\*', { exceptions: [pathCond('%WINDIR%\\regedit.exe')] })))
    expect(await decisions(xml, ['C:\\Windows\\regedit.exe', 'C:\\Windows\\notepad.exe'])).toEqual([DBD, ALLOWED('windows')])
  })

  it('exceptions of each kind (path, publisher, hash) on a path rule', async () => {
    const xml = policy(
      coll('Exe', 'Enabled', pathRule('pf', '%PROGRAMFILES%\\*', { exceptions: [pathCond('%PROGRAMFILES%\\Games\\*'), pubCond('O=BADCO, C=US'), hashCond(H1)] })),
    )
    expect(
      await decisions(xml, [
        'C:\\Program Files\\Games\\solitaire.exe',
        signed('C:\\Program Files\\Bad\\bad.exe', 'BAD.EXE', '1.0', 'O=BADCO, C=US'),
        { path: 'C:\\Program Files\\Hashed\\h.exe', hash: H1 },
        { path: 'C:\\Program Files\\Good\\g.exe', hash: H2 },
        'C:\\Program Files\\Bad\\unsigned.exe',
      ]),
    ).toEqual([DBD, DBD, DBD, ALLOWED('pf'), ALLOWED('pf')])
  })

  it('exceptions of each kind on a publisher rule', async () => {
    const xml = policy(
      coll(
        'Exe',
        'Enabled',
        pubRule('ms', pubCond(MS, '*', '*', '*', '*'), { exceptions: [pathCond('%OSDRIVE%\\Users\\*'), pubCond(MS, '*', 'MSHTA.EXE', '*', '*'), hashCond(H1)] }),
      ),
    )
    expect(
      await decisions(xml, [
        signed('C:\\Users\\bob\\copy.exe', 'CMD.EXE', '10.0'),
        signed('C:\\Windows\\System32\\mshta.exe', 'MSHTA.EXE', '11.0'),
        { ...signed('C:\\Windows\\System32\\x.exe', 'X.EXE', '1.0'), hash: H1 },
        signed('C:\\Windows\\System32\\cmd.exe', 'CMD.EXE', '10.0'),
      ]),
    ).toEqual([DBD, DBD, DBD, ALLOWED('ms')])
  })

  it('an exception on a Deny rule takes the file out of that Deny rule only, and an Allow rule then decides', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('all', '*'), pathRule('no-windows', '%WINDIR%\\*', { action: 'Deny', exceptions: [pathCond('%SYSTEM32%\\*')] })))
    expect(await decisions(xml, ['C:\\Windows\\notepad.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\SysWOW64\\cmd.exe', 'C:\\Temp\\a.exe'])).toEqual([
      DENIED('no-windows'),
      ALLOWED('all'),
      ALLOWED('all'),
      ALLOWED('all'),
    ])
  })

  it('an exception never grants anything: a file excluded from one Allow rule may still be allowed by another', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('windows', '%WINDIR%\\*', { exceptions: [pathCond('%WINDIR%\\Temp\\*')] }), pathRule('temp tool', '%WINDIR%\\Temp\\tool.exe')))
    expect(await decisions(xml, ['C:\\Windows\\Temp\\tool.exe', 'C:\\Windows\\Temp\\other.exe'])).toEqual([ALLOWED('temp tool'), DBD])
  })
})

describe('allow and deny (understanding-applocker-allow-and-deny-actions-on-rules, understanding-applocker-rule-behavior)', () => {
  it('"deny actions override allow actions in all cases", whatever the order of the rules', async () => {
    const denyFirst = policy(coll('Exe', 'Enabled', pathRule('deny', 'C:\\Tools\\*', { action: 'Deny' }), pathRule('allow', '*')))
    const denyLast = policy(coll('Exe', 'Enabled', pathRule('allow', '*'), pathRule('exact', 'C:\\Tools\\a.exe'), pathRule('deny', 'C:\\Tools\\*', { action: 'Deny' })))
    expect(await decisions(denyFirst, ['C:\\Tools\\a.exe', 'C:\\b.exe'])).toEqual([DENIED('deny'), ALLOWED('allow')])
    expect(await decisions(denyLast, ['C:\\Tools\\a.exe', 'C:\\b.exe'])).toEqual([DENIED('deny'), ALLOWED('allow')])
  })

  it('a collection with only Deny rules denies everything else by default ("be sure to include an allow * rule")', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('deny', 'C:\\Bad\\*', { action: 'Deny' })))
    expect(await decisions(xml, ['C:\\Bad\\x.exe', 'C:\\Good\\y.exe'])).toEqual([DENIED('deny'), DBD])
  })

  it('the default rules: Administrators run anything, Everyone only Windows and Program Files (executable-rules-in-applocker)', async () => {
    const xml = policy(defaultExe())
    const files = ['C:\\Users\\bob\\Downloads\\tool.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Program Files (x86)\\App\\a.exe']
    expect(await decisions(xml, files)).toEqual([DBD, ALLOWED('(Default Rule) All files located in the Windows folder'), ALLOWED('(Default Rule) All files located in the Program Files folder')])
    expect(await decisions(xml, files, { user: 'S-1-5-21-1-2-3-500', groups: [USERS, ADMINS] })).toEqual([
      ALLOWED('(Default Rule) All files'),
      ALLOWED('(Default Rule) All files located in the Windows folder'),
      ALLOWED('(Default Rule) All files located in the Program Files folder'),
    ])
  })

  it('rules for other users or groups are ignored; a rule for a group affects all its members; Everyone (S-1-1-0) is always included', async () => {
    const xml = policy(
      coll(
        'Exe',
        'Enabled',
        pathRule('users deny', 'C:\\Tools\\*', { action: 'Deny', sid: USERS }),
        pathRule('admins allow', '*', { sid: ADMINS }),
        pathRule('everyone tools', 'C:\\Tools\\*'),
        pathRule('bob only', 'C:\\Bob\\*', { sid: 'S-1-5-21-1-2-3-1001' }),
      ),
    )
    const files = ['C:\\Tools\\a.exe', 'C:\\Other\\b.exe', 'C:\\Bob\\c.exe']
    expect(await decisions(xml, files)).toEqual([ALLOWED('everyone tools'), DBD, DBD])
    expect(await decisions(xml, files, { groups: [USERS] })).toEqual([DENIED('users deny'), DBD, DBD])
    expect(await decisions(xml, files, { user: 's-1-5-21-1-2-3-1001', groups: [] })).toEqual([ALLOWED('everyone tools'), DBD, ALLOWED('bob only')])
    expect(await decisions(xml, files, { groups: [ADMINS] })).toEqual([ALLOWED('admins allow'), ALLOWED('admins allow'), ALLOWED('admins allow')])
  })

  it('nested groups are not expanded: a rule for Everyone applies to a user however their groups are listed (test-applockerpolicy)', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('calc', '%SYSTEM32%\\calc.exe')))
    expect(await decisions(xml, ['C:\\Windows\\System32\\calc.exe'], { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-21-1-2-3-2001'] })).toEqual([ALLOWED('calc')])
  })

  it('with several matching rules, the first Deny (else the first Allow) in document order is the matching rule', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('allow 1', 'C:\\*'), pathRule('deny 1', 'C:\\T\\*', { action: 'Deny' }), pathRule('allow 2', '*'), pathRule('deny 2', '*.exe', { action: 'Deny' })))
    expect(await decisions(xml, ['C:\\T\\a.exe', 'C:\\a.com'])).toEqual([DENIED('deny 1'), ALLOWED('allow 1')])
  })
})

describe('collections, enforcement modes and events (understanding-applocker-rule-behavior, working-with-applocker-rules, using-event-viewer-with-applocker)', () => {
  it('"If no AppLocker rules exist for a specific rule collection, all files covered by that rule collection are allowed to run"', async () => {
    const xml = policy(defaultExe(), coll('Msi', 'Enabled'), coll('Script', 'AuditOnly'))
    const keys = await decideAll(xml, [{ path: 'C:\\x\\setup.msi' }, { path: 'C:\\x\\run.ps1' }, { path: 'C:\\x\\lib.dll' }])
    expect(keys).toEqual([
      ['Msi', 'AllowedByDefault', null, 'Enabled', 'runs', null],
      ['Script', 'AllowedByDefault', null, 'AuditOnly', 'runs', null],
      ['Dll', 'AllowedByDefault', null, null, 'runs', null],
    ])
  })

  it('the DLL collection is off unless it has rules: Windows exports an empty Dll collection (APPLOCKER.md section 2)', async () => {
    const empty = policy(defaultExe(), coll('Dll', 'NotConfigured'))
    expect(await decideAll(empty, [{ path: 'C:\\Users\\bob\\evil.dll' }])).toEqual([['Dll', 'AllowedByDefault', null, 'NotConfigured', 'runs', null]])
    const withRules = policy(defaultExe(), coll('Dll', 'Enabled', pathRule('dll win', '%WINDIR%\\*')))
    expect(await decideAll(withRules, [{ path: 'C:\\Users\\bob\\evil.dll' }, { path: 'C:\\Windows\\System32\\kernel32.DLL' }, { path: 'C:\\x\\ctl.ocx' }])).toEqual([
      ['Dll', 'DeniedByDefault', null, 'Enabled', 'blocked', 8004],
      ['Dll', 'Allowed', 'dll win', 'Enabled', 'runs', 8002],
      ['Dll', 'DeniedByDefault', null, 'Enabled', 'blocked', 8004],
    ])
  })

  it.each([
    // [collection, file, allowed event, audit event, blocked event, effect when not allowed under enforcement] (APPLOCKER.md section 2 table)
    ['Exe', 'a.exe', 8002, 8003, 8004, 'blocked'],
    ['Exe', 'a.com', 8002, 8003, 8004, 'blocked'],
    ['Dll', 'a.dll', 8002, 8003, 8004, 'blocked'],
    ['Dll', 'a.ocx', 8002, 8003, 8004, 'blocked'],
    ['Msi', 'a.msi', 8005, 8006, 8007, 'blocked'],
    ['Msi', 'a.msp', 8005, 8006, 8007, 'blocked'],
    ['Msi', 'a.mst', 8005, 8006, 8007, 'blocked'],
    // "In the case of PowerShell, 'blocked' scripts will still run, but only in Constrained Language Mode" (script-rules-in-applocker).
    ['Script', 'a.ps1', 8005, 8006, 8007, 'constrained-language'],
    ['Script', 'a.bat', 8005, 8006, 8007, 'blocked'],
    ['Script', 'a.cmd', 8005, 8006, 8007, 'blocked'],
    ['Script', 'a.vbs', 8005, 8006, 8007, 'blocked'],
    ['Script', 'a.js', 8005, 8006, 8007, 'blocked'],
  ] as const)('%s %s: Enabled blocks (%i allowed, %i audited, %i blocked); NotConfigured with rules is enforced; AuditOnly audits', async (type, name, allowedEvent, auditEvent, blockedEvent, blocked) => {
    const files: FileFacts[] = [{ path: `C:\\Windows\\${name}` }, { path: `C:\\Bad\\${name}` }, { path: `C:\\Users\\bob\\${name.toUpperCase()}` }]
    const rules = [pathRule('win', '%WINDIR%\\*'), pathRule('bad', 'C:\\Bad\\*', { action: 'Deny' })]
    expect(await decideAll(policy(coll(type, 'Enabled', ...rules)), files)).toEqual([
      [type, 'Allowed', 'win', 'Enabled', 'runs', allowedEvent],
      [type, 'Denied', 'bad', 'Enabled', blocked, blockedEvent],
      [type, 'DeniedByDefault', null, 'Enabled', blocked, blockedEvent],
    ])
    // "Not configured doesn't mean the rules are ignored" (working-with-applocker-rules).
    expect(await decideAll(policy(coll(type, 'NotConfigured', ...rules)), files)).toEqual([
      [type, 'Allowed', 'win', 'NotConfigured', 'runs', allowedEvent],
      [type, 'Denied', 'bad', 'NotConfigured', blocked, blockedEvent],
      [type, 'DeniedByDefault', null, 'NotConfigured', blocked, blockedEvent],
    ])
    // "...was allowed to run but would have been prevented from running if the AppLocker policy were enforced."
    expect(await decideAll(policy(coll(type, 'AuditOnly', ...rules)), files)).toEqual([
      [type, 'Allowed', 'win', 'AuditOnly', 'runs', allowedEvent],
      [type, 'Denied', 'bad', 'AuditOnly', 'audited', auditEvent],
      [type, 'DeniedByDefault', null, 'AuditOnly', 'audited', auditEvent],
    ])
  })

  it('files of other types are not governed by AppLocker; extensions compare case-insensitively', async () => {
    const xml = policy(coll('Exe', 'Enabled', pathRule('deny all', '*', { action: 'Deny' })), coll('Script', 'Enabled', pathRule('deny scripts', '*', { action: 'Deny' })))
    const keys = await decideAll(xml, [{ path: 'C:\\x\\notes.txt' }, { path: 'C:\\x\\app.hta' }, { path: 'C:\\x\\job.wsf' }, { path: 'C:\\x\\noextension' }, { path: 'C:\\x.exe\\readme' }, { path: 'C:\\X\\APP.EXE' }, { path: 'C:\\x\\Run.Ps1' }])
    expect(keys).toEqual([
      [null, 'AllowedByDefault', null, null, 'not-governed', null],
      [null, 'AllowedByDefault', null, null, 'not-governed', null],
      [null, 'AllowedByDefault', null, null, 'not-governed', null],
      [null, 'AllowedByDefault', null, null, 'not-governed', null],
      [null, 'AllowedByDefault', null, null, 'not-governed', null],
      ['Exe', 'Denied', 'deny all', 'Enabled', 'blocked', 8004],
      ['Script', 'Denied', 'deny scripts', 'Enabled', 'constrained-language', 8007], // PowerShell: Constrained Language Mode
    ])
  })

  it('"Regardless of the file extension, the AppLocker EXE rule collection will work on a file as long as it is a valid PE file" (working-with-applocker-rules): a file that names its collection', async () => {
    const xml = policy(defaultExe(), coll('Dll', 'AuditOnly', pathRule('dll win', '%WINDIR%\\*')))
    const keys = await decideAll(xml, [
      { path: 'C:\\Users\\bob\\bubbles.scr', collection: 'Exe' },
      { path: 'C:\\Windows\\System32\\ssText3d.scr', collection: 'Exe' },
      { path: 'C:\\Users\\bob\\evil.cpl', collection: 'Dll' },
      { path: 'C:\\Users\\bob\\renamed.txt', collection: 'Exe' },
      { path: 'C:\\Users\\bob\\bubbles.scr' },
    ])
    expect(keys).toEqual([
      ['Exe', 'DeniedByDefault', null, 'Enabled', 'blocked', 8004],
      ['Exe', 'Allowed', '(Default Rule) All files located in the Windows folder', 'Enabled', 'runs', 8002],
      ['Dll', 'DeniedByDefault', null, 'AuditOnly', 'audited', 8003],
      ['Exe', 'DeniedByDefault', null, 'Enabled', 'blocked', 8004],
      // By extension alone: a screen saver is a PE file Windows starts as a process (collection.ts, PE_AND_HOST_EXTENSIONS).
      ['Exe', 'DeniedByDefault', null, 'Enabled', 'blocked', 8004],
    ])
  })

  it('an AppLocker event says which collection decided the file (PolicyName), whatever the extension', async () => {
    const event = (policyName: string, path: string) =>
      `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-AppLocker'/><EventID>8003</EventID></System><UserData><RuleAndFileData xmlns='http://schemas.microsoft.com/schemas/event/Microsoft.Windows/1.0.0.0'><PolicyName>${policyName}</PolicyName><RuleId>{00000000-0000-0000-0000-000000000000}</RuleId><RuleName>-</RuleName><RuleSddl>-</RuleSddl><TargetUser>S-1-5-21-1-2-3-1001</TargetUser><TargetProcessId>1</TargetProcessId><FilePath>${path}</FilePath><FileHash></FileHash><Fqbn>-</Fqbn></RuleAndFileData></UserData></Event>`
    const xml = policy(defaultExe('AuditOnly'), coll('Dll', 'AuditOnly', pathRule('dll win', '%WINDIR%\\*')))
    const f = fakeIO({ 'policy.xml': xml, 'events.xml': `<Events>${event('EXE', '%OSDRIVE%\\USERS\\BOB\\BUBBLES.SCR')}${event('DLL', '%OSDRIVE%\\USERS\\BOB\\EVIL.CPL')}</Events>` })
    expect(await testCommand(['--policy', 'policy.xml', '--files', 'events.xml'], f.io)).toBe(0)
    expect((JSON.parse(f.out()) as TestResult[]).map((x) => [x.path, x.collection, x.decision, x.eventId])).toEqual([
      ['C:\\USERS\\BOB\\BUBBLES.SCR', 'Exe', 'DeniedByDefault', 8003],
      ['C:\\USERS\\BOB\\EVIL.CPL', 'Dll', 'DeniedByDefault', 8003],
    ])
  })

  describe('packaged apps (working-with-applocker-rules, manage-packaged-apps-with-applocker)', () => {
    const app: FileFacts = {
      path: 'Contoso.Notes_3.2.1.0_x64__8wekyb3d8bbwe',
      package: 'Contoso.Notes_3.2.1.0_x64__8wekyb3d8bbwe',
      publisher: { name: 'CN=Contoso', product: 'Contoso.Notes', binary: 'APPX', version: '3.2.1.0' },
    }
    const installer: FileFacts = { path: 'C:\\Users\\bob\\Downloads\\Contoso.Notes.msix', publisher: app.publisher }

    it('"If any rules are enforced for the EXE rule collection, you must create rules in the packaged apps ... Otherwise, all packaged apps and packaged app installers are blocked" (event 8027)', async () => {
      for (const exeMode of ['Enabled', 'NotConfigured']) {
        expect(await decideAll(policy(defaultExe(exeMode)), [app, installer])).toEqual([
          ['Appx', 'DeniedByDefault', null, null, 'blocked', 8027],
          ['Appx', 'DeniedByDefault', null, null, 'blocked', 8027],
        ])
        // An Appx collection without rules is the same as none.
        expect(await decideAll(policy(defaultExe(exeMode), coll('Appx', 'NotConfigured')), [app])).toEqual([['Appx', 'DeniedByDefault', null, 'NotConfigured', 'blocked', 8027]])
      }
    })

    it('Exe in Audit only does not block packaged apps ("while Exe rules are being enforced"); no Exe rules neither', async () => {
      expect(await decideAll(policy(defaultExe('AuditOnly')), [app])).toEqual([['Appx', 'AllowedByDefault', null, null, 'runs', null]])
      expect(await decideAll(policy(coll('Exe', 'Enabled'), coll('Script', 'Enabled', pathRule('s', '*'))), [app])).toEqual([['Appx', 'AllowedByDefault', null, null, 'runs', null]])
    })

    it('with packaged app rules: 8020/8021/8022 when run, 8023/8024/8025 when installed', async () => {
      const rules = [pubRule('(Default Rule) All signed packaged apps', pubCond('*', '*', '*', '0.0.0.0', '*')), pubRule('no notes', pubCond('CN=Contoso', 'Contoso.Notes', '*', '*', '3.0.0.0'), { action: 'Deny' })]
      const old: FileFacts = { ...app, package: 'Contoso.Notes_2.0.0.0_x64__8wekyb3d8bbwe', path: 'Contoso.Notes_2.0.0.0_x64__8wekyb3d8bbwe', publisher: { ...app.publisher!, version: '2.0.0.0' } }
      const oldInstaller: FileFacts = { path: 'C:\\x\\old.appx', publisher: old.publisher }
      const unsigned: FileFacts = { path: 'C:\\x\\unsigned.appx' }
      const files = [app, old, installer, oldInstaller, unsigned]
      expect(await decideAll(policy(defaultExe(), coll('Appx', 'Enabled', ...rules)), files)).toEqual([
        ['Appx', 'Allowed', '(Default Rule) All signed packaged apps', 'Enabled', 'runs', 8020],
        ['Appx', 'Denied', 'no notes', 'Enabled', 'blocked', 8022],
        ['Appx', 'Allowed', '(Default Rule) All signed packaged apps', 'Enabled', 'runs', 8023],
        ['Appx', 'Denied', 'no notes', 'Enabled', 'blocked', 8025],
        ['Appx', 'DeniedByDefault', null, 'Enabled', 'blocked', 8025],
      ])
      expect(await decideAll(policy(defaultExe(), coll('Appx', 'AuditOnly', ...rules)), [old, oldInstaller])).toEqual([
        ['Appx', 'Denied', 'no notes', 'AuditOnly', 'audited', 8021],
        ['Appx', 'Denied', 'no notes', 'AuditOnly', 'audited', 8024],
      ])
    })
  })

  it('"Stopping this service prevents AppLocker policies from being enforced": the decision stands, nothing is blocked or logged (configure-the-application-identity-service)', async () => {
    const stopped: MachineSettings = { ...DEFAULT_MACHINE, appIdServiceRunning: false }
    const xml = policy(defaultExe(), coll('Script', 'AuditOnly', pathRule('s', '%WINDIR%\\*')))
    const app: FileFacts = { path: 'X_1.0.0.0_x64__abc', package: 'X_1.0.0.0_x64__abc', publisher: { name: 'CN=X', product: 'X', binary: 'APPX', version: '1.0.0.0' } }
    expect(await decideAll(xml, [{ path: 'C:\\Users\\bob\\tool.exe' }, { path: 'C:\\Windows\\notepad.exe' }, { path: 'C:\\x.ps1' }, app], { groups: [] }, stopped)).toEqual([
      ['Exe', 'DeniedByDefault', null, 'Enabled', 'runs', null],
      ['Exe', 'Allowed', '(Default Rule) All files located in the Windows folder', 'Enabled', 'runs', null],
      ['Script', 'DeniedByDefault', null, 'AuditOnly', 'runs', null],
      ['Appx', 'DeniedByDefault', null, null, 'runs', null],
    ])
  })
})

describe('the test command output (test-applockerpolicy: FilePath, PolicyDecision, MatchingRule)', () => {
  const xml = policy(
    defaultExe('Enabled', pathRule('No "tools", please', 'C:\\Tools, Inc\\*', { action: 'Deny' })),
    coll('Script', 'AuditOnly', pathRule('scripts', '%WINDIR%\\*')),
  )
  const files: FileFacts[] = [{ path: 'C:\\Windows\\System32\\cmd.exe' }, { path: 'C:\\Tools, Inc\\a.exe' }, { path: 'C:\\Users\\bob\\x.exe' }, { path: 'C:\\x\\setup.msi' }, { path: 'C:\\x\\a.ps1' }, { path: 'C:\\x\\readme.txt' }]

  it('prints one JSON object per file, in input order, with the documented fields in order and the four PolicyDecision words', async () => {
    const r = await cli(xml, files, { groups: [] })
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    const results = JSON.parse(r.out) as Record<string, unknown>[]
    for (const x of results) expect(Object.keys(x)).toEqual(['path', 'collection', 'decision', 'matchingRuleId', 'matchingRuleName', 'mode', 'effect', 'eventId', 'user'])
    expect(results.map((x) => x.decision)).toEqual(['Allowed', 'Denied', 'DeniedByDefault', 'AllowedByDefault', 'DeniedByDefault', 'AllowedByDefault'])
    expect(results[0].matchingRuleId).toMatch(/^d0c5ca5e-/)
    // "MatchingRule empty" when decided by default.
    for (const i of [2, 3, 4, 5]) expect([results[i].matchingRuleId, results[i].matchingRuleName]).toEqual([null, null])
    expect(results.map((x) => x.user)).toEqual([null, null, null, null, null, null])
  })

  it('CSV: header, then fields quoted when they hold a comma or a quote (quotes doubled), CRLF lines', async () => {
    const r = await cli(xml, files, { user: 'S-1-5-21-1-2-3-1001', groups: [] }, ['--format', 'csv'])
    expect(r.code).toBe(0)
    const lines = r.out.split('\r\n')
    expect(lines[0]).toBe('path,collection,decision,matchingRuleId,matchingRuleName,mode,effect,eventId,user')
    expect(lines[2]).toMatch(/^"C:\\Tools, Inc\\a\.exe",Exe,Denied,d0c5ca5e-[0-9a-f-]+,"No ""tools"", please",Enabled,blocked,8004,S-1-5-21-1-2-3-1001$/)
    expect(lines[4]).toBe('C:\\x\\setup.msi,Msi,AllowedByDefault,,,,runs,,S-1-5-21-1-2-3-1001')
    expect(lines[5]).toBe('C:\\x\\a.ps1,Script,DeniedByDefault,,,AuditOnly,audited,8006,S-1-5-21-1-2-3-1001')
    expect(lines).toHaveLength(files.length + 2) // the last line ends with CRLF too
    expect(lines.at(-1)).toBe('')
  })

  it('exits 0 whatever the decisions (Test-AppLockerPolicy reports, it does not fail) and 1 on bad input', async () => {
    const denied = await cli(policy(coll('Exe', 'Enabled', pathRule('deny', '*', { action: 'Deny' }))), [{ path: 'C:\\a.exe' }], { groups: [] })
    expect(denied.code).toBe(0)
    expect((JSON.parse(denied.out) as TestResult[])[0].decision).toBe('Denied')
    expect((await cli(xml, files, { user: 'contoso\\bob', groups: [] })).code).toBe(1)
    expect((await cli('<AppLockerPolicy', files, { groups: [] })).code).toBe(1)
  })
})
