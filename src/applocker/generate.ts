/**
 * "Automatically Generate Rules..." without Windows: from file information (fileinfo/, the values
 * Get-AppLockerFileInformation reports) propose the rules the snap-in's wizard and
 * New-AppLockerPolicy would create. Pure: no I/O, never throws on user input.
 *
 * What is proposed (reference/applocker-deep.md §5.4, §6, §10.5):
 * - Collection by what the file is (§2): a PE image -> Dll when it is a DLL (IMAGE_FILE_DLL), else Exe;
 *   a Windows Installer file -> Msi; .ps1 .bat .cmd .vbs .js -> Script (the only script types AppLocker
 *   controls); .appx/.msix packages -> Appx. Anything else is reported, not guessed.
 * - Preference "publisher" = New-AppLockerPolicy -RuleType Publisher,Hash: a publisher rule where the
 *   file is validly signed, a hash rule otherwise ("the hash rules are applied when publisher
 *   information is not available" [PS-New]). "hash": hash rules only. "path": path rules only.
 *   Packaged apps take publisher rules only (Appx has no hash or path rules), whatever the preference.
 * - Grouping ("Reduce the number of rules created by grouping similar files", New-AppLockerPolicy
 *   -Optimize, which "allow[s] any file name within a given publisher and product name" [AaronLocker-doc]):
 *   - publisher: one rule per publisher + product with BinaryName "*", from the first two parts of the
 *     lowest version seen followed by ".0.0" and above, named "<PRODUCT> signed by <publisher>"
 *     (groupedPublisherLow, groupedPublisherRuleName: as Windows-made grouped rules are, OBS in
 *     corpus wdac-toolkit-test-executable-rules.xml and mhaggis-applockergen-generated-policy.xml);
 *   - hash: one rule per collection carrying every file's hash (several FileHash elements match when
 *     any equals, §6; the wizard names it "a.exe, b.exe, c.exe...");
 *   - path: files in the same folder become one "<folder>\*" rule, and a proposed path rule that a
 *     proposed "<folder>\*" rule above it already covers is left out (foldCoveredPathRules).
 *   Without grouping: one publisher rule per publisher + product + file name, version "and above" the
 *   lowest version seen (New-AppLockerPolicy names these "... version v or greater in ...", §5.4
 *   [MI]; INFERRED from that wording, not checked on Windows); one hash rule per file; one path rule
 *   per file. Identical proposals are merged either way.
 * - Packaged apps: package name (BinaryName "*"), any version; at 'version' level the package version
 *   (the lowest seen) and above (APPLOCKER.md 1: "the version range is the package version"; the
 *   wizard's Package version step, §5.4); at 'publisher' level any package of the publisher.
 * - Versions (ruleVersion): a bound is "*" or four parts of 1-5 digits (XSD, §1.1); a shorter version is
 *   padded with zeros ("1.2" -> "1.2.0.0": missing parts are 0), and a file whose version is not one
 *   (more than four parts, a part above 65535) is taken as a file without a version, 0.0.0.0, with a note.
 * - Names: defaultRuleName (ops.ts), the names the snap-in makes, after "<prefix>: " when the wizard's
 *   "Name to identify this set of rules" (-RuleNamePrefix) is given; a hash rule by its distinct file
 *   names (hashRuleName); every name cut to 1,024 characters ending in "[...]" (fitRuleName, the XSD's
 *   limit, cut as AaronLockerV2 cuts). Action Allow, like the wizard.
 * - Collections: the snap-in runs the wizard per collection; `collections` limits the proposal to some
 *   (the DLL collection only when the user asks: DLL rules slow every program start and need the
 *   default DLL rules, so the app never turns that collection on by itself).
 */
import type { Diagnostic } from './diagnostics'
import type { FileInfo, FilePublisher } from './fileinfo/fileinfo'
import { defaultRuleName, fitRuleName, hashRuleName, ruleBehaviourKey, ruleOfCondition } from './ops'

export { fitRuleName, hashRuleName, MAX_RULE_NAME_LENGTH } from './ops'
import { compareVersions } from './validate'
import type { CollectionType, Condition, FileHash, FileHashCondition, FilePathCondition, FilePublisherCondition, Policy, Rule, RuleAction } from './policy'
import { COLLECTION_LABELS, newRuleId } from './policy'

export type RulePreference = 'publisher' | 'hash' | 'path'

/** New-AppLockerPolicy -RuleType: a file gets the first of these it can have, in this order. */
export const RULE_TYPE_ORDER: readonly RulePreference[] = ['publisher', 'hash', 'path']
const PREFERENCE_TYPES: Record<RulePreference, readonly RulePreference[]> = { publisher: ['publisher', 'hash'], hash: ['hash'], path: ['path'] }

/**
 * How wide a publisher rule is, as the wizard's slider and New-AppLockerPolicy offer it: any file of
 * the publisher; of the publisher's product; that file name, any version; that file name at this
 * version and above.
 */
export type PublisherLevel = 'publisher' | 'product' | 'file' | 'version'
export const PUBLISHER_LEVELS: readonly PublisherLevel[] = ['publisher', 'product', 'file', 'version']

export interface ProposeOptions {
  /** UserOrGroupSid of every proposed rule. */
  sid: string
  preference: RulePreference
  groupSimilar: boolean
  /**
   * New-AppLockerPolicy -RuleType: the rule kinds allowed, tried in the order publisher, hash, path
   * (e.g. publisher + hash = "the hash rules are applied when publisher information is not
   * available"). When given and not empty it replaces `preference`.
   */
  ruleTypes?: readonly RulePreference[]
  /**
   * Publisher rules' level. Default: 'product' when grouping similar files (-Optimize), 'version'
   * (this file name, the lowest version seen and above) otherwise. 'product' while grouping gives the
   * grouped rule (the lowest version's first two parts + ".0.0" and above); without grouping, any
   * version. Packaged apps: package name, any version; the package version (the lowest seen) and
   * above at 'version' level; any package of the publisher at 'publisher' level.
   */
  publisherLevel?: PublisherLevel
  /** Allow (default, like the wizard) or Deny. */
  action?: RuleAction
  /**
   * The path a path rule uses for a file (e.g. "%PROGRAMFILES%\App\bin\app.exe"). Default: the
   * file's own path with "/" turned into "\".
   */
  pathFor?: (info: FileInfo) => string
  /** When given, proposals that behave exactly like a rule already in that collection are flagged `existing`. */
  existing?: Policy
  /**
   * The snap-in wizard's "Name to identify this set of rules" (New-AppLockerPolicy -RuleNamePrefix):
   * when not blank, every rule's name is "<prefix>: <the name Windows gives it>".
   */
  namePrefix?: string
  /**
   * Only these collections get rules (the snap-in runs its wizard per collection); files of another
   * collection are noted (severity info) and left out. Default: every collection.
   */
  collections?: readonly CollectionType[]
}

export interface ProposedRule {
  collection: CollectionType
  rule: Rule
  /** Paths of the files this rule was made from. */
  files: string[]
  /** The policy already has a rule that behaves the same (same condition, user, action). */
  existing?: boolean
}

export interface FileNote {
  path: string
  /** error: no rule for this file; info: a rule was made, but not the preferred kind. */
  severity: 'error' | 'info'
  message: string
}

export interface Proposal {
  rules: ProposedRule[]
  /** Per-file problems and fallbacks, in input order. */
  notes: FileNote[]
}

/**
 * What a rule is made from: a file read here (FileInfo, "Automatically Generate Rules...") or an
 * inventory entry (AppLocker events, CSV, FILES.json: inventory-rules.ts), reduced to what the
 * proposal needs.
 */
export interface RuleSource {
  path: string
  /** The collection that governs the file; null: none (then `problem` says why). */
  collection: CollectionType | null
  /** "0x" + 64 hex digits (SHA256), or null. */
  hash: string | null
  alternativeHashes?: readonly string[]
  publisher: FilePublisher | null
  /** Bytes, for FileHash@SourceFileLength (informational), when known. */
  size?: number
  /** Why no rule can be made; `pathPossible`: a path rule still can. */
  problem?: { message: string; pathPossible: boolean }
  /** Why the file gives no publisher ("it is not signed"), for the note when a hash rule is made instead. */
  unsignedReason?: string
  /** The note when a hash rule is wanted and there is no hash. */
  noHashMessage?: string
}

/** The order proposals come in (the snap-in's order of the collections). */
const COLLECTION_ORDER: readonly CollectionType[] = ['Exe', 'Msi', 'Script', 'Dll', 'Appx']

const SCRIPT_EXT = /\.(ps1|bat|cmd|vbs|js)$/i
const EXE_EXT = /\.(exe|com)$/i
const DLL_EXT = /\.(dll|ocx)$/i
const MSI_EXT = /\.(msi|msp|mst)$/i
const APPX_EXT = /\.(appx|msix|appxbundle|msixbundle)$/i

/** The file name part of a path written with "/" or "\". */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i >= 0 ? path.slice(i + 1) : path
}

function folderOf(path: string): string | null {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i > 0 ? path.slice(0, i) : null
}

/** Which collection controls this file, by its content where known and else by its extension; null: none. */
export function collectionFor(info: FileInfo): CollectionType | null {
  switch (info.kind) {
    case 'pe':
      return info.pe?.dll ? 'Dll' : 'Exe'
    case 'msi':
      return 'Msi'
    case 'package':
      return 'Appx'
    case 'script':
    case 'other':
    case 'empty':
      return collectionByExtension(info.path)
  }
}

function collectionByExtension(path: string): CollectionType | null {
  if (SCRIPT_EXT.test(path)) return 'Script'
  if (EXE_EXT.test(path)) return 'Exe'
  if (DLL_EXT.test(path)) return 'Dll'
  if (MSI_EXT.test(path)) return 'Msi'
  if (APPX_EXT.test(path)) return 'Appx'
  return null
}

/** A file read here as a rule source: its collection by content, and why it may get no rule. */
export function sourceOfFileInfo(info: FileInfo): RuleSource {
  const collection = collectionFor(info)
  const source: RuleSource = {
    path: info.path,
    collection,
    hash: info.hash,
    alternativeHashes: info.alternativeHashes,
    publisher: info.publisher,
    size: info.size,
    unsignedReason: info.signature ? 'its signature is not accepted here' : 'it is not signed',
    noHashMessage:
      info.kind === 'empty' ? 'The file is empty: AppLocker cannot hash an empty file, so no hash rule can be made (a path rule can).' : 'The file has no hash: no rule.',
  }
  if (collection === null) {
    source.problem = {
      pathPossible: false,
      message:
        info.kind === 'script'
          ? 'AppLocker script rules cover only .ps1, .bat, .cmd, .vbs and .js files: no rule for this file.'
          : 'No AppLocker rule collection covers this kind of file (not a program, library, installer, script or packaged app): no rule.',
    }
  } else if (info.kind === 'other' && (collection === 'Exe' || collection === 'Dll')) {
    source.problem = { pathPossible: true, message: 'The file has a program extension but is not a Windows program (no PE header): Windows would not run it, so no rule is made.' }
  }
  return source
}

/** A FileHash entry for a file (SourceFileName and SourceFileLength are informational, §6). */
function fileHashes(info: RuleSource): FileHash[] {
  if (!info.hash) return []
  const name = baseName(info.path)
  const length = info.size === undefined ? undefined : String(info.size)
  return [info.hash, ...(info.alternativeHashes ?? [])].map((data) => (length === undefined ? { type: 'SHA256', data, sourceFileName: name } : { type: 'SHA256', data, sourceFileName: name, sourceFileLength: length }))
}


/** A generated rule's name: the name Windows gives it, after "<prefix>: " when a prefix is given, at most 1,024 characters. */
export function generatedRuleName(name: string, prefix: string | undefined): string {
  const p = prefix?.trim() ?? ''
  return fitRuleName(p ? `${p}: ${name}` : name)
}


/**
 * A grouped publisher rule's name, as Windows-made grouped rules are named (OBS: corpus
 * mhaggis-applockergen-generated-policy.xml "Program Files: MICROSOFT TEAMS signed by O=MICROSOFT
 * CORPORATION, ...", wdac-toolkit-test-executable-rules.xml "Netlock: FIREFOX signed by O=MOZILLA
 * CORPORATION, ..."; the name prefix goes in front as for every generated rule).
 */
export function groupedPublisherRuleName(condition: FilePublisherCondition): string {
  return `${condition.productName || '(no product name)'} signed by ${condition.publisherName}`
}

/** 65535: each part of a file version is a 16-bit field (reference/applocker-deep.md 5.3). */
const MAX_VERSION_PART = 65535

/**
 * A file's version as a BinaryVersionRange bound: `a.b.c.d` (the XSD's four parts of 1-5 digits,
 * §1.1), each part a number of at most 65535 written without leading zeros. A shorter version is
 * padded with zeros ("1.2" -> "1.2.0.0": missing parts are 0, APPLOCKER.md 4). No version (empty) is
 * 0.0.0.0, as for a file without a version resource (fileinfo reports 0.0.0.0 then, §5.3). `usable`
 * is false when the text is no such version (more than four parts, a part above 65535, not numbers):
 * the file is then taken as having no version, 0.0.0.0, and the caller says so.
 */
export function ruleVersion(text: string): { version: string; usable: boolean } {
  const none = { version: '0.0.0.0', usable: false }
  const t = text.trim()
  if (t === '') return { version: '0.0.0.0', usable: true }
  const parts = t.split('.')
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p))) return none
  const numbers = parts.map((p) => Number(p))
  if (numbers.some((n) => !(n <= MAX_VERSION_PART))) return none
  while (numbers.length < 4) numbers.push(0)
  return { version: numbers.join('.'), usable: true }
}

/**
 * **(inferred)** The low bound of a grouped publisher rule: the first two parts of the lowest version
 * among the grouped files, then ".0.0" ("23306.3309.1.2" -> "23306.3309.0.0"). Windows-made grouped
 * rules keep two parts and ".0.0" (OBS: corpus 10.0.0.0, 23306.3309.0.0, 4.18.0.0); that the parts come
 * from the lowest version seen (so every grouped file stays allowed) is our reading, not checked on Windows.
 */
export function groupedPublisherLow(lowest: string): string {
  const [a = '0', b = '0'] = ruleVersion(lowest).version.split('.')
  return `${a}.${b}.0.0`
}

/** How a publisher rule uses the files' versions: not at all, the lowest and above, or the grouped low bound and above. */
type VersionUse = 'any' | 'and-above' | 'grouped'

/** The fields of a publisher rule for a file, without its version range (what a proposal groups by). */
interface PublisherShape {
  publisherName: string
  productName: string
  binaryName: string
  versions: VersionUse
}

function publisherShape(p: FilePublisher, collection: CollectionType, level: PublisherLevel, grouping: boolean): PublisherShape {
  if (level === 'publisher') return { publisherName: p.name, productName: '*', binaryName: '*', versions: 'any' }
  // Packaged apps: package name with BinaryName "*" (Example E); at version level the package version and above.
  if (collection === 'Appx') return { publisherName: p.name, productName: p.product, binaryName: '*', versions: level === 'version' ? 'and-above' : 'any' }
  if (level === 'product') return { publisherName: p.name, productName: p.product, binaryName: '*', versions: grouping ? 'grouped' : 'any' }
  return { publisherName: p.name, productName: p.product, binaryName: p.binary, versions: level === 'version' ? 'and-above' : 'any' }
}

/** A packaged app's publisher condition at package-version level: package name, BinaryName "*", the version and above. */
function packageVersionCondition(publisherName: string, packageName: string, version: string): FilePublisherCondition {
  return { kind: 'publisher', publisherName, productName: packageName, binaryName: '*', versionRange: { low: ruleVersion(version).version, high: '*' } }
}

function publisherConditionOf(shape: PublisherShape, collection: CollectionType, lowest: string): FilePublisherCondition {
  if (collection === 'Appx' && shape.versions === 'and-above') return packageVersionCondition(shape.publisherName, shape.productName, lowest)
  const versionRange = shape.versions === 'any' ? { low: '*', high: '*' } : { low: shape.versions === 'grouped' ? groupedPublisherLow(lowest) : lowest, high: '*' }
  return { kind: 'publisher', publisherName: shape.publisherName, productName: shape.productName, binaryName: shape.binaryName, versionRange }
}

/** A version text for a message: quoted, cut when long. */
function quotedVersion(text: string): string {
  const t = text.trim()
  return `"${t.length > 40 ? `${t.slice(0, 37)}...` : t}"`
}

function makeRule(condition: Condition, name: string, options: { sid: string; action?: RuleAction; namePrefix?: string }): Rule {
  const base = {
    id: newRuleId(),
    name: generatedRuleName(name, options.namePrefix),
    description: '',
    userOrGroupSid: options.sid,
    action: options.action ?? 'Allow',
    exceptions: [],
  }
  return ruleOfCondition(base, condition)
}

function listCollections(set: ReadonlySet<CollectionType>): string {
  const names = COLLECTION_ORDER.filter((c) => set.has(c)).map((c) => COLLECTION_LABELS[c])
  return names.length <= 1 ? (names[0] ?? 'no collection') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function toWindowsPath(path: string): string {
  return path.replace(/\//g, '\\')
}

/**
 * Proposes rules for files, as the snap-in's "Automatically Generate Rules..." wizard does (see the
 * module comment for the choices). Rules come grouped by collection in the order Exe, Msi, Script,
 * Dll, Appx, and within a collection in the order of the first file that produced each.
 */
export function proposeRules(infos: readonly FileInfo[], options: ProposeOptions): Proposal {
  const of = new Map<RuleSource, FileInfo>()
  const sources = infos.map((info) => {
    const source = sourceOfFileInfo(info)
    of.set(source, info)
    return source
  })
  const pathFor = options.pathFor
  return proposeRulesFromSources(sources, { ...options, pathFor: pathFor ? (s: RuleSource) => pathFor(of.get(s)!) : undefined })
}

export type SourceProposeOptions = Omit<ProposeOptions, 'pathFor'> & {
  /** The path a path rule uses for a source; default: its path with "/" turned into "\\". */
  pathFor?: (source: RuleSource) => string
}

/** proposeRules for any rule sources (files read here, inventory entries). */
export function proposeRulesFromSources(sources: readonly RuleSource[], options: SourceProposeOptions): Proposal {
  // Notes with the place of their file in the input, so notes added later still come in input order.
  const noted: { at: number; note: FileNote }[] = []
  let at = 0
  const note = (n: FileNote, place = at) => noted.push({ at: place, note: n })
  const pathFor = options.pathFor ?? ((i: RuleSource) => toWindowsPath(i.path))
  const level: PublisherLevel = options.publisherLevel ?? (options.groupSimilar ? 'product' : 'version')

  // Buckets keyed by collection + identity, so identical or grouped proposals merge.
  interface Bucket {
    collection: CollectionType
    kind: 'publisher' | 'hash' | 'path'
    files: RuleSource[]
    publisher?: PublisherShape
    /** The lowest version among the files (ruleVersion form), for publisher rules that use versions. */
    lowest?: string
    paths?: string[]
  }
  const buckets = new Map<string, Bucket>()
  const bucket = (key: string, make: () => Bucket): Bucket => {
    let b = buckets.get(key)
    if (!b) buckets.set(key, (b = make()))
    return b
  }
  const placeOf = new Map<RuleSource, number>()

  const wanted = new Set<RulePreference>(options.ruleTypes && options.ruleTypes.length ? options.ruleTypes : PREFERENCE_TYPES[options.preference])
  const types = RULE_TYPE_ORDER.filter((t) => wanted.has(t))
  const only = options.collections ? new Set(options.collections) : null
  for (; at < sources.length; at++) {
    const info = sources[at]
    if (!placeOf.has(info)) placeOf.set(info, at)
    const collection = info.collection
    if (only && collection !== null && !only.has(collection)) {
      note({ path: info.path, severity: 'info', message: `Left out: a file of ${COLLECTION_LABELS[collection]}, and rules are generated for ${listCollections(only)} only.` })
      continue
    }
    const pathInstead = info.problem?.pathPossible === true && wanted.has('path')
    const problem = info.problem && !pathInstead ? info.problem.message : null
    if (problem || collection === null) {
      note({ path: info.path, severity: 'error', message: problem ?? 'No AppLocker rule collection covers this file: no rule.' })
      continue
    }
    let kind: RulePreference | null
    if (collection === 'Appx') {
      // Packaged apps take publisher rules only (no hash or path rules), whatever was asked.
      if (!info.publisher) {
        note({ path: info.path, severity: 'error', message: 'The package is not signed, and packaged apps can only be allowed by publisher rules: no rule.' })
        continue
      }
      kind = 'publisher'
    } else if (pathInstead) kind = 'path'
    else kind = types.find((t) => (t === 'publisher' ? info.publisher !== null : t === 'hash' ? info.hash !== null : true)) ?? null
    const why = info.unsignedReason ?? 'it is not signed'
    if (kind === null) {
      const last = types[types.length - 1]
      note({
        path: info.path,
        severity: 'error',
        message: last === 'hash' ? (info.noHashMessage ?? 'The file has no hash: no rule.') : `No publisher (${why}): no rule (allow file hash rules to cover unsigned files).`,
      })
      continue
    }
    if (collection !== 'Appx' && kind !== types[0]) {
      const message =
        kind === 'hash'
          ? `No publisher (${why}): a file hash rule is proposed instead.`
          : types[0] === 'publisher' && types.includes('hash')
            ? `No publisher (${why}) and no hash: a path rule is proposed instead.`
            : types[0] === 'publisher'
              ? `No publisher (${why}): a path rule is proposed instead.`
              : 'No hash: a path rule is proposed instead.'
      note({ path: info.path, severity: 'info', message })
    }

    if (kind === 'publisher') {
      const p = info.publisher!
      const shape = publisherShape(p, collection, level, options.groupSimilar)
      const key = [collection, 'publisher', shape.publisherName.toUpperCase(), shape.productName.toUpperCase(), shape.binaryName.toUpperCase()].join('|')
      const b = bucket(key, () => ({ collection, kind: 'publisher', files: [], publisher: shape }))
      b.files.push(info)
      if (shape.versions !== 'any') {
        const v = ruleVersion(p.version)
        if (!v.usable) {
          note({
            path: info.path,
            severity: 'info',
            message: `The ${collection === 'Appx' ? 'package' : 'file'} version ${quotedVersion(p.version)} is not one AppLocker can use (at most four numbers of 0 to 65535, e.g. 10.0.19041.1): it is taken as having no version (0.0.0.0, as a file without a version resource), so the publisher rule for it starts at version 0.0.0.0.`,
          })
        }
        // The rule covers the lowest version seen and above.
        if (b.lowest === undefined || compareVersions(v.version, b.lowest) < 0) b.lowest = v.version
      }
    } else if (kind === 'hash') {
      const key = options.groupSimilar ? `${collection}|hash` : `${collection}|hash|${info.hash!.toUpperCase()}`
      bucket(key, () => ({ collection, kind: 'hash', files: [] })).files.push(info)
    } else {
      const path = pathFor(info)
      const folder = folderOf(path)
      const key = options.groupSimilar && folder ? `${collection}|folder|${folder.toUpperCase()}` : `${collection}|path|${path.toUpperCase()}`
      const b = bucket(key, () => ({ collection, kind: 'path', files: [], paths: [] }))
      b.files.push(info)
      b.paths!.push(path)
    }
  }

  interface Made {
    collection: CollectionType
    condition: Condition
    name: string
    files: RuleSource[]
  }
  const made: Made[] = []
  for (const collection of COLLECTION_ORDER) {
    for (const b of buckets.values()) {
      if (b.collection !== collection) continue
      if (b.kind === 'publisher') {
        const shape = b.publisher!
        const condition = publisherConditionOf(shape, collection, b.lowest ?? '0.0.0.0')
        const name = shape.versions === 'grouped' ? groupedPublisherRuleName(condition) : defaultRuleName(condition, options.action ?? 'Allow', collection)
        made.push({ collection, condition, name, files: b.files })
      } else if (b.kind === 'hash') {
        const seen = new Set<string>()
        const hashes: FileHash[] = []
        for (const f of b.files)
          for (const h of fileHashes(f)) {
            if (seen.has(h.data.toUpperCase())) continue
            seen.add(h.data.toUpperCase())
            hashes.push(h)
          }
        const condition = { kind: 'hash', hashes } satisfies FileHashCondition
        made.push({ collection, condition, name: hashRuleName(condition), files: b.files })
      } else {
        const distinct = [...new Set(b.paths!.map((p) => p.toUpperCase()))]
        const path = distinct.length > 1 ? `${folderOf(b.paths![0])}\\*` : b.paths![0]
        made.push({ collection, condition: { kind: 'path', path } satisfies FilePathCondition, name: path, files: b.files })
      }
    }
  }

  const rules: ProposedRule[] = foldCoveredPathRules(made, (file, n) => note(n, placeOf.get(file) ?? sources.length)).map((m) => ({
    collection: m.collection,
    rule: makeRule(m.condition, m.name, options),
    files: m.files.map((f) => f.path),
  }))

  if (options.existing) {
    const present = new Map<CollectionType, Set<string>>()
    for (const c of options.existing.collections) {
      if (!c.type) continue
      const set = present.get(c.type) ?? new Set<string>()
      for (const r of c.rules) set.add(ruleBehaviourKey(r))
      present.set(c.type, set)
    }
    for (const p of rules) if (present.get(p.collection)?.has(ruleBehaviourKey(p.rule))) p.existing = true
  }
  noted.sort((a, b) => a.at - b.at)
  return { rules, notes: noted.map((n) => n.note) }
}

/**
 * Leaves out the proposed path rules that a proposed "<folder>\*" rule of the same collection already
 * covers ("folder\*" covers every subfolder, APPLOCKER.md 4; every proposal has the same user and
 * action), giving their files to the broadest covering rule and a note to each of those files. Only
 * a covering pattern without other wildcards is considered, compared case-insensitively.
 */
function foldCoveredPathRules<T extends { collection: CollectionType; condition: Condition; files: RuleSource[] }>(made: T[], note: (file: RuleSource, n: FileNote) => void): T[] {
  const folders = new Map<string, T>()
  for (const m of made) {
    if (m.condition.kind !== 'path') continue
    const p = m.condition.path
    if (p.endsWith('\\*') && !p.slice(0, -1).includes('*')) folders.set(`${m.collection}|${p.slice(0, -1).toUpperCase()}`, m)
  }
  if (folders.size === 0) return made
  const dropped = new Set<T>()
  for (const m of made) {
    if (m.condition.kind !== 'path') continue
    const path = m.condition.path
    const upper = path.toUpperCase()
    // The shortest folder above the path that has a "<folder>\*" rule (never itself covered).
    for (let i = upper.indexOf('\\'); i >= 0; i = upper.indexOf('\\', i + 1)) {
      const cover = folders.get(`${m.collection}|${upper.slice(0, i + 1)}`)
      if (cover === m) break
      if (!cover) continue
      dropped.add(m)
      cover.files.push(...m.files)
      const broader = (cover.condition as FilePathCondition).path
      const count = m.files.length === 1 ? '' : ` (with ${m.files.length} files)`
      for (const f of m.files)
        note(f, {
          path: f.path,
          severity: 'info',
          message: `Covered by the proposed path rule ${broader}, which allows every subfolder: the narrower rule ${path}${count} is folded into it.`,
        })
      break
    }
  }
  return dropped.size ? made.filter((m) => !dropped.has(m)) : made
}

/** A short text for a condition, for review tables ("Publisher O=..., product, file, version"). */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'path':
      return condition.path
    case 'publisher': {
      const v = condition.versionRange
      const version = !v || (v.low === '*' && v.high === '*') ? 'any version' : v.high === '*' ? `${v.low} and above` : v.low === '*' ? `${v.high} and below` : v.low === v.high ? `${v.low} exactly` : `${v.low} to ${v.high}`
      return `${condition.publisherName} \\ ${condition.productName || '(no product)'} \\ ${condition.binaryName || '(no file name)'} \\ ${version}`
    }
    case 'hash':
      return condition.hashes.map((h) => `${h.sourceFileName ?? ''} ${h.data}`.trim()).join('; ')
  }
}

/**
 * A packaged-app publisher condition from a package's manifest Identity (Publisher, Name, Version),
 * for a package that is not signed: BinaryName "*", the version from the manifest and above (as a
 * bound Windows accepts, ruleVersion: 0.0.0.0 when the manifest's Version is no such version).
 * Windows matches the publisher of the package's signature, which must equal the manifest's
 * Publisher, so the rule covers this package once it is signed with that certificate.
 */
export function packageIdentityCondition(info: FileInfo): FilePublisherCondition | null {
  if (!info.package) return null
  const { publisher, name, version } = info.package
  return packageVersionCondition(publisher, name, version)
}

/**
 * Fills a condition of the "Create New Rule..." dialog from one picked file (the wizard's "Browse..."):
 * - publisher: all four fields from the file, version "and above" its version (the caller's slider or
 *   "Use custom values" then widens it); for a packaged app, package name with BinaryName "*".
 * - hash: one FileHash (plus an installer's alternative hash) with SourceFileName and SourceFileLength.
 * Returns a plain message instead when the file cannot give that condition (unsigned, empty, damaged).
 */
export function conditionFromFile(
  info: FileInfo,
  kind: 'publisher' | 'hash',
): { value: FilePublisherCondition | FileHashCondition | null; diagnostics: Diagnostic[] } {
  const fail = (message: string) => ({ value: null, diagnostics: [{ severity: 'error' as const, code: 'no-condition-from-file', message }] })
  if (kind === 'publisher') {
    if (!info.publisher && info.kind === 'package') {
      // Packaged app rules take publisher conditions only: no hash to fall back on, the manifest's identity instead.
      return fail(
        `${baseName(info.path)} gives no signing publisher: the package is not signed (it has no AppxSignature.p7x). ` +
          (info.package ? "Its manifest's Identity element names the publisher, package name and version, and can fill the rule instead." : 'Its manifest names no identity either.'),
      )
    }
    if (!info.publisher) {
      const why = info.signature ? `its signature (${info.signature.publisherName}) is not accepted here` : 'it is not signed'
      return fail(`${baseName(info.path)} gives no publisher: ${why}. Use a file hash condition instead.`)
    }
    const p = info.publisher
    // A packaged app: package name with BinaryName "*", any version (the slider then narrows it).
    if (collectionFor(info) === 'Appx') return { value: { kind: 'publisher', publisherName: p.name, productName: p.product, binaryName: '*', versionRange: { low: '*', high: '*' } }, diagnostics: [] }
    const v = ruleVersion(p.version)
    const diagnostics: Diagnostic[] = v.usable
      ? []
      : [{ severity: 'warning', code: 'unusable-file-version', message: `The file version ${quotedVersion(p.version)} is not a version AppLocker can use: 0.0.0.0 is used instead.` }]
    return { value: { kind: 'publisher', publisherName: p.name, productName: p.product, binaryName: p.binary, versionRange: { low: v.version, high: '*' } }, diagnostics }
  }
  if (info.kind === 'package') return fail('Packaged apps can only be controlled by publisher rules.')
  const hashes = fileHashes(sourceOfFileInfo(info))
  if (hashes.length === 0) return fail(info.kind === 'empty' ? `${baseName(info.path)} is empty: AppLocker cannot hash an empty file.` : `${baseName(info.path)} has no hash.`)
  return { value: { kind: 'hash', hashes }, diagnostics: [] }
}

