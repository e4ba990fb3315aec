/** Saves bytes, text or a Blob (made elsewhere, e.g. in a Worker: not copied again) as a file download (no network involved). */
export function downloadBytes(fileName: string, data: Uint8Array | string | Blob, mime: string): void {
  const part = typeof data === 'string' || data instanceof Blob ? data : data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data)
  const blob = new Blob([part], { type: mime })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/**
 * "Contoso baseline.xml" from a document name, whatever the name ends with (the name Export policy
 * gives the file); `suffix` goes before ".xml" ("Contoso baseline-Exe.xml").
 */
export function xmlFileName(name: string, suffix = ''): string {
  const base = name.replace(/\.xml$/i, '').replace(/[\\/:*?"<>|]+/g, '_').trim() || 'AppLockerPolicy'
  return `${base}${suffix}.xml`
}
