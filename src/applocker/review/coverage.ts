/**
 * Path and condition coverage for the Review checks: a static approximation of the engine
 * (APPLOCKER.md section 4). Path variables expand to the engine's default machine
 * (evaluate/types.ts DEFAULT_MACHINE: C:\Windows, both Program Files and System32/SysWOW64, through
 * evaluate/paths.ts variableLocations); the drive variables %REMOVABLE% and %HOT% name no drive
 * here and stay as written. `*` matches any run of characters (the engine's evaluate/glob.ts),
 * comparison ignores case one UTF-16 unit at a time (../upcase.ts).
 */
import type { Condition, FilePublisherCondition, Rule } from '../policy'
import { compareVersions } from '../validate'
import { compileStarGlob, type StringMatcher } from '../evaluate/glob'
import { variableLocations } from '../evaluate/paths'
import { DEFAULT_MACHINE } from '../evaluate/types'
import { upcase, equalsIgnoreCase } from '../upcase'

/** Where each AppLocker path variable points on the machine Review assumes (upper case). */
const VARIABLE_EXPANSIONS: Record<string, readonly string[]> = variableLocations({
  ...DEFAULT_MACHINE,
  removableDrives: [],
  hotDrives: [],
})

/** Upper-cased forms of a path or pattern with its leading AppLocker variable expanded. */
export function expandPath(path: string): string[] {
  const cached = expandCache.get(path)
  if (cached) return cached
  const forms = expandUncached(path)
  if (expandCache.size > 200_000) expandCache.clear()
  expandCache.set(path, forms)
  return forms
}

/** Caches of expanded paths and compiled patterns, emptied at the start of each review. */
const expandCache = new Map<string, string[]>()

function expandUncached(path: string): string[] {
  // Windows upper-cases one UTF-16 unit at a time (../upcase.ts): `ß` never becomes `SS`.
  const up = upcase(path)
  const m = /^%[A-Z0-9]+%/.exec(up)
  const exp = m ? VARIABLE_EXPANSIONS[m[0]] : undefined
  if (!m || !exp || exp.length === 0) return [up]
  return exp.map((e) => e + up.slice(m[0].length))
}

/** The engine's `*` matcher (evaluate/glob.ts), one per upper-case pattern. */
const matcherCache = new Map<string, StringMatcher>()
function globMatcher(upperPattern: string): StringMatcher {
  let m = matcherCache.get(upperPattern)
  if (!m) {
    m = compileStarGlob(upperPattern)
    if (matcherCache.size > 200_000) matcherCache.clear()
    matcherCache.set(upperPattern, m)
  }
  return m
}

/** Empties the caches (at the start of each review: they only serve one run). */
export function clearCoverageCaches(): void {
  expandCache.clear()
  matcherCache.clear()
}

/** Whether a path pattern matches a concrete path (both may use AppLocker variables). */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const forms = expandPath(pattern)
  const targets = expandPath(path)
  return forms.some((f) => targets.some((t) => globMatcher(f)(t)))
}

/**
 * Whether every path `inner` matches is also matched by `outer` (sufficient test: `outer`'s glob
 * matches `inner`'s text, where a `*` of `inner` can only be consumed by a `*` of `outer`).
 */
export function pathPatternCovers(outer: string, inner: string): boolean {
  const outs = expandPath(outer)
  return expandPath(inner).every((i) => outs.some((o) => globMatcher(o)(i)))
}

function versionAtMost(a: string, b: string): boolean {
  // a <= b where "*" as a lower bound is -infinity and as an upper bound +infinity (caller decides).
  return compareVersions(a, b) <= 0
}

function publisherCovers(outer: FilePublisherCondition, inner: FilePublisherCondition): boolean {
  const field = (o: string, i: string) => o === '*' || equalsIgnoreCase(o, i)
  if (!field(outer.publisherName, inner.publisherName)) return false
  if (!field(outer.productName, inner.productName)) return false
  if (!(
    outer.binaryName === '*' ||
    outer.binaryName === '?' ||
    equalsIgnoreCase(outer.binaryName, inner.binaryName)
  ))
    return false
  const o = outer.versionRange
  const i = inner.versionRange
  if (!o || !i) return false
  const lowOk = o.low === '*' || (i.low !== '*' && versionAtMost(o.low, i.low))
  const highOk = o.high === '*' || (i.high !== '*' && versionAtMost(i.high, o.high))
  return lowOk && highOk
}

/** Whether condition `outer` matches every file `inner` matches (conservative: false when unsure). */
export function conditionCovers(outer: Condition, inner: Condition): boolean {
  if (outer.kind === 'path') {
    if (outer.path.trim() === '*') return true
    return inner.kind === 'path' && pathPatternCovers(outer.path, inner.path)
  }
  if (outer.kind === 'publisher') return inner.kind === 'publisher' && publisherCovers(outer, inner)
  if (inner.kind !== 'hash') return false
  const have = new Set(outer.hashes.map((h) => h.data.toLowerCase()))
  return inner.hashes.length > 0 && inner.hashes.every((h) => have.has(h.data.toLowerCase()))
}

interface CompiledPattern {
  /** One expanded form of the pattern. */
  form: string
  /** Literal text before the first "*": a cheap pre-test (the whole form when it has no "*"). */
  prefix: string
  exact: boolean
  /** Compiled on first use: most patterns are rejected by the prefix alone. */
  match?: StringMatcher
}


function compilePattern(pattern: string): CompiledPattern[] {
  return expandPath(pattern).map((form) => {
    const star = form.indexOf('*')
    return { form, prefix: star === -1 ? form : form.slice(0, star), exact: star === -1 }
  })
}

function anyMatches(patterns: readonly CompiledPattern[], forms: readonly string[]): boolean {
  for (const p of patterns) {
    for (const t of forms) {
      if (!t.startsWith(p.prefix)) continue
      if (p.exact) {
        if (t.length === p.form.length) return true
        continue
      }
      p.match ??= globMatcher(p.form)
      if (p.match(t)) return true
    }
  }
  return false
}

/** A path rule's condition and path exceptions, compiled once per rule object. */
const compiledRules = new WeakMap<Rule, { cond: CompiledPattern[]; exc: CompiledPattern[] }>()
function compiledPathRule(rule: Rule): { cond: CompiledPattern[]; exc: CompiledPattern[] } {
  let c = compiledRules.get(rule)
  if (!c) {
    c = {
      cond: rule.condition?.kind === 'path' ? compilePattern(rule.condition.path) : [],
      exc: rule.exceptions.flatMap((e) => (e.kind === 'path' ? compilePattern(e.path) : [])),
    }
    compiledRules.set(rule, c)
  }
  return c
}

/** Whether a path rule matches a concrete path and none of its path exceptions does. */
export function pathRuleMatches(rule: Rule, path: string): boolean {
  if (rule.condition?.kind !== 'path') return false
  const c = compiledPathRule(rule)
  const forms = expandPath(path)
  return anyMatches(c.cond, forms) && !anyMatches(c.exc, forms)
}
