/**
 * `npm run --silent cli -- fileinfo FILE...` — Get-AppLockerFileInformation without Windows.
 *
 * Prints a JSON array, one entry per file, in argument order:
 *   {"path", "hash": "0x…" | null, "publisher": {"name","product","binary","version"} | null}
 * plus "warnings": [...] when there is something to say (an unsettled MSI hash, a signature that
 * is not accepted, an empty file…), "package" for .appx/.msix, "alternativeHashes" for MSI files
 * (the MSI SIP digest next to the flat hash), or {"path", "error": "…"} for a
 * file that cannot be read or is damaged. Like the cmdlet, which writes an error for a bad file
 * and goes on with the others, every file gets an entry; the exit code is 1 when any entry is an
 * error (or no file was given), else 0. Errors are also written to stderr as "PATH: message".
 * See docs/fileinfo.md for what is computed and its limits.
 */
import { getFileInformationFromSource } from '../applocker/fileinfo/fileinfo'
import { defineCommand } from './command'
import type { OpenedFile } from './io'
import { nodeSha256 } from './nodeHash'

export type FileInfoEntry =
  | {
      path: string
      hash: string | null
      publisher: { name: string; product: string; binary: string; version: string } | null
      package?: { publisher: string; name: string; version: string }
      /** MSI files: the MSI Authenticode (SIP) digest, since which hash AppLocker uses for them is unsettled. */
      alternativeHashes?: string[]
      warnings?: string[]
    }
  | { path: string; error: string }

export const fileinfoCommand = defineCommand({
  name: 'fileinfo',
  summary: 'Get-AppLockerFileInformation: hash and publisher of each file',
  usage: 'FILE...',
  options: {},
  maxPositionals: Infinity,
  run: async ({ positionals, usage }, io) => {
  if (positionals.length === 0) {
    io.stderr(`No file given.\n${usage}`)
    return 1
  }
  const entries: FileInfoEntry[] = []
  for (const path of positionals) {
    let file: OpenedFile
    try {
      file = await io.openFile(path)
    } catch (e) {
      const code = (e as { code?: string }).code
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e)
      entries.push({ path, error: `Cannot read the file: ${reason}.` })
      continue
    }
    const name = path.split(/[\\/]/).pop() ?? path
    // Read in slices from disk and hashed by OpenSSL (node:crypto): a 100 MB file is never in memory whole.
    const r = await getFileInformationFromSource(name, file, { createSha256: nodeSha256 }).finally(() => file.close())
    if (!r.value) {
      entries.push({ path, error: r.diagnostics.map((d) => d.message).join(' ') || 'The file cannot be read.' })
      continue
    }
    const v = r.value
    entries.push({
      path,
      hash: v.hash,
      publisher: v.publisher,
      ...(v.package ? { package: v.package } : {}),
      ...(v.alternativeHashes ? { alternativeHashes: v.alternativeHashes } : {}),
      ...(v.warnings.length ? { warnings: v.warnings } : {}),
    })
  }
  for (const e of entries) if ('error' in e) io.stderr(`${e.path}: ${e.error}\n`)
  io.stdout(JSON.stringify(entries, null, 2) + '\n')
  return entries.some((e) => 'error' in e) ? 1 : 0
  },
})
