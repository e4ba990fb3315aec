/**
 * Which rule collection governs a file (APPLOCKER.md section 2), and the event IDs each
 * collection logs (reference/applocker-deep.md section 8.2).
 */
import type { CollectionType, EnforcementMode } from '../policy'
import { upcase } from '../upcase'
import type { FileFacts } from './types'
import type { PathScan } from './paths'

/** File extensions per collection, upper case with the dot. */
export const COLLECTION_EXTENSIONS: Record<CollectionType, readonly string[]> = {
  Exe: ['.EXE', '.COM'],
  Dll: ['.DLL', '.OCX'],
  Msi: ['.MSI', '.MSP', '.MST'],
  Script: ['.PS1', '.BAT', '.CMD', '.VBS', '.JS'],
  Appx: ['.APPX', '.MSIX', '.APPXBUNDLE', '.MSIXBUNDLE'],
}

/**
 * Extensions outside the documented lists that Windows only ever runs one way:
 *
 * - `.scr`: a screen saver is a program started as a process; Microsoft's SDK: "To be run by
 *   Control Panel, a screen saver must have the .SCR filename extension; to be run as a
 *   stand-alone application, it must have the .EXE filename extension" (the same PE file). And
 *   "AppLocker executable rules actually apply to any portable executable (PE) file, regardless
 *   of the file's extension" (executable-rules-in-applocker.md): Exe.
 * - `.cpl`: "you created a Control Panel item by creating a .dll file and naming it with a .cpl
 *   extension ... When Control Panel loads a .dll (or .cpl) file, it calls the CPlApplet
 *   function" (learn.microsoft.com, Using CPLApplet): a library loaded into control.exe or
 *   rundll32.exe, so **(inferred)** the DLL collection decides it (the host itself is an Exe decision).
 *
 * A PowerShell module (`.psm1`) is not among them: Microsoft's documentation defines script rules as
 * "only the following file formats: .ps1 .bat .cmd .vbs .js" (script-rules-in-applocker.md), and a
 * file of any other type is not governed by AppLocker (APPLOCKER.md, section 2).
 */
export const PE_AND_HOST_EXTENSIONS: Record<string, CollectionType> = { '.SCR': 'Exe', '.CPL': 'Dll' }

const byExtension = new Map<string, CollectionType>()
for (const [type, exts] of Object.entries(COLLECTION_EXTENSIONS) as [CollectionType, readonly string[]][]) {
  // Upper and lower case spellings are looked up as they are; any other mix is upper-cased first.
  for (const e of exts) {
    byExtension.set(e, type)
    byExtension.set(e.toLowerCase(), type)
  }
}
for (const [e, type] of Object.entries(PE_AND_HOST_EXTENSIONS)) {
  byExtension.set(e, type)
  byExtension.set(e.toLowerCase(), type)
}

/** Every governed extension (upper case, with the dot) by extensionCode. */
const byExtensionCode = new Map<number, [string, CollectionType]>()
for (const [e, type] of byExtension) if (e === e.toUpperCase()) byExtensionCode.set(extensionCode(e, 0, e.length), [e, type])

/** A hash of text[start, end) upper-cased (ASCII letters only). */
function extensionCode(text: string, start: number, end: number): number {
  let h = 0
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    h = (Math.imul(h, 31) + (c >= 97 && c <= 122 ? c - 32 : c)) | 0
  }
  return h
}

/**
 * collectionForPath for the usual path, without slicing: one that ends in a plain ASCII extension
 * (letters and digits after the last dot) and has no colon past a drive letter. undefined for
 * any other path (trailing dots or blanks, quotes, streams, non-ASCII letters), which the full
 * rules decide. `scan`: the path's scanPlainPath, when the caller has it (its colons are counted).
 */
function plainExtensionType(path: string, scan: PathScan | null): CollectionType | null | undefined {
  const end = path.length
  // A colon past a drive letter (a stream name, or something odd): the full rules decide. No
  // lastIndexOf (a slow C++ builtin in V8) and no regex: this runs for every file.
  const colon = scan === null ? path.indexOf(':') : scan.firstColon
  if (colon >= 0) {
    if (colon > 1 || (scan === null ? path.indexOf(':', colon + 1) >= 0 : scan.colons > 1)) return undefined
    const d = path.charCodeAt(0) | 0x20
    if (colon === 1 && !(d >= 97 && d <= 122)) return undefined
  }
  let i = end - 1
  const stop = Math.max(-1, end - 12)
  for (; i > stop; i--) {
    const c = path.charCodeAt(i)
    if (c === 46) break
    if (c >= 0x80) return undefined
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return i === end - 1 ? undefined : null
  }
  if (i === end - 1) return undefined // a trailing dot
  if (i <= stop) return null // no extension, or one longer than any governed one
  const known = byExtensionCode.get(extensionCode(path, i, end))
  if (known === undefined) return null
  const ext = known[0]
  if (ext.length !== end - i) return null
  for (let k = 1; k < ext.length; k++) {
    const c = path.charCodeAt(i + k)
    if ((c >= 97 && c <= 122 ? c - 32 : c) !== ext.charCodeAt(k)) return null
  }
  return known[1]
}

/**
 * Where the file name really ends: before trailing blanks, a closing quote (a path copied with
 * "Copy as path") and trailing dots and spaces, which Win32 drops (`a.exe.` is `a.exe`).
 */
function nameEnd(path: string, end = path.length): number {
  for (;;) {
    const c = end > 0 ? path.charCodeAt(end - 1) : -1
    if (c !== -1 && (c <= 32 || c === 34 || c === 46)) end--
    else return end
  }
}

/** The extension of path[start, end) as written (with the dot), '' when none. */
function extensionIn(path: string, start: number, end: number): string {
  const e = nameEnd(path, end)
  for (let i = e - 1; i >= start; i--) if (path.charCodeAt(i) === 46) return path.slice(i, e)
  return ''
}

/**
 * The extension that tells the file type, as written (with the dot), '' when none. For an
 * alternate data stream (`file.txt:evil.exe`, `evil.exe:x`, `evil.exe::$DATA`,
 * `evil.exe:x:$DATA`): **(inferred)** the stream name's extension when it has one (the stream is
 * what runs, whatever the file it hangs on), else the file's (`::$DATA` is the file's own data).
 * Paths may name streams: "Paths may name alternate data streams (`%WINDIR%\Tasks:*`)" (APPLOCKER.md section 4).
 */
function rawExtension(path: string): string {
  let start = 0
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path.charCodeAt(i)
    if (c === 92 || c === 47) {
      start = i + 1
      break
    }
  }
  // A colon in the last component (not a drive's `C:`) starts the stream name.
  let colon = path.indexOf(':', start)
  if (colon === start + 1 && start === 0 && /^[A-Za-z]$/.test(path[0])) colon = path.indexOf(':', colon + 1)
  if (colon < 0) return extensionIn(path, start, path.length)
  const typeColon = path.indexOf(':', colon + 1)
  const streamEnd = typeColon < 0 ? path.length : typeColon
  const stream = extensionIn(path, colon + 1, streamEnd)
  return stream !== '' ? stream : extensionIn(path, start, colon)
}

/** The extension that tells the file type (see rawExtension), upper case with the dot ('' when none). */
export function fileExtension(path: string): string {
  return upcase(rawExtension(path))
}

/**
 * The collection for a file by its extension: .exe .com Exe; .dll .ocx Dll; .msi .msp .mst Msi;
 * .ps1 .bat .cmd .vbs .js Script; packaged-app installers (.appx .msix .appxbundle .msixbundle)
 * Appx; and the few other extensions Windows only ever runs one way (PE_AND_HOST_EXTENSIONS:
 * .scr Exe, .cpl Dll). Any other type (a .psm1 too) is not governed by AppLocker (null).
 */
export function collectionForPath(path: string, scan: PathScan | null = null): CollectionType | null {
  const fast = plainExtensionType(path, scan)
  if (fast !== undefined) return fast
  const ext = rawExtension(path)
  if (ext === '') return null
  return byExtension.get(ext) ?? byExtension.get(upcase(ext)) ?? null
}

/**
 * Whether the packaged-app action is an installation (events 8023 to 8025) rather than a run
 * (8020 to 8022): `packageInstall` when given, else true for a package file path and false for a
 * package given by name.
 */
export function isPackageInstall(file: FileFacts): boolean {
  if (file.packageInstall !== undefined) return file.packageInstall
  return collectionForPath(file.path) === 'Appx'
}

/**
 * The collection for a file: Appx for a packaged app, else the one the file names, else by its
 * content when known (`pe`), else by the path's extension.
 *
 * "AppLocker executable rules actually apply to any portable executable (PE) file, regardless of
 * the file's extension" (executable-rules-in-applocker.md). A file known to be a PE is therefore
 * governed whatever its name: by the DLL collection when its name says it is loaded as a library
 * (.dll, .ocx, .cpl), else by the Executable collection **(inferred: started as a process, the
 * usual way a PE with another extension runs)**. A file known not to be a PE is **(inferred)** not
 * governed by Exe or DLL rules whatever its extension: Windows can neither start nor load it.
 * `scan`: the path's scanPlainPath when the caller made one (it saves a pass over the path).
 */
export function collectionForFile(file: FileFacts, scan: PathScan | null = null): CollectionType | null {
  if (file.package != null && file.package !== '') return 'Appx'
  const c = file.collection
  if (c != null && Object.prototype.hasOwnProperty.call(COLLECTION_EXTENSIONS, c)) return c
  const byPath = collectionForPath(file.path, scan)
  const pe = file.pe
  if (pe === true) return byPath === 'Dll' ? 'Dll' : 'Exe'
  if (pe === false && (byPath === 'Exe' || byPath === 'Dll')) return null
  return byPath
}

/** Why a file belongs to its collection, for explanations: null when its documented extension says so. */
export function collectionReason(file: FileFacts, type: CollectionType): string | null {
  if (type === 'Appx' || (file.package != null && file.package !== '')) return null
  const c = file.collection
  if (c != null && Object.prototype.hasOwnProperty.call(COLLECTION_EXTENSIONS, c)) return 'the file list names its collection'
  const ext = fileExtension(file.path)
  if (file.pe === true && !COLLECTION_EXTENSIONS[type].includes(ext)) {
    return type === 'Dll'
      ? 'its content is a portable executable (PE) loaded as a library; AppLocker applies to any PE file, regardless of the extension'
      : 'its content is a portable executable (PE) file; AppLocker executable rules apply to any PE file, regardless of the extension'
  }
  if (Object.prototype.hasOwnProperty.call(PE_AND_HOST_EXTENSIONS, ext)) {
    return ext === '.SCR' ? 'a screen saver (.scr) is a portable executable started as a process' : 'a Control Panel item (.cpl) is a DLL loaded by control.exe or rundll32.exe (inferred)'
  }
  return null
}

/**
 * Whether PowerShell runs the file: .ps1 (and .psm1, which no collection governs). "In the case of PowerShell, 'blocked' scripts
 * will still run, but only in Constrained Language Mode" (script-rules-in-applocker.md).
 */
export function isPowerShellScript(path: string): boolean {
  const ext = rawExtension(path)
  if (ext.length !== 4 && ext.length !== 5) return false
  const u = upcase(ext)
  return u === '.PS1' || u === '.PSM1'
}

/**
 * A collection named as people and Windows write it (`Exe`, `EXE`, `dll`, event PolicyName
 * `SCRIPT`, `WindowsInstaller` as Get-AppLockerFileInformation says); null when not one.
 */
export function parseCollectionName(text: string): CollectionType | null {
  switch (upcase(text.trim())) {
    case 'EXE':
      return 'Exe'
    case 'DLL':
      return 'Dll'
    case 'MSI':
    case 'WINDOWSINSTALLER':
      return 'Msi'
    case 'SCRIPT':
      return 'Script'
    case 'APPX':
      return 'Appx'
    default:
      return null
  }
}

export type EventKind = 'allowed' | 'audited' | 'blocked'

/** The event Windows logs for one outcome in a collection (8002 to 8007, 8020 to 8025). */
export function eventIdFor(collection: CollectionType, kind: EventKind, packageInstall: boolean): number {
  const offset = kind === 'allowed' ? 0 : kind === 'audited' ? 1 : 2
  switch (collection) {
    case 'Exe':
    case 'Dll':
      return 8002 + offset
    case 'Msi':
    case 'Script':
      return 8005 + offset
    case 'Appx':
      return (packageInstall ? 8023 : 8020) + offset
  }
}

/** Event 8027: no packaged apps can run while Exe rules are enforced and no packaged app rules exist. */
export const EVENT_PACKAGED_APPS_BLOCKED = 8027

/** Whether a collection with rules in this mode blocks (Enabled, and NotConfigured: "Not configured doesn't mean the rules are ignored"). */
export function isEnforcingMode(mode: EnforcementMode): boolean {
  return mode !== 'AuditOnly'
}

/** Event log names (reference/applocker-deep.md section 8.1). */
export function eventLogFor(collection: CollectionType, packageInstall: boolean): string {
  switch (collection) {
    case 'Exe':
    case 'Dll':
      return 'Microsoft-Windows-AppLocker/EXE and DLL'
    case 'Msi':
    case 'Script':
      return 'Microsoft-Windows-AppLocker/MSI and Script'
    case 'Appx':
      return packageInstall ? 'Microsoft-Windows-AppLocker/Packaged app-Deployment' : 'Microsoft-Windows-AppLocker/Packaged app-Execution'
  }
}
