import { describe, expect, it } from 'vitest'
import { formatSave, formatSaveBlob, peekRevision, readSave, SAVE_FORMAT_VERSION } from './savedDocument'
import { generatePolicy } from '../testing/generate'

const policy = generatePolicy(20, 3)
const v1 = (state: unknown) => JSON.stringify({ state, version: 1 })

describe('readSave', () => {
  it('reads what formatSave writes, with the revision at the start', () => {
    const raw = formatSave(7, { policy, name: 'P', dirty: true })
    expect(peekRevision(raw)).toBe(7)
    const r = readSave(raw)
    expect(r.ok && r.doc).toEqual({ revision: 7, state: { policy, name: 'P', dirty: true } })
    // The same text when the policy's JSON was made elsewhere.
    const at = new Date('2026-01-01T00:00:00Z')
    expect(formatSave(7, { policy, name: 'P', dirty: true }, JSON.stringify(policy), at)).toBe(formatSave(7, { policy, name: 'P', dirty: true }, undefined, at))
  })

  it('writes the same text as a Blob around the policy\'s JSON Blob (what IndexedDB stores)', async () => {
    const at = new Date('2026-01-01T00:00:00Z')
    const blob = formatSaveBlob(3, { policy, name: 'P "é"', dirty: false }, new Blob([JSON.stringify(policy)]), at)
    expect(await blob.text()).toBe(formatSave(3, { policy, name: 'P "é"', dirty: false }, undefined, at))
  })

  it('migrates a zustand persist save (format 1) step by step', () => {
    const r = readSave(v1({ policy, name: 'Old', dirty: false }))
    expect(r).toEqual({ ok: true, doc: { revision: 0, state: { policy, name: 'Old', dirty: false } }, migratedFrom: 1 })
  })

  it.each([
    ['"policy":null', v1({ policy: null, name: 'x', dirty: false }), /policy: expected an object, found null/],
    ['collections:"x"', v1({ policy: { version: '1', collections: 'x' }, name: 'x', dirty: false }), /policy\.collections: expected an array/],
    ['rules:[null]', v1({ policy: { version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules: [null] }] }, name: 'x', dirty: false }), /rules\[0\]: expected an object, found null/],
    ['garbage', 'not json at all', /not valid JSON/],
    ['empty', '', /empty/],
    ['truncated', formatSave(3, { policy, name: 'P', dirty: false }).slice(0, 500), /cut short/],
    ['newer version', JSON.stringify({ revision: 1, version: SAVE_FORMAT_VERSION + 1, state: {} }), /newer version of this app/],
    ['no version', JSON.stringify({ state: { policy, name: 'x' } }), /no valid format version/],
    ['an array', '[]', /not an object/],
    ['no name', v1({ policy, dirty: false }), /no name/],
    ['bad revision', JSON.stringify({ revision: -1, version: 2, state: { policy, name: 'x', dirty: false } }), /revision/],
  ])('refuses %s with a reason, without throwing', (_label, raw, reason) => {
    const r = readSave(raw)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(reason)
  })
})
