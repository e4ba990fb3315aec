import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  deployCommands,
  gpoGuidFromLdap,
  intuneCsp,
  psQuote,
  sanitizeGrouping,
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
      'appidsvc',
      'gpupdate',
      'test',
      'events',
      'support-url',
    ])
    expect(byId(cmds, 'export-gpo')).toBe(
      `Get-AppLockerPolicy -Domain -Ldap '${LDAP}' -Xml > 'C:\\Policies\\Bob''s policy-backup.xml'`,
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
    expect(byId(cmds, 'export-local')).toBe("Get-AppLockerPolicy -Local -Xml > 'D:\\x\\policy-backup.xml'")
    expect(byId(cmds, 'import-local')).toBe("Set-AppLockerPolicy -XmlPolicy 'D:\\x\\policy' -Merge")
    expect(byId(cmds, 'test')).toBe(
      "Test-AppLockerPolicy -XmlPolicy 'D:\\x\\policy' -Path 'C:\\Windows\\System32\\notepad.exe'",
    )
    expect(byId(cmds, 'support-url')).toBe(
      "New-Item -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer' -Force | Out-Null\nSet-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer' -Name 'AdminInfoUrl' -Value 'https://x.test/?a=''1''' -Type String",
    )
  })

  it('intune lists the OMA-URIs', () => {
    const cmds = deployCommands(policy, { kind: 'intune', policyFile: 'p.xml', merge: false })
    expect(byId(cmds, 'intune')).toBe(
      './Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/AppLocker/EXE/Policy\n./Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/AppLocker/StoreApps/Policy',
    )
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
