/**
 * "Deploy...": the exact commands a Windows administrator runs to put the policy on machines
 * (APPLOCKER.md section 7, reference/applocker-deep.md sections 7 and 10.6), filled in with the
 * user's values. Every value is written as a PowerShell single-quoted string, so nothing in it is
 * expanded or run.
 */
import { ruleCount, type CollectionType, type Policy } from './policy'
import { writeRuleCollectionXml } from './xml/write'

export interface DeployTarget {
  kind: 'gpo' | 'local' | 'intune'
  /** LDAP path of one GPO: LDAP://DC/CN={GUID},CN=Policies,CN=System,DC=contoso,DC=com */
  ldap?: string
  /** Where the user saves the downloaded policy XML on the Windows machine. */
  policyFile: string
  /** Add to the existing rules (Set-AppLockerPolicy -Merge) instead of replacing them. */
  merge: boolean
  /** URL shown by the "More information" link when an app is blocked. */
  supportUrl?: string
  /** Files to check with Test-AppLockerPolicy. */
  testPaths?: string[]
  /** User or group to test for (name, DOMAIN\name or SID). */
  testUser?: string
}

export interface DeployCommand {
  id: string
  title: string
  description: string
  command: string
}

/**
 * A PowerShell single-quoted string literal. Inside single quotes PowerShell expands nothing; a
 * quote is written twice. PowerShell also treats the typographic quotes ‘ ’ ‚ ‛ as single quotes,
 * so they are doubled too.
 */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`
}

/** The GPO GUID inside an LDAP path (`CN={GUID},CN=Policies,...`), or null. */
export function gpoGuidFromLdap(ldap: string): string | null {
  const m = /CN=(\{[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\})\s*,\s*CN=Policies/i.exec(ldap)
  return m ? m[1] : null
}

/** Problems with the user's values, as sentences for the form (empty when all is well). */
export function validateDeployTarget(target: DeployTarget): string[] {
  const out: string[] = []
  const control = {
    test: (v: string) => [...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
  }
  if (target.policyFile.trim() === '')
    out.push('Enter the path where the policy XML file will be on the Windows machine.')
  else if (control.test(target.policyFile))
    out.push('The policy file path contains a line break or control character.')
  else if (/[<>"|?*]/.test(target.policyFile.replace(/^[A-Za-z]:/, '')))
    out.push('The policy file path contains a character Windows does not allow in file names (< > " | ? *).')
  if (target.kind === 'gpo') {
    const ldap = target.ldap?.trim() ?? ''
    if (ldap === '')
      out.push(
        'Enter the LDAP path of the GPO, e.g. LDAP://DC1.contoso.com/CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=contoso,DC=com.',
      )
    else if (!/^LDAP:\/\//i.test(ldap)) out.push('The GPO path must start with LDAP://.')
    else if (!gpoGuidFromLdap(ldap))
      out.push('The GPO path must name one GPO: CN={GPO GUID},CN=Policies,CN=System,DC=...')
    else if (control.test(ldap)) out.push('The GPO path contains a line break or control character.')
  }
  if (target.supportUrl !== undefined && target.supportUrl.trim() !== '') {
    let ok: boolean
    try {
      const u = new URL(target.supportUrl.trim())
      ok = u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      ok = false
    }
    if (!ok) out.push('The support web page must be a full http:// or https:// address.')
  }
  for (const p of target.testPaths ?? [])
    if (control.test(p)) out.push(`The test path "${p.trim()}" contains a line break or control character.`)
  if (target.testUser !== undefined && control.test(target.testUser))
    out.push('The test user contains a line break or control character.')
  return out
}

/** A sibling file name for the backup: C:\x\policy.xml -> C:\x\policy-backup.xml. */
function backupFileFor(policyFile: string): string {
  const f = policyFile.trim()
  return /\.xml$/i.test(f) ? f.replace(/\.xml$/i, '-backup.xml') : `${f}-backup.xml`
}

export type TestDecisionFilter = 'Allowed' | 'AllowedByDefault' | 'Denied' | 'DeniedByDefault'

/** The test paths used when the user gave none (a file every Windows machine has). */
export const DEFAULT_TEST_PATHS: readonly string[] = ['C:\\Windows\\System32\\notepad.exe']

/**
 * `Test-AppLockerPolicy -XmlPolicy <file> -Path <files> [-User <user>] [-Filter ...]`: which rule
 * decides each file for the user (PolicyDecision Allowed, Denied, DeniedByDefault,
 * AllowedByDefault). Without a user, the cmdlet tests for Everyone.
 */
export function testAppLockerPolicyCommand(
  policyFile: string,
  paths: readonly string[],
  user?: string,
  filter?: readonly TestDecisionFilter[],
): string {
  const files = paths.map((p) => p.trim()).filter((p) => p !== '')
  const list = (files.length ? files : DEFAULT_TEST_PATHS).map(psQuote).join(', ')
  let cmd = `Test-AppLockerPolicy -XmlPolicy ${psQuote(policyFile.trim())} -Path ${list}`
  if (user && user.trim() !== '') cmd += ` -User ${psQuote(user.trim())}`
  if (filter && filter.length) cmd += ` -Filter ${filter.join(',')}`
  return cmd
}

const SUPPORT_URL_KEY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer'
const SUPPORT_URL_VALUE = 'AdminInfoUrl'

/** The commands for a target, in the order to run them. */
export function deployCommands(policy: Policy, target: DeployTarget): DeployCommand[] {
  const file = psQuote(target.policyFile.trim())
  const backup = psQuote(backupFileFor(target.policyFile))
  const ldap = target.ldap ? psQuote(target.ldap.trim()) : null
  const merge = target.merge ? ' -Merge' : ''
  const rules = ruleCount(policy)
  const out: DeployCommand[] = []

  if (target.kind === 'intune') {
    out.push({
      id: 'intune',
      title: 'Intune: one custom OMA-URI setting per rule collection',
      description:
        'In Intune, create a Custom configuration profile (Windows 10 and later) and add one OMA-URI setting per collection below, data type String, value the XML fragment. Policies delivered this way are invisible to Get-AppLockerPolicy and Set-AppLockerPolicy.',
      command: intuneCsp(policy)
        .map((c) => c.omaUri)
        .join('\n'),
    })
  } else if (target.kind === 'gpo' && ldap) {
    out.push({
      id: 'export-gpo',
      title: "Back up the GPO's current AppLocker policy",
      description:
        'Saves the AppLocker policy the GPO holds now, so it can be restored. Run in Windows PowerShell 5.1 with the Group Policy Management tools (RSAT) installed.',
      command: `Get-AppLockerPolicy -Domain -Ldap ${ldap} -Xml > ${backup}`,
    })
    out.push({
      id: 'import-gpo',
      title: target.merge ? 'Merge the policy into the GPO' : "Replace the GPO's AppLocker policy",
      description: target.merge
        ? `Adds the ${rules} ${rules === 1 ? 'rule' : 'rules'} of ${target.policyFile.trim()} to the rules already in the GPO; rules whose Id is already there are skipped. Microsoft documents the resulting enforcement mode inconsistently (the target's, or the more restrictive one): check it afterwards in the GPO.`
        : `Replaces every AppLocker rule and enforcement setting in the GPO with the ${rules} ${rules === 1 ? 'rule' : 'rules'} of ${target.policyFile.trim()}.`,
      command: `Set-AppLockerPolicy -XmlPolicy ${file} -Ldap ${ldap}${merge}`,
    })
  } else if (target.kind === 'local') {
    out.push({
      id: 'export-local',
      title: 'Back up the local AppLocker policy',
      description:
        'Saves the local policy as it is now, so it can be restored. Run in an elevated Windows PowerShell 5.1.',
      command: `Get-AppLockerPolicy -Local -Xml > ${backup}`,
    })
    out.push({
      id: 'import-local',
      title: target.merge ? 'Merge the policy into the local policy' : 'Replace the local AppLocker policy',
      description: target.merge
        ? `Adds the ${rules} ${rules === 1 ? 'rule' : 'rules'} of ${target.policyFile.trim()} to the local policy; rules whose Id is already there are skipped. Policies from Group Policy still take precedence for enforcement settings.`
        : `Replaces the local AppLocker rules and enforcement settings with the ${rules} ${rules === 1 ? 'rule' : 'rules'} of ${target.policyFile.trim()}. Policies from Group Policy still apply on top.`,
      command: `Set-AppLockerPolicy -XmlPolicy ${file}${merge}`,
    })
  }

  if (target.kind !== 'intune') {
    out.push({
      id: 'appidsvc',
      title: 'Start the Application Identity service',
      description:
        'AppLocker enforces and audits nothing while the Application Identity service (AppIDSvc) is stopped. Run elevated on each machine (sc.exe, not Set-Service: the service is protected). With Group Policy, you can instead set it to Automatic under Computer Configuration\\Windows Settings\\Security Settings\\System Services.',
      command: 'sc.exe config appidsvc start= auto\nsc.exe start appidsvc',
    })
    if (target.kind === 'gpo') {
      out.push({
        id: 'gpupdate',
        title: 'Refresh Group Policy',
        description:
          'Applies the changed GPO on a machine now instead of at the next refresh. Then look for event 8001 (policy applied) in the AppLocker log.',
        command: 'gpupdate /force',
      })
    }
    out.push({
      id: 'test',
      title: 'Check files against the policy',
      description:
        'Shows, for each file, whether the policy allows it for the user and which rule decides (PolicyDecision Allowed, Denied, DeniedByDefault or AllowedByDefault). Groups are not expanded: test with a representative user.',
      command: testAppLockerPolicyCommand(target.policyFile, target.testPaths ?? [], target.testUser),
    })
    out.push({
      id: 'events',
      title: 'Read recent AppLocker events',
      description:
        'Lists the latest allowed, audited and blocked executable and DLL events (IDs 8002-8004) on this machine.',
      command:
        "Get-WinEvent -LogName 'Microsoft-Windows-AppLocker/EXE and DLL' -MaxEvents 50 | Format-Table TimeCreated, Id, Message -Wrap",
    })
  }

  if (target.supportUrl && target.supportUrl.trim() !== '') {
    const url = psQuote(target.supportUrl.trim())
    const guid = target.kind === 'gpo' && target.ldap ? gpoGuidFromLdap(target.ldap) : null
    const explain =
      'The "More information" link of the message users see when an app is blocked. Group Policy setting: Computer Configuration\\Policies\\Administrative Templates\\Windows Components\\File Explorer\\Set a support web page link (Enabled, Support Web page URL). The registry form is HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer; the value name AdminInfoUrl is taken from the ADMX policy name and is not confirmed by Microsoft\'s documentation, so prefer the Group Policy setting when you can.'
    if (guid) {
      out.push({
        id: 'support-url',
        title: 'Set the support web page shown when an app is blocked',
        description: `${explain} This command writes it into the same GPO (needs the GroupPolicy module).`,
        command: `Set-GPRegistryValue -Guid ${psQuote(guid.slice(1, -1))} -Key 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer' -ValueName '${SUPPORT_URL_VALUE}' -Type String -Value ${url}`,
      })
    } else if (target.kind === 'intune') {
      out.push({
        id: 'support-url',
        title: 'Set the support web page shown when an app is blocked',
        description: `${explain} In Intune, use the settings catalog entry "Set a support web page link" (Administrative Templates > Windows Components > File Explorer), or the ADMX-backed OMA-URI below with <enabled/> and the URL (the data element id is defined in Explorer.admx; we have not verified it). Apps blocked through the AppLocker CSP show no message at all.`,
        command: `./Device/Vendor/MSFT/Policy/Config/ADMX_Explorer/AdminInfoUrl\n${target.supportUrl.trim()}`,
      })
    } else {
      out.push({
        id: 'support-url',
        title: 'Set the support web page shown when an app is blocked',
        description: `${explain} This command sets it on the local machine (elevated PowerShell).`,
        command: `New-Item -Path '${SUPPORT_URL_KEY}' -Force | Out-Null\nSet-ItemProperty -Path '${SUPPORT_URL_KEY}' -Name '${SUPPORT_URL_VALUE}' -Value ${url} -Type String`,
      })
    }
  }
  return out
}

/** OMA-URI node names of the AppLocker CSP per collection type. */
export const CSP_NODE: Record<CollectionType, string> = {
  Exe: 'EXE',
  Msi: 'MSI',
  Script: 'Script',
  Appx: 'StoreApps',
  Dll: 'DLL',
}

export interface CspSetting {
  collection: CollectionType
  omaUri: string
  /** Data type to choose in Intune. */
  dataType: 'String'
  /** One bare <RuleCollection> element. */
  xml: string
}

/** Letters, digits, '-', '_' and '.': a safe OMA-URI node name ("AppLocker" when nothing is left). */
export function sanitizeGrouping(grouping: string): string {
  const g = grouping.trim().replace(/[^A-Za-z0-9_.-]/g, '')
  return g === '' ? 'AppLocker' : g
}

/**
 * The Intune (AppLocker CSP) form: one bare <RuleCollection> per collection with its OMA-URI
 * ./Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/{Grouping}/{EXE|MSI|Script|StoreApps|DLL}/Policy.
 * Collections with no rules and Not configured are left out (they would deploy nothing), as are
 * collections of unknown type. Microsoft advises a random GUID as the grouping.
 */
export function intuneCsp(policy: Policy, grouping = 'AppLocker'): CspSetting[] {
  const g = sanitizeGrouping(grouping)
  const out: CspSetting[] = []
  for (const c of policy.collections) {
    if (c.type === null) continue
    if (c.rules.length === 0 && c.enforcementMode === 'NotConfigured') continue
    out.push({
      collection: c.type,
      omaUri: `./Vendor/MSFT/AppLocker/ApplicationLaunchRestrictions/${g}/${CSP_NODE[c.type]}/Policy`,
      dataType: 'String',
      xml: writeRuleCollectionXml(c),
    })
  }
  return out
}
