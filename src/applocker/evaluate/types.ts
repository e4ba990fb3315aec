/**
 * Inputs and outputs of the decision engine (APPLOCKER.md sections 2 to 4,
 * reference/applocker-deep.md sections 3, 8, 9 and 12).
 */
import type { CollectionType, EnforcementMode, RuleAction } from '../policy'

/** The signer facts of a signed file (for a packaged app: the package's publisher, name and version). */
export interface PublisherFacts {
  /** Signer subject in AppLocker's form, e.g. `O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US`. */
  name: string
  /** Product name from the version resource (packaged app: the package name). */
  product: string
  /** Original file name from the version resource (packaged app: usually `*` or `APPX`). */
  binary: string
  /** File version `a.b.c.d` (packaged app: the package version). Empty means no version (0.0.0.0). */
  version: string
}

/** What the engine knows about one file. */
export interface FileFacts {
  /**
   * The file's path: a Windows path (`C:\Users\bob\x.exe`, `\\server\share\x.exe`) or one in
   * AppLocker's variable form as events write it (`%OSDRIVE%\USERS\BOB\X.EXE`). For a packaged
   * app that has no path, any name (the package full name, for example).
   */
  path: string
  /** Signer facts; absent or null for an unsigned file (which never matches a publisher condition). */
  publisher?: PublisherFacts | null
  /** AppLocker hash (`0x` + hex, or bare hex; case does not matter). */
  hash?: string | null
  /**
   * The package full name when the file is a packaged app (`Contoso.Notes_3.2.1.0_x64__8wekyb3d8bbwe`).
   * Its presence makes the file a packaged app (Appx collection) whatever the path says.
   */
  package?: string | null
  /**
   * For packaged apps: the action is installing the package (events 8023 to 8025) rather than
   * running it (8020 to 8022). Default: true for a `.appx`/`.msix`/`.appxbundle`/`.msixbundle`
   * path, false for a package given by `package`.
   */
  packageInstall?: boolean
  /**
   * The collection that governs the file when it is known otherwise than by the extension: "EXE
   * rules apply to portable executable (PE) files ... Regardless of the file extension"
   * (working-with-applocker-rules), so a screen saver (`.scr`) run as a process is `Exe` and a
   * control panel item (`.cpl`) loaded as a library `Dll`; an AppLocker event names it in
   * PolicyName. Absent or null: by the extension.
   */
  collection?: CollectionType | null
  /**
   * Whether the file's content is a portable executable (PE), when known: from file information
   * when the file itself was read, or from the inventory (`"pe": true`, a `Kind` or `IsPE` column).
   * "AppLocker executable rules actually apply to any portable executable (PE) file, regardless of
   * the file's extension" (executable-rules-in-applocker.md): true makes a `.txt` or `.scr` an Exe
   * (or Dll) decision. Absent or null: unknown, by the extension.
   */
  pe?: boolean | null
}

/** Who runs the file: the user's SID and every group SID in the token. Everyone (S-1-1-0) is always added. */
export interface Principal {
  user?: string
  groups: string[]
  /**
   * false: a protected administrator running unelevated (UAC's default for an administrator's
   * programs). "When evaluating an executable rule, AppLocker always considers a 'protected
   * administrator' to be a member of Administrators, even when running a program unelevated.
   * However, when evaluating rules in the other rule collections, AppLocker considers the user to be
   * a member of Administrators only when running elevated" (Microsoft's AaronLocker documentation):
   * Administrators (S-1-5-32-544) counts for Executable rules only. Absent or true: the groups as
   * given, in every collection (elevated, or not an administrator).
   */
  elevated?: boolean
}

/** Test-AppLockerPolicy's PolicyDecision values. */
export type PolicyDecision = 'Allowed' | 'Denied' | 'DeniedByDefault' | 'AllowedByDefault'

/** The simulated Windows machine the path variables resolve on. */
export interface MachineSettings {
  /** %WINDIR% */
  windir: string
  /** %SYSTEM32% (System32 and SysWOW64 on 64-bit Windows) */
  system32: string[]
  /** %PROGRAMFILES% (Program Files and Program Files (x86) on 64-bit Windows) */
  programFiles: string[]
  /** %OSDRIVE%, e.g. `C:` */
  osDrive: string
  /** %REMOVABLE%: removable media (CD/DVD) drive letters, e.g. `D:` */
  removableDrives: string[]
  /** %HOT%: removable storage (USB) drive letters, e.g. `E:` */
  hotDrives: string[]
  /** Whether the Application Identity service (AppIDSvc) runs; when stopped nothing is enforced or audited. */
  appIdServiceRunning: boolean
  /**
   * Mapped network drives and SUBST drive letters: `X:` stands for `\\MYSERVER\Apps`. "If X: is mapped
   * to the read-only \\MYSERVER\Apps file share, and you allow execution in \\MYSERVER\Apps\*, the user
   * can run MyProgram.exe in that share whether it is referenced as \\MYSERVER\Apps\MyProgram.exe or as
   * X:\MyProgram.exe. Similarly, AppLocker does the right thing with SUBSTed drive letters." (Microsoft's
   * AaronLocker): a file on such a drive is matched by the path the drive stands for (paths.ts
   * resolveMappedDrive), so a rule written with the drive letter does not match it (inferred; AaronLocker:
   * "Do not use mapped drive letters or SUBST drive letters, as the user can change their definitions").
   */
  mappedDrives?: MappedDrive[]
}

/** A drive letter (`X:`) and what it stands for (`\\server\share` or a folder, for SUBST). */
export interface MappedDrive {
  drive: string
  target: string
}

/** A 64-bit Windows installed on C:, with a DVD drive D: and a USB stick E:, AppIDSvc running. */
export const DEFAULT_MACHINE: MachineSettings = {
  windir: 'C:\\Windows',
  system32: ['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64'],
  programFiles: ['C:\\Program Files', 'C:\\Program Files (x86)'],
  osDrive: 'C:',
  removableDrives: ['D:'],
  hotDrives: ['E:'],
  appIdServiceRunning: true,
}

/**
 * What happens on the machine. `audited` = runs, but logged as "would have been prevented".
 * `constrained-language` = a PowerShell script (.ps1) the policy does not allow under
 * enforcement: "In the case of PowerShell, 'blocked' scripts will still run, but only in
 * Constrained Language Mode" (script-rules-in-applocker.md); Windows still logs event 8007.
 */
export type Effect = 'runs' | 'blocked' | 'audited' | 'not-governed' | 'constrained-language'

export interface RuleRef {
  ruleId: string
  name: string
  action: RuleAction
}

/** Why a decision came out as it did. */
export interface Explanation {
  /** Plain sentences, in order, that say why. Empty on the fast path (explain: false). */
  steps: string[]
  /**
   * Applicable rules whose condition matched and no exception excluded, in document order: the
   * first ones (see EXPLAIN_LISTED) and always the deciding rule; matchedCount says how many in all.
   */
  matched: RuleRef[]
  /** Applicable rules whose condition matched but an exception excluded the file, in document order (the first ones). */
  excludedByException: (RuleRef & { exception: string })[]
  /** How many applicable rules match in all (matched lists the first of them). */
  matchedCount: number
  /** How many applicable rules an exception excluded in all. */
  excludedCount: number
  /** How many rules of the collection are for other users or groups. */
  notApplicableToPrincipal: number
  /** A short phrase naming what decided ("Deny rule "X"", "no rule allowed the file"), null when not governed. */
  decidedBy: string | null
}

export interface Decision {
  /** The collection that governs the file; null when AppLocker does not govern this file type. */
  collection: CollectionType | null
  decision: PolicyDecision
  /** The deciding rule (the first matching Deny, else the first matching Allow, in document order); null by default. */
  matchingRuleId: string | null
  matchingRuleName: string | null
  /** The collection's enforcement mode (after any override); null when the policy has no such collection. */
  mode: EnforcementMode | null
  effect: Effect
  /** The event Windows would log, or null when it logs none. */
  eventId: number | null
  explanation: Explanation
}

export interface DecideOptions {
  /** Build the full explanation (default true). false is the fast path for bulk simulation. */
  explain?: boolean
  /** Use these enforcement modes instead of the policy's (e.g. "what if Script were enforced"). */
  modeOverride?: Partial<Record<CollectionType, EnforcementMode>>
}
