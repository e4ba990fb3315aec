/**
 * Portable Executable layout: what the Authenticode hash skips, where the signature is, and the
 * version resource. Offsets follow Microsoft's PE format specification (MicrosoftDocs/win32
 * desktop-src/Debug/pe-format.md): COFF header after "PE\0\0", optional header magic 0x10B (PE32)
 * or 0x20B (PE32+), CheckSum at optional header + 64, data directories at + 96 / + 112, the
 * certificate table (directory 4) holding a FILE offset, not an RVA.
 *
 * These are plain fixed-layout binary structures (no ASN.1): reading them with a DataView is the
 * whole job. The signature inside the certificate table is parsed with pkijs (authenticode.ts).
 */

export interface PeSection {
  name: string
  virtualAddress: number
  virtualSize: number
  pointerToRawData: number
  sizeOfRawData: number
}

export interface PeLayout {
  pe32plus: boolean
  machine: number
  /** IMAGE_FILE_DLL in the COFF characteristics. */
  dll: boolean
  checksumOffset: number
  /** File offset of the certificate-table data-directory entry (8 bytes); null when the header has fewer than 5 directories. */
  certDirEntryOffset: number | null
  sizeOfHeaders: number
  sections: PeSection[]
  /** Data directories as [rva, size]; index 2 = resources, 4 = certificate table (file offset, size). */
  dataDirectories: Array<[number, number]>
}

export type PeProbe =
  | { kind: 'pe'; layout: PeLayout }
  | { kind: 'not-pe'; note?: string }
  | { kind: 'malformed'; message: string }

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8)
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0

/** How many leading bytes `probePe` may need: enough for the headers of any sane PE. */
export function peHeaderBytesNeeded(head: Uint8Array): number {
  if (head.length < 64 || head[0] !== 0x4d || head[1] !== 0x5a) return 64
  const lfanew = u32(head, 0x3c)
  if (head.length < lfanew + 24) return lfanew + 24
  const nSections = u16(head, lfanew + 6)
  const optSize = u16(head, lfanew + 20)
  return lfanew + 24 + optSize + 40 * nSections
}

/**
 * Decides from content (not the file name) whether the file is a PE image, and reads its layout.
 * `head` holds the first bytes of the file (at least peHeaderBytesNeeded(head) of them, or all).
 */
export function probePe(head: Uint8Array, fileSize: number): PeProbe {
  if (fileSize < 2 || head[0] !== 0x4d || head[1] !== 0x5a) return { kind: 'not-pe' }
  if (fileSize < 64) return { kind: 'malformed', message: `The file starts like a Windows program ("MZ") but is only ${fileSize} bytes long: it is truncated.` }
  const lfanew = u32(head, 0x3c)
  if (lfanew + 4 > fileSize) {
    // A 16-bit DOS program has an MZ header and no PE header: Windows hashes it as a flat file.
    if (lfanew >= 0x40 && lfanew < 0x10000000) return { kind: 'malformed', message: 'The file starts like a Windows program but its PE header lies past the end of the file: it is truncated.' }
    return { kind: 'not-pe', note: 'The file starts with "MZ" but has no PE header (a DOS program?); it is hashed as a flat file.' }
  }
  if (head.length < lfanew + 4) return { kind: 'malformed', message: `The PE header offset (${lfanew}) is implausibly far into the file: it is damaged.` }
  if (u32(head, lfanew) !== 0x00004550) return { kind: 'not-pe', note: 'The file starts with "MZ" but has no PE signature (a DOS or 16-bit program?); it is hashed as a flat file.' }
  const truncated = (what: string) => ({ kind: 'malformed' as const, message: `The Windows program is truncated: its ${what} extends past the end of the file (${fileSize} bytes).` })
  const coff = lfanew + 4
  if (coff + 20 > fileSize) return truncated('COFF header')
  const machine = u16(head, coff)
  const nSections = u16(head, coff + 2)
  const optSize = u16(head, coff + 16)
  const characteristics = u16(head, coff + 18)
  const opt = coff + 20
  if (opt + optSize > fileSize || opt + 2 > fileSize) return truncated('optional header')
  if (head.length < opt + optSize + 40 * nSections && head.length < fileSize) return { kind: 'malformed', message: 'The PE headers are implausibly large: the file is damaged.' }
  const magic = optSize >= 2 ? u16(head, opt) : 0
  if (magic !== 0x10b && magic !== 0x20b) {
    return { kind: 'malformed', message: `The PE optional header has an unknown magic number 0x${magic.toString(16)} (expected 0x10B or 0x20B): the file is damaged or not a Windows program.` }
  }
  const pe32plus = magic === 0x20b
  const dirsAt = opt + (pe32plus ? 112 : 96)
  const nRvaAt = opt + (pe32plus ? 108 : 92)
  if (optSize < (pe32plus ? 112 : 96)) return { kind: 'malformed', message: `The PE optional header is too short (${optSize} bytes).` }
  const checksumOffset = opt + 64
  const sizeOfHeaders = u32(head, opt + 60)
  const nDirs = Math.min(u32(head, nRvaAt), Math.floor((opt + optSize - dirsAt) / 8), 16)
  const dataDirectories: Array<[number, number]> = []
  for (let i = 0; i < nDirs; i++) dataDirectories.push([u32(head, dirsAt + 8 * i), u32(head, dirsAt + 8 * i + 4)])
  const sectionsAt = opt + optSize
  if (sectionsAt + 40 * nSections > fileSize) return truncated('section table')
  const sections: PeSection[] = []
  for (let i = 0; i < nSections; i++) {
    const s = sectionsAt + 40 * i
    let name = ''
    for (let j = 0; j < 8 && head[s + j] !== 0; j++) name += String.fromCharCode(head[s + j])
    sections.push({ name, virtualSize: u32(head, s + 8), virtualAddress: u32(head, s + 12), sizeOfRawData: u32(head, s + 16), pointerToRawData: u32(head, s + 20) })
  }
  if (sizeOfHeaders > fileSize) return truncated(`header area (SizeOfHeaders = ${sizeOfHeaders})`)
  const certDirEntryOffset = nDirs >= 5 ? dirsAt + 32 : null
  if (certDirEntryOffset !== null && certDirEntryOffset + 8 > sizeOfHeaders) {
    return { kind: 'malformed', message: `The PE header is damaged: SizeOfHeaders (${sizeOfHeaders}) ends inside the data directories.` }
  }
  if (checksumOffset + 4 > sizeOfHeaders) return { kind: 'malformed', message: `The PE header is damaged: SizeOfHeaders (${sizeOfHeaders}) ends inside the optional header.` }
  return { kind: 'pe', layout: { pe32plus, machine, dll: (characteristics & 0x2000) !== 0, checksumOffset, certDirEntryOffset, sizeOfHeaders, sections, dataDirectories } }
}

export interface CertificateTable {
  offset: number
  size: number
}

/** The certificate table when its directory entry points inside the file; null when there is none. */
export function certificateTable(layout: PeLayout, fileSize: number): { table: CertificateTable | null; warning?: string } {
  const dir = layout.dataDirectories[4]
  if (!dir || (dir[0] === 0 && dir[1] === 0)) return { table: null }
  const [offset, size] = dir
  if (offset === 0 || size === 0 || offset < layout.sizeOfHeaders || offset + size > fileSize) {
    return { table: null, warning: `The certificate-table entry (offset ${offset}, ${size} bytes) does not point inside the file; the file is treated as unsigned.` }
  }
  if (offset + size !== fileSize) {
    return { table: { offset, size }, warning: 'The signature is not at the end of the file; Windows rejects such signatures (MS13-098), so the file may count as unsigned on Windows.' }
  }
  return { table: { offset, size } }
}

export interface HashPlan {
  /** [start, end) file ranges hashed in this order. */
  ranges: Array<[number, number]>
  /** Zero bytes appended at the end so the hashed data ends on an 8-byte boundary. */
  padding: number
}

/**
 * The ranges of the Authenticode PE image hash, steps 1-15 of "Windows Authenticode Portable
 * Executable Signature Format" (Authenticode_PE.docx, as quoted in pbatard/libwdi cathash.c and
 * m4b/goblin src/pe/authenticode.rs; PE format Appendix A):
 * headers without the CheckSum and the certificate-table entry, then each section with raw data in
 * PointerToRawData order, then any data after SUM_OF_BYTES_HASHED up to the certificate table
 * (overlays ARE hashed), then zero padding to a multiple of 8 (Windows' WinTrust pads so; libwdi
 * cathash.c, winsiderss/systeminformer #3073/#3074, hfiref0x/AuthHashCalc #6, osslsigncode pe.c).
 */
export function authenticodePlan(layout: PeLayout, fileSize: number, cert: CertificateTable | null): HashPlan | { error: string } {
  const ranges: Array<[number, number]> = []
  const c = layout.checksumOffset
  if (layout.certDirEntryOffset === null) {
    ranges.push([0, c], [c + 4, layout.sizeOfHeaders])
  } else {
    const d = layout.certDirEntryOffset
    ranges.push([0, c], [c + 4, d], [d + 8, layout.sizeOfHeaders])
  }
  let sum = layout.sizeOfHeaders
  const withData = layout.sections.filter((s) => s.sizeOfRawData > 0).sort((a, b) => a.pointerToRawData - b.pointerToRawData)
  for (const s of withData) {
    const end = s.pointerToRawData + s.sizeOfRawData
    if (end > fileSize) {
      return { error: `The Windows program is truncated: section "${s.name}" ends at byte ${end} but the file has ${fileSize} bytes.` }
    }
    ranges.push([s.pointerToRawData, end])
    sum += s.sizeOfRawData
  }
  const certSize = cert ? cert.size : 0
  const dataEnd = fileSize - certSize
  if (dataEnd > sum) ranges.push([sum, dataEnd])
  const padding = (8 - (dataEnd % 8)) % 8
  return { ranges: ranges.filter(([a, b]) => b > a), padding }
}

/** File offset of an RVA, through the section that maps it; null when no section does. */
export function rvaToOffset(layout: PeLayout, rva: number): { offset: number; section: PeSection } | null {
  for (const s of layout.sections) {
    const span = Math.max(s.virtualSize, s.sizeOfRawData)
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) {
      if (rva - s.virtualAddress >= s.sizeOfRawData) return null
      return { offset: s.pointerToRawData + (rva - s.virtualAddress), section: s }
    }
  }
  if (rva < layout.sizeOfHeaders) return { offset: rva, section: { name: '(headers)', virtualAddress: 0, virtualSize: layout.sizeOfHeaders, pointerToRawData: 0, sizeOfRawData: layout.sizeOfHeaders } }
  return null
}

/**
 * Finds the RT_VERSION resource inside the resource section bytes `rsrc` (which start at the
 * section's virtual address `rsrcVa`). Returns the RVA and size of the VS_VERSIONINFO blob.
 * Prefers the resource named 1 (VS_VERSION_INFO) and the language-neutral entry, as
 * GetFileVersionInfo's FindResource does, else the first ones.
 */
export function findVersionResource(rsrc: Uint8Array, dirOffset: number): { rva: number; size: number } | null {
  const entries = (at: number): Array<{ id: number | null; target: number; isDir: boolean }> => {
    if (at + 16 > rsrc.length) return []
    const n = u16(rsrc, at + 12) + u16(rsrc, at + 14)
    const out = []
    for (let i = 0; i < n && i < 4096; i++) {
      const e = at + 16 + 8 * i
      if (e + 8 > rsrc.length) break
      const name = u32(rsrc, e)
      const data = u32(rsrc, e + 4)
      out.push({ id: name & 0x80000000 ? null : name, target: dirOffset + (data & 0x7fffffff), isDir: (data & 0x80000000) !== 0 })
    }
    return out
  }
  const type = entries(dirOffset).find((e) => e.id === 16 && e.isDir)
  if (!type) return null
  const names = entries(type.target)
  const name = names.find((e) => e.id === 1 && e.isDir) ?? names.find((e) => e.isDir)
  if (!name) return null
  const langs = entries(name.target)
  const lang = langs.find((e) => e.id === 0 && !e.isDir) ?? langs.find((e) => !e.isDir)
  if (!lang || lang.target + 16 > rsrc.length) return null
  return { rva: u32(rsrc, lang.target), size: u32(rsrc, lang.target + 4) }
}

export interface VersionInfo {
  /** VS_FIXEDFILEINFO dwFileVersionMS/LS as "a.b.c.d"; null without a valid fixed-info block. */
  fileVersion: string | null
  /** The first \VarFileInfo\Translation entry as "llllcccc" (lower-case hex), null when absent. */
  translation: string | null
  /** Strings of every StringFileInfo table, keyed by the table's lower-cased "llllcccc" name, then by the lower-cased string name. */
  tables: Map<string, Map<string, string>>
}

interface VerNode {
  key: string
  type: number
  valueStart: number
  valueEnd: number
  children: VerNode[]
}

/** Parses a VS_VERSIONINFO blob (Microsoft "Version Information" structures). Never throws. */
export function parseVersionInfo(blob: Uint8Array): VersionInfo | null {
  const align4 = (o: number, base: number) => base + ((o - base + 3) & ~3)
  const parseNode = (at: number, limit: number, depth: number): VerNode | null => {
    if (at + 6 > limit || depth > 4) return null
    const length = u16(blob, at)
    const valueLength = u16(blob, at + 2)
    const type = u16(blob, at + 4)
    const end = Math.min(at + length, limit)
    if (length < 6) return null
    let key = ''
    let p = at + 6
    while (p + 1 < end) {
      const ch = u16(blob, p)
      p += 2
      if (ch === 0) break
      key += String.fromCharCode(ch)
    }
    const valueStart = align4(p, 0)
    // wValueLength counts WORDs for text values, bytes for binary ones (some tools get it wrong: clamp).
    const valueEnd = Math.min(valueStart + (type === 1 ? valueLength * 2 : valueLength), end)
    const children: VerNode[] = []
    let c = align4(valueEnd, 0)
    while (c + 6 <= end) {
      const child = parseNode(c, end, depth + 1)
      if (!child) break
      children.push(child)
      const childLen = u16(blob, c)
      c = align4(c + childLen, 0)
    }
    return { key, type, valueStart, valueEnd: Math.max(valueStart, valueEnd), children }
  }
  const root = parseNode(0, blob.length, 0)
  if (!root || root.key !== 'VS_VERSION_INFO') return null
  let fileVersion: string | null = null
  if (root.valueEnd - root.valueStart >= 52 && u32(blob, root.valueStart) === 0xfeef04bd) {
    const ms = u32(blob, root.valueStart + 8)
    const ls = u32(blob, root.valueStart + 12)
    fileVersion = `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`
  }
  const text = (n: VerNode) => {
    let s = ''
    for (let p = n.valueStart; p + 1 < n.valueEnd; p += 2) {
      const ch = u16(blob, p)
      if (ch === 0) break
      s += String.fromCharCode(ch)
    }
    return s
  }
  let translation: string | null = null
  const tables = new Map<string, Map<string, string>>()
  for (const child of root.children) {
    if (child.key === 'VarFileInfo') {
      const t = child.children.find((v) => v.key === 'Translation')
      if (t && translation === null && t.valueEnd - t.valueStart >= 4) {
        const lang = u16(blob, t.valueStart)
        const cp = u16(blob, t.valueStart + 2)
        translation = lang.toString(16).padStart(4, '0') + cp.toString(16).padStart(4, '0')
      }
    } else if (child.key === 'StringFileInfo') {
      for (const table of child.children) {
        const key = table.key.toLowerCase()
        if (tables.has(key)) continue
        const strings = new Map<string, string>()
        for (const s of table.children) if (!strings.has(s.key.toLowerCase())) strings.set(s.key.toLowerCase(), text(s))
        tables.set(key, strings)
      }
    }
  }
  return { fileVersion, translation, tables }
}

/**
 * A version string the way AppLocker reads it: only from the StringFileInfo table named by the
 * first \VarFileInfo\Translation entry ("strict parsing, as AppLocker does" — AaronLockerV2
 * AaronLocker_CommonUtils/VersionInfo.cpp); "" when that table or the string is missing.
 */
export function strictVersionString(info: VersionInfo, name: string): string {
  if (info.translation === null) return ''
  return info.tables.get(info.translation)?.get(name.toLowerCase()) ?? ''
}
