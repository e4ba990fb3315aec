/**
 * Data for "Review policy" (index.ts), kept as data so it can be reviewed and extended in one place.
 *
 * Sources: APPLOCKER.md section 5; reference/applocker-deep.md section 11 items 5 and 6 (api0cradle
 * Generic-AppLockerbypasses.md and PathBlockRules-*.xml, the exceptions of the %WINDIR%\* rule in
 * corpus/nsacyber-windows11-starter.xml, simeononsecurity's "Users-writable Path" rules, Microsoft's
 * recommended block list "applications-that-can-bypass-appcontrol.md", AaronLocker's
 * GetExeFilesToDenyList.ps1, LOLBAS).
 */

export interface WritableLocation {
  /** A folder, written with AppLocker path variables, without a trailing "\*". */
  folder: string
  /** Who documents it. */
  source: string
}

/**
 * Folders standard users can write to (so a file dropped there runs if an Allow rule covers it).
 * Availability varies by Windows version; Program Files subfolders depend on installed software.
 */
export const USER_WRITABLE_LOCATIONS: readonly WritableLocation[] = [
  {
    folder: '%WINDIR%\\Temp',
    source: 'Microsoft (understanding-applocker-default-rules), api0cradle, NSA, simeononsecurity',
  },
  { folder: '%WINDIR%\\Tasks', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%WINDIR%\\tracing', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%WINDIR%\\Registration\\CRMLog', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\FxsTmp', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\com\\dmp', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\Microsoft\\Crypto\\RSA\\MachineKeys', source: 'api0cradle' },
  { folder: '%SYSTEM32%\\spool\\PRINTERS', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\spool\\SERVERS', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\spool\\drivers\\color', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\Tasks', source: 'api0cradle, NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\Tasks\\Microsoft\\Windows\\SyncCenter', source: 'api0cradle' },
  { folder: '%SYSTEM32%\\Tasks_Migrated', source: 'simeononsecurity' },
  { folder: '%SYSTEM32%\\drivers\\driverdata', source: 'NSA, simeononsecurity' },
  { folder: '%SYSTEM32%\\catroot2\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}', source: 'api0cradle, NSA' },
  { folder: '%SYSTEM32%\\winevt\\Logs', source: 'api0cradle' },
  { folder: '%WINDIR%\\debug\\WIA', source: 'api0cradle, NSA' },
  { folder: '%WINDIR%\\PCHEALTH\\ERRORREP', source: 'api0cradle, NSA' },
  {
    folder: '%WINDIR%\\ServiceProfiles\\LocalService\\AppData\\Local\\Microsoft\\Dlna\\DeviceIcon',
    source: 'simeononsecurity',
  },
  { folder: '%WINDIR%\\Logs\\OpsMgrTrace', source: 'simeononsecurity' },
  { folder: '%WINDIR%\\servicing\\Packages', source: 'simeononsecurity' },
  { folder: '%WINDIR%\\servicing\\Sessions', source: 'simeononsecurity' },
  { folder: '%WINDIR%\\ccm\\logs', source: 'api0cradle (SCCM clients)' },
  { folder: '%WINDIR%\\ccm\\inventory\\noidmifs', source: 'api0cradle (SCCM clients)' },
  {
    folder: '%WINDIR%\\ccm\\systemtemp\\appvtempdata\\appvcommandoutput',
    source: 'api0cradle (SCCM clients)',
  },
  // Outside the Windows folder: places every user can write to on a default installation.
  { folder: '%OSDRIVE%\\Users\\Public', source: 'default NTFS permissions' },
  { folder: '%OSDRIVE%\\ProgramData', source: 'default NTFS permissions (users may create folders)' },
  {
    folder: '%OSDRIVE%\\NewFolder',
    source: 'default NTFS permissions (users may create folders at the drive root)',
  },
  { folder: '%OSDRIVE%\\Users\\someone\\AppData\\Local\\Temp', source: "the user's own profile" },
  { folder: '%OSDRIVE%\\Users\\someone\\AppData\\Local\\Programs', source: "the user's own profile" },
  { folder: '%OSDRIVE%\\Users\\someone\\AppData\\Roaming', source: "the user's own profile" },
  { folder: '%OSDRIVE%\\Users\\someone\\Downloads', source: "the user's own profile" },
  { folder: '%HOT%', source: 'removable storage (USB drives)' },
  { folder: '%REMOVABLE%', source: 'removable media (CD/DVD)' },
]

export interface BypassBinary {
  /** File name as Windows ships it. */
  name: string
  /** Where Windows installs it (AppLocker path variables); empty when it is not part of Windows. */
  locations: readonly string[]
  /** Why it is a bypass, in a few words. */
  why: string
}

const NET4 = [
  '%WINDIR%\\Microsoft.NET\\Framework\\v4.0.30319',
  '%WINDIR%\\Microsoft.NET\\Framework64\\v4.0.30319',
]
const NET2 = [
  '%WINDIR%\\Microsoft.NET\\Framework\\v2.0.50727',
  '%WINDIR%\\Microsoft.NET\\Framework64\\v2.0.50727',
]
const at = (folders: readonly string[], name: string) => folders.map((f) => `${f}\\${name}`)
const SYS = ['%SYSTEM32%']

/**
 * Windows binaries that run arbitrary code and so defeat an allow list ("LOLBins"). Names from
 * Microsoft's recommended block list, AaronLocker's deny list and LOLBAS.
 */
export const BYPASS_BINARIES: readonly BypassBinary[] = [
  {
    name: 'mshta.exe',
    locations: at(SYS, 'mshta.exe'),
    why: 'runs HTML applications (script) from any file or URL',
  },
  {
    name: 'regsvr32.exe',
    locations: at(SYS, 'regsvr32.exe'),
    why: 'runs scriptlets (.sct) from a URL ("Squiblydoo")',
  },
  {
    name: 'rundll32.exe',
    locations: at(SYS, 'rundll32.exe'),
    why: 'runs exported functions of any DLL, and JavaScript',
  },
  {
    name: 'cscript.exe',
    locations: at(SYS, 'cscript.exe'),
    why: 'Windows Script Host: runs VBScript/JScript',
  },
  {
    name: 'wscript.exe',
    locations: at(SYS, 'wscript.exe'),
    why: 'Windows Script Host: runs VBScript/JScript',
  },
  {
    name: 'InstallUtil.exe',
    locations: [...at(NET4, 'InstallUtil.exe'), ...at(NET2, 'InstallUtil.exe')],
    why: 'runs code in any .NET assembly',
  },
  {
    name: 'MSBuild.exe',
    locations: [...at(NET4, 'MSBuild.exe'), ...at(NET2, 'MSBuild.exe')],
    why: 'compiles and runs inline C# tasks from a project file',
  },
  {
    name: 'RegAsm.exe',
    locations: at(NET4, 'RegAsm.exe'),
    why: 'runs code in any .NET assembly on (un)registration',
  },
  {
    name: 'RegSvcs.exe',
    locations: at(NET4, 'RegSvcs.exe'),
    why: 'runs code in any .NET assembly on registration',
  },
  {
    name: 'Microsoft.Workflow.Compiler.exe',
    locations: at(NET4, 'Microsoft.Workflow.Compiler.exe'),
    why: 'compiles and runs C#/VB code',
  },
  { name: 'aspnet_compiler.exe', locations: at(NET4, 'aspnet_compiler.exe'), why: 'compiles and runs code' },
  {
    name: 'AddInProcess.exe',
    locations: at(NET4, 'AddInProcess.exe'),
    why: '.NET add-in host: loads arbitrary code',
  },
  {
    name: 'AddInProcess32.exe',
    locations: at(NET4, 'AddInProcess32.exe'),
    why: '.NET add-in host: loads arbitrary code',
  },
  { name: 'AddInUtil.exe', locations: at(NET4, 'AddInUtil.exe'), why: 'loads arbitrary .NET code' },
  { name: 'IEExec.exe', locations: at(NET2, 'IEExec.exe'), why: 'downloads and runs .NET programs' },
  {
    name: 'PresentationHost.exe',
    locations: at(SYS, 'PresentationHost.exe'),
    why: 'runs XAML browser applications',
  },
  {
    name: 'cmstp.exe',
    locations: at(SYS, 'cmstp.exe'),
    why: 'runs commands and scriptlets from an INF file',
  },
  { name: 'wmic.exe', locations: ['%SYSTEM32%\\wbem\\WMIC.exe'], why: 'runs XSL scripts ("format:")' },
  {
    name: 'InfDefaultInstall.exe',
    locations: at(SYS, 'InfDefaultInstall.exe'),
    why: 'runs commands from an INF file',
  },
  {
    name: 'bash.exe',
    locations: at(SYS, 'bash.exe'),
    why: 'Windows Subsystem for Linux: runs Linux programs AppLocker cannot see',
  },
  {
    name: 'wsl.exe',
    locations: at(SYS, 'wsl.exe'),
    why: 'Windows Subsystem for Linux: runs Linux programs AppLocker cannot see',
  },
  {
    name: 'runscripthelper.exe',
    locations: at(SYS, 'runscripthelper.exe'),
    why: 'runs PowerShell scripts outside Constrained Language',
  },
  { name: 'cipher.exe', locations: [], why: 'AaronLocker denies it to non-administrators' },
  { name: 'runas.exe', locations: [], why: 'AaronLocker denies it to non-administrators' },
  { name: 'bginfo.exe', locations: [], why: 'old versions run VBScript from a .bgi file' },
  { name: 'cdb.exe', locations: [], why: 'debugger: runs shellcode' },
  { name: 'windbg.exe', locations: [], why: 'debugger: runs shellcode' },
  { name: 'kd.exe', locations: [], why: 'kernel debugger' },
  { name: 'ntkd.exe', locations: [], why: 'kernel debugger' },
  { name: 'ntsd.exe', locations: [], why: 'debugger: runs shellcode' },
  { name: 'dbghost.exe', locations: [], why: 'debugger host' },
  { name: 'dbgsvc.exe', locations: [], why: 'debugger service' },
  { name: 'csi.exe', locations: [], why: 'C# interactive: runs C# scripts' },
  { name: 'rcsi.exe', locations: [], why: 'runs C# scripts' },
  { name: 'dnx.exe', locations: [], why: 'runs .NET code' },
  { name: 'dotnet.exe', locations: [], why: 'runs any .NET assembly' },
  { name: 'fsi.exe', locations: [], why: 'F# interactive: runs F# scripts' },
  { name: 'fsiAnyCpu.exe', locations: [], why: 'F# interactive: runs F# scripts' },
  { name: 'lxrun.exe', locations: [], why: 'Windows Subsystem for Linux (old)' },
  { name: 'msxsl.exe', locations: [], why: 'runs script embedded in XSL' },
  { name: 'powershellcustomhost.exe', locations: [], why: 'PowerShell host' },
  { name: 'texttransform.exe', locations: [], why: 'runs T4 templates (code)' },
  { name: 'visualuiaverifynative.exe', locations: [], why: 'loads arbitrary .NET code' },
  { name: 'wfc.exe', locations: [], why: 'compiles and runs workflow code' },
  { name: 'kill.exe', locations: [], why: "on Microsoft's recommended block list" },
]

/** Lower-case names for quick lookup. */
export const BYPASS_BY_NAME: ReadonlyMap<string, BypassBinary> = new Map(
  BYPASS_BINARIES.map((b) => [b.name.toLowerCase(), b]),
)

/** SIDs of administrators: Allow rules for them do not open anything to standard users. */
export const ADMIN_SIDS: readonly string[] = ['S-1-5-32-544', 'S-1-5-18']

/** Domain RIDs that are administrative accounts/groups (Administrator, Domain/Enterprise/Schema Admins). */
export const ADMIN_DOMAIN_RIDS: readonly string[] = ['500', '512', '518', '519']

/**
 * SIDs that name every standard user: a Deny rule for one of these protects a folder from all of
 * them (Users and Authenticated Users contain every interactive user).
 */
export const ALL_USERS_SIDS: readonly string[] = ['S-1-1-0', 'S-1-5-32-545', 'S-1-5-11', 'S-1-5-4']

/** SIDs a rule names but no user token ever carries (AaronLocker uses CREATOR OWNER for placeholders). */
export const NEVER_IN_TOKEN_SIDS: readonly string[] = ['S-1-3-0', 'S-1-3-1']

/**
 * Well-known SIDs beyond the domain pattern: identifier-authority prefixes Windows uses in tokens.
 * A SID outside these shapes is reported as unknown (info), not as an error.
 */
export const KNOWN_SID_PATTERNS: readonly RegExp[] = [
  /^S-1-0-0$/,
  /^S-1-1-0$/,
  /^S-1-2-[01]$/,
  /^S-1-3-[0-4]$/,
  /^S-1-5-(?:[1-9]|1[0-9]|20|32-\d+|64-\d+|80-[\d-]+|83-[\d-]+|90-[\d-]+|113|114)$/,
  /^S-1-5-21-\d+-\d+-\d+-\d+$/,
  /^S-1-12-1-\d+-\d+-\d+-\d+$/, // Azure AD (Entra ID) objects
  /^S-1-15-2-\d+(?:-\d+)*$/,
  /^S-1-15-3-\d+(?:-\d+)*$/,
  /^S-1-16-\d+$/,
]

/** Character sequences that show a UTF-8 text decoded as Windows-1252 ("mojibake"). */
export const MOJIBAKE_PATTERNS: readonly RegExp[] = [
  /Ã[\u0080-\u00BF]/,
  /â€/,
  /Â[®©™°±·]/,
  /Ã©|Ã¨|Ã¼|Ã¶|Ã¤/,
  /\uFFFD/,
]
