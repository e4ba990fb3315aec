/**
 * Deterministic file inventories for benchmarks and tests of the decision engine: files derived
 * from the policy's own rules (so that rules really match, and exceptions really exclude) mixed
 * with files no rule names. Policies come from generate.ts.
 */
import type { Condition, Policy } from '../applocker/policy'
import { EVERYONE_SID, PRINCIPAL_PRESETS } from '../applocker/sids'
import { COLLECTION_EXTENSIONS } from '../applocker/evaluate/collection'
import type { FileFacts, Principal } from '../applocker/evaluate/types'
import { prng as rng } from './prng'


const REAL_ROOTS: Record<string, string[]> = {
  '%PROGRAMFILES%': ['C:\\Program Files', 'C:\\Program Files (x86)'],
  '%WINDIR%': ['C:\\Windows'],
  '%SYSTEM32%': ['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64'],
  '%OSDRIVE%': ['C:'],
  '%HOT%': ['E:'],
  '%REMOVABLE%': ['D:'],
}

/** `count` files for `policy` (deterministic for a seed). */
export function generateFiles(policy: Policy, count: number, seed = 7): FileFacts[] {
  const r = rng(seed)
  const int = (n: number) => Math.floor(r() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]
  const word = () => pick(['app', 'tool', 'agent', 'helper', 'update', 'sync', 'viewer', 'setup', 'client', 'svc']) + int(1000)
  const conditions: { type: string; c: Condition }[] = []
  for (const coll of policy.collections) {
    if (!coll.type) continue
    for (const rule of coll.rules) {
      if (rule.condition) conditions.push({ type: coll.type, c: rule.condition })
      for (const e of rule.exceptions) if (e.kind !== 'unknown') conditions.push({ type: coll.type, c: e })
    }
  }
  const extOf = (type: string) => pick(COLLECTION_EXTENSIONS[type as keyof typeof COLLECTION_EXTENSIONS] ?? ['.txt']).toLowerCase()
  const randomPath = (ext: string) =>
    pick([
      `C:\\Users\\user${int(50)}\\Downloads\\${word()}${ext}`,
      `C:\\Program Files\\${word()}\\${word()}${ext}`,
      `C:\\Windows\\System32\\${word()}${ext}`,
      `C:\\Windows\\Temp\\${word()}${ext}`,
      `E:\\${word()}${ext}`,
      `\\\\fileserver\\apps\\${word()}\\${word()}${ext}`,
      `%OSDRIVE%\\USERS\\USER${int(50)}\\APPDATA\\LOCAL\\TEMP\\${word().toUpperCase()}${ext.toUpperCase()}`,
    ])
  const fromPattern = (pattern: string, ext: string) => {
    let p = pattern
    const v = /^%[A-Z0-9]+%/i.exec(p)
    if (v && REAL_ROOTS[v[0].toUpperCase()] && r() < 0.8) p = pick(REAL_ROOTS[v[0].toUpperCase()]) + p.slice(v[0].length)
    p = p.replace(/\*/g, () => (r() < 0.5 ? word() : `${word()}\\${word()}`))
    if (!/\.[a-z0-9]+$/i.test(p)) p += ext
    return r() < 0.5 ? p : p.toLowerCase()
  }
  const version = () => `${int(30)}.${int(10)}.${int(30000)}.${int(999)}`
  const files: FileFacts[] = []
  for (let i = 0; i < count; i++) {
    const roll = r()
    if (conditions.length === 0 || roll < 0.25) {
      const ext = r() < 0.05 ? '.txt' : extOf(pick(['Exe', 'Dll', 'Script', 'Msi']))
      files.push({ path: randomPath(ext), publisher: null, hash: null })
      continue
    }
    const { type, c } = pick(conditions)
    const ext = extOf(type)
    if (c.kind === 'path') files.push({ path: fromPattern(c.path, ext), hash: null })
    else if (c.kind === 'hash') files.push({ path: randomPath(ext), hash: r() < 0.5 ? pick(c.hashes).data : pick(c.hashes).data.slice(2).toLowerCase() })
    else {
      const low = c.versionRange?.low ?? '*'
      const high = c.versionRange?.high ?? '*'
      const v = r() < 0.6 ? (low !== '*' ? low : high !== '*' ? high : version()) : version()
      const fill = (s: string) => (s === '*' || s === '?' ? word().toUpperCase() : s.replace(/[*?]/g, 'X'))
      const publisher = {
        name: c.publisherName === '*' ? `O=${word().toUpperCase()}, C=US` : r() < 0.5 ? c.publisherName : c.publisherName.toLowerCase(),
        product: fill(c.productName),
        binary: fill(c.binaryName),
        version: v,
      }
      if (type === 'Appx') files.push({ path: `${publisher.product}_${v}_x64__8wekyb3d8bbwe`, package: `${publisher.product}_${v}_x64__8wekyb3d8bbwe`, publisher })
      else files.push({ path: randomPath(ext), publisher })
    }
  }
  return files
}

/** A handful of principals: the presets plus a domain user in a domain group. */
export function samplePrincipals(): Principal[] {
  return [
    { groups: [EVERYONE_SID] },
    ...PRINCIPAL_PRESETS.map((p) => ({ groups: p.sids })),
    { user: 'S-1-5-21-3623811015-3361044348-30300820-1001', groups: ['S-1-5-32-545', 'S-1-5-21-3623811015-3361044348-30300820-1013'] },
  ]
}
