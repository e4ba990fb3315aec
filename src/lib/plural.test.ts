import { describe, expect, it } from 'vitest'
import { count, noun, plural, verb } from './plural'

describe('plural', () => {
  it('uses the singular for exactly one, the plural otherwise (zero included)', () => {
    expect(plural(1, 'rule')).toBe('1 rule')
    expect(plural(0, 'rule')).toBe('0 rules')
    expect(plural(2, 'rule')).toBe('2 rules')
    expect(plural(1, 'identical rule')).toBe('1 identical rule')
  })
  it('takes an irregular plural', () => {
    expect(plural(1, 'entry', 'entries')).toBe('1 entry')
    expect(plural(3, 'entry', 'entries')).toBe('3 entries')
    expect(plural(2, 'file hash', 'file hashes')).toBe('2 file hashes')
  })
  it('groups digits as en-US', () => {
    expect(plural(1234567, 'file')).toBe('1,234,567 files')
    expect(count(19994)).toBe('19,994')
    expect(count(7)).toBe('7')
  })
  it('never writes "(s)"', () => {
    for (const n of [0, 1, 2, 10]) expect(plural(n, 'error')).not.toMatch(/\(s\)/)
  })
  it('gives the noun or verb alone', () => {
    expect(noun(1, 'file')).toBe('file')
    expect(noun(5, 'file')).toBe('files')
    expect(verb(1, 'is', 'are')).toBe('is')
    expect(verb(2, 'is', 'are')).toBe('are')
  })
})
