/** Checks of publisher conditions: garbled names, literal "*", inverted versions, any publisher, packaged apps. */
import type { FilePublisherCondition, Rule } from '../policy'
import { ruleKindAllowedIn } from '../ops'
import { compareVersions } from '../validate'
import { MOJIBAKE_PATTERNS } from './data'
import { ruleFinding, type Ctx } from './context'
import { appliesToStandardUsers } from './principals'

function publisherConditions(r: Rule): FilePublisherCondition[] {
  const out: FilePublisherCondition[] = []
  if (r.condition?.kind === 'publisher') out.push(r.condition)
  for (const e of r.exceptions) if (e.kind === 'publisher') out.push(e)
  return out
}

export function checkPublishers(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    const conds = publisherConditions(r)
    const texts = conds.flatMap((c) => [c.publisherName, c.productName, c.binaryName])
    if (texts.some((t) => MOJIBAKE_PATTERNS.some((p) => p.test(t)))) {
      ruleFinding(
        ctx,
        i,
        'mojibake',
        'warning',
        'A publisher, product or file name contains garbled characters (such as "Ã" or "â€"): the file was probably saved in the wrong encoding, and the rule will not match the real name.',
        'Retype the name (e.g. "MICROSOFT® WINDOWS® OPERATING SYSTEM") or re-read it from the file.',
      )
    }
    if (
      conds.some(
        (c) =>
          (c.publisherName !== '*' && c.publisherName.includes('*')) ||
          (c.productName !== '*' && c.productName.includes('*')),
      )
    ) {
      ruleFinding(
        ctx,
        i,
        'publisher-literal-star',
        'warning',
        'A publisher or product name contains "*" with other text: AppLocker treats that "*" as a literal character, not a wildcard.',
        'Use "*" alone to mean any, or the exact name.',
      )
    }
    for (const c of conds) {
      const v = c.versionRange
      if (
        v &&
        v.low !== '*' &&
        v.high !== '*' &&
        /^[\d.]+$/.test(v.low) &&
        /^[\d.]+$/.test(v.high) &&
        compareVersions(v.low, v.high) > 0
      ) {
        ruleFinding(
          ctx,
          i,
          'version-range-inverted',
          'error',
          `The lowest version ${v.low} is above the highest version ${v.high}: the ${c === r.condition ? 'rule' : 'exception'} matches no file.`,
          'Swap the two versions, or use "And above" / "And below".',
        )
        break
      }
    }
    if (
      r.action === 'Allow' &&
      r.condition?.kind === 'publisher' &&
      r.condition.publisherName === '*' &&
      (ctx.type === 'Exe' || ctx.type === 'Dll' || ctx.type === 'Script') &&
      appliesToStandardUsers(r.userOrGroupSid)
    ) {
      ruleFinding(
        ctx,
        i,
        'publisher-any',
        'warning',
        'Allows every signed file from any publisher: anyone can buy a code-signing certificate, and many signed programs can run arbitrary code.',
        'Name the publishers you trust, or add Deny rules for risky signed programs.',
      )
    }
    if (!ruleKindAllowedIn(r.kind, ctx.type)) {
      ruleFinding(
        ctx,
        i,
        'appx-non-publisher',
        'error',
        'Packaged app rules can only be publisher rules: Windows does not support unsigned packaged apps.',
        'Delete this rule or move it to another collection.',
      )
    }
  })
}
