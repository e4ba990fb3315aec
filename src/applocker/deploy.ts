/**
 * "Deploy...": the exact commands a Windows administrator runs to put the policy on machines
 * (APPLOCKER.md section 7, reference/applocker-deep.md sections 7 and 10.6), filled in with the
 * user's values. Every value is written as a PowerShell single-quoted string, so nothing in it is
 * expanded or run.
 */
import { newRuleId, ruleCount, type CollectionType, type Policy } from './policy'
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
  /**
   * Intune: the {Grouping} node of the AppLocker CSP OMA-URIs (sanitizeGrouping; "AppLocker" when
   * absent). Microsoft: "the Grouping value should include some randomness. The best practice is to
   * use a randomly generated GUID" (newGrouping).
   */
  grouping?: string
}

export interface DeployCommand {
  id: string
  title: string
  description: string
  /** What to copy: a command, or (when `setting`) where a setting is made in an editor. */
  command: string
  /** The step is a Group Policy setting made in the Group Policy Management Editor, not a command. */
  setting?: boolean
}

/** A new Intune grouping: a random GUID, as Microsoft advises for the AppLocker CSP. */
export function newGrouping(): string {
  return newRuleId()
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
    else if (/^\s*"?%[^%\\]*%/.test(p))
      out.push(
        `The test path "${p.trim()}" starts with a variable: Test-AppLockerPolicy needs the real path (AppLocker path variables such as %PROGRAMFILES% are not environment variables).`,
      )
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
 * AllowedByDefault). Pass a user: Microsoft's reference gives -User "Default value: None" and does
 * not say whom the cmdlet tests without it (reference/applocker-deep.md section 3.2). `paths` are
 * files as Windows opens them (real paths, not AppLocker's variable form); packaged apps go to
 * testAppLockerPackagesCommand.
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

/**
 * The package name in a package full name, family name or install folder
 * (`Contoso.NotesApp_3.2.1.0_x64__8wekyb3d8bbwe` -> `Contoso.NotesApp`): the text before the first
 * `_` of the last path segment, when it is a valid package name (3 to 50 of A-Z a-z 0-9 . -); else null.
 */
export function packageNameOf(pkg: string): string | null {
  const last = pkg.trim().split(/[\\/]/).pop() ?? ''
  const name = last.split('_')[0]
  return /^[-.A-Za-z0-9]{3,50}$/.test(name) ? name : null
}

/**
 * Test-AppLockerPolicy for packaged apps: they are not files for -Path but AppxPackage objects for
 * -Packages (there is no -PackageName parameter; reference/applocker-deep.md section 3.5), taken
 * from Get-AppxPackage by package name:
 * `Test-AppLockerPolicy -XmlPolicy <file> -Packages (Get-AppxPackage -Name 'Contoso.NotesApp') [-User <user>]`.
 * Get-AppxPackage without -AllUsers lists the packages installed for the user who runs it, and
 * needs no elevation. Empty when no name is given.
 */
export function testAppLockerPackagesCommand(
  policyFile: string,
  packageNames: readonly string[],
  user?: string,
  filter?: readonly TestDecisionFilter[],
): string {
  const names = [...new Set(packageNames.map((n) => n.trim()).filter((n) => n !== ''))]
  if (names.length === 0) return ''
  const packages =
    names.length === 1
      ? `(Get-AppxPackage -Name ${psQuote(names[0])})`
      : `(Get-AppxPackage | Where-Object Name -in ${names.map(psQuote).join(', ')})`
  let cmd = `Test-AppLockerPolicy -XmlPolicy ${psQuote(policyFile.trim())} -Packages ${packages}`
  if (user && user.trim() !== '') cmd += ` -User ${psQuote(user.trim())}`
  if (filter && filter.length) cmd += ` -Filter ${filter.join(',')}`
  return cmd
}

/**
 * `Get-AppLockerPolicy ... -Xml` saved to a file. Not `> file`: in Windows PowerShell 5.1 redirection
 * takes the target as a wildcard pattern, so a path with [ or ] fails; Out-File -LiteralPath does not.
 * The string has no XML declaration (reference/applocker-deep.md section 1.3), so any encoding with
 * a byte order mark reads back as valid XML; Unicode (UTF-16 LE with BOM) is what `>` wrote in 5.1.
 */
function saveXmlCommand(getPolicy: string, file: string): string {
  return `${getPolicy} | Out-File -LiteralPath ${psQuote(file)} -Encoding Unicode`
}

/** The four AppLocker event logs (reference/applocker-deep.md section 8.1). */
export const APPLOCKER_LOGS: readonly string[] = [
  'Microsoft-Windows-AppLocker/EXE and DLL',
  'Microsoft-Windows-AppLocker/MSI and Script',
  'Microsoft-Windows-AppLocker/Packaged app-Execution',
  'Microsoft-Windows-AppLocker/Packaged app-Deployment',
]

/**
 * The latest AppLocker events of every log: the latest 50 of each log (an empty or missing log, as the
 * packaged-app logs on Windows 7, is skipped: -ErrorAction SilentlyContinue), newest first, 50 in all.
 */
export function recentEventsCommand(max = 50): string {
  return [
    `${APPLOCKER_LOGS.map(psQuote).join(', ')} |`,
    `  ForEach-Object { Get-WinEvent -LogName $_ -MaxEvents ${max} -ErrorAction SilentlyContinue } |`,
    `  Sort-Object TimeCreated -Descending | Select-Object -First ${max} |`,
    '  Format-Table TimeCreated, Id, Message -Wrap',
  ].join('\n')
}

/** Application Identity in a GPO: where the Group Policy Management Editor has it (configure-the-application-identity-service). */
const APPIDSVC_GPO_SETTING =
  'Computer Configuration\\Policies\\Windows Settings\\Security Settings\\System Services\\Application Identity\nDefine this policy setting, service startup mode: Automatic'

const START_APPIDSVC = 'sc.exe config appidsvc start= auto\nsc.exe start appidsvc'

/**
 * The value of the ADMX-backed ADMX_Explorer/AdminInfoUrl policy ("requires SyncML format":
 * <enabled/> then <data id="..." value="..."/>), the URL escaped for an XML attribute.
 */
export function adminInfoUrlAdmxValue(url: string): string {
  const v = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<enabled/><data id="AdminInfoUrl_TextBox" value="${v}"/>`
}

const SUPPORT_URL_KEY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\Explorer'
const SUPPORT_URL_VALUE = 'AdminInfoUrl'

/** The commands for a target, in the order to run them. */
export function deployCommands(policy: Policy, target: DeployTarget): DeployCommand[] {
  const file = psQuote(target.policyFile.trim())
  const backup = backupFileFor(target.policyFile)
  const ldap = target.ldap ? psQuote(target.ldap.trim()) : null
  const merge = target.merge ? ' -Merge' : ''
  const rules = ruleCount(policy)
  const ruleWord = `${rules} ${rules === 1 ? 'rule' : 'rules'}`
  // Which copy of a rule whose Id both policies hold survives a -Merge is not documented (INFERRED either way:
  // reference/applocker-deep.md section 7.1); neither is the resulting enforcement mode (CONFLICT, same section).
  const sameId = 'Where both hold a rule with the same Id, Windows keeps one of them; Microsoft does not say which copy, so check rules you changed.'
  const out: DeployCommand[] = []

  if (target.kind === 'intune') {
    out.push({
      id: 'intune',
      title: 'Intune: one custom OMA-URI setting per rule collection',
      description:
        'In Intune, create a Custom configuration profile (Windows 10 and later) and add one OMA-URI setting per collection below, data type String, value the XML fragment. Policies delivered this way are invisible to Get-AppLockerPolicy and Set-AppLockerPolicy.',
      command: intuneCsp(policy, target.grouping)
        .map((c) => c.omaUri)
        .join('\n'),
    })
    out.push({
      id: 'appidsvc',
      title: 'Check the Application Identity service on a device',
      description:
        "AppLocker enforces and audits nothing while the Application Identity service (AppIDSvc) is stopped. Microsoft's AppLocker CSP documentation does not say whether a policy delivered this way starts the service or sets it to start automatically, so check on a device once the profile has applied (STATE should be RUNNING). If it is not running, start it elevated with sc.exe config appidsvc start= auto and then sc.exe start appidsvc (sc.exe, not Set-Service: the service is protected).",
      command: 'sc.exe query appidsvc',
    })
  } else if (target.kind === 'gpo' && ldap) {
    out.push({
      id: 'export-gpo',
      title: "Back up the GPO's current AppLocker policy",
      description:
        'Saves the AppLocker policy the GPO holds now, so it can be restored. Run in Windows PowerShell 5.1 with the Group Policy Management tools (RSAT) installed.',
      command: saveXmlCommand(`Get-AppLockerPolicy -Domain -Ldap ${ldap} -Xml`, backup),
    })
    out.push({
      id: 'import-gpo',
      title: target.merge ? 'Merge the policy into the GPO' : "Replace the GPO's AppLocker policy",
      description: target.merge
        ? `Adds the ${ruleWord} of ${target.policyFile.trim()} to the rules already in the GPO. ${sameId} Microsoft documents the resulting enforcement mode inconsistently (the target's, or the more restrictive one): check it afterwards in the GPO.`
        : `Replaces every AppLocker rule and enforcement setting in the GPO with the ${ruleWord} of ${target.policyFile.trim()}.`,
      command: `Set-AppLockerPolicy -XmlPolicy ${file} -Ldap ${ldap}${merge}`,
    })
  } else if (target.kind === 'local') {
    out.push({
      id: 'export-local',
      title: 'Back up the local AppLocker policy',
      description:
        'Saves the local policy as it is now, so it can be restored. Run in an elevated Windows PowerShell 5.1.',
      command: saveXmlCommand('Get-AppLockerPolicy -Local -Xml', backup),
    })
    out.push({
      id: 'import-local',
      title: target.merge ? 'Merge the policy into the local policy' : 'Replace the local AppLocker policy',
      description: target.merge
        ? `Adds the ${ruleWord} of ${target.policyFile.trim()} to the local policy. ${sameId} Microsoft documents the resulting enforcement mode inconsistently (the local policy's, or the more restrictive one): check it afterwards with Get-AppLockerPolicy -Local. Policies from Group Policy still take precedence for enforcement settings.`
        : `Replaces the local AppLocker rules and enforcement settings with the ${ruleWord} of ${target.policyFile.trim()}. Policies from Group Policy still apply on top.`,
      command: `Set-AppLockerPolicy -XmlPolicy ${file}${merge}`,
    })
  }

  if (target.kind !== 'intune') {
    if (target.kind === 'gpo') {
      out.push({
        id: 'appidsvc-gpo',
        title: 'Set the Application Identity service to start automatically in the GPO',
        description:
          'Required with Group Policy: Microsoft says you must configure the Application Identity service (AppIDSvc) to start automatically in at least one GPO that applies AppLocker rules; AppLocker enforces and audits nothing while the service is stopped. In the Group Policy Management Editor, open this GPO (or another GPO that applies to the same computers) and make the setting below. No AppLocker cmdlet sets it.',
        command: APPIDSVC_GPO_SETTING,
        setting: true,
      })
      out.push({
        id: 'gpupdate',
        title: 'Refresh Group Policy',
        description:
          'Applies the changed GPO on a machine now instead of at the next refresh. Then look for event 8001 (policy applied) in the AppLocker log.',
        command: 'gpupdate /force',
      })
    }
    out.push({
      id: 'appidsvc',
      title: 'Start the Application Identity service',
      description:
        target.kind === 'gpo'
          ? 'The GPO setting above sets the service to start automatically on the computers the GPO applies to. To start it now on one machine, or on a test machine the GPO does not reach, run this elevated (sc.exe, not Set-Service: the service is protected).'
          : 'AppLocker enforces and audits nothing while the Application Identity service (AppIDSvc) is stopped. Run elevated on each machine (sc.exe, not Set-Service: the service is protected).',
      command: START_APPIDSVC,
    })
    const user = target.testUser?.trim() ?? ''
    out.push({
      id: 'test',
      title: 'Check files against the policy',
      description: `Shows, for each file, whether the policy allows it for the user and which rule decides (PolicyDecision Allowed, Denied, DeniedByDefault or AllowedByDefault). Groups are not expanded: test with a representative user.${
        user === '' ? " No user is named: Microsoft's documentation gives no default for -User, so enter the user to test for." : ''
      }`,
      command: testAppLockerPolicyCommand(target.policyFile, target.testPaths ?? [], target.testUser),
    })
    out.push({
      id: 'events',
      title: 'Read recent AppLocker events',
      description:
        'Lists the 50 latest events of the four AppLocker logs on this machine: EXE and DLL (8002-8004), MSI and Script (8005-8007), Packaged app-Execution (8020-8022) and Packaged app-Deployment (8023-8025), with 8001 (policy applied) and the other AppLocker events. An empty or missing log is skipped.',
      command: recentEventsCommand(),
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
        description: `${explain} In Intune, use the settings catalog entry "Set a support web page link" (Administrative Templates > Windows Components > File Explorer), or the ADMX-backed OMA-URI below (data type String): an ADMX-backed policy takes <enabled/> and one <data> per element of the policy. The element id AdminInfoUrl_TextBox is the one published mappings of Explorer.admx give; Microsoft's CSP page does not list it, so check that the link appears on a test device. Apps blocked through the AppLocker CSP show no message at all.`,
        command: `./Device/Vendor/MSFT/Policy/Config/ADMX_Explorer/AdminInfoUrl\n${adminInfoUrlAdmxValue(target.supportUrl.trim())}`,
      })
    } else {
      out.push({
        id: 'support-url',
        title: 'Set the support web page shown when an app is blocked',
        description: `${explain} This command sets it on the local machine (elevated PowerShell); it creates the Explorer policy key only when it is missing, so the other values in it are kept.`,
        command: supportUrlLocalCommand(url),
      })
    }
  }
  return out
}

/**
 * The support URL in the local registry. The key is created only when missing: for the registry
 * provider, New-Item -Force on an existing key replaces it, deleting every other value in it.
 */
function supportUrlLocalCommand(quotedUrl: string): string {
  return [
    `$key = '${SUPPORT_URL_KEY}'`,
    'if (-not (Test-Path -LiteralPath $key)) { New-Item -Path $key -Force | Out-Null }',
    `Set-ItemProperty -Path $key -Name '${SUPPORT_URL_VALUE}' -Value ${quotedUrl} -Type String`,
  ].join('\n')
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
 * collections of unknown type. Microsoft advises a random GUID as the grouping (newGrouping, which the
 * Deploy view fills in); "AppLocker" is only the fallback when none is given.
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
