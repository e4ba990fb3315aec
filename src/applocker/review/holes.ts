/**
 * Holes in Allow rules: folders standard users can write to, and known bypass binaries
 * (lists in data.ts), each unless a Deny rule of the collection closes them.
 */
import type { CollectionType, RuleCollection } from '../policy'
import { normalizeSid } from '../sids'
import { ALL_USERS_SIDS, BYPASS_BINARIES, BYPASS_BY_NAME, USER_WRITABLE_LOCATIONS } from './data'
import { listSome, ruleFinding, type Ctx } from './context'
import { pathRuleMatches } from './coverage'
import { appliesToStandardUsers } from './principals'

const PROBE_NAME: Record<CollectionType, string> = {
  Exe: 'probe.exe',
  Dll: 'probe.dll',
  Script: 'probe.ps1',
  Msi: 'probe.msi',
  Appx: 'probe.appx',
}

/** Memoised "is this path denied to this rule's users by a Deny path rule of the collection". */
function makeDeniedFor(c: RuleCollection): (sid: string, path: string) => boolean {
  const denies = c.rules.filter((r) => r.action === 'Deny' && r.condition?.kind === 'path')
  const memo = new Map<string, boolean>()
  return (sid, path) => {
    const key = `${normalizeSid(sid)}|${path}`
    let v = memo.get(key)
    if (v === undefined) {
      v = denies.some((d) => {
        const ds = normalizeSid(d.userOrGroupSid)
        return (ds === normalizeSid(sid) || ALL_USERS_SIDS.includes(ds)) && pathRuleMatches(d, path)
      })
      memo.set(key, v)
    }
    return v
  }
}

/** Deny rules (any kind) that name a file: publisher BinaryName or the last segment of a path. */
function deniedBinaryNames(c: RuleCollection): Set<string> {
  const names = new Set<string>()
  for (const r of c.rules) {
    if (r.action !== 'Deny' || !r.condition || !ALL_USERS_SIDS.includes(normalizeSid(r.userOrGroupSid))) continue
    if (r.condition.kind === 'publisher') names.add(r.condition.binaryName.toLowerCase())
    if (r.condition.kind === 'hash')
      for (const h of r.condition.hashes) if (h.sourceFileName) names.add(h.sourceFileName.toLowerCase())
  }
  return names
}

/** Allow path rules that let standard users run files from folders they can write to. */
export function checkUserWritable(ctx: Ctx): void {
  if (ctx.type === 'Appx') return
  const deniedFor = makeDeniedFor(ctx.c)
  const defaultProbes = USER_WRITABLE_LOCATIONS.map((loc) => ({
    folder: loc.folder,
    path: `${loc.folder}\\${PROBE_NAME[ctx.type]}`,
  }))
  ctx.c.rules.forEach((r, i) => {
    if (r.action !== 'Allow' || r.condition?.kind !== 'path' || !appliesToStandardUsers(r.userOrGroupSid))
      return
    const last = r.condition.path.split('\\').pop() ?? ''
    // A rule naming files ("*\\chrome.exe") is probed with that name too.
    const extra = last.includes('.') && last !== '*.*' ? last.replace(/\*/g, 'x') : null
    const open: string[] = []
    for (const probe of defaultProbes) {
      const hit = (p: string) => pathRuleMatches(r, p) && !deniedFor(r.userOrGroupSid, p)
      if (hit(probe.path) || (extra !== null && hit(`${probe.folder}\\${extra}`))) open.push(probe.folder)
    }
    if (open.length === 0) return
    ruleFinding(
      ctx,
      i,
      'user-writable-path',
      'warning',
      `Allows files in ${open.length} folder${open.length === 1 ? '' : 's'} standard users can write to: ${listSome(open)}. A user can copy any program there and run it.`,
      `Add exceptions for these folders (e.g. ${open[0]}\\*), or narrow the rule's path.`,
      open,
    )
  })
}

/** Bypass binaries a broad Allow rule lets standard users run (Exe), and rules that name one. */
export function checkBypassBinaries(ctx: Ctx): void {
  if (ctx.type !== 'Exe') return
  const deniedFor = makeDeniedFor(ctx.c)
  const deniedNames = deniedBinaryNames(ctx.c)
  ctx.c.rules.forEach((r, i) => {
    if (r.action !== 'Allow' || !r.condition || !appliesToStandardUsers(r.userOrGroupSid)) return
    // Rules that name a bypass binary explicitly.
    let named: string | null = null
    if (r.condition.kind === 'path') named = r.condition.path.split('\\').pop()?.toLowerCase() ?? null
    if (r.condition.kind === 'publisher') named = r.condition.binaryName.toLowerCase()
    if (r.condition.kind === 'hash')
      named =
        r.condition.hashes
          .map((h) => h.sourceFileName?.toLowerCase())
          .find((n) => n && BYPASS_BY_NAME.has(n)) ?? null
    const b = named ? BYPASS_BY_NAME.get(named) : undefined
    if (b) {
      ruleFinding(
        ctx,
        i,
        'bypass-binary-rule',
        'warning',
        `Allows ${b.name}, which ${b.why}: it defeats application control.`,
        `Remove this rule or limit it to administrators, unless ${b.name} is truly needed.`,
      )
      return
    }
    if (r.condition.kind !== 'path') return
    const allowed: string[] = []
    for (const bin of BYPASS_BINARIES) {
      if (bin.locations.length === 0 || deniedNames.has(bin.name.toLowerCase())) continue
      if (
        r.exceptions.some(
          (e) => e.kind === 'publisher' && e.binaryName.toLowerCase() === bin.name.toLowerCase(),
        )
      )
        continue
      if (bin.locations.some((p) => pathRuleMatches(r, p) && !deniedFor(r.userOrGroupSid, p)))
        allowed.push(bin.name)
    }
    if (allowed.length === 0) return
    ruleFinding(
      ctx,
      i,
      'bypass-binary-allowed',
      'warning',
      `Lets standard users run ${allowed.length} known bypass program${allowed.length === 1 ? '' : 's'} (${listSome(allowed, 6)}) that can run arbitrary code.`,
      'Add Deny rules (publisher rules by file name are the most robust) or exceptions for these programs, as the NSA and Microsoft block lists do.',
      allowed,
    )
  })
}
