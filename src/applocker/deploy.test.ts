import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  APPLOCKER_LOGS,
  deployCommands,
  gpoGuidFromLdap,
  intuneCsp,
  newGrouping,
  packageNameOf,
  psQuote,
  recentEventsCommand,
  sanitizeGrouping,
  testAppLockerPackagesCommand,
  testAppLockerPolicyCommand,
  validateDeployTarget,
  type DeployTarget,
} from './deploy'
import { addDefaultRules } from './defaults'
import { setEnforcementMode } from './ops'
import { emptyPolicy, type Policy } from './policy'
import { readPolicy } from './xml/read'

const LDAP =
  'LDAP://DC13.Contoso.com/CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=Contoso,DC=com'
const policy = addDefaultRules(addDefaultRules(emptyPolicy(), 'Exe').policy, 'Appx').policy
const byId = (cmds: { id: string; command: string }[], id: string) => cmds.find((c) => c.id === id)?.command
const describe_ = (cmds: { id: string; description: string }[], id: string) => cmds.find((c) => c.id === id)?.description ?? ''
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('psQuote', () => {
  it('single-quotes and doubles embedded quotes, including typographic ones', () => {
    expect(psQuote('C:\\Policies\\p.xml')).toBe("'C:\\Policies\\p.xml'")
    expect(psQuote("O'Brien")).toBe("'O''Brien'")
    expect(psQuote('a\u2019b')).toBe("'a\u2019\u2019b'")
    expect(psQuote('$(Remove-Item C:\\) `n "x"')).toBe('\'$(Remove-Item C:\\) `n "x"\'')
  })
})

describe('deployCommands', () => {
  it('GPO with merge: export, import -Ldap -Merge, service, gpupdate, test, support URL', () => {
    const t: DeployTarget = {
      kind: 'gpo',
      ldap: LDAP,
      policyFile: "C:\\Policies\\Bob's policy.xml",
      merge: true,
      supportUrl: 'https://help.contoso.com/applocker',
      testPaths: ['C:\\Users\\Public\\tool.exe', 'C:\\Windows\\System32\\mshta.exe'],
      testUser: 'CONTOSO\\alice',
    }
    const cmds = deployCommands(policy, t)
    expect(cmds.map((c) => c.id)).toEqual([
      'export-gpo',
      'import-gpo',
      'appidsvc-gpo',
      'gpupdate',
      'appidsvc',
      'test',
      'events',
      'support-url',
    ])
    expect(byId(cmds, 'export-gpo')).toBe(
      `Get-AppLockerPolicy -Domain -Ldap '${LDAP}' -Xml | Out-File -LiteralPath 'C:\\Policies\\Bob''s policy-backup.xml' -Encoding Unicode`,
    )
    expect(byId(cmds, 'import-gpo')).toBe(
      `Set-AppLockerPolicy -XmlPolicy 'C:\\Policies\\Bob''s policy.xml' -Ldap '${LDAP}' -Merge`,
    )
    expect(byId(cmds, 'appidsvc')).toBe('sc.exe config appidsvc start= auto\nsc.exe start appidsvc')
    expect(byId(cmds, 'gpupdate')).toBe('gpupdate /force')
    expect(byId(cmds, 'test')).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'C:\\Policies\\Bob''s policy.xml' -Path 'C:\\Users\\Public\\tool.exe', 'C:\\Windows\\System32\\mshta.exe' -User 'CONTOSO\\alice'",
    )
    expect(byId(cmds, 'support-url')).toBe(
      "Set-GPRegistryValue -Guid '31B2F340-016D-11D2-945F-00C04FB984F9' -Key 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer' -ValueName 'AdminInfoUrl' -Type String -Value 'https://help.contoso.com/applocker'",
    )
    expect(cmds.find((c) => c.id === 'support-url')!.description).toMatch(/not confirmed/)
    expect(cmds.find((c) => c.id === 'import-gpo')!.description).toContain('4 rules')
  })

  it('GPO without merge replaces', () => {
    const cmds = deployCommands(policy, { kind: 'gpo', ldap: LDAP, policyFile: 'C:\\p.xml', merge: false })
    expect(byId(cmds, 'import-gpo')).toBe(`Set-AppLockerPolicy -XmlPolicy 'C:\\p.xml' -Ldap '${LDAP}'`)
    expect(cmds.find((c) => c.id === 'import-gpo')!.title).toMatch(/Replace/)
    expect(byId(cmds, 'support-url')).toBeUndefined()
  })

  it('local: Set-AppLockerPolicy without -Ldap, registry support URL, no gpupdate', () => {
    const cmds = deployCommands(policy, {
      kind: 'local',
      policyFile: 'D:\\x\\policy',
      merge: true,
      supportUrl: "https://x.test/?a='1'",
    })
    expect(cmds.map((c) => c.id)).toEqual([
      'export-local',
      'import-local',
      'appidsvc',
      'test',
      'events',
      'support-url',
    ])
    expect(byId(cmds, 'export-local')).toBe(
      "Get-AppLockerPolicy -Local -Xml | Out-File -LiteralPath 'D:\\x\\policy-backup.xml' -Encoding Unicode",
    )
    expect(byId(cmds, 'import-local')).toBe("Set-AppLockerPolicy -XmlPolicy 'D:\\x\\policy' -Merge")
    expect(byId(cmds, 'test')).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'D:\\x\\policy' -Path 'C:\\Windows\\System32\\notepad.exe'",
    )
    expect(byId(cmds, 'support-url')).toBe(
      [
        "$key = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer'",
        'if (-not (Test-Path -LiteralPath $key)) { New-Item -Path $key -Force | Out-Null }',
        "Set-ItemProperty -Path $key -Name 'AdminInfoUrl' -Value 'https://x.test/?a=''1''' -Type String",
      ].join('\n'),
    )
  })

  it('never runs New-Item -Force on a registry key that may exist (it would wipe the key\'s other values)', () => {
    for (const kind of ['gpo', 'local', 'intune'] as const) {
      const cmds = deployCommands(policy, { kind, ldap: LDAP, policyFile: 'C:\\p.xml', merge: false, supportUrl: 'https://x.test' })
      for (const c of cmds)
        for (const line of c.command.split('\n'))
          if (/New-Item\b/.test(line)) expect(line).toMatch(/^if \(-not \(Test-Path -LiteralPath \$key\)\) \{ New-Item -Path \$key -Force \| Out-Null \}$/)
    }
    expect(byId(deployCommands(policy, { kind: 'local', policyFile: 'C:\\p.xml', merge: false, supportUrl: 'https://x.test' }), 'support-url')).toContain(
      'Test-Path -LiteralPath $key',
    )
  })

  it('saves backups with Out-File -LiteralPath (no > redirection), so [ ] in the path work in Windows PowerShell 5.1', () => {
    for (const kind of ['gpo', 'local'] as const) {
      const cmds = deployCommands(policy, { kind, ldap: LDAP, policyFile: 'C:\\Pol[1]\\p.xml', merge: false })
      const backup = byId(cmds, `export-${kind}`)!
      expect(backup).toMatch(/ \| Out-File -LiteralPath 'C:\\Pol\[1\]\\p-backup\.xml' -Encoding Unicode$/)
      for (const c of cmds) expect(c.command).not.toMatch(/(^|\s)\d?>>?\s/)
    }
  })

  it('GPO: the Application Identity service set to Automatic in the GPO is a required step; sc.exe is the per-machine alternative', () => {
    const cmds = deployCommands(policy, { kind: 'gpo', ldap: LDAP, policyFile: 'C:\\p.xml', merge: false })
    const gpo = cmds.find((c) => c.id === 'appidsvc-gpo')!
    expect(gpo.setting).toBe(true)
    expect(gpo.command).toBe(
      'Computer Configuration\\Policies\\Windows Settings\\Security Settings\\System Services\\Application Identity\nDefine this policy setting, service startup mode: Automatic',
    )
    expect(gpo.description).toMatch(/^Required with Group Policy: Microsoft says you must configure the Application Identity service/)
    expect(cmds.findIndex((c) => c.id === 'appidsvc-gpo')).toBeLessThan(cmds.findIndex((c) => c.id === 'appidsvc'))
    expect(byId(cmds, 'appidsvc')).toBe('sc.exe config appidsvc start= auto\nsc.exe start appidsvc')
    expect(describe_(cmds, 'appidsvc')).toMatch(/on a test machine the GPO does not reach/)
    expect(describe_(cmds, 'appidsvc')).not.toMatch(/you can instead/)
    // The local target has no GPO: sc.exe is the way, and no GPO step is listed.
    const local = deployCommands(policy, { kind: 'local', policyFile: 'C:\\p.xml', merge: false })
    expect(byId(local, 'appidsvc-gpo')).toBeUndefined()
    expect(describe_(local, 'appidsvc')).toMatch(/^AppLocker enforces and audits nothing while the Application Identity service/)
  })

  it('reads all four AppLocker logs, skipping empty or missing ones', () => {
    const cmds = deployCommands(policy, { kind: 'local', policyFile: 'C:\\p.xml', merge: false })
    expect(byId(cmds, 'events')).toBe(recentEventsCommand())
    expect(recentEventsCommand()).toBe(
      [
        "'Microsoft-Windows-AppLocker/EXE and DLL', 'Microsoft-Windows-AppLocker/MSI and Script', 'Microsoft-Windows-AppLocker/Packaged app-Execution', 'Microsoft-Windows-AppLocker/Packaged app-Deployment' |",
        '  ForEach-Object { Get-WinEvent -LogName $_ -MaxEvents 50 -ErrorAction SilentlyContinue } |',
        '  Sort-Object TimeCreated -Descending | Select-Object -First 50 |',
        '  Format-Table TimeCreated, Id, Message -Wrap',
      ].join('\n'),
    )
    expect(APPLOCKER_LOGS).toHaveLength(4)
    expect(describe_(cmds, 'events')).toMatch(/MSI and Script \(8005-8007\), Packaged app-Execution \(8020-8022\) and Packaged app-Deployment \(8023-8025\)/)
  })

  it('merge descriptions do not say which copy of a duplicate Id survives, and both name the enforcement-mode conflict', () => {
    for (const kind of ['gpo', 'local'] as const) {
      const d = describe_(deployCommands(policy, { kind, ldap: LDAP, policyFile: 'C:\\p.xml', merge: true }), `import-${kind}`)
      expect(d).not.toMatch(/skipped/)
      expect(d).toContain('Windows keeps one of them; Microsoft does not say which copy')
      expect(d).toMatch(/Microsoft documents the resulting enforcement mode inconsistently/)
    }
  })

  it('test step: does not claim a default user, and asks for one when none is given', () => {
    const none = describe_(deployCommands(policy, { kind: 'local', policyFile: 'C:\\p.xml', merge: false }), 'test')
    expect(none).toContain("Microsoft's documentation gives no default for -User")
    expect(none).not.toMatch(/Everyone/)
    const named = describe_(deployCommands(policy, { kind: 'local', policyFile: 'C:\\p.xml', merge: false, testUser: 'CONTOSO\\bob' }), 'test')
    expect(named).not.toContain('no default for -User')
  })

  it('intune lists the OMA-URIs', () => {
    const cmds = deployCommands(policy, { kind: 'intune', policyFile: 'p.xml', merge: false })
    expect(byId(cmds, 'intune')).toBe(
      './Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/AppLocker/EXE/Policy\n./Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/AppLocker/StoreApps/Policy',
    )
  })

  it('intune: the support URL as the ADMX-backed value (<enabled/> and its data element), escaped for XML', () => {
    const cmds = deployCommands(policy, { kind: 'intune', policyFile: 'p.xml', merge: false, supportUrl: 'https://help.contoso.com/x?a=1&b="2"' })
    expect(byId(cmds, 'support-url')).toBe(
      './Device/Vendor/MSFT/Policy/Config/ADMX_Explorer/AdminInfoUrl\n<enabled/><data id="AdminInfoUrl_TextBox" value="https://help.contoso.com/x?a=1&amp;b=&quot;2&quot;"/>',
    )
  })

  it("intune uses the target's grouping, the same as intuneCsp's", () => {
    const grouping = '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f'
    const cmds = deployCommands(policy, { kind: 'intune', policyFile: 'p.xml', merge: false, grouping })
    expect(byId(cmds, 'intune')).toBe(intuneCsp(policy, grouping).map((c) => c.omaUri).join('\n'))
    expect(byId(cmds, 'intune')).toContain(`/ApplicationLaunchRestrictions/${grouping}/EXE/Policy`)
    expect(byId(cmds, 'intune')).not.toContain('/AppLocker/EXE/')
  })

  it('intune: a note on the Application Identity service that does not guess what the CSP does', () => {
    const cmds = deployCommands(policy, { kind: 'intune', policyFile: 'p.xml', merge: false })
    expect(cmds.map((c) => c.id)).toEqual(['intune', 'appidsvc'])
    expect(byId(cmds, 'appidsvc')).toBe('sc.exe query appidsvc')
    expect(describe_(cmds, 'appidsvc')).toContain(
      "Microsoft's AppLocker CSP documentation does not say whether a policy delivered this way starts the service or sets it to start automatically",
    )
  })
})

describe('newGrouping', () => {
  it('is a random GUID, a different one each time', () => {
    const a = newGrouping()
    expect(a).toMatch(GUID)
    expect(newGrouping()).not.toBe(a)
    expect(sanitizeGrouping(a)).toBe(a)
  })
})

describe('testAppLockerPolicyCommand', () => {
  it('quotes every path and the user, and adds a filter', () => {
    expect(
      testAppLockerPolicyCommand('p.xml', [' a b.exe ', ''], "O'Neil", ['Denied', 'DeniedByDefault']),
    ).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Path 'a b.exe' -User 'O''Neil' -Filter Denied,DeniedByDefault",
    )
  })
})

describe('testAppLockerPackagesCommand', () => {
  it('passes packaged apps to -Packages through Get-AppxPackage by package name', () => {
    expect(testAppLockerPackagesCommand('p.xml', ['Contoso.NotesApp'], 'S-1-5-21-1-2-3-1001')).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Packages (Get-AppxPackage -Name 'Contoso.NotesApp') -User 'S-1-5-21-1-2-3-1001'",
    )
    expect(testAppLockerPackagesCommand('p.xml', ['Contoso.NotesApp', 'Fabrikam.Viewer', 'Contoso.NotesApp'], undefined, ['Denied'])).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'p.xml' -Packages (Get-AppxPackage | Where-Object Name -in 'Contoso.NotesApp', 'Fabrikam.Viewer') -Filter Denied",
    )
    expect(testAppLockerPackagesCommand('p.xml', [' '])).toBe('')
  })

  it('packageNameOf: the name of a package full name, family name or install folder', () => {
    expect(packageNameOf('Contoso.NotesApp_3.2.1.0_x64__8wekyb3d8bbwe')).toBe('Contoso.NotesApp')
    expect(packageNameOf('Contoso.NotesApp_8wekyb3d8bbwe')).toBe('Contoso.NotesApp')
    expect(packageNameOf('C:\\Program Files\\WindowsApps\\Microsoft.WindowsCalculator_11.2307.4.0_x64__8wekyb3d8bbwe')).toBe(
      'Microsoft.WindowsCalculator',
    )
    expect(packageNameOf("x'; Remove-Item C:\\ #_1.0.0.0_x64__abc")).toBeNull()
    expect(packageNameOf('')).toBeNull()
  })
})

describe('validateDeployTarget', () => {
  it('accepts good values and explains bad ones', () => {
    expect(
      validateDeployTarget({
        kind: 'gpo',
        ldap: LDAP,
        policyFile: 'C:\\p.xml',
        merge: true,
        supportUrl: 'https://x.test',
      }),
    ).toEqual([])
    expect(
      validateDeployTarget({
        kind: 'gpo',
        ldap: 'CN=x',
        policyFile: '',
        merge: true,
        supportUrl: 'javascript:alert(1)',
      }),
    ).toHaveLength(3)
    expect(
      validateDeployTarget({
        kind: 'gpo',
        ldap: 'LDAP://dc/DC=contoso,DC=com',
        policyFile: 'C:\\a|b.xml',
        merge: true,
      }),
    ).toHaveLength(2)
    expect(
      validateDeployTarget({ kind: 'local', policyFile: 'C:\\p.xml', merge: true, testPaths: ['a\nb'] }),
    ).toHaveLength(1)
    // A test path in AppLocker's variable form is not a path Windows can open.
    expect(
      validateDeployTarget({
        kind: 'local',
        policyFile: 'C:\\p.xml',
        merge: true,
        testPaths: ['%PROGRAMFILES%\\INTERNET EXPLORER\\IEXPLORE.EXE', 'C:\\Windows\\notepad.exe'],
      }),
    ).toEqual([
      'The test path "%PROGRAMFILES%\\INTERNET EXPLORER\\IEXPLORE.EXE" starts with a variable: Test-AppLockerPolicy needs the real path (AppLocker path variables such as %PROGRAMFILES% are not environment variables).',
    ])
    expect(gpoGuidFromLdap(LDAP)).toBe('{31B2F340-016D-11D2-945F-00C04FB984F9}')
  })
})

describe('intuneCsp', () => {
  it('one bare RuleCollection per non-empty collection with its OMA-URI', () => {
    let p: Policy = addDefaultRules(policy, 'Msi').policy
    p = addDefaultRules(p, 'Script').policy
    p = addDefaultRules(p, 'Dll').policy
    p = setEnforcementMode(p, 'Exe', 'AuditOnly')
    p = { ...p, collections: [...p.collections, { type: null, enforcementMode: 'NotConfigured', rules: [] }] }
    const out = intuneCsp(p, '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f')
    expect(out.map((o) => [o.collection, o.omaUri.split('/').slice(-3).join('/')])).toEqual([
      ['Exe', '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f/EXE/Policy'],
      ['Appx', '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f/StoreApps/Policy'],
      ['Msi', '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f/MSI/Policy'],
      ['Script', '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f/Script/Policy'],
      ['Dll', '7d9c6f4e-8a5b-4c3d-9e2f-1a0b2c3d4e5f/DLL/Policy'],
    ])
    const exe = out[0]
    expect(exe.xml.startsWith('<RuleCollection Type="Exe" EnforcementMode="AuditOnly"')).toBe(true)
    expect(exe.xml).not.toContain('<?xml')
    expect(exe.xml).not.toContain('AppLockerPolicy')
    // The fragment reads back as the same collection.
    const back = readPolicy(`<AppLockerPolicy Version="1">${exe.xml}</AppLockerPolicy>`)
    expect(back.value?.collections[0].rules.map((r) => r.id)).toEqual(p.collections[0].rules.map((r) => r.id))
  })

  it('leaves out empty Not configured collections and sanitises the grouping', () => {
    const p: Policy = {
      version: '1',
      collections: [{ type: 'Dll', enforcementMode: 'NotConfigured', rules: [] }],
    }
    expect(intuneCsp(p)).toEqual([])
    expect(sanitizeGrouping(' my/group ')).toBe('mygroup')
    expect(sanitizeGrouping('///')).toBe('AppLocker')
  })

  it('matches the shape of a real Intune fragment from the corpus', () => {
    const frag = readFileSync(
      fileURLToPath(
        new URL('./__fixtures__/corpus/fragments/ukncsc-intune-exe-rulecollection.xml', import.meta.url),
      ),
      'utf8',
    )
    const body = frag.replace(/^<\?xml[^>]*>\s*/, '')
    const read = readPolicy(`<AppLockerPolicy Version="1">${body}</AppLockerPolicy>`)
    expect(read.value).not.toBeNull()
    const out = intuneCsp(read.value!)
    expect(out).toHaveLength(1)
    const again = readPolicy(`<AppLockerPolicy Version="1">${out[0].xml}</AppLockerPolicy>`)
    expect(again.value!.collections[0].rules).toEqual(read.value!.collections[0].rules)
  })
})
