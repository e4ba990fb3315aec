/**
 * Security identifiers (SIDs) a policy names in `UserOrGroupSid`, and the principals the
 * simulator tests files for (reference/applocker-deep.md sections 3.2 and 10.2).
 */
import { isValidSid } from './validate'

export const EVERYONE_SID = 'S-1-1-0'
export const ADMINISTRATORS_SID = 'S-1-5-32-544'
export const USERS_SID = 'S-1-5-32-545'
export const AUTHENTICATED_USERS_SID = 'S-1-5-11'
export const INTERACTIVE_SID = 'S-1-5-4'

/** Well-known SIDs with the names Windows shows for them. */
export const WELL_KNOWN_SIDS: { sid: string; name: string }[] = [
  { sid: EVERYONE_SID, name: 'Everyone' },
  { sid: ADMINISTRATORS_SID, name: 'BUILTIN\\Administrators' },
  { sid: USERS_SID, name: 'BUILTIN\\Users' },
  { sid: 'S-1-5-32-546', name: 'BUILTIN\\Guests' },
  { sid: 'S-1-5-32-547', name: 'BUILTIN\\Power Users' },
  { sid: 'S-1-5-32-555', name: 'BUILTIN\\Remote Desktop Users' },
  { sid: 'S-1-5-32-551', name: 'BUILTIN\\Backup Operators' },
  { sid: 'S-1-5-32-559', name: 'BUILTIN\\Performance Log Users' },
  { sid: 'S-1-5-32-558', name: 'BUILTIN\\Performance Monitor Users' },
  { sid: 'S-1-5-32-562', name: 'BUILTIN\\Distributed COM Users' },
  { sid: 'S-1-5-32-573', name: 'BUILTIN\\Event Log Readers' },
  { sid: 'S-1-5-32-578', name: 'BUILTIN\\Hyper-V Administrators' },
  { sid: 'S-1-5-32-580', name: 'BUILTIN\\Remote Management Users' },
  { sid: AUTHENTICATED_USERS_SID, name: 'NT AUTHORITY\\Authenticated Users' },
  { sid: INTERACTIVE_SID, name: 'NT AUTHORITY\\INTERACTIVE' },
  { sid: 'S-1-5-1', name: 'NT AUTHORITY\\DIALUP' },
  { sid: 'S-1-5-2', name: 'NT AUTHORITY\\NETWORK' },
  { sid: 'S-1-5-3', name: 'NT AUTHORITY\\BATCH' },
  { sid: 'S-1-5-6', name: 'NT AUTHORITY\\SERVICE' },
  { sid: 'S-1-5-7', name: 'NT AUTHORITY\\ANONYMOUS LOGON' },
  { sid: 'S-1-5-14', name: 'NT AUTHORITY\\REMOTE INTERACTIVE LOGON' },
  { sid: 'S-1-5-15', name: 'NT AUTHORITY\\This Organization' },
  { sid: 'S-1-5-18', name: 'NT AUTHORITY\\SYSTEM' },
  { sid: 'S-1-5-19', name: 'NT AUTHORITY\\LOCAL SERVICE' },
  { sid: 'S-1-5-20', name: 'NT AUTHORITY\\NETWORK SERVICE' },
  { sid: 'S-1-5-113', name: 'NT AUTHORITY\\Local account' },
  { sid: 'S-1-5-114', name: 'NT AUTHORITY\\Local account and member of Administrators group' },
  { sid: 'S-1-2-0', name: 'LOCAL' },
  { sid: 'S-1-2-1', name: 'CONSOLE LOGON' },
  { sid: 'S-1-3-0', name: 'CREATOR OWNER' },
  { sid: 'S-1-3-1', name: 'CREATOR GROUP' },
  { sid: 'S-1-3-4', name: 'OWNER RIGHTS' },
  { sid: 'S-1-15-2-1', name: 'ALL APPLICATION PACKAGES' },
  { sid: 'S-1-16-12288', name: 'Mandatory Label\\High Mandatory Level' },
]

/** Relative IDs of well-known domain accounts and groups (S-1-5-21-<domain>-<rid>). */
const DOMAIN_RIDS: Record<string, string> = {
  '500': 'Administrator',
  '501': 'Guest',
  '502': 'krbtgt',
  '512': 'Domain Admins',
  '513': 'Domain Users',
  '514': 'Domain Guests',
  '515': 'Domain Computers',
  '516': 'Domain Controllers',
  '518': 'Schema Admins',
  '519': 'Enterprise Admins',
}

const byUpperSid = new Map(WELL_KNOWN_SIDS.map((w) => [w.sid.toUpperCase(), w.name]))

const byUpperName = new Map<string, string>()
for (const w of WELL_KNOWN_SIDS) {
  byUpperName.set(w.name.toUpperCase(), w.sid)
  const short = w.name.replace(/^(BUILTIN|NT AUTHORITY)\\/, '')
  if (short !== w.name && !byUpperName.has(short.toUpperCase())) byUpperName.set(short.toUpperCase(), w.sid)
}

/**
 * A SID as given, or the SID of a well-known account or group named as Windows shows it
 * (`Everyone`, `BUILTIN\\Administrators` or `Administrators`, `NT AUTHORITY\\SYSTEM`), any letter case;
 * null for anything else (a domain account name cannot be resolved without Windows).
 */
export function sidOf(nameOrSid: string): string | null {
  const t = nameOrSid.trim()
  if (isValidPrincipalSid(t)) return normalizeSid(t)
  return byUpperName.get(t.toUpperCase()) ?? null
}

/** Upper-cases a SID and trims it, the form the engine compares (the schema allows a lower-case `s`). */
export function normalizeSid(sid: string): string {
  return sid.trim().toUpperCase()
}

/** The relative ID of a domain account or group (S-1-5-21-<domain>-<rid>, normalised), else null. */
export function domainRid(normalizedSid: string): string | null {
  const m = /^S-1-5-21-\d+-\d+-\d+-(\d+)$/.exec(normalizedSid)
  return m ? m[1] : null
}

/** The name Windows shows for a well-known SID; any other SID is returned as it is. */
export function sidDisplayName(sid: string): string {
  const key = normalizeSid(sid)
  const known = byUpperSid.get(key)
  if (known) return known
  const rid = domainRid(key)
  if (rid !== null && DOMAIN_RIDS[rid]) return `${DOMAIN_RIDS[rid]} (${sid.trim()})`
  return sid
}

/**
 * A SID someone types for a principal (Simulate, Test a file, `cli test --user/--group`): the one
 * check of validate.ts (what Windows accepts in UserOrGroupSid), with the leading S in either case.
 */
export function isValidPrincipalSid(sid: string): boolean {
  return isValidSid(sid.replace(/^s-/, 'S-'))
}

/** The SIDs in a text box: separated by spaces, commas or semicolons. */
export function splitSids(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean)
}

export type PrincipalPresetId = 'everyone' | 'standard' | 'admin'

/**
 * Principals a person can pick with one click. Nested groups are not expanded by AppLocker's
 * test: a preset lists every SID the token would carry.
 */
export const PRINCIPAL_PRESETS: { id: PrincipalPresetId; label: string; sids: string[] }[] = [
  { id: 'everyone', label: 'Everyone only', sids: [EVERYONE_SID] },
  {
    id: 'standard',
    label: 'Standard user',
    sids: [EVERYONE_SID, USERS_SID, AUTHENTICATED_USERS_SID, INTERACTIVE_SID],
  },
  {
    id: 'admin',
    label: 'Administrator',
    sids: [EVERYONE_SID, USERS_SID, AUTHENTICATED_USERS_SID, INTERACTIVE_SID, ADMINISTRATORS_SID],
  },
]
