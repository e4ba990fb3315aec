import { describe, expect, it } from 'vitest'
import { clipValue, quoteValue } from './diagnostics'

describe('quoteValue / clipValue', () => {
  it('quotes short values as they are', () => {
    expect(quoteValue('C:\\Tools\\*')).toBe('"C:\\Tools\\*"')
    expect(quoteValue('')).toBe('""')
    expect(clipValue('abc')).toBe('abc')
  })

  it('cites at most max characters of a long value and says how long it is', () => {
    const big = 'A'.repeat(5_000_000)
    const q = quoteValue(big)
    expect(q).toBe(`"${'A'.repeat(200)}…" (5,000,000 characters)`)
    expect(clipValue(big, 10)).toBe(`${'A'.repeat(10)}…`)
    expect(quoteValue('abcdef', 3)).toBe('"abc…" (6 characters)')
  })

  it('never cuts a surrogate pair in half', () => {
    const s = `${'a'.repeat(199)}😀tail`
    expect(clipValue(s)).toBe(`${'a'.repeat(199)}…`)
  })

  it('shows invisible characters (controls, bidi overrides, zero-width) as code points', () => {
    expect(clipValue('a\u0000b\u001bc')).toBe('a[U+0000]b[U+001B]c')
    expect(clipValue('evil\u202Eexe.txt')).toBe('evil[U+202E]exe.txt')
    expect(clipValue('zero\u200Bwidth')).toBe('zero[U+200B]width')
    expect(clipValue('tab\tand\nline')).toBe('tab\tand\nline')
  })
})
