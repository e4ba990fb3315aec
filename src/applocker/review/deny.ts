/** Checks of Deny rules: Deny by path (easy to evade) and Deny for every user (administrators too). */
import { normalizeSid } from '../sids'
import { ALL_USERS_SIDS } from './data'
import { ruleFinding, type Ctx } from './context'

export function checkDenyPath(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    if (r.action !== 'Deny' || r.condition?.kind !== 'path') return
    const last = r.condition.path.split('\\').pop() ?? ''
    const namesFile = !last.includes('*') && last.includes('.')
    ruleFinding(
      ctx,
      i,
      'deny-path-rule',
      namesFile ? 'warning' : 'info',
      namesFile
        ? `Denies ${last} by its path: a user can copy or rename the file and run it from another folder.`
        : 'Deny path rules are less effective than other rules: a user can copy files to a location the rule does not cover.',
      namesFile
        ? 'Use a publisher rule (by original file name) or a file hash rule for the Deny.'
        : 'Prefer excluding the folder from Allow rules with exceptions.',
    )
  })
}

/** Deny rules for Everyone / Users / Authenticated Users / Interactive: administrators are in those groups too. */
export function checkDenyForAll(ctx: Ctx): void {
  const hit = ctx.c.rules.filter((r) => r.action === 'Deny' && ALL_USERS_SIDS.includes(normalizeSid(r.userOrGroupSid)))
  if (hit.length === 0) return
  ctx.out.push({
    code: 'deny-applies-to-admins',
    severity: 'info',
    collection: ctx.type,
    collectionIndex: ctx.ci,
    message: `${hit.length} Deny rule${hit.length === 1 ? ' applies' : 's apply'} to Everyone, Users, Authenticated Users or Interactive, which include administrators: administrators are blocked by ${hit.length === 1 ? 'it' : 'them'} too (Deny is checked before Allow).`,
    fix: 'If administrators must keep access, target a group they are not in, or accept that the Deny applies to everyone.',
    details: hit.map((r) => r.name || r.id),
  })
}
