import { describe, expect, it } from 'vitest'
import { isValidPrincipalSid as isValidSid, normalizeSid, sidOf, splitSids, PRINCIPAL_PRESETS, sidDisplayName, WELL_KNOWN_SIDS } from './sids'

describe('SIDs', () => {
  it('names well-known SIDs and returns any other SID unchanged', () => {
    expect(sidDisplayName('S-1-1-0')).toBe('Everyone')
    expect(sidDisplayName('S-1-5-32-544')).toBe('BUILTIN\\Administrators')
    expect(sidDisplayName('S-1-5-32-545')).toBe('BUILTIN\\Users')
    expect(sidDisplayName('S-1-5-11')).toBe('NT AUTHORITY\\Authenticated Users')
    expect(sidDisplayName('S-1-5-4')).toBe('NT AUTHORITY\\INTERACTIVE')
    expect(sidDisplayName('S-1-3-0')).toBe('CREATOR OWNER')
    expect(sidDisplayName('S-1-5-18')).toBe('NT AUTHORITY\\SYSTEM')
    expect(sidDisplayName('S-1-5-19')).toBe('NT AUTHORITY\\LOCAL SERVICE')
    expect(sidDisplayName('S-1-5-20')).toBe('NT AUTHORITY\\NETWORK SERVICE')
    expect(sidDisplayName('S-1-5-32-546')).toBe('BUILTIN\\Guests')
    expect(sidDisplayName('s-1-1-0')).toBe('Everyone')
    expect(sidDisplayName('S-1-5-21-1-2-3-1001')).toBe('S-1-5-21-1-2-3-1001')
    expect(sidDisplayName('not a sid')).toBe('not a sid')
  })
  it('names well-known domain groups by their relative ID, keeping the SID', () => {
    expect(sidDisplayName('S-1-5-21-3623811015-3361044348-30300820-513')).toBe('Domain Users (S-1-5-21-3623811015-3361044348-30300820-513)')
    expect(sidDisplayName('S-1-5-21-3623811015-3361044348-30300820-512')).toBe('Domain Admins (S-1-5-21-3623811015-3361044348-30300820-512)')
  })
  it('has unique, valid well-known SIDs', () => {
    const sids = WELL_KNOWN_SIDS.map((w) => w.sid)
    expect(new Set(sids).size).toBe(sids.length)
    for (const s of sids) expect(isValidSid(s)).toBe(true)
  })
  it('validates principal SIDs with the one check of validate.ts (S in either case)', () => {
    expect(isValidSid('S-1-1-0')).toBe(true)
    expect(isValidSid('s-1-5-21-1-2-3-1001')).toBe(true)
    // Issue 11: one verdict. The schema's pattern allows hex digits, but Windows cannot convert
    // them to a SID, so a principal such as S-1-5-21-ABCDEF is refused as a rule's SID is.
    expect(isValidSid('S-1-5-21-ABCDEF')).toBe(false)
    expect(isValidSid('S-1')).toBe(false) // at least one sub-authority
    expect(isValidSid('S-2-1-0')).toBe(false)
    expect(isValidSid('S-1-1-0 ')).toBe(false)
    expect(isValidSid('CONTOSO\\Finance')).toBe(false)
    expect(isValidSid('S-1--0')).toBe(false)
    expect(isValidSid('')).toBe(false)
  })
  it('splits a list of SIDs typed in a box', () => {
    expect(splitSids(' S-1-1-0, S-1-5-32-545;S-1-5-11\nS-1-5-4 ')).toEqual(['S-1-1-0', 'S-1-5-32-545', 'S-1-5-11', 'S-1-5-4'])
    expect(splitSids('  ')).toEqual([])
  })
  it('normalises SIDs for comparison', () => {
    expect(normalizeSid(' s-1-5-32-545 ')).toBe('S-1-5-32-545')
  })
  it('offers the Everyone, Standard user and Administrator presets', () => {
    const byId = Object.fromEntries(PRINCIPAL_PRESETS.map((p) => [p.id, p]))
    expect(byId.everyone.sids).toEqual(['S-1-1-0'])
    expect(new Set(byId.standard.sids)).toEqual(new Set(['S-1-1-0', 'S-1-5-32-545', 'S-1-5-11', 'S-1-5-4']))
    expect(new Set(byId.admin.sids)).toEqual(new Set([...byId.standard.sids, 'S-1-5-32-544']))
    expect(byId.standard.label).toBe('Standard user')
    expect(byId.admin.label).toBe('Administrator')
  })
})

describe('sidOf', () => {
  it('takes a SID, or a well-known name with or without its BUILTIN / NT AUTHORITY prefix, any case', () => {
    expect(sidOf(' s-1-5-32-545 ')).toBe('S-1-5-32-545')
    expect(sidOf('Everyone')).toBe('S-1-1-0')
    expect(sidOf('builtin\\administrators')).toBe('S-1-5-32-544')
    expect(sidOf('Administrators')).toBe('S-1-5-32-544')
    expect(sidOf('NT AUTHORITY\\SYSTEM')).toBe('S-1-5-18')
    expect(sidOf('SYSTEM')).toBe('S-1-5-18')
    expect(sidOf('CONTOSO\\Finance')).toBeNull()
    expect(sidOf('bob')).toBeNull()
  })
})
