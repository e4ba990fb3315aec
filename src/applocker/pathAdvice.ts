/**
 * Advice on a path condition as it is written, each piece with the path that follows it: a folder
 * written without "\*" (the rule then matches one file of that exact name, nothing in the folder),
 * and a literal Windows folder (C:\Program Files (x86)\..., C:\Windows\...) that one of AppLocker's
 * path variables names on any machine. Create New Rule says it as the path is typed; Review policy
 * flags the folder case with the same test (review/paths.ts).
 *
 * The variables and their folders are the engine's (evaluate/paths.ts on DEFAULT_MACHINE), not a
 * table of their own: %PROGRAMFILES% is C:\Program Files and C:\Program Files (x86), %SYSTEM32% is
 * System32 and SysWOW64 (APPLOCKER.md section 4).
 */
import { normalizePathText, prepareMachine, type PathVariable } from './evaluate/paths'
import { DEFAULT_MACHINE } from './evaluate/types'

export interface PathAdvice {
  code: 'folder-without-star' | 'literal-path'
  message: string
  /** The button's text: `Add \*`, `Use %PROGRAMFILES%`. */
  action: string
  /** The path after the fix. */
  fixed: string
}

/**
 * Whether a path looks like a folder written without "\*": no "*" anywhere, and a last segment
 * that is empty (a trailing backslash) or has no "." (no file extension), no ":" (no stream) and
 * is not a lone variable.
 */
export function looksLikeFolderPath(path: string): boolean {
  const p = path.trim()
  const last = p.split('\\').pop() ?? ''
  return p !== '' && !p.includes('*') && !last.includes('.') && !last.includes(':') && !/^%[A-Z0-9]+%$/i.test(last)
}

/** The variables offered for literal folders (the drive letters of %REMOVABLE% and %HOT% differ per machine). */
const OFFERED: readonly PathVariable[] = ['%PROGRAMFILES%', '%SYSTEM32%', '%WINDIR%', '%OSDRIVE%']

/** What each variable stands for, as the engine's default machine has it (for the message). */
function locationsText(v: PathVariable): string {
  const m = DEFAULT_MACHINE
  const list = v === '%PROGRAMFILES%' ? m.programFiles : v === '%SYSTEM32%' ? m.system32 : v === '%WINDIR%' ? [m.windir] : [m.osDrive]
  return list.join(' and ')
}

const machine = prepareMachine(DEFAULT_MACHINE)

/**
 * The AppLocker variable a literal path starts with on the default machine (the longest match:
 * C:\Windows\System32 is %SYSTEM32%, not %WINDIR%\System32), with the path written with it.
 */
export function literalPathVariable(path: string): { variable: PathVariable; literal: string; fixed: string } | null {
  const t = path.trim()
  const n = normalizePathText(t)
  if (n.length !== t.length) return null
  let best: { loc: string; v: PathVariable; segments: number } | null = null
  for (const [loc, v, segments] of machine.prefixes) {
    if (!OFFERED.includes(v)) continue
    if ((n === loc || n.startsWith(`${loc}\\`)) && (!best || segments > best.segments)) best = { loc, v, segments }
  }
  if (!best) return null
  return { variable: best.v, literal: t.slice(0, best.loc.length), fixed: best.v + t.slice(best.loc.length).replace(/\//g, '\\') }
}

/** The advice for a path condition as typed (empty when there is none). */
export function pathAdvice(path: string): PathAdvice[] {
  const out: PathAdvice[] = []
  const p = path.trim()
  if (p === '') return out
  if (looksLikeFolderPath(p)) {
    const fixed = `${p.replace(/\\+$/, '')}\\*`
    out.push({
      code: 'folder-without-star',
      message: `"${p}" looks like a folder: without "\\*" the rule matches only a file with exactly that name, nothing inside the folder. ${fixed} covers the folder and its subfolders.`,
      action: 'Add \\*',
      fixed,
    })
  }
  const literal = literalPathVariable(p)
  if (literal) {
    const several = literal.variable === '%PROGRAMFILES%' || literal.variable === '%SYSTEM32%'
    out.push({
      code: 'literal-path',
      message: `"${literal.literal}" is written literally: the rule matches only where that folder is at that place. AppLocker's ${literal.variable} names it wherever Windows puts it (${locationsText(literal.variable)} on a usual 64-bit Windows${several ? `; ${literal.fixed} covers both` : ''}).`,
      action: `Use ${literal.variable}`,
      fixed: literal.fixed,
    })
  }
  return out
}
