/** Duplicate rules, duplicate rule Ids, and Allow rules covered by another rule (shadowed or denied). */
import type { Policy, Rule } from '../policy'
import { normalizeSid } from '../sids'
import { upcase } from '../upcase'
import { behaviourKeys, ruleFinding, type Ctx, type Finding } from './context'
import { conditionCovers, expandPath } from './coverage'

export function checkDuplicates(ctx: Ctx): void {
  const seen = new Map<string, number>()
  const keys = behaviourKeys(ctx)
  ctx.c.rules.forEach((_r, i) => {
    const k = keys[i]
    const first = seen.get(k)
    if (first === undefined) {
      seen.set(k, i)
      return
    }
    ruleFinding(
      ctx,
      i,
      'duplicate-rule',
      'warning',
      `Same condition, exceptions, user and action as rule "${ctx.c.rules[first].name}" (#${first + 1}).`,
      'Delete one of the two rules.',
    )
  })
}

/** Allow rules covered by another Allow rule for the same SID, or by a Deny for the same SID/Everyone. */
export function checkShadowed(ctx: Ctx): void {
  const rules = ctx.c.rules
  // Candidate covering rules are found through indexes, so a policy with 50,000 rules is not
  // checked pair by pair: path rules with one trailing "*" by their expanded literal prefix, other
  // star-free paths by their text, publisher rules by publisher|product (with "*" buckets), hash
  // rules by each hash. Only paths with a "*" elsewhere are compared with every path rule.
  type Entry = { i: number; r: Rule }
  const prefixIndex = new Map<string, Entry[]>()
  const exactPaths = new Map<string, Entry[]>()
  const complexPaths: Entry[] = []
  const publishers = new Map<string, Entry[]>()
  const hashes = new Map<string, Entry[]>()
  const add = (m: Map<string, Entry[]>, k: string, e: Entry) => {
    const list = m.get(k)
    if (list) list.push(e)
    else m.set(k, [e])
  }
  rules.forEach((r, i) => {
    if (!r.condition || r.exceptions.length > 0) return
    const e = { i, r }
    const c = r.condition
    if (c.kind === 'path') {
      const p = c.path.trim()
      const star = p.indexOf('*')
      if (star === -1) for (const f of expandPath(p)) add(exactPaths, f, e)
      else if (star === p.length - 1) for (const f of expandPath(p.slice(0, -1))) add(prefixIndex, f, e)
      else complexPaths.push(e)
    } else if (c.kind === 'publisher') {
      add(publishers, `${upcase(c.publisherName)}|${upcase(c.productName)}`, e)
    } else {
      for (const h of c.hashes) add(hashes, h.data.toLowerCase(), e)
    }
  })
  const prefixLengths = [...new Set([...prefixIndex.keys()].map((k) => k.length))]
    .filter((n) => n > 0)
    .sort((a, b) => a - b)
  const candidatesFor = (r: Rule): Entry[] => {
    const c = r.condition!
    const out: Entry[] = [...(prefixIndex.get('') ?? [])]
    if (c.kind === 'path') {
      for (const form of expandPath(c.path)) {
        for (const n of prefixLengths) {
          if (n > form.length) break
          const hit = prefixIndex.get(form.slice(0, n))
          if (hit) out.push(...hit)
        }
        const exact = exactPaths.get(form)
        if (exact) out.push(...exact)
      }
      out.push(...complexPaths)
    } else if (c.kind === 'publisher') {
      const pub = upcase(c.publisherName)
      const prod = upcase(c.productName)
      for (const k of new Set([`${pub}|${prod}`, `${pub}|*`, `*|${prod}`, '*|*'])) {
        const hit = publishers.get(k)
        if (hit) out.push(...hit)
      }
    } else if (c.hashes.length > 0) {
      out.push(...(hashes.get(c.hashes[0].data.toLowerCase()) ?? []))
    }
    return out
  }
  const behaviour = behaviourKeys(ctx)
  rules.forEach((a, i) => {
    if (a.action !== 'Allow' || !a.condition) return
    const cond = a.condition
    const sid = normalizeSid(a.userOrGroupSid)
    let shadow: Entry | undefined
    let deny: Entry | undefined
    for (const e of candidatesFor(a)) {
      const b = e.r
      if (e.i === i || !b.condition || behaviour[e.i] === behaviour[i]) continue
      const bs = normalizeSid(b.userOrGroupSid)
      if (
        b.action === 'Deny' &&
        !deny &&
        (bs === sid || bs === 'S-1-1-0') &&
        conditionCovers(b.condition, cond)
      )
        deny = e
      if (b.action === 'Allow' && !shadow && bs === sid && conditionCovers(b.condition, cond)) {
        // Two rules covering each other (equal conditions, different names): report the later one only.
        if (e.i > i && conditionCovers(cond, b.condition)) continue
        shadow = e
      }
      if (deny) break
    }
    if (deny) {
      ruleFinding(
        ctx,
        i,
        'denied-allow-rule',
        'warning',
        `Never allows anything: every file it matches is denied by rule "${deny.r.name}" (#${deny.i + 1}), and Deny always wins.`,
        'Delete this rule, or narrow the Deny rule.',
      )
    } else if (shadow) {
      ruleFinding(
        ctx,
        i,
        'shadowed-rule',
        'info',
        `Redundant: rule "${shadow.r.name}" (#${shadow.i + 1}) already allows every file this rule matches for the same user or group.`,
        'Delete this rule unless it documents an intent.',
      )
    }
  })
}

export function checkDuplicateIds(policy: Policy, out: Finding[]): void {
  const first = new Map<string, { ci: number; i: number }>()
  policy.collections.forEach((c, ci) =>
    c.rules.forEach((r, i) => {
      const k = r.id.toLowerCase()
      const f = first.get(k)
      if (!f) {
        first.set(k, { ci, i })
        return
      }
      const other = policy.collections[f.ci]
      out.push({
        code: 'duplicate-id',
        severity: 'error',
        collection: c.type,
        collectionIndex: ci,
        ruleIndex: i,
        ruleId: r.id,
        ruleName: r.name,
        message: `Rule Id ${r.id} is also used by "${other.rules[f.i].name}"${other === c ? '' : ` in ${other.type ?? 'another collection'}`}: Ids must be unique in the whole policy, and Windows refuses the file.`,
        fix: 'Give one of the rules a new Id (Duplicate creates a copy with a new Id).',
      })
    }),
  )
}
