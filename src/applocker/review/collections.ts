/**
 * Checks of a collection as a whole: its enforcement mode, the rules Windows needs
 * (Administrators, packaged apps, the default DLL rules), Deny-only collections and the
 * rule collection extensions.
 */
import type { Rule } from '../policy'
import { COLLECTION_LABELS, ENFORCEMENT_LABELS } from '../policy'
import { normalizeSid } from '../sids'
import { ALL_USERS_SIDS } from './data'
import { collectionFinding, isEnforcing, type Ctx } from './context'
import { pathRuleMatches } from './coverage'

export function checkNotConfigured(ctx: Ctx): void {
  if (
    ctx.c.enforcementMode !== 'NotConfigured' ||
    ctx.c.rules.length === 0 ||
    ctx.c.extra?.invalid?.EnforcementMode
  )
    return
  collectionFinding(
    ctx,
    'not-configured-with-rules',
    'warning',
    `${COLLECTION_LABELS[ctx.type]} are "Not configured" but hold ${ctx.c.rules.length} rule${ctx.c.rules.length === 1 ? '' : 's'}: Windows enforces them as if "Enforce rules" were set.`,
    'Set the enforcement mode explicitly: Audit only to test, Enforce rules when ready.',
  )
}

export function checkExeAdmin(ctx: Ctx): void {
  if (ctx.type !== 'Exe' || !isEnforcing(ctx.c) || ctx.c.rules.length === 0) return
  const ok = ctx.c.rules.some(
    (r) =>
      r.action === 'Allow' &&
      (normalizeSid(r.userOrGroupSid) === 'S-1-5-32-544' ||
        (normalizeSid(r.userOrGroupSid) === 'S-1-1-0' &&
          r.condition?.kind === 'path' &&
          r.condition.path.trim() === '*')),
  )
  if (ok) return
  collectionFinding(
    ctx,
    'exe-no-admin-rule',
    'error',
    `Executable rules are enforced (${ENFORCEMENT_LABELS[ctx.c.enforcementMode]}) but no rule allows BUILTIN\\Administrators: administrators could be locked out of tools they need to repair the machine.`,
    'Add the default rule "(Default Rule) All files" for BUILTIN\\Administrators (S-1-5-32-544), path *.',
  )
}

export function checkExeAppx(ctx: Ctx): void {
  if (ctx.type !== 'Exe' || !isEnforcing(ctx.c) || ctx.c.rules.length === 0) return
  const appx = ctx.policy.collections.find((c) => c.type === 'Appx')
  if (appx && appx.rules.length > 0) return
  collectionFinding(
    ctx,
    'exe-no-appx-rules',
    'warning',
    'Executable rules are enforced and there are no Packaged app rules: Windows then blocks every packaged app (Start menu, Settings, Store apps; event 8027).',
    'Add the default Packaged app rule "(Default Rule) All signed packaged apps" (Create Default Rules in Packaged app Rules).',
  )
}

export function checkDllDefaults(ctx: Ctx): void {
  if (ctx.type !== 'Dll' || ctx.c.rules.length === 0) return
  const allowsForUsers = (r: Rule) =>
    r.action === 'Allow' && ALL_USERS_SIDS.includes(normalizeSid(r.userOrGroupSid))
  const coversPath = (p: string) => ctx.c.rules.some((r) => allowsForUsers(r) && pathRuleMatches(r, p))
  const anySigned = ctx.c.rules.some(
    (r) => allowsForUsers(r) && r.condition?.kind === 'publisher' && r.condition.publisherName === '*',
  )
  const microsoftWindows = ctx.c.rules.some(
    (r) =>
      allowsForUsers(r) &&
      r.condition?.kind === 'publisher' &&
      /MICROSOFT CORPORATION/i.test(r.condition.publisherName) &&
      (r.condition.productName === '*' || /WINDOWS/i.test(r.condition.productName)) &&
      r.condition.binaryName === '*',
  )
  const missing: string[] = []
  if (!(coversPath('%SYSTEM32%\\kernel32.dll') || anySigned || microsoftWindows))
    missing.push('Windows folder (%WINDIR%\\*)')
  if (!(coversPath('%PROGRAMFILES%\\Vendor\\probe.dll') || anySigned))
    missing.push('Program Files folder (%PROGRAMFILES%\\*)')
  if (missing.length === 0) return
  const enforcing = isEnforcing(ctx.c)
  collectionFinding(
    ctx,
    'dll-missing-defaults',
    enforcing ? 'error' : 'warning',
    `DLL rules are ${enforcing ? 'enforced' : 'audited'} but nothing allows DLLs in the ${missing.join(' or the ')} for all users: Windows itself ${enforcing ? 'will fail to start programs' : 'would fail once enforced'}.`,
    'Add the default DLL rules (Create Default Rules in DLL Rules).',
  )
}

export function checkDenyOnly(ctx: Ctx): void {
  const rules = ctx.c.rules
  if (rules.length === 0 || rules.some((r) => r.action === 'Allow')) return
  if (ctx.c.enforcementMode === 'AuditOnly' && !ctx.c.extra?.invalid?.EnforcementMode) {
    // Microsoft's managed-installer policy (applocker-deep.md 1.4 Example C): an audit-only collection
    // of Deny rules logs every other file as "would have been blocked".
    collectionFinding(
      ctx,
      'deny-only-collection',
      'warning',
      `${COLLECTION_LABELS[ctx.type]} hold only Deny rules in Audit only mode: every file no rule allows is logged as "would have been blocked", so the audit log fills with warnings, and enforcing this collection would block all ${ctx.type} files.`,
      'Add Allow rules (e.g. the default rules) before enforcing, or an Allow * rule if a block list is intended.',
    )
    return
  }
  if (!isEnforcing(ctx.c)) return
  collectionFinding(
    ctx,
    'deny-only-collection',
    'error',
    `${COLLECTION_LABELS[ctx.type]} hold only Deny rules: once a collection has rules, every file no rule allows is blocked, so this blocks all ${ctx.type} files.`,
    'Add Allow rules (e.g. the default rules), or an Allow * rule if a block list is intended.',
  )
}

export function checkExtensions(ctx: Ctx): void {
  const e = ctx.c.extensions
  if (!e) return
  if (ctx.type !== 'Exe' && ctx.type !== 'Dll') {
    collectionFinding(
      ctx,
      'extension-wrong-collection',
      'warning',
      `${COLLECTION_LABELS[ctx.type]} carry rule collection extensions, which only Exe and Dll collections support.`,
      'Remove the RuleCollectionExtensions element from this collection.',
    )
    return
  }
  if (e.threshold !== e.redstone) {
    collectionFinding(
      ctx,
      'extension-partner-missing',
      'error',
      `${e.threshold ? 'ThresholdExtensions' : 'RedstoneExtensions'} is present without ${e.threshold ? 'RedstoneExtensions' : 'ThresholdExtensions'}: Microsoft requires both, or the policy "will cause unexpected behavior".`,
      'Set the Services and SystemApps options again (both elements are written together).',
    )
  }
  if (
    e.services?.enforcementMode &&
    e.services.enforcementMode !== 'NotConfigured' &&
    e.systemApps?.allow !== 'Enabled'
  ) {
    collectionFinding(
      ctx,
      'services-without-systemapps',
      'info',
      'Services and SYSTEM processes are under these rules but SystemApps is not allowed: Windows system components not covered by a rule may be blocked.',
      'Set SystemApps to Enabled unless you allow-list system code yourself.',
    )
  }
}
