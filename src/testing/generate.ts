/**
 * Deterministic generator of large, realistic policies for benchmarks and tests (no real policy
 * with thousands of rules is public). A mix of path, publisher and hash rules, Allow and Deny,
 * with exceptions, spread over the five collections (Appx gets publisher rules only), with valid
 * GUIDs (unique), SIDs, versions and SHA256 data so validatePolicy finds nothing to complain about.
 */
import type { CollectionType, Condition, FileHash, Policy, Rule, RuleCollection } from '../applocker/policy'
import { prng as rng } from './prng'


const SIDS = ['S-1-1-0', 'S-1-5-32-544', 'S-1-5-32-545', 'S-1-5-11', 'S-1-5-21-3623811015-3361044348-30300820-1013', 'S-1-3-0']
const PUBLISHERS = [
  'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US',
  'O=GOOGLE LLC, L=MOUNTAIN VIEW, S=CALIFORNIA, C=US',
  'O=ADOBE INC., L=SAN JOSE, S=CALIFORNIA, C=US',
  'O=MOZILLA CORPORATION, L=SAN FRANCISCO, S=CALIFORNIA, C=US',
  'O=ORACLE AMERICA, INC., L=REDWOOD SHORES, S=CALIFORNIA, C=US',
  'O=CONTOSO LTD, L=LONDON, C=GB',
]
const PRODUCTS = ['MICROSOFT® WINDOWS® OPERATING SYSTEM', 'GOOGLE CHROME', 'ADOBE ACROBAT READER', 'FIREFOX', 'JAVA(TM) PLATFORM SE 8', '*', '']
const ROOTS = ['%PROGRAMFILES%', '%WINDIR%', '%OSDRIVE%\\Tools', '%SYSTEM32%', '%OSDRIVE%\\Users\\*\\AppData\\Local', '%HOT%', '%REMOVABLE%']
const EXT: Record<CollectionType, string[]> = {
  Exe: ['exe', 'com'],
  Dll: ['dll', 'ocx'],
  Msi: ['msi', 'msp', 'mst'],
  Script: ['ps1', 'bat', 'cmd', 'vbs', 'js'],
  Appx: ['appx'],
}
const ORDER: CollectionType[] = ['Exe', 'Dll', 'Script', 'Msi', 'Appx']
const SHARE: Record<CollectionType, number> = { Exe: 0.4, Dll: 0.3, Script: 0.15, Msi: 0.1, Appx: 0.05 }

/** A policy with exactly `ruleCount` rules (deterministic for a given seed). */
export function generatePolicy(ruleCount: number, seed = 1): Policy {
  const r = rng(seed)
  const int = (n: number) => Math.floor(r() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]
  const hex = (n: number) => {
    let s = ''
    for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[int(16)]
    return s
  }
  let serial = 0
  const guid = () => {
    // Unique by construction: the last 12 digits carry a counter.
    const h = hex(20).toLowerCase()
    const n = (serial++).toString(16).padStart(12, '0')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[int(4)]}${h.slice(17, 20)}-${n}`
  }
  const word = () => pick(['App', 'Tool', 'Agent', 'Helper', 'Update', 'Sync', 'Viewer', 'Setup', 'Client', 'Service']) + int(1000)
  const version = () => `${int(30)}.${int(10)}.${int(30000)}.${int(999)}`
  const pathCondition = (type: CollectionType): Condition => {
    const k = int(4)
    const root = pick(ROOTS)
    const path = k === 0 ? `${root}\\*` : k === 1 ? `${root}\\${word()}\\*` : `${root}\\${word()}\\${word()}.${pick(EXT[type])}`
    return { kind: 'path', path }
  }
  const publisherCondition = (type: CollectionType): Condition => {
    const low = r() < 0.3 ? '*' : version()
    const high = r() < 0.7 ? '*' : low === '*' ? version() : low
    return {
      kind: 'publisher',
      publisherName: pick(PUBLISHERS),
      productName: pick(PRODUCTS),
      binaryName: type === 'Appx' ? '*' : r() < 0.3 ? '*' : `${word().toUpperCase()}.${pick(EXT[type]).toUpperCase()}`,
      versionRange: { low, high },
    }
  }
  const hashCondition = (type: CollectionType): Condition => {
    const n = r() < 0.85 ? 1 : 2 + int(4)
    const hashes: FileHash[] = []
    for (let i = 0; i < n; i++) {
      hashes.push({ type: 'SHA256', data: `0x${hex(64)}`, sourceFileName: `${word()}.${pick(EXT[type])}`, sourceFileLength: String(1000 + int(50_000_000)) })
    }
    return { kind: 'hash', hashes }
  }

  const collections: RuleCollection[] = []
  let made = 0
  ORDER.forEach((type, ti) => {
    const count = ti === ORDER.length - 1 ? Math.max(0, ruleCount - made) : Math.min(ruleCount - made, Math.round(ruleCount * SHARE[type]))
    const rules: Rule[] = []
    for (let i = 0; i < count; i++) {
      const roll = r()
      const kind = type === 'Appx' ? 'publisher' : roll < 0.5 ? 'path' : roll < 0.8 ? 'publisher' : 'hash'
      const base = {
        id: guid(),
        name: `${kind === 'path' ? 'Path' : kind === 'publisher' ? 'Publisher' : 'Hash'} rule ${made + i + 1}: ${word()}`,
        description: r() < 0.5 ? '' : `Generated rule ${made + i + 1} & friends <${type}>`,
        userOrGroupSid: pick(SIDS),
        action: r() < 0.25 ? ('Deny' as const) : ('Allow' as const),
        exceptions: [] as Condition[],
      }
      if (kind !== 'hash' && r() < 0.3) {
        const n = 1 + int(4)
        for (let k = 0; k < n; k++) {
          const ek = r()
          base.exceptions.push(ek < 0.6 ? pathCondition(type) : ek < 0.9 ? publisherCondition(type) : hashCondition(type))
        }
        Object.assign(base, { hasExceptionsElement: true })
      }
      if (kind === 'path') rules.push({ ...base, kind, condition: pathCondition(type) as Extract<Condition, { kind: 'path' }> })
      else if (kind === 'publisher') rules.push({ ...base, kind, condition: publisherCondition(type) as Extract<Condition, { kind: 'publisher' }> })
      else rules.push({ ...base, kind, condition: hashCondition(type) as Extract<Condition, { kind: 'hash' }> })
    }
    made += count
    const mode = (['Enabled', 'AuditOnly', 'NotConfigured'] as const)[int(3)]
    const c: RuleCollection = { type, enforcementMode: mode, rules }
    if (type === 'Exe' || type === 'Dll') {
      c.extensions = { threshold: true, services: { enforcementMode: 'Enabled' }, redstone: true, systemApps: { allow: 'Enabled' } }
    }
    collections.push(c)
  })
  return { version: '1', collections }
}
