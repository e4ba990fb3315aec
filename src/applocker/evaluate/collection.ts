/**
 * Which rule collection governs a file (APPLOCKER.md section 2), and the event IDs each
 * collection logs (reference/applocker-deep.md section 8.2).
 */
import type { CollectionType, EnforcementMode } from '../policy'
import type { FileFacts } from './types'

/** File extensions per collection, upper case with the dot. */
export const COLLECTION_EXTENSIONS: Record<CollectionType, readonly string[]> = {
  Exe: ['.EXE', '.COM'],
  Dll: ['.DLL', '.OCX'],
  Msi: ['.MSI', '.MSP', '.MST'],
  Script: ['.PS1', '.BAT', '.CMD', '.VBS', '.JS'],
  Appx: ['.APPX', '.MSIX', '.APPXBUNDLE', '.MSIXBUNDLE'],
}

const byExtension = new Map<string, CollectionType>()
for (const [type, exts] of Object.entries(COLLECTION_EXTENSIONS) as [CollectionType, readonly string[]][]) {
  // Upper and lower case spellings are looked up as they are; any other mix is upper-cased first.
  for (const e of exts) {
    byExtension.set(e, type)
    byExtension.set(e.toLowerCase(), type)
  }
}

/**
 * Where the file name really ends: before trailing blanks, a closing quote (a path copied with
 * "Copy as path") and trailing dots and spaces, which Win32 drops (`a.exe.` is `a.exe`).
 */
function nameEnd(path: string): number {
  let end = path.length
  for (;;) {
    const c = end > 0 ? path.charCodeAt(end - 1) : -1
    if (c !== -1 && (c <= 32 || c === 34 || c === 46)) end--
    else return end
  }
}

/** The extension as written (with the dot), '' when none. */
function rawExtension(path: string): string {
  const end = nameEnd(path)
  for (let i = end - 1; i >= 0; i--) {
    const c = path.charCodeAt(i)
    if (c === 46) return path.slice(i, end)
    if (c === 92 || c === 47) return ''
  }
  return ''
}

/** The extension of the last path component, upper case with the dot ('' when none). */
export function fileExtension(path: string): string {
  return rawExtension(path).toUpperCase()
}

/**
 * The collection for a file by its extension: .exe .com Exe; .dll .ocx Dll; .msi .msp .mst Msi;
 * .ps1 .bat .cmd .vbs .js Script; packaged-app installers (.appx .msix .appxbundle .msixbundle)
 * Appx. Any other type is not governed by AppLocker (null).
 *
 * Windows really applies Exe rules to any PE file started as a process and Dll rules to any PE
 * image loaded as a library, whatever its extension; the extension is what the simulator has.
 */
export function collectionForPath(path: string): CollectionType | null {
  const ext = rawExtension(path)
  if (ext === '') return null
  return byExtension.get(ext) ?? byExtension.get(ext.toUpperCase()) ?? null
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

/** The collection for a file: Appx for a packaged app, else the one the file names, else by the path's extension. */
export function collectionForFile(file: FileFacts): CollectionType | null {
  if (file.package != null && file.package !== '') return 'Appx'
  const c = file.collection
  if (c != null && Object.prototype.hasOwnProperty.call(COLLECTION_EXTENSIONS, c)) return c
  return collectionForPath(file.path)
}

/**
 * A collection named as people and Windows write it (`Exe`, `EXE`, `dll`, event PolicyName
 * `SCRIPT`, `WindowsInstaller` as Get-AppLockerFileInformation says); null when not one.
 */
export function parseCollectionName(text: string): CollectionType | null {
  switch (text.trim().toUpperCase()) {
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
