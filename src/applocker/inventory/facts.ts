/** Checks shared by the inventory readers: turning loose values into FileFacts fields. */

/** A hash as the inventories give it (`0x` + hex, or bare hex) in the engine's `0x` form; null when not hex. */
export function normalizeHashText(text: string): string | null {
  let t = text.trim()
  if (t.startsWith('0x') || t.startsWith('0X')) t = t.slice(2)
  if (t === '' || !/^[0-9a-fA-F]+$/.test(t)) return null
  return `0x${t.toUpperCase()}`
}

/** A file version as AppLocker reads it: decimal parts separated by dots (`10.0.19041.1`), or empty (no version). */
export function isVersionText(text: string): boolean {
  const t = text.trim()
  return t === '' || /^\d+(\.\d+)*$/.test(t)
}
