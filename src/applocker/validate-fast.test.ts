/**
 * validatePolicy's shortcuts against the plain checks they stand for: ruleIsClean (no problem list
 * is built for a rule it passes) must only pass rules ruleProblems finds nothing in, and the GUID
 * table for duplicate Ids must find exactly the pairs a Map of lower-cased Ids finds.
 */
import { describe, expect, it } from 'vitest'
import type { CollectionType, Condition, Policy, Rule } from './policy'
import { generatePolicy } from '../testing/generate'
import { prng } from '../testing/prng'
import { ruleIsClean, ruleProblems, validatePolicy } from './validate'

const TYPES: Array<CollectionType | null> = ['Exe', 'Dll', 'Script', 'Msi', 'Appx', null]

/** Values that are fine, and values each check refuses or warns about (or nearly does). */
const IDS = ['921cc481-6e17-4653-8f75-050b80acca20', '921CC481-6E17-4653-8F75-050B80ACCA20', '{921cc481-6e17-4653-8f75-050b80acca20}', '921cc481-6e17-4653-8f75-050b80acca2g', '921cc481-6e17-4653-8f75_050b80acca20', '', 'x']
const NAMES = ['Tools', '', 'a'.repeat(1024), 'a'.repeat(1025), 'bad\u0001name', 'rtl\u202Ename', 'tab\tname', 'pair \uD83D\uDE00', 'lone \uD800']
const DESCRIPTIONS = ['', 'Allows tools', 'd'.repeat(1024), 'd'.repeat(1025), 'zero\u200Bwidth', 'nul\u0000']
const SIDS = ['S-1-1-0', 'S-1-5-32-545', 'S-1-5-21-abc', 'Everyone', 'S-1-5', 's-1-1-0', 'S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16']
const ACTIONS = ['Allow', 'Deny', 'allow', 'Block']
const PATHS = ['%PROGRAMFILES%\\*', '%OSDRIVE%\\Tools\\*', '', '   ', 'C:\\a?b\\*', '%APPDATA%\\*', '%windir%\\*', 'x'.repeat(32768), 'p\u0007ath', '%WINDIR', ' %WINDIR%\\* ']
const PUBLISHERS = ['O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', '*', '', 'O=X\u200F']
const PRODUCTS = ['*', 'MICROSOFT® WINDOWS®', '', 'P\u0002']
const VERSIONS = ['*', '10.0.0.0', '1.0.0.0', '2.0.0.0', '10.0', '123456.0.0.0', '', ' 1.0.0.0']
const HASH_TYPES = ['SHA256', 'SHA256Flat', 'SHA1', 'sha256', 'MD5', 'constructor']
const HASH_DATA = [`0x${'ab'.repeat(32)}`, `0x${'AB'.repeat(20)}`, '0x12', `${'ab'.repeat(32)}`, '']
const LENGTHS = [undefined, '493256', '+12', '-1', '1.5', 'abc', '']
const FILE_NAMES = [undefined, 'a.exe', '', 'a\u0003.exe', 'a\u2066.exe']

function randomRule(rand: () => number): { rule: Rule; type: CollectionType | null } {
  // Mostly the first (good) value, so that many rules have none or one problem.
  const pick = <T,>(xs: readonly T[]): T => (rand() < 0.8 ? xs[0] : xs[Math.floor(rand() * xs.length)])
  const condition = (kind: Rule['kind']): Condition => {
    if (kind === 'path') return rand() < 0.9 ? { kind: 'path', path: pick(PATHS) } : { kind: 'path', path: pick(PATHS), extra: { absent: ['Path'] } }
    if (kind === 'publisher') {
      const c: Condition = { kind: 'publisher', publisherName: pick(PUBLISHERS), productName: pick(PRODUCTS), binaryName: pick(PRODUCTS) }
      if (rand() < 0.9) c.versionRange = rand() < 0.9 ? { low: pick(VERSIONS), high: pick(VERSIONS) } : { low: '', high: '*', extra: { absent: ['LowSection'] } }
      return c
    }
    const hashes = []
    const n = rand() < 0.1 ? 0 : 1 + Math.floor(rand() * 3)
    for (let i = 0; i < n; i++) {
      const h: { type: string; data: string; sourceFileName?: string; sourceFileLength?: string } = { type: pick(HASH_TYPES), data: pick(HASH_DATA) }
      const name = pick(FILE_NAMES)
      const length = pick(LENGTHS)
      if (name !== undefined) h.sourceFileName = name
      if (length !== undefined) h.sourceFileLength = length
      hashes.push(h)
    }
    return { kind: 'hash', hashes }
  }
  const kind = pick(['path', 'publisher', 'hash'] as const)
  const rule = { kind, id: pick(IDS), name: pick(NAMES), description: pick(DESCRIPTIONS), userOrGroupSid: pick(SIDS), action: pick(ACTIONS), exceptions: [] } as unknown as Rule
  const r = rand()
  if (r < 0.8) (rule as { condition?: Condition }).condition = condition(kind)
  else if (r < 0.9) (rule as { condition?: Condition }).condition = condition(pick(['path', 'publisher', 'hash'] as const))
  if (rand() < 0.1) rule.extraConditions = [condition(pick(['path', 'publisher', 'hash'] as const))]
  const exceptions = rand() < 0.6 ? 0 : Math.floor(rand() * 3)
  for (let i = 0; i < exceptions; i++) {
    rule.exceptions.push(rand() < 0.1 ? { kind: 'unknown', name: 'PLACEHOLDER', xml: '<PLACEHOLDER/>' } : condition(pick(['path', 'publisher', 'hash'] as const)))
  }
  if (rand() < 0.05) rule.hasExceptionsElement = true
  if (rand() < 0.05) rule.extra = rand() < 0.5 ? { absent: ['Id'] } : { invalid: { Action: 'Block' } }
  return { rule, type: pick(TYPES) }
}

describe('ruleIsClean: only rules ruleProblems finds nothing in', () => {
  it('passes every rule of a generated policy (the shortcut is taken)', () => {
    for (const c of generatePolicy(3000, 5).collections) for (const r of c.rules) expect(ruleIsClean(r, c.type)).toBe(true)
  })

  it('never passes a rule with a problem (many random rules, most with one)', () => {
    const rand = prng(20261202)
    let clean = 0
    for (let i = 0; i < 30_000; i++) {
      const { rule, type } = randomRule(rand)
      const problems = ruleProblems(rule, type)
      if (ruleIsClean(rule, type)) {
        clean++
        expect(problems, JSON.stringify({ rule, type })).toEqual([])
      }
    }
    expect(clean).toBeGreaterThan(1000)
  })
})

describe('duplicate rule Ids (GUIDs in a table, other Ids in a Map)', () => {
  /** The pairs the plain way finds: a Map of lower-cased Ids, each duplicate against the first. */
  function expected(p: Policy): string[] {
    const first = new Map<string, string>()
    const out: string[] = []
    p.collections.forEach((c, ci) =>
      c.rules.forEach((r, ri) => {
        if (r.extra?.absent?.includes('Id')) return
        const key = r.id.toLowerCase()
        const f = first.get(key)
        if (f !== undefined) out.push(`${ci}/${ri}=${f}`)
        else first.set(key, `${ci}/${ri}`)
      }),
    )
    return out
  }
  const found = (p: Policy): string[] =>
    validatePolicy(p)
      .filter((d) => d.code === 'duplicate-rule-id')
      .map((d) => {
        const m = /as \S+ "([^"]*)"/.exec(d.message)
        return `${d.ref?.collection}/${d.ref?.rule}=${m?.[1]}`
      })

  it('finds the same duplicates as a Map of lower-cased Ids, in mixed case, across collections', () => {
    const rand = prng(7)
    const ids = ['921cc481-6e17-4653-8f75-050b80acca20', '921CC481-6E17-4653-8F75-050B80ACCA20', '921cc481-6e17-4653-8f75-050b80acca21', '00000000-0000-0000-0000-000000000000', 'not-a-guid', 'NOT-A-GUID', '', '{921cc481-6e17-4653-8f75-050b80acca20}', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF']
    for (let round = 0; round < 50; round++) {
      const p: Policy = { version: '1', collections: [] }
      for (const type of ['Exe', 'Dll', 'Script'] as const) {
        const rules: Rule[] = []
        for (let i = 0; i < 8; i++) {
          const name = `r${p.collections.length}-${i}`
          const rule: Rule = { kind: 'path', id: ids[Math.floor(rand() * ids.length)], name, description: '', userOrGroupSid: 'S-1-1-0', action: 'Allow', condition: { kind: 'path', path: '%OSDRIVE%\\*' }, exceptions: [] }
          if (rand() < 0.1) rule.extra = { absent: ['Id'] }
          rules.push(rule)
        }
        p.collections.push({ type, enforcementMode: 'Enabled', rules })
      }
      const names = expected(p).map((e) => {
        const [dup, first] = e.split('=')
        const [fc, fr] = first.split('/').map(Number)
        return `${dup}=${p.collections[fc].rules[fr].name}`
      })
      expect(found(p)).toEqual(names)
    }
  })

  it('finds them in a large policy too (the table grows several times)', () => {
    const p = generatePolicy(6000, 11)
    const rand = prng(3)
    const all = p.collections.flatMap((c) => c.rules)
    for (let i = 0; i < 300; i++) {
      const from = all[Math.floor(rand() * all.length)]
      const to = all[Math.floor(rand() * all.length)]
      to.id = rand() < 0.5 ? from.id.toUpperCase() : from.id
    }
    const names = expected(p).map((e) => {
      const [dup, first] = e.split('=')
      const [fc, fr] = first.split('/').map(Number)
      return `${dup}=${p.collections[fc].rules[fr].name}`
    })
    expect(names.length).toBeGreaterThan(250)
    expect(found(p)).toEqual(names)
  })

  it('tells apart GUIDs that differ in one digit anywhere', () => {
    const base = '0123456789abcdef0123456789abcdef'
    const guid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    const rules: Rule[] = []
    for (let i = 0; i < 32; i++) {
      const hex = base.slice(0, i) + (base[i] === '0' ? '1' : '0') + base.slice(i + 1)
      rules.push({ kind: 'path', id: guid(hex), name: `n${i}`, description: '', userOrGroupSid: 'S-1-1-0', action: 'Allow', condition: { kind: 'path', path: '%OSDRIVE%\\*' }, exceptions: [] })
    }
    rules.push({ ...rules[0], id: guid(base), name: 'base' }, { ...rules[0], id: guid(base).toUpperCase(), name: 'BASE' })
    const d = validatePolicy({ version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules }] })
    expect(d.map((x) => `${x.code} ${x.ref?.rule}`)).toEqual(['duplicate-rule-id 33'])
    expect(d[0].message).toContain('"base"')
  })
})
