/** Checks shared by the inventory readers: turning loose values into FileFacts fields. */

/** A hash as the inventories give it (`0x` + hex, or bare hex) in the engine's `0x` form; null when not hex. */
export function normalizeHashText(text: string): string | null {
  let t = text.trim()
  if (t.startsWith('0x') || t.startsWith('0X')) t = t.slice(2)
  if (t === '' || !/^[0-9a-fA-F]+$/.test(t)) return null
  return `0x${t.toUpperCase()}`
}

/**
 * Whether a file is a portable executable (PE), from an inventory's `IsPE` or `Kind` value:
 * true/yes/1 or a PE kind (`PE`, `PE32`, `PE32+`, `Portable Executable`, `Exe`, `Dll`,
 * `Executable`, `Library`), false/no/0 or another kind (`Script`, `MSI`, `Text`, `Data`, `Other`,
 * `Not PE`); '' is unknown (undefined); anything else null (not understood).
 */
export function parsePeFlag(text: string): boolean | undefined | null {
  const t = text.trim().toLowerCase().replace(/[\s_-]+/g, ' ')
  if (t === '') return undefined
  if (['true', 'yes', 'y', '1', 'pe', 'pe32', 'pe32+', 'pe64', 'portable executable', 'exe', 'dll', 'executable', 'library', 'image'].includes(t)) return true
  if (['false', 'no', 'n', '0', 'not pe', 'notpe', 'non pe', 'script', 'msi', 'installer', 'text', 'data', 'document', 'other', 'none', 'package', 'appx', 'msix'].includes(t))
    return false
  return null
}

/** A file version as AppLocker reads it: decimal parts separated by dots (`10.0.19041.1`), or empty (no version). */
export function isVersionText(text: string): boolean {
  const t = text.trim()
  return t === '' || /^\d+(\.\d+)*$/.test(t)
}
