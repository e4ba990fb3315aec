/**
 * Wildcard matchers compiled once per pattern. Patterns and subjects must already be normalised
 * (upper case); matching is anchored at both ends.
 */

export type StringMatcher = (s: string) => boolean

/**
 * `*` matches any run of characters (possibly empty, backslashes included); every other
 * character, `?` too, is literal. This is AppLocker's path pattern (APPLOCKER.md section 4).
 */
export function compileStarGlob(pattern: string): StringMatcher {
  const parts = pattern.split('*')
  if (parts.length === 1) return (s) => s === pattern
  const first = parts[0]
  const last = parts[parts.length - 1]
  const middle = parts.slice(1, -1).filter((p) => p !== '')
  const minLength = first.length + last.length
  if (middle.length === 0) {
    if (first === '' && last === '') return () => true
    if (last === '') return (s) => s.startsWith(first)
    if (first === '') return (s) => s.endsWith(last)
    return (s) => s.length >= minLength && s.startsWith(first) && s.endsWith(last)
  }
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false
    let pos = first.length
    const end = s.length - last.length
    for (const m of middle) {
      const i = s.indexOf(m, pos)
      if (i < 0 || i + m.length > end) return false
      pos = i + m.length
    }
    return true
  }
}

/** `*` any run and `?` exactly one character (the File name field of a publisher condition). */
export function compileWildcard(pattern: string): StringMatcher {
  if (!pattern.includes('?')) return compileStarGlob(pattern)
  return (s) => wildcardMatch(pattern, s)
}

/** Iterative `*`/`?` matching with single-star backtracking (linear in practice). */
function wildcardMatch(p: string, s: string): boolean {
  let pi = 0
  let si = 0
  let star = -1
  let mark = 0
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === s[si]))) {
      pi++
      si++
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++
      mark = si
    } else if (star >= 0) {
      pi = star + 1
      si = ++mark
    } else return false
  }
  while (pi < p.length && p[pi] === '*') pi++
  return pi === p.length
}
