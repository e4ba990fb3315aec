/**
 * Path variables and the forms of a file's path the engine compares (APPLOCKER.md section 4,
 * reference/applocker-deep.md sections 4.1 and 4.2).
 *
 * Windows puts every equivalent form of a file's path into the APPID://PATH attribute (the
 * Win32 path and each AppLocker variable form, upper case) and a path rule matches when its
 * pattern matches any of them. `pathForms` builds that set for the simulated machine.
 */
import type { MachineSettings } from './types'

/** AppLocker's own path variables (the complete documented list). Anything else between % is literal text. */
export const PATH_VARIABLES = ['%WINDIR%', '%SYSTEM32%', '%OSDRIVE%', '%PROGRAMFILES%', '%REMOVABLE%', '%HOT%'] as const
export type PathVariable = (typeof PATH_VARIABLES)[number]

/** Upper case, forward slashes as backslashes, surrounding blanks removed: the form paths and patterns are compared in. */
export function normalizePathText(path: string): string {
  let t = path
  if (t.length > 0 && (t.charCodeAt(0) <= 32 || t.charCodeAt(t.length - 1) <= 32)) t = t.trim()
  if (t.indexOf('/') >= 0) t = t.replace(/\//g, '\\')
  return t.toUpperCase()
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

/** pathForms into reused arrays (the engine's fast path allocates nothing else). */
export function pathFormsInto(path: string, machine: MachinePaths, out: PathForms): void {
  const given = normalizePathText(path)
  let real = given
  out.forms.length = 0
  out.heads.length = 0
  out.tails.length = 0
  const v = leadingVariable(given)
  if (v !== null) {
    // The given variable form is found again below: the real path lies in the variable's first location.
    const loc = machine.locations[v][0]
    if (loc !== undefined) real = loc + given.slice(v.length)
  }
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
