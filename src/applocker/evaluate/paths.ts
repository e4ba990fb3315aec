/**
 * Path variables and the forms of a file's path the engine compares (APPLOCKER.md section 4,
 * reference/applocker-deep.md sections 4.1 and 4.2).
 *
 * Windows puts every equivalent form of a file's path into the APPID://PATH attribute (the
 * Win32 path and each AppLocker variable form, upper case) and a path rule matches when its
 * pattern matches any of them. `pathForms` builds that set for the simulated machine.
 */
import { upcase } from '../upcase'
import type { MachineSettings, MappedDrive } from './types'
import { SEGMENT_HASH_MASK } from './segments'

/** AppLocker's own path variables (the complete documented list). Anything else between % is literal text. */
export const PATH_VARIABLES = ['%WINDIR%', '%SYSTEM32%', '%OSDRIVE%', '%PROGRAMFILES%', '%REMOVABLE%', '%HOT%'] as const
export type PathVariable = (typeof PATH_VARIABLES)[number]

/** The text without the blanks and control characters (code units up to 32) at either end. */
function trimControl(t: string): string {
  let a = 0
  let b = t.length
  while (a < b && t.charCodeAt(a) <= 32) a++
  while (b > a && t.charCodeAt(b - 1) <= 32) b--
  return t.slice(a, b)
}

/** Upper case (one UTF-16 unit at a time, as Windows: see ../upcase.ts), forward slashes as backslashes, surrounding blanks removed: the form paths and patterns are compared in. */
export function normalizePathText(path: string): string {
  let t = path
  if (t.length > 0 && (t.charCodeAt(0) <= 32 || t.charCodeAt(t.length - 1) <= 32)) t = trimControl(t)
  if (t.indexOf('/') >= 0) t = t.replace(/\//g, '\\')
  return upcase(t)
}

/**
 * Whether a normalised file path may differ from its canonical form (see canonicalFilePath).
 * Cheap: most real paths answer false without a scan beyond two indexOf calls.
 */
function needsCanonical(p: string): boolean {
  const n = p.length
  if (n === 0) return false
  const first = p.charCodeAt(0)
  const last = p.charCodeAt(n - 1)
  if (first === 34 || last === 34 || last === 46 || last === 32) return true // '"', '.', ' '
  if (p.indexOf('\\\\', 1) >= 0) return true // a run of backslashes after the start
  if (p.indexOf('\\.') >= 0) return true // a '.' or '..' segment (or a harmless '\.name')
  return n >= 4 && first === 92 && p.charCodeAt(1) === 92 && p.charCodeAt(2) === 63 && p.charCodeAt(3) === 92 // '\\?\'
}

/**
 * A file path (already normalised by normalizePathText) as Windows resolves it before AppLocker
 * sees it: one pair of surrounding double quotes removed (a path copied with "Copy as path"),
 * the `\\?\` and `\\.\` prefixes removed (`\\?\UNC\server\share` is `\\server\share`), runs of
 * backslashes collapsed (the leading `\\` of a UNC path kept), `.` segments dropped, `..`
 * segments resolved (never above the drive or the `\\server\share`), and
 * trailing dots and spaces of the last segment removed, as Win32 path normalisation does
 * (`C:\Windows\..\Users\bob\x.exe` is `C:\USERS\BOB\X.EXE`, which `%WINDIR%\*` does not cover).
 * Rule patterns are not canonicalised: Windows compares them as written.
 */
export function canonicalFilePath(p: string): string {
  if (!needsCanonical(p)) return p
  let t = p
  if (t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34) t = t.slice(1, -1).trim()
  else if (t.charCodeAt(0) === 34 || t.charCodeAt(t.length - 1) === 34) t = t.replace(/^"|"$/g, '').trim()
  let verbatim = false
  if (t.startsWith('\\\\?\\UNC\\') || t.startsWith('\\\\.\\UNC\\')) t = `\\\\${t.slice(8)}`
  else if (t.startsWith('\\\\?\\') || t.startsWith('\\\\.\\')) {
    // \\?\ paths skip Win32 normalisation: the name is taken as it is.
    verbatim = t.charCodeAt(2) === 63
    t = t.slice(4)
  }
  if (verbatim) return t
  const unc = t.startsWith('\\\\')
  const parts = (unc ? t.slice(2) : t).split('\\')
  // Segments that `..` never removes: the drive (`C:`) or leading backslash, or the UNC server and share.
  const rootCount = unc ? Math.min(2, parts.length) : parts[0] === '' || /^[A-Z]:$/.test(parts[0]) ? 1 : 0
  const out: string[] = parts.slice(0, rootCount)
  for (let i = rootCount; i < parts.length; i++) {
    const s = parts[i]
    const isLast = i === parts.length - 1
    if (s === '' && !isLast) continue
    if (s === '.') continue
    if (s === '..') {
      if (out.length > rootCount && out[out.length - 1] !== '..') out.pop()
      else if (rootCount === 0) out.push(s)
      continue
    }
    out.push(isLast ? s.replace(/[. ]+$/, '') : s)
  }
  const joined = out.join('\\')
  return unc ? `\\\\${joined}` : joined
}

/** `d`, `D:`, `D:\` -> `D:` */
export function normalizeDrive(drive: string): string {
  const d = normalizePathText(drive).replace(/\\+$/, '')
  return /^[A-Z]$/.test(d) ? `${d}:` : d
}

function normalizeLocation(location: string): string {
  return normalizePathText(location).replace(/\\+$/, '')
}

/** The locations (upper case, no trailing backslash) each variable stands for on a machine. */
export function variableLocations(machine: MachineSettings): Record<PathVariable, string[]> {
  return {
    '%WINDIR%': [normalizeLocation(machine.windir)],
    '%SYSTEM32%': machine.system32.map(normalizeLocation),
    '%OSDRIVE%': [normalizeDrive(machine.osDrive)],
    '%PROGRAMFILES%': machine.programFiles.map(normalizeLocation),
    '%REMOVABLE%': machine.removableDrives.map(normalizeDrive),
    '%HOT%': machine.hotDrives.map(normalizeDrive),
  }
}

/** A machine prepared for fast path-form computation. */
export interface MachinePaths {
  /** [location, variable, number of path segments in the location], every location of every variable. */
  prefixes: [string, PathVariable, number][]
  locations: Record<PathVariable, string[]>
}

/**
 * The path a file on a mapped or SUBST drive stands for (`X:\\App\\a.exe` -> `\\\\MYSERVER\\Apps\\App\\a.exe`),
 * or null when the path is not on one of `mapped` (MachineSettings.mappedDrives).
 */
export function resolveMappedDrive(path: string, mapped: readonly MappedDrive[]): string | null {
  if (path.length < 2 || path.charCodeAt(1) !== 58 /* : */ || (path.length > 2 && path[2] !== '\\' && path[2] !== '/')) return null
  const letter = path[0].toUpperCase()
  for (const m of mapped) {
    if (m.drive.trim().toUpperCase().replace(/:$/, '') !== letter) continue
    const target = m.target.trim().replace(/[\\/]+$/, '')
    if (target === '') return null
    return target + path.slice(2).replace(/\//g, '\\')
  }
  return null
}

/**
 * Mapped and SUBST drives as a person types them: `X: \\\\MYSERVER\\Apps; S: C:\\Work` (also `X:=...`, one per
 * line, or separated by ";"). Entries that are not a drive letter followed by a path are returned in `bad`.
 */
export function parseMappedDrives(text: string): { drives: MappedDrive[]; bad: string[] } {
  const drives: MappedDrive[] = []
  const bad: string[] = []
  for (const entry of text.split(/[;\n]+/)) {
    const e = entry.trim()
    if (e === '') continue
    const m = /^([A-Za-z]):?\s*(?:=>?|->|\s)\s*(\\\\[^\\/]+[\\/][^]+|[A-Za-z]:[\\/][^]*)$/.exec(e)
    if (m) drives.push({ drive: `${m[1].toUpperCase()}:`, target: m[2].trim() })
    else bad.push(e)
  }
  return { drives, bad }
}

/** The text parseMappedDrives reads back. */
export function formatMappedDrives(drives: readonly MappedDrive[] | undefined): string {
  return (drives ?? []).map((d) => `${d.drive} ${d.target}`).join('; ')
}

export function prepareMachine(machine: MachineSettings): MachinePaths {
  const locations = variableLocations(machine)
  const prefixes: [string, PathVariable, number][] = []
  for (const v of PATH_VARIABLES) for (const loc of locations[v]) if (loc !== '') prefixes.push([loc, v, loc.split('\\').length])
  return { prefixes, locations }
}

/** The variable a (normalised) path starts with, if it is one of AppLocker's. */
export function leadingVariable(path: string): PathVariable | null {
  if (path[0] !== '%') return null
  for (const v of PATH_VARIABLES) {
    if (path.startsWith(v) && (path.length === v.length || path[v.length] === '\\')) return v
  }
  return null
}

/**
 * A path in variable form (`%SYSTEM32%\CMD.EXE`, as events write it) as a real path on the
 * machine. **(inferred)** A variable with several locations (%SYSTEM32%, %PROGRAMFILES%, the
 * drive variables) expands to its first one; one with none (no USB drive configured) stays as it is.
 * Paths without a leading variable are returned normalised and otherwise unchanged.
 */
export function expandVariablePath(path: string, machine: MachineSettings | MachinePaths): string {
  const m = 'prefixes' in machine ? machine : prepareMachine(machine)
  return expandNormalized(normalizePathText(path), m)
}

function expandNormalized(p: string, m: MachinePaths): string {
  const v = leadingVariable(p)
  if (!v) return p
  const loc = m.locations[v][0]
  return loc === undefined ? p : loc + p.slice(v.length)
}

/**
 * Every form of a file's path a rule pattern is compared with, normalised: its real path, the
 * path as given when that was in variable form, and each variable form of the real path
 * (`C:\WINDOWS\SYSTEM32\CMD.EXE`, `%OSDRIVE%\WINDOWS\SYSTEM32\CMD.EXE`, `%WINDIR%\SYSTEM32\CMD.EXE`,
 * `%SYSTEM32%\CMD.EXE`). A variable applies when the path is its location or lies under it.
 * The real path comes first.
 */
export function pathForms(path: string, machine: MachinePaths): string[] {
  const out: PathForms = { forms: [], heads: [], tails: [] }
  pathFormsInto(path, machine, out)
  return out.forms
}

/**
 * The forms of a path with how each variable form is built: forms[0] is the real path; for
 * k >= 1, forms[k] is heads[k - 1] (a variable) followed by the real path's segments from index
 * tails[k - 1] on.
 */
export interface PathForms {
  forms: string[]
  heads: string[]
  tails: number[]
}

/** pathForms into reused arrays. */
export function pathFormsInto(path: string, machine: MachinePaths, out: PathForms): void {
  formsOfRealInto(realFilePath(path, machine), machine, out)
}

/**
 * The real path of a file as the engine compares it: normalised (normalizePathText), one pair of
 * surrounding quotes removed, a leading AppLocker variable replaced by its first location, and
 * canonical (canonicalFilePath). The first of the path's forms.
 */
export function realFilePath(path: string, machine: MachinePaths): string {
  const plain = plainPathText(path)
  if (plain !== null && plain.charCodeAt(0) !== 37) return plain
  let given = plain ?? normalizePathText(path)
  if (given.charCodeAt(0) === 34) given = trimControl(given.replace(/^"|"$/g, ''))
  let real = given
  if (given.charCodeAt(0) === 37) {
    const v = leadingVariable(given)
    if (v !== null) {
      // The given variable form is found again by formsOfRealInto: the real path lies in the variable's first location.
      const loc = machine.locations[v][0]
      if (loc !== undefined) real = loc + given.slice(v.length)
    }
  }
  return canonicalFilePath(real)
}

/** A path's segments (the text between backslashes) as scanPlainPath and scanSegments find them. */
export interface PathScan {
  /** Number of segments (a path without a backslash has one). */
  count: number
  /** Where segment i starts; it ends one before starts[i + 1], the last one at the end of the text. */
  starts: number[]
  /** segmentHash of each segment (segments.ts: ASCII letters folded to upper case). */
  hashes: number[]
  /** The text has lower-case ASCII letters (scanPlainPath only). */
  lower: boolean
  /** How many colons the text has, and where the first is (-1: none); scanPlainPath only. */
  colons: number
  firstColon: number
}

export function newPathScan(): PathScan {
  return { count: 0, starts: [], hashes: [], lower: false, colons: 0, firstColon: -1 }
}

/**
 * The usual file path in one scan: printable ASCII, backslashes, none of what normalisation or
 * canonicalFilePath would change (blanks at the ends, `/`, quotes, `?`, a run of backslashes
 * after the start, a `.` or `..` segment, a trailing dot or blank). Returns whether the path is
 * such a path; when it is, `out` holds its segments, its colons and whether it has lower-case
 * letters (its normalised form is then path.toUpperCase(), else the path itself).
 */
export function scanPlainPath(path: string, out: PathScan): boolean {
  const n = path.length
  if (n === 0) return false
  const starts = out.starts
  const hashes = out.hashes
  let count = 0
  let lower = false
  let h = 0
  let colons = 0
  let firstColon = -1
  // Where the segment in hand starts: a backslash or a dot there is a run of backslashes or a `.` segment.
  let segmentStart = 0
  starts[0] = 0
  for (let i = 0; i < n; i++) {
    let c = path.charCodeAt(i)
    // Letters and digits (most of a path) pass with a comparison or two; the rest is checked below.
    if (c >= 97) {
      if (c <= 122) {
        lower = true
        c -= 32
      } else if (c >= 0x7f) return false
    } else if (c === 92) {
      if (i === segmentStart && i >= 2) return false // a run of backslashes (past a UNC path's start)
      hashes[count++] = h & SEGMENT_HASH_MASK
      starts[count] = segmentStart = i + 1
      h = 0
      continue
    } else if (c < 65) {
      if (c < 32 || c === 47 || c === 34 || c === 63) return false
      if (c === 46 && i === segmentStart && i > 0) return false // a `.` or `..` segment
      if (c === 58 && colons++ === 0) firstColon = i
    }
    h = (Math.imul(h, 31) + c) | 0 // segmentHashStep, written out (segments.ts says why)
  }
  const first = path.charCodeAt(0)
  const last = path.charCodeAt(n - 1)
  if (first === 32 || last === 32 || last === 46) return false
  hashes[count++] = h & SEGMENT_HASH_MASK
  out.count = count
  out.lower = lower
  out.colons = colons
  out.firstColon = firstColon
  return true
}

/** The segments of a normalised path (any text: nothing is checked), into `out` (lower: false). */
export function scanSegments(text: string, out: PathScan): void {
  const starts = out.starts
  const hashes = out.hashes
  let count = 0
  let h = 0
  starts[0] = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 92) {
      hashes[count++] = h & SEGMENT_HASH_MASK
      starts[count] = i + 1
      h = 0
    } else h = (Math.imul(h, 31) + (c >= 97 && c <= 122 ? c - 32 : c)) | 0 // segmentHashStep of foldAscii(c)
  }
  hashes[count++] = h & SEGMENT_HASH_MASK
  out.count = count
  out.lower = false
}

const plainScan = newPathScan()

/** The usual file path upper-cased (the same string when it has no lower-case letter), or null (scanPlainPath). */
function plainPathText(path: string): string | null {
  if (!scanPlainPath(path, plainScan)) return null
  return plainScan.lower ? path.toUpperCase() : path
}

/** Every form of a real path (realFilePath): the path itself, then each variable form. */
export function formsOfRealInto(real: string, machine: MachinePaths, out: PathForms): void {
  out.forms.length = 0
  out.heads.length = 0
  out.tails.length = 0
  out.forms.push(real)
  const prefixes = machine.prefixes
  for (let i = 0; i < prefixes.length; i++) {
    const p = prefixes[i]
    const loc = p[0]
    if (real.length >= loc.length && real.startsWith(loc) && (real.length === loc.length || real.charCodeAt(loc.length) === 92)) {
      out.forms.push(p[1] + real.slice(loc.length))
      out.heads.push(p[1])
      out.tails.push(p[2])
    }
  }
}

/** The variables' names without the percent signs (WINDIR, SYSTEM32, ...). */
const VARIABLE_NAMES = PATH_VARIABLES.map((v) => v.slice(1, -1))

/**
 * How a (normalised) path pattern is matched against the real path alone, so that a file's
 * variable forms need not be built: `real` lists patterns to match against the real path (the
 * pattern itself and, when it starts with one of AppLocker's variables followed by a backslash or
 * nothing, the pattern with the variable replaced by each of the machine's locations for it);
 * `generic` is true when the pattern may also match a variable form in another way (`%WIN*`,
 * `%WINDIR%*`, `*DIR%\X.EXE`), and must then be matched against every form.
 *
 * Why this is exact: a variable form is a variable V followed by the rest T of the real path
 * (`loc + T`, T empty or starting with a backslash). A pattern `V` + R with R empty or starting
 * with a backslash matches `V + T` exactly when `loc + R` matches `loc + T`. A pattern starting
 * with another character than `%` or `*` can only match the real path (every variable form starts
 * with `%`). A pattern starting with `*` whose literal pieces contain no `%` and are not part of a
 * variable's name can only place those pieces in T, so it matches `V + T` only if it matches the
 * real path too.
 */
export function planPathPattern(pattern: string, machine: MachinePaths): { real: string[]; generic: boolean } {
  const first = pattern.charCodeAt(0)
  if (first === 42) {
    // '*'
    const safe = pattern.split('*').every((chunk) => chunk === '' || (!chunk.includes('%') && !VARIABLE_NAMES.some((n) => n.includes(chunk))))
    return safe ? { real: [pattern], generic: false } : { real: [], generic: true }
  }
  if (first !== 37) return { real: [pattern], generic: false } // not '%'
  const v = leadingVariable(pattern)
  if (v !== null) {
    const locations = machine.locations[v]
    if (locations.some((loc) => loc.includes('*'))) return { real: [], generic: true }
    const rest = pattern.slice(v.length)
    const real = [pattern]
    for (const loc of locations) if (loc !== '' && !real.includes(loc + rest)) real.push(loc + rest)
    return { real, generic: false }
  }
  const star = pattern.indexOf('*')
  const head = star < 0 ? pattern : pattern.slice(0, star)
  const related = PATH_VARIABLES.some((h) => head.startsWith(h) || h.startsWith(head))
  return related ? { real: [], generic: true } : { real: [pattern], generic: false }
}
