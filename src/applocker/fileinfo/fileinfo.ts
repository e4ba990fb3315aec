/**
 * Get-AppLockerFileInformation from a file's bytes, with no server and no Windows:
 * the hash AppLocker stores in FileHash@Data, and the publisher triple of a signed file.
 *
 * Which hash (reference/fileinfo.md §1.1):
 * - PE files (detected by content: "MZ" + "PE\0\0", whatever the extension): SHA-256 Authenticode
 *   image hash (pe.ts authenticodePlan). Microsoft: "it uses the SHA2 Authenticode hash for Portable
 *   Executables (exe and dll) … and an SHA2 flat file hash for the rest" (windows-itpro-docs
 *   use-applocker-and-software-restriction-policies-in-the-same-domain.md); AaronLockerV2
 *   AppLockerFileInformation.cpp reproduces the cmdlet's value with the PE SIP.
 * - Scripts and every other non-PE file: flat SHA-256 of the whole file ("flat-file hash for
 *   everything else. (That is what AppLocker natively uses across the board.)" AaronLockerV2
 *   RuleBuilding/RuleItems.h).
 * - MSI/MSP/MST (OLE compound files): UNSETTLED. The Microsoft page above says Windows Installer
 *   files get the Authenticode (MSI SIP) hash; AaronLockerV2, tested against the cmdlet, obtains
 *   the hash through CryptSIPRetrieveSubjectGuidForCatalogFile, which supports only PE, cabinet and
 *   flat files (Microsoft mssip.h documentation), i.e. a flat hash. We return the flat hash (the
 *   AaronLockerV2 choice) as `hash`, the MSI SIP digest (msi.ts) in `alternativeHashes`, and a
 *   warning saying so; one run of the cmdlet on Windows would settle it.
 *   MSI publisher fields (AaronLockerV2 MsiFileInfo.h): ProductName, ProductCode, ProductVersion.
 * - 0-byte files: no hash ("It's not possible to get the AppLocker hash of a 0-length file",
 *   AaronLockerV2 AppLockerFileInformation.cpp).
 *
 * Publisher (reference/fileinfo.md §1.2): only for a PE whose embedded signature is intact and
 * whose signed digest equals the recomputed Authenticode hash. PublisherName from the leaf signer
 * certificate (publisherName.ts); ProductName and BinaryName (OriginalFilename) from the version
 * resource's first Translation table only, upper-cased; BinaryVersion from VS_FIXEDFILEINFO's
 * binary file version ("0.0.0.0" without a version resource).
 */
import type { Diagnostic } from '../diagnostics'
import { readPackageIdentity, looksLikeZip } from './appx'
import { equalBytes, pkcs7FromCertificateTable, readAuthenticodeSignature, type AuthenticodeSignature } from './authenticode'
import { authenticodePlan, certificateTable, findVersionResource, parseVersionInfo, peHeaderBytesNeeded, probePe, rvaToOffset, strictVersionString, type PeLayout } from './pe'
import { readMsi } from './msi'
import { upperCaseLikeWindows } from './publisherName'
import { createSha256, toAppLockerHex, type Sha256 } from './sha256'
import { bytesSource, type ByteSource } from './source'
import { makeContiguous, planInPlace } from './contiguous'
import { createDigest, isDigestName, type Digest } from './digests'

export interface FilePublisher {
  /** PublisherName, e.g. "O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US" (packages: the manifest's Publisher as written). */
  name: string
  /** ProductName (upper-cased; packages: the package name as written). */
  product: string
  /** BinaryName = OriginalFilename (upper-cased; packages: "APPX"). */
  binary: string
  /** BinaryVersion "a.b.c.d". */
  version: string
}

export interface FileSignature {
  /** PublisherName of the signer, also when the signature is not accepted (publisher is then null). */
  publisherName: string
  /** Signer subject as an X.500 string (CN first), upper-cased. */
  signerSubject: string
  digestAlgorithm: string
  /** The signed file digest equals the recomputed one (null: not checkable here, e.g. scripts). */
  digestMatches: boolean | null
  /** The signer's signature over the signed content verifies (null: not checkable). */
  signatureValid: boolean | null
}

export type FileKind = 'pe' | 'msi' | 'package' | 'script' | 'other' | 'empty'

export interface FileInfo {
  path: string
  /** Size in bytes (FileHash@SourceFileLength). */
  size: number
  kind: FileKind
  /** For PE files: the image is a DLL (IMAGE_FILE_DLL), and PE32+ or PE32. */
  pe?: { dll: boolean; pe32plus: boolean; machine: number }
  /** "0x" + 64 upper-case hex digits (FileHash@Data, Type SHA256); null for an empty file. */
  hash: string | null
  hashKind: 'authenticode' | 'flat' | null
  /**
   * Other values AppLocker may use when it is unsettled which one it uses (MSI files: the MSI
   * Authenticode/SIP digest, while `hash` is the flat one). A FileHashCondition may list several
   * FileHash elements and matches when any equals, so a rule can carry all of them.
   */
  alternativeHashes?: string[]
  /** Publisher condition fields; null for an unsigned file or a signature that is not accepted. */
  publisher: FilePublisher | null
  /** The embedded signature as found, whether or not accepted. */
  signature?: FileSignature
  /** .appx/.msix (and bundles): the package identity from its manifest. */
  package?: { publisher: string; name: string; version: string }
  /** Plain sentences about limits or doubts for this file. */
  warnings: string[]
}

export interface FileInfoOptions {
  /** Called as bytes are hashed: (bytes done, bytes to do). */
  onProgress?: (done: number, total: number) => void
  /** Bytes per read while hashing (default 4 MiB). */
  chunkSize?: number
  /** Checked between chunks; when it returns true the read stops with a "cancelled" diagnostic. */
  isCancelled?: () => boolean
  /** Where SHA-256 hashers come from (default: createSha256): the CLI passes node:crypto's (OpenSSL, SHA-NI). */
  createSha256?: () => Sha256 | Promise<Sha256>
  /** Largest hashed size for Web Crypto's one-shot digest (default: oneShotMax(), from the device's memory); larger streams. */
  oneShotMax?: number
}

class Cancelled extends Error {}

const CHUNK = 4 * 1024 * 1024
const SCRIPT_EXT = /\.(ps1|psm1|psd1|ps1xml|psc1|bat|cmd|vbs|js|jse|vbe|wsf)$/i
const MSI_EXT = /\.(msi|msp|mst)$/i

/** Reads one file's AppLocker information from its bytes. Never throws. */
export async function getFileInformation(name: string, bytes: Uint8Array, options: FileInfoOptions = {}): Promise<{ value: FileInfo | null; diagnostics: Diagnostic[] }> {
  return getFileInformationFromSource(name, bytesSource(bytes), options)
}

/** Same, reading ranges from a source (a browser File via blobSource keeps memory flat). Never throws. */
export async function getFileInformationFromSource(name: string, src: ByteSource, options: FileInfoOptions = {}): Promise<{ value: FileInfo | null; diagnostics: Diagnostic[] }> {
  const fail = (code: string, message: string) => ({ value: null, diagnostics: [{ severity: 'error' as const, code, message }] })
  try {
    const info = await read(name, src, options)
    if ('error' in info) return fail(info.code, info.error)
    return { value: info, diagnostics: info.warnings.map((message) => ({ severity: 'warning' as const, code: 'fileinfo-warning', message })) }
  } catch (e) {
    if (e instanceof Cancelled) return fail('cancelled', 'Reading the file was cancelled.')
    return fail('file-unreadable', `The file cannot be read: ${e instanceof Error ? e.message : String(e)}`)
  }
}

async function read(path: string, src: ByteSource, options: FileInfoOptions): Promise<FileInfo | { error: string; code: string }> {
  const base = { path, size: src.size, warnings: [] as string[] }
  if (src.size === 0) {
    options.onProgress?.(0, 0)
    return { ...base, kind: 'empty', hash: null, hashKind: null, publisher: null, warnings: ['The file is empty (0 bytes): AppLocker cannot compute a hash for an empty file.'] }
  }
  let head = await src.read(0, Math.min(src.size, 4096))
  const needed = Math.min(src.size, peHeaderBytesNeeded(head))
  if (needed > head.length) head = await src.read(0, Math.min(needed, 64 * 1024 * 1024))
  const probe = probePe(head, src.size)
  if (probe.kind === 'malformed') return { error: probe.message, code: 'malformed-pe' }
  if (probe.kind === 'pe') return readPe(base, src, probe.layout, options)

  const warnings = probe.note ? [probe.note] : []
  const flat = await hashRanges(src, [[0, src.size]], 0, options)
  const hash = toAppLockerHex(flat.sha256)
  const isCfb = head.length >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => head[i] === b)
  if (isCfb) {
    const msi = await readMsiFile(base, src, hash, warnings, MSI_EXT.test(path))
    if (msi) return msi
  } else if (MSI_EXT.test(path)) {
    return { error: 'The file has a Windows Installer extension but is not an OLE compound file: it is damaged or not an installer.', code: 'malformed-msi' }
  }
  if (looksLikeZip(head)) {
    const pkg = await readPackageIdentity(src, { isCancelled: options.isCancelled })
    if (pkg.kind === 'cancelled') throw new Cancelled()
    if (pkg.kind === 'error') return { error: pkg.message, code: 'malformed-package' }
    if (pkg.kind === 'package') {
      const id = pkg.identity
      warnings.push('Packaged app: AppLocker controls packaged apps with publisher rules only (the Appx collection has no hash rules); the hash shown is the flat SHA-256 of the package file.')
      if (!id.signed) warnings.push('The package has no AppxSignature.p7x: it is unsigned, so no publisher is shown.')
      else warnings.push("The package signature is not checked here; the publisher is the manifest's, which Windows requires to equal the signer's subject.")
      return {
        ...base,
        warnings,
        kind: 'package',
        hash,
        hashKind: 'flat',
        package: { publisher: id.publisher, name: id.name, version: id.version },
        publisher: id.signed ? { name: id.publisher, product: id.name, binary: 'APPX', version: id.version } : null,
      }
    }
  }
  const script = SCRIPT_EXT.test(path)
  const sig = await scriptSignature(src, head[0] === 0xff && head[1] === 0xfe)
  let signature: FileSignature | undefined
  if (sig && 'signature' in sig) {
    const s = sig.signature
    signature = { publisherName: s.publisherName, signerSubject: s.signerSubject, digestAlgorithm: s.digestAlgorithm, digestMatches: null, signatureValid: s.signatureValid }
    warnings.push(
      `The script is signed by ${s.publisherName}, but no publisher is shown: the script's signed digest cannot be checked here, and the product, file name and version AppLocker uses for scripts are not documented.`,
    )
  } else if (sig) warnings.push(sig.problem)
  return { ...base, warnings, kind: script ? 'script' : 'other', hash, hashKind: 'flat', publisher: null, ...(signature ? { signature } : {}) }
}

const MAX_MSI_BYTES = 1024 * 1024 * 1024

/**
 * An OLE compound file: a Windows Installer file when it has MSI tables (or an MSI extension);
 * null for other compound files (.doc, .xls…), which are plain flat-hashed files.
 */
async function readMsiFile(
  base: { path: string; size: number },
  src: ByteSource,
  hash: string,
  warnings: string[],
  msiByName: boolean,
): Promise<FileInfo | { error: string; code: string } | null> {
  const unsettled =
    'Windows Installer file: sources disagree on whether AppLocker hashes it flat (the hash shown) or with the MSI Authenticode (SIP) digest (in alternativeHashes). ' +
    'A hash rule listing both values matches whichever Windows uses.'
  if (src.size > MAX_MSI_BYTES) {
    warnings.push(`${unsettled.split(' (in alternativeHashes)').join('')} The file is over 1 GiB, so its properties, signature and SIP digest are not read here.`)
    return { ...base, warnings, kind: 'msi', hash, hashKind: 'flat', publisher: null }
  }
  const msi = await readMsi(await src.read(0, src.size))
  if ('error' in msi) return msiByName ? { error: msi.error, code: 'malformed-msi' } : null
  if (!msi.isInstaller && !msiByName) return null
  warnings.push(unsettled)
  const info: FileInfo = { ...base, warnings, kind: 'msi', hash, hashKind: 'flat', alternativeHashes: [toAppLockerHex(msi.sipDigest)], publisher: null }
  if (!msi.signature) return info
  const r = await readAuthenticodeSignature(msi.signature)
  if (!r.ok) {
    warnings.push(`${r.message} The file is treated as unsigned.`)
    return info
  }
  const sig = r.signature
  // SHA-1, SHA-256, SHA-384 and SHA-512 MSI signatures are all checked (Windows accepts SHA-1-signed
  // installers). With MsiDigitalSignatureEx the signed digest starts with that stream's pre-hash.
  const digestMatches = isDigestName(sig.digestAlgorithm) ? equalBytes(msi.signedDigestWith(sig.digestAlgorithm), sig.signedDigest) : null
  info.signature = { publisherName: sig.publisherName, signerSubject: sig.signerSubject, digestAlgorithm: sig.digestAlgorithm, digestMatches, signatureValid: sig.signatureValid }
  if (msi.hasSignatureEx && digestMatches === true) {
    warnings.push(
      'The installer has an MsiDigitalSignatureEx stream: the signed digest covers it and every stream, and both match; the stream itself (a hash of the directory entries\' names, sizes and times) is taken as stored, not recomputed here.',
    )
  }
  const accepted = acceptSignature(sig, digestMatches, warnings)
  if (accepted) {
    info.publisher = {
      name: sig.publisherName,
      product: upperCaseLikeWindows(msi.productName),
      binary: upperCaseLikeWindows(msi.productCode),
      version: msi.productVersion,
    }
  }
  return info
}

/** Whether a signature may give a publisher; pushes the reason when not. */
function acceptSignature(signature: AuthenticodeSignature, digestMatches: boolean | null, warnings: string[], uncheckedReason?: string): boolean {
  let accepted = true
  if (digestMatches === false) {
    accepted = false
    warnings.push(`The file was changed after it was signed (its ${signature.digestAlgorithm} digest differs from the signed one): Windows treats it as not validly signed, so no publisher is shown.`)
  } else if (digestMatches === null) {
    accepted = false
    warnings.push(`${uncheckedReason ?? `The signature uses the ${signature.digestAlgorithm} digest, which is not checked here`}; no publisher is shown.`)
  }
  if (signature.signatureValid === false) {
    accepted = false
    warnings.push(`The signature is broken (${signature.signatureProblem ?? 'it does not verify'}): no publisher is shown.`)
  } else if (signature.signatureValid === null) {
    accepted = false
    warnings.push(`The signature could not be verified here (${signature.signatureProblem ?? 'unsupported algorithm'}): no publisher is shown.`)
  }
  return accepted
}

async function readPe(base: { path: string; size: number; warnings: string[] }, src: ByteSource, layout: PeLayout, options: FileInfoOptions): Promise<FileInfo | { error: string; code: string }> {
  const warnings = base.warnings
  const cert = certificateTable(layout, src.size)
  if (cert.warning) warnings.push(cert.warning)
  const plan = authenticodePlan(layout, src.size, cert.table)
  if ('error' in plan) return { error: plan.error, code: 'truncated-pe' }

  let signature: AuthenticodeSignature | undefined
  let signatureProblem: string | undefined
  if (cert.table) {
    const table = await src.read(cert.table.offset, cert.table.size)
    const pkcs7 = pkcs7FromCertificateTable(table)
    if (!pkcs7) signatureProblem = 'The certificate table holds no PKCS#7 signature; the file is treated as unsigned.'
    else {
      const r = await readAuthenticodeSignature(pkcs7)
      if (r.ok) signature = r.signature
      else signatureProblem = `${r.message} The file is treated as unsigned.`
    }
  }
  // The signature's own digest (SHA-1, SHA-384, SHA-512) is computed in the same pass as the SHA-256 hash.
  const alg = signature?.digestAlgorithm
  const extra = alg !== undefined && alg !== 'SHA256' && isDigestName(alg) ? createDigest(alg) : null
  const digests = await hashRanges(src, plan.ranges, plan.padding, options, extra)
  const hash = toAppLockerHex(digests.sha256)
  const pe = { dll: layout.dll, pe32plus: layout.pe32plus, machine: layout.machine }
  if (signatureProblem) warnings.push(signatureProblem)
  if (!signature) return { ...base, warnings, kind: 'pe', pe, hash, hashKind: 'authenticode', publisher: null }

  const recomputed = signature.digestAlgorithm === 'SHA256' ? digests.sha256 : digests.extra
  const digestMatches = recomputed ? equalBytes(recomputed, signature.signedDigest) : null
  const fileSignature: FileSignature = {
    publisherName: signature.publisherName,
    signerSubject: signature.signerSubject,
    digestAlgorithm: signature.digestAlgorithm,
    digestMatches,
    signatureValid: signature.signatureValid,
  }
  const accepted = acceptSignature(signature, digestMatches, warnings)
  let publisher: FilePublisher | null = null
  if (accepted) {
    const v = await versionFields(src, layout)
    if (v.warning) warnings.push(v.warning)
    publisher = { name: signature.publisherName, product: v.product, binary: v.binary, version: v.version }
  }
  return { ...base, warnings, kind: 'pe', pe, hash, hashKind: 'authenticode', publisher, signature: fileSignature }
}

/** ProductName, OriginalFilename (upper-cased, strict first-Translation lookup) and the binary file version. */
async function versionFields(src: ByteSource, layout: PeLayout): Promise<{ product: string; binary: string; version: string; warning?: string }> {
  const none = { product: '', binary: '', version: '0.0.0.0' }
  const dir = layout.dataDirectories[2]
  if (!dir || dir[0] === 0 || dir[1] === 0) return none
  const at = rvaToOffset(layout, dir[0])
  if (!at) return { ...none, warning: 'The resource directory does not map into the file; version fields are left empty.' }
  const s = at.section
  const sectionBytes = Math.min(s.sizeOfRawData, src.size - s.pointerToRawData)
  if (sectionBytes > 256 * 1024 * 1024) return { ...none, warning: 'The resource section is too large to read; version fields are left empty.' }
  const rsrc = await src.read(s.pointerToRawData, sectionBytes)
  const found = findVersionResource(rsrc, at.offset - s.pointerToRawData)
  if (!found) return none
  const blobAt = found.rva - s.virtualAddress
  if (blobAt < 0 || blobAt + found.size > rsrc.length) return { ...none, warning: 'The version resource lies outside the resource section; version fields are left empty.' }
  const info = parseVersionInfo(rsrc.subarray(blobAt, blobAt + found.size))
  if (!info) return { ...none, warning: 'The version resource is damaged; version fields are left empty.' }
  return {
    product: upperCaseLikeWindows(strictVersionString(info, 'ProductName')),
    binary: upperCaseLikeWindows(strictVersionString(info, 'OriginalFilename')),
    version: info.fileVersion ?? '0.0.0.0',
  }
}

/**
 * Files up to this size (the hashed ranges plus padding) are hashed by Web Crypto's one-shot
 * `crypto.subtle.digest` (native, SHA-NI where the CPU has it): the ranges are made contiguous in
 * place (digestInPlace) or, when they cannot be, read into one buffer first. Larger files stream
 * through createSha256 (hash-wasm, about 3x slower: WebAssembly has no SHA instructions) so memory
 * stays flat. The one-shot digest holds the bytes twice (the file's and the digest's own copy), so
 * the limit follows the memory the device reports (navigator.deviceMemory, in GiB, Chromium only,
 * rounded): 64 MiB per GiB, never under 128 MiB (where the device does not say) nor over 1 GiB.
 * An 8 GiB machine hashes a 512 MiB installer at native speed with about 1 GiB held for a moment.
 */
export function oneShotMax(deviceMemory: number | undefined = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory): number {
  const MiB = 1024 * 1024
  const gib = typeof deviceMemory === 'number' && Number.isFinite(deviceMemory) ? deviceMemory : 0
  return Math.min(1024 * MiB, Math.max(128 * MiB, Math.floor(gib * 64) * MiB))
}

/**
 * Ranges spanning up to this many bytes are read at once for a one-shot digest, and rearranged in
 * place (digestInPlace): no second buffer. A 210 MB PE read in 32 MiB slices into one buffer cost
 * 1.44-1.50x Blob.arrayBuffer() + digest, mostly the second buffer's copy and page faults. Cancel is
 * looked at before the read; the one-shot digest that follows cannot be stopped anyway.
 */
const ONE_READ_MAX = 256 * 1024 * 1024

/** Web Crypto's SubtleCrypto when this context has it (a page over http outside localhost has none). */
function webCryptoSubtle(): SubtleCrypto | null {
  const c = (globalThis as { crypto?: Crypto }).crypto
  return c !== undefined && c.subtle !== undefined && typeof c.subtle.digest === 'function' ? c.subtle : null
}

/**
 * The ranges (and `padding` zero bytes) as one buffer. Up to ONE_READ_MAX the span of the ranges is
 * read at once (a flat file's bytes in memory come back as they are, no copy); larger spans are read
 * in chunks with progress and Cancel between them.
 */
async function readRanges(src: ByteSource, ranges: Array<[number, number]>, padding: number, total: number, chunk: number, options: FileInfoOptions): Promise<Uint8Array<ArrayBuffer>> {
  options.onProgress?.(0, total)
  const start = ranges.length ? ranges[0][0] : 0
  const end = ranges.length ? ranges[ranges.length - 1][1] : 0
  const sorted = ranges.every(([a, b], i) => a <= b && (i === 0 || ranges[i - 1][1] <= a))
  // Read at once up to ONE_READ_MAX, unless the caller chose a read size (chunkSize).
  if (sorted && end - start <= (options.chunkSize === undefined ? Math.max(chunk, ONE_READ_MAX) : chunk)) {
    // One read of the span (a File is read once, not slice by slice), then the ranges copied out.
    if (options.isCancelled?.()) throw new Cancelled()
    const span = await src.read(start, end - start)
    if (ranges.length === 1 && padding === 0) {
      options.onProgress?.(span.length, total)
      return span.buffer instanceof ArrayBuffer ? (span as Uint8Array<ArrayBuffer>) : span.slice()
    }
    const whole = new Uint8Array(total + padding)
    let done = 0
    for (const [a, b] of ranges) {
      const part = span.subarray(Math.min(a - start, span.length), Math.min(b - start, span.length))
      whole.set(part, done)
      done += part.length
    }
    options.onProgress?.(done, total)
    return done === total ? whole : whole.subarray(0, done + padding).fill(0, done)
  }
  const whole = new Uint8Array(total + padding)
  let done = 0
  for (const [a, b] of ranges) {
    for (let p = a; p < b; p += chunk) {
      if (options.isCancelled?.()) throw new Cancelled()
      const part = await src.read(p, Math.min(chunk, b - p))
      whole.set(part, done)
      done += part.length
      options.onProgress?.(done, total)
    }
  }
  // A source that returned fewer bytes than asked (a file shorter than it said): hash what was read.
  return done === total ? whole : whole.subarray(0, done + padding).fill(0, done)
}

/**
 * The one-shot digest of the ranges without copying them into a new buffer: the span is read at once
 * and rearranged in place (contiguous.ts), the digest takes its copy, and the bytes are put back
 * before anything else runs (unless they are the reader's own). null when the ranges do not allow it
 * or the span is not read at once (then readRanges copies).
 */
async function digestInPlace(
  subtle: SubtleCrypto,
  src: ByteSource,
  ranges: Array<[number, number]>,
  padding: number,
  total: number,
  chunk: number,
  options: FileInfoOptions,
  h1: Digest | null,
): Promise<{ sha256: Uint8Array; extra: Uint8Array | null } | null> {
  const plan = planInPlace(ranges, padding, src.size)
  if (!plan) return null
  const span = plan.end - plan.start
  // Read at once what readRanges would read at once (bytes in memory: always, they cost nothing),
  // unless the caller chose a read size (chunkSize).
  const atOnce = options.chunkSize === undefined ? src.inMemory === true || span <= Math.max(chunk, ONE_READ_MAX) : span <= chunk
  if (!atOnce) return null
  options.onProgress?.(0, total)
  if (options.isCancelled?.()) throw new Cancelled()
  const bytes = await src.read(plan.start, span)
  // A short read (a file shorter than it said) or shared memory: the copying path handles it.
  if (bytes.length !== span || !(bytes.buffer instanceof ArrayBuffer)) return null
  const c = makeContiguous(bytes as Uint8Array<ArrayBuffer>, plan, src.owned !== true)
  let pending: Promise<ArrayBuffer>
  try {
    h1?.update(c.view)
    // digest() copies the bytes before it returns (see contiguous.ts), so they are put back at once.
    pending = subtle.digest('SHA-256', c.view)
  } finally {
    c.restore()
  }
  const sha256 = new Uint8Array(await pending)
  options.onProgress?.(total, total)
  return { sha256, extra: h1 ? h1.digest() : null }
}

async function hashRanges(
  src: ByteSource,
  ranges: Array<[number, number]>,
  padding: number,
  options: FileInfoOptions,
  h1: Digest | null = null,
): Promise<{ sha256: Uint8Array; extra: Uint8Array | null }> {
  const total = ranges.reduce((n, [a, b]) => n + (b - a), 0)
  const chunk = options.chunkSize ?? CHUNK
  const subtle = options.createSha256 === undefined ? webCryptoSubtle() : null
  if (subtle !== null && total + padding <= (options.oneShotMax ?? oneShotMax())) {
    const inPlace = await digestInPlace(subtle, src, ranges, padding, total, chunk, options, h1)
    if (inPlace) return inPlace
    // Read into one buffer in ONE_READ_MAX slices (a big file is fetched in a few reads, with progress
    // and Cancel between them), unless the caller chose a read size.
    const whole = await readRanges(src, ranges, padding, total, options.chunkSize ?? Math.max(chunk, ONE_READ_MAX), options)
    h1?.update(whole)
    return { sha256: new Uint8Array(await subtle.digest('SHA-256', whole)), extra: h1 ? h1.digest() : null }
  }
  const h: Sha256 = await (options.createSha256 ?? createSha256)()
  let done = 0
  options.onProgress?.(0, total)
  for (const [a, b] of ranges) {
    for (let p = a; p < b; p += chunk) {
      if (options.isCancelled?.()) throw new Cancelled()
      const part = await src.read(p, Math.min(chunk, b - p))
      h.update(part)
      h1?.update(part)
      done += part.length
      options.onProgress?.(done, total)
    }
  }
  if (padding > 0) {
    h.update(new Uint8Array(padding))
    h1?.update(new Uint8Array(padding))
  }
  return { sha256: h.digest(), extra: h1 ? h1.digest() : null }
}

// Begin marker and per-line prefix of the signature block (PowerShell / VBScript / JScript), as
// PowerShell's Set-AuthenticodeSignature and osslsigncode write them.
const SIG_MARKERS: Array<[string, string]> = [
  ['# SIG # Begin signature block', '#'],
  ["'' SIG '' Begin signature block", "''"],
  ['// SIG // Begin signature block', '//'],
]

/** Whether `bytes` hold the ASCII `word` (as UTF-16LE units when `utf16`), found with the native indexOf. */
function containsAscii(bytes: Uint8Array, word: string, utf16: boolean): boolean {
  const step = utf16 ? 2 : 1
  const first = word.charCodeAt(0)
  for (let at = bytes.indexOf(first); at >= 0 && at + word.length * step <= bytes.length; at = bytes.indexOf(first, at + 1)) {
    let i = 1
    while (i < word.length && bytes[at + i * step] === word.charCodeAt(i) && (!utf16 || bytes[at + i * step + 1] === 0)) i++
    if (i === word.length) return true
  }
  return false
}

/** The Authenticode signature block at the end of a script (PowerShell, VBScript, JScript), if any. */
async function scriptSignature(src: ByteSource, utf16: boolean): Promise<{ signature: AuthenticodeSignature } | { problem: string } | null> {
  let start = Math.max(0, src.size - 512 * 1024)
  if (utf16 && start % 2 === 1) start++
  const tail = await src.read(start, src.size - start)
  // Most files have no signature block: look for its words in the bytes before decoding the tail.
  if (!containsAscii(tail, 'Begin signature block', utf16)) return null
  const text = new TextDecoder(utf16 ? 'utf-16le' : 'latin1').decode(tail)
  for (const [begin, prefix] of SIG_MARKERS) {
    const at = text.lastIndexOf(begin)
    if (at < 0) continue
    let b64 = ''
    for (const line of text.slice(at + begin.length).split(/\r?\n/)) {
      const l = line.trim()
      if (!l) continue
      if (l.includes('SIG') && l.includes('End signature block')) break
      if (!l.startsWith(prefix)) break
      b64 += l.slice(prefix.length).trim()
    }
    let der: Uint8Array
    try {
      der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    } catch {
      return { problem: 'The script has a signature block that is not valid base64; it is treated as unsigned.' }
    }
    const r = await readAuthenticodeSignature(der)
    return r.ok ? { signature: r.signature } : { problem: `The script's signature block cannot be read (${r.message}); it is treated as unsigned.` }
  }
  return null
}
