/**
 * What every Review check shares: the finding it reports, the collection it looks at (Ctx) and
 * the small helpers that build findings.
 */
import type { CollectionType, Policy, RuleCollection } from '../policy'
import { ruleBehaviourKey } from '../ops'

export type FindingSeverity = 'error' | 'warning' | 'info'

export interface Finding {
  /** Stable machine-readable code, e.g. "user-writable-path". */
  code: string
  severity: FindingSeverity
  /** The collection concerned (null for a collection whose Type is unknown, or the whole policy). */
  collection: CollectionType | null
  /** Index in Policy.collections, when a collection is concerned. */
  collectionIndex?: number
  ruleIndex?: number
  ruleId?: string
  ruleName?: string
  /** What is wrong, in a sentence. */
  message: string
  /** How to fix it, in a sentence. */
  fix: string
  /** The full list behind a shortened message (folders, programs), when there is one. */
  details?: string[]
}

/** One collection under review. */
export interface Ctx {
  policy: Policy
  c: RuleCollection
  ci: number
  type: CollectionType
  out: Finding[]
  /** ruleBehaviourKey of every rule, computed once per collection. */
  behaviour?: string[]
}

export function behaviourKeys(ctx: Ctx): string[] {
  if (!ctx.behaviour) ctx.behaviour = ctx.c.rules.map(ruleBehaviourKey)
  return ctx.behaviour
}

export function ruleFinding(
  ctx: Ctx,
  i: number,
  code: string,
  severity: FindingSeverity,
  message: string,
  fix: string,
  details?: string[],
): void {
  const r = ctx.c.rules[i]
  const f: Finding = {
    code,
    severity,
    collection: ctx.type,
    collectionIndex: ctx.ci,
    ruleIndex: i,
    ruleId: r.id,
    ruleName: r.name,
    message,
    fix,
  }
  if (details) f.details = details
  ctx.out.push(f)
}

export function collectionFinding(
  ctx: Ctx,
  code: string,
  severity: FindingSeverity,
  message: string,
  fix: string,
): void {
  ctx.out.push({ code, severity, collection: ctx.type, collectionIndex: ctx.ci, message, fix })
}

export function listSome(items: string[], max = 4): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`
}

/** Rules are enforced: Enabled, or Not configured with rules (working-with-applocker-rules.md). */
export function isEnforcing(c: RuleCollection): boolean {
  return c.enforcementMode === 'Enabled' || (c.enforcementMode === 'NotConfigured' && c.rules.length > 0)
}
