/** Checks of the user or group a rule is for: malformed, unknown and never-in-a-token SIDs. */
import { sidProblem } from '../validate'
import { domainRid, normalizeSid } from '../sids'
import { ADMIN_DOMAIN_RIDS, ADMIN_SIDS, KNOWN_SID_PATTERNS, NEVER_IN_TOKEN_SIDS } from './data'
import { ruleFinding, type Ctx } from './context'

/** Administrators (and SYSTEM): rules for them do not open anything to standard users. */
export function isAdminSid(sid: string): boolean {
  const s = normalizeSid(sid)
  if (ADMIN_SIDS.includes(s)) return true
  const rid = domainRid(s)
  return rid !== null && ADMIN_DOMAIN_RIDS.includes(rid)
}

/** Whether a rule for this SID opens files to standard users (not administrators, not a placeholder SID). */
export function appliesToStandardUsers(sid: string): boolean {
  const s = normalizeSid(sid)
  return !isAdminSid(s) && !NEVER_IN_TOKEN_SIDS.includes(s)
}

export function checkSids(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    const sid = r.extra?.invalid?.UserOrGroupSid ?? r.userOrGroupSid
    if (sidProblem(sid) !== null) {
      ruleFinding(
        ctx,
        i,
        'malformed-sid',
        'error',
        `"${sid}" is not a SID: UserOrGroupSid must be a SID such as S-1-1-0, never an account or group name. Windows refuses the policy.`,
        'Pick the user or group again, or enter its SID (Get-LocalGroup / Get-ADGroup show it).',
      )
      return
    }
    const s = normalizeSid(sid)
    if (NEVER_IN_TOKEN_SIDS.includes(s)) {
      ruleFinding(
        ctx,
        i,
        'nobody-sid',
        'info',
        `${s} (CREATOR OWNER/GROUP) is never in a user's token: this rule applies to nobody (AaronLocker uses it for placeholder rules).`,
        'Delete the rule or give it the intended user or group.',
      )
    } else if (!KNOWN_SID_PATTERNS.some((p) => p.test(s))) {
      ruleFinding(
        ctx,
        i,
        'unknown-sid',
        'info',
        `${sid} is not a well-known SID or a domain/Entra ID account SID: check it names the intended user or group.`,
        'Verify the SID on a domain-joined machine.',
      )
    }
  })
}
