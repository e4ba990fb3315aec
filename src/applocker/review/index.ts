/**
 * "Review policy": mistakes that lock people out or leave holes, found before the policy is
 * deployed (reference/applocker-deep.md section 11). Each check is a small function over one
 * collection or the whole policy, in a file per family (collections.ts, holes.ts, deny.ts,
 * duplicates.ts, principals.ts, hashes.ts, paths.ts, publishers.ts, schema.ts); `reviewPolicy`
 * runs them all. Lists (user-writable folders, bypass binaries) live in data.ts; path coverage
 * (coverage.ts) uses the engine's path variables and `*` matcher.
 */
import type { Policy } from '../policy'
import type { Ctx, Finding, FindingSeverity } from './context'
import { clearCoverageCaches } from './coverage'
import { checkDenyOnly, checkDllDefaults, checkExeAdmin, checkExeAppx, checkExtensions, checkNotConfigured } from './collections'
import { checkDenyForAll, checkDenyPath } from './deny'
import { checkDuplicateIds, checkDuplicates, checkShadowed } from './duplicates'
import { checkHashNames } from './hashes'
import { checkBypassBinaries, checkUserWritable } from './holes'
import { checkPaths } from './paths'
import { checkSids } from './principals'
import { checkPublishers } from './publishers'
import { checkSchema } from './schema'

export type { Finding, FindingSeverity } from './context'
export { conditionCovers, expandPath, pathPatternCovers, pathPatternMatches } from './coverage'
export { isAdminSid } from './principals'

/** The checks, for a legend or a filter in the UI. */
export const LINT_CHECKS: readonly { code: string; title: string }[] = [
  { code: 'user-writable-path', title: 'Allow rule covers folders standard users can write to' },
  { code: 'bypass-binary-allowed', title: 'Known bypass binaries are allowed' },
  { code: 'bypass-binary-rule', title: 'Rule explicitly allows a known bypass binary' },
  { code: 'exe-no-admin-rule', title: 'Executable rules enforced without a rule for Administrators' },
  { code: 'exe-no-appx-rules', title: 'Executable rules enforced without Packaged app rules' },
  { code: 'dll-missing-defaults', title: 'DLL rules without the Windows and Program Files rules' },
  { code: 'deny-only-collection', title: 'Collection holds only Deny rules' },
  { code: 'deny-path-rule', title: 'Deny path rule (easy to evade)' },
  { code: 'duplicate-rule', title: 'Duplicate rule' },
  { code: 'duplicate-id', title: 'Rule Id used more than once' },
  { code: 'shadowed-rule', title: 'Allow rule fully covered by another Allow rule' },
  { code: 'denied-allow-rule', title: 'Allow rule fully covered by a Deny rule' },
  { code: 'malformed-sid', title: 'User or group is not a SID' },
  { code: 'unknown-sid', title: 'Unknown SID' },
  { code: 'nobody-sid', title: 'Rule for a SID no user has' },
  { code: 'hash-no-file-name', title: 'File hash without a file name' },
  { code: 'not-configured-with-rules', title: 'Not configured collection with rules (enforced)' },
  { code: 'extension-partner-missing', title: 'ThresholdExtensions and RedstoneExtensions not together' },
  { code: 'extension-wrong-collection', title: 'Rule collection extensions outside Exe and Dll' },
  { code: 'services-without-systemapps', title: 'Services enforced without SystemApps' },
  { code: 'question-mark-path', title: '"?" in a path' },
  { code: 'unknown-path-variable', title: 'Environment variable AppLocker does not expand' },
  { code: 'folder-without-star', title: 'Folder path without "\\*"' },
  { code: 'mojibake', title: 'Garbled characters in publisher names' },
  { code: 'publisher-any', title: 'Allow rule for every signed file' },
  { code: 'publisher-literal-star', title: '"*" inside a publisher or product name' },
  { code: 'version-range-inverted', title: 'Lowest version above highest version' },
  { code: 'appx-non-publisher', title: 'Packaged app rule that is not a publisher rule' },
  { code: 'short-name-path', title: 'Short 8.3 name in a path' },
  { code: 'deny-applies-to-admins', title: 'Deny rules for all users also block administrators' },
  { code: 'unknown-exception', title: 'Placeholder or unknown element in Exceptions' },
  { code: 'control-character', title: 'Character an XML file cannot hold' },
  { code: 'invalid-rule-id', title: 'Rule Id is not a GUID' },
  { code: 'invalid-enforcement-mode', title: 'Enforcement mode Windows does not know' },
]


const COLLECTION_CHECKS: ((ctx: Ctx) => void)[] = [
  checkNotConfigured,
  checkExeAdmin,
  checkExeAppx,
  checkDllDefaults,
  checkDenyOnly,
  checkExtensions,
  checkUserWritable,
  checkBypassBinaries,
  checkDenyPath,
  checkDenyForAll,
  checkDuplicates,
  checkShadowed,
  checkSids,
  checkHashNames,
  checkPaths,
  checkPublishers,
]

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 }

/** Runs every check; findings sorted by severity, then collection, then rule order. */
export function reviewPolicy(policy: Policy): Finding[] {
  clearCoverageCaches()
  const out: Finding[] = []
  policy.collections.forEach((c, ci) => {
    if (c.type === null) return
    const ctx: Ctx = { policy, c, ci, type: c.type, out }
    for (const check of COLLECTION_CHECKS) check(ctx)
  })
  checkDuplicateIds(policy, out)
  checkSchema(policy, out)
  return out
    .map((f, n) => ({ f, n }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] ||
        (a.f.collectionIndex ?? -1) - (b.f.collectionIndex ?? -1) ||
        (a.f.ruleIndex ?? -1) - (b.f.ruleIndex ?? -1) ||
        a.n - b.n,
    )
    .map((x) => x.f)
}

/** Counts per severity, for a summary badge (findings, or the reader's diagnostics). */
export function findingCounts(findings: readonly { severity: FindingSeverity }[]): Record<FindingSeverity, number> {
  const c = { error: 0, warning: 0, info: 0 }
  for (const f of findings) c[f.severity]++
  return c
}
