import { describe, expect, it } from 'vitest'
import { defaultRules } from '../defaults'
import type { Policy, Rule } from '../policy'
import { compilePolicy } from '../evaluate/compile'
import { decide } from '../evaluate/decide'
import { ADMINISTRATORS_SID, EVERYONE_SID, USERS_SID } from '../sids'
import { DEFAULT_MACHINE } from '../evaluate/types'
import { ResultsBuilder, resultRow, summarize, type SimRow } from './results'
import { DEFAULT_PRINCIPAL_CHOICE, principalFor, principalLabel, simulateSlice, testCommandsFor } from './run'

const denyTemp: Rule = {
  kind: 'path',
  id: '11111111-1111-4111-8111-111111111111',
  name: 'No scripts from Temp',
  description: '',
  userOrGroupSid: EVERYONE_SID,
  action: 'Deny',
  exceptions: [],
  condition: { kind: 'path', path: '%OSDRIVE%\\Temp\\*' },
}

const policy: Policy = {
  version: '1',
  collections: [
    { type: 'Exe', enforcementMode: 'AuditOnly', rules: defaultRules('Exe') },
    { type: 'Script', enforcementMode: 'Enabled', rules: [...defaultRules('Script'), denyTemp] },
  ],
}

const rows: SimRow[] = [
  { path: 'C:\\Windows\\System32\\cmd.exe', line: 2 },
  { path: 'C:\\Users\\bob\\Downloads\\setup.exe', line: 3 },
  { path: 'C:\\Users\\bob\\Downloads\\setup.exe', user: 'S-1-5-21-1-2-3-1001', line: 4 },
  { path: 'C:\\Temp\\x.ps1', line: 5 },
  { path: 'C:\\Program Files\\App\\run.ps1', line: 6 },
  { path: 'C:\\Users\\bob\\readme.txt', line: 7 },
]

describe('principalFor', () => {
  it('takes the preset, adds valid custom SIDs once, and the row user when asked', () => {
    const p = principalFor({ preset: 'everyone', customSids: ['S-1-5-32-545', 'bogus', 's-1-1-0'], useRowUser: true }, rows[2])
    expect(p).toEqual({ user: 'S-1-5-21-1-2-3-1001', groups: [EVERYONE_SID, USERS_SID] })
    expect(principalFor({ preset: 'admin', customSids: [], useRowUser: false }, rows[2]).user).toBeUndefined()
    expect(principalFor({ preset: 'admin', customSids: [], useRowUser: true }, rows[0]).groups).toContain(ADMINISTRATORS_SID)
    expect(principalLabel(DEFAULT_PRINCIPAL_CHOICE)).toBe("Standard user (events: the event's user)")
  })

  it('passes "unelevated" on as Principal.elevated false, and names it', () => {
    const choice = { preset: 'admin' as const, customSids: [], useRowUser: false, elevated: false }
    expect(principalFor(choice)).toEqual({ groups: expect.arrayContaining([ADMINISTRATORS_SID]), elevated: false })
    expect(principalFor({ ...choice, elevated: true }).elevated).toBeUndefined()
    expect(principalLabel(choice)).toBe('Administrator, unelevated')
  })
})

describe('simulateSlice', () => {
  it('decides every row under the policy modes and under Enforce / Audit only', () => {
    const compiled = compilePolicy(policy)
    const b = new ResultsBuilder(rows.length)
    simulateSlice({ decide }, compiled, rows, DEFAULT_PRINCIPAL_CHOICE, b, 0, 3)
    simulateSlice({ decide }, compiled, rows, DEFAULT_PRINCIPAL_CHOICE, b, 3, rows.length)
    const r = b.results
    expect(resultRow(r, 0)).toMatchObject({ collection: 'Exe', decision: 'Allowed', effect: 'runs', enforceEffect: 'runs', eventId: 8002 })
    expect(resultRow(r, 0).rule?.name).toBe('(Default Rule) All files located in the Windows folder')
    expect(resultRow(r, 1)).toMatchObject({ collection: 'Exe', decision: 'DeniedByDefault', effect: 'audited', enforceEffect: 'blocked', auditEffect: 'audited', eventId: 8003 })
    // A PowerShell script the policy does not allow under enforcement runs in Constrained Language Mode (script-rules-in-applocker).
    expect(resultRow(r, 3)).toMatchObject({ collection: 'Script', decision: 'Denied', effect: 'constrained-language', enforceEffect: 'constrained-language', auditEffect: 'audited', eventId: 8007 })
    expect(resultRow(r, 3).rule?.name).toBe('No scripts from Temp')
    expect(resultRow(r, 4)).toMatchObject({ collection: 'Script', decision: 'Allowed', effect: 'runs' })
    expect(resultRow(r, 5)).toMatchObject({ collection: null, effect: 'not-governed' })

    // Each decision agrees with a direct call of the engine.
    for (let i = 0; i < rows.length; i++) {
      const d = decide(compiled, rows[i], principalFor(DEFAULT_PRINCIPAL_CHOICE, rows[i]), { explain: false })
      expect(resultRow(r, i).decision).toBe(d.decision)
      expect(resultRow(r, i).effect).toBe(d.effect)
    }

    const s = summarize(r)
    const exe = s.collections.find((c) => c.collection === 'Exe')!
    expect(exe.ifEnforced.blocked).toBe(2)
    expect(exe.effects.audited).toBe(2)
    const script = s.collections.find((c) => c.collection === 'Script')!
    expect(script.effects['constrained-language']).toBe(1)
    expect(script.ifAuditOnly.audited).toBe(1)
  })

  it('uses what-if modes instead of the policy\'s without changing the policy', () => {
    const compiled = compilePolicy(policy)
    const b = new ResultsBuilder(rows.length)
    simulateSlice({ decide }, compiled, rows, DEFAULT_PRINCIPAL_CHOICE, b, 0, rows.length, { Exe: 'Enabled', Script: 'AuditOnly' })
    expect(resultRow(b.results, 1)).toMatchObject({ collection: 'Exe', effect: 'blocked', enforceEffect: 'blocked', auditEffect: 'audited', eventId: 8004 })
    expect(resultRow(b.results, 3)).toMatchObject({ collection: 'Script', effect: 'audited', enforceEffect: 'constrained-language', eventId: 8006 })
    expect(policy.collections.map((c) => c.enforcementMode)).toEqual(['AuditOnly', 'Enabled'])
  })

  it('gives an administrator what the Administrators rule allows', () => {
    const compiled = compilePolicy(policy)
    const b = new ResultsBuilder(rows.length)
    simulateSlice({ decide }, compiled, rows, { preset: 'admin', customSids: [], useRowUser: false }, b, 0, rows.length)
    expect(resultRow(b.results, 1)).toMatchObject({ decision: 'Allowed', effect: 'runs' })
    expect(resultRow(b.results, 1).rule?.name).toBe('(Default Rule) All files')
  })
})

describe('testCommandsFor (issue 16 item 11: the command names the user the simulation ran as)', () => {
  const bob = 'S-1-5-21-1111111111-2222222222-3333333333-1001'
  const alice = 'S-1-5-21-1111111111-2222222222-3333333333-1002'
  const events: SimRow[] = [
    { path: 'C:\\a.exe', user: bob },
    { path: 'C:\\b.exe', user: alice },
    { path: 'C:\\a.exe', user: bob },
    { path: 'C:\\c.exe', user: bob },
  ]

  it("gives one command per event user when each event ran as its user", () => {
    expect(testCommandsFor('p.xml', events, DEFAULT_PRINCIPAL_CHOICE).split('\n')).toEqual([
      `Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\a.exe', 'C:\\c.exe' -User '${bob}'`,
      `Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\b.exe' -User '${alice}'`,
    ])
  })

  it('uses the chosen SID when the events are not tested for their own user, or for rows without a user', () => {
    const choice = { ...DEFAULT_PRINCIPAL_CHOICE, useRowUser: false, customSids: ['s-1-5-21-9-9-9-1005'] }
    expect(testCommandsFor('p.xml', events, choice)).toBe("Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\a.exe', 'C:\\b.exe', 'C:\\c.exe' -User 'S-1-5-21-9-9-9-1005'")
    expect(testCommandsFor('p.xml', [{ path: 'C:\\x.exe' }], { ...DEFAULT_PRINCIPAL_CHOICE, customSids: ['S-1-5-21-9-9-9-1005'] })).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\x.exe' -User 'S-1-5-21-9-9-9-1005'",
    )
  })

  it('leaves -User out when no user was chosen', () => {
    expect(testCommandsFor('p.xml', [{ path: 'C:\\x.exe' }], DEFAULT_PRINCIPAL_CHOICE)).toBe("Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\x.exe'")
  })

  it('tests packaged apps with -Packages (Get-AppxPackage -Name <package name>), not -Path', () => {
    const pkg = 'Contoso.NotesApp_3.2.1.0_x64__8wekyb3d8bbwe'
    const rowsWithApp: SimRow[] = [
      { path: 'C:\\a.exe', user: bob },
      { path: pkg, package: pkg, user: bob },
      { path: pkg, package: pkg, user: bob },
      { path: 'C:\\b.exe', user: alice },
    ]
    expect(testCommandsFor('p.xml', rowsWithApp, DEFAULT_PRINCIPAL_CHOICE).split('\n')).toEqual([
      `Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\a.exe' -User '${bob}'`,
      `Test-AppLockerPolicy -XmlPolicy 'p.xml' -Packages (Get-AppxPackage -Name 'Contoso.NotesApp') -User '${bob}'`,
      `Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\b.exe' -User '${alice}'`,
      '# Packaged apps are tested with -Packages: Get-AppxPackage finds the packages installed for the user who runs it (add -AllUsers, elevated, for packages installed only for others); with no match the command stops.',
    ])
    // A package row whose name cannot be read is left out, with a comment line (control characters cannot end the comment).
    expect(testCommandsFor('p.xml', [{ path: 'x', package: '??\nRemove-Item C:\\' }], DEFAULT_PRINCIPAL_CHOICE).split('\n')).toEqual([
      '# Left out ???Remove-Item C:\\: no package name could be read from it, and packaged apps are tested by package name.',
    ])
  })

  it('expands AppLocker path variables on the simulated machine, and leaves out what cannot be expanded', () => {
    const csv: SimRow[] = [
      { path: '%PROGRAMFILES%\\INTERNET EXPLORER\\IEXPLORE.EXE' },
      { path: '%SYSTEM32%\\cmd.exe' },
      { path: '%OSDRIVE%\\Tools\\x.exe' },
      { path: '%HOT%\\TOOLS\\X.EXE' },
      { path: '%USERPROFILE%\\x.exe' },
    ]
    const machine = { ...DEFAULT_MACHINE, osDrive: 'D:', hotDrives: [] }
    expect(testCommandsFor('p.xml', csv, DEFAULT_PRINCIPAL_CHOICE, machine).split('\n')).toEqual([
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\PROGRAM FILES\\INTERNET EXPLORER\\IEXPLORE.EXE', 'C:\\WINDOWS\\SYSTEM32\\CMD.EXE', 'D:\\TOOLS\\X.EXE'",
      '# Paths given as %PROGRAMFILES%\\... are tested in C:\\PROGRAM FILES, as the simulation read them; %PROGRAMFILES% also stands for C:\\PROGRAM FILES (X86).',
      '# Paths given as %SYSTEM32%\\... are tested in C:\\WINDOWS\\SYSTEM32, as the simulation read them; %SYSTEM32% also stands for C:\\WINDOWS\\SYSWOW64.',
      '# Left out %HOT%\\TOOLS\\X.EXE: the simulated machine has no location for %HOT% (AppLocker path variables are not environment variables).',
      '# Left out %USERPROFILE%\\x.exe: %USERPROFILE% is not an AppLocker path variable, and Test-AppLockerPolicy needs a path Windows can open.',
    ])
    // With the default machine the USB drive is E:.
    expect(testCommandsFor('p.xml', [{ path: '%HOT%\\TOOLS\\X.EXE' }], DEFAULT_PRINCIPAL_CHOICE)).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'E:\\TOOLS\\X.EXE'",
    )
    // Real paths stay as given.
    expect(testCommandsFor('p.xml', [{ path: 'C:\\Users\\bob\\x.exe' }], DEFAULT_PRINCIPAL_CHOICE, machine)).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'C:\\Users\\bob\\x.exe'",
    )
  })
})
