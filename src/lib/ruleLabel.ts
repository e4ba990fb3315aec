import { RULE_KIND_LABELS, type Rule } from '../applocker/policy'
import { sidDisplayName } from '../applocker/sids'

/** One line naming a rule in a list (merge, compare): name · action · kind · user. */
export function ruleLabel(r: Rule): string {
  return `${r.name || '(no name)'} · ${r.action} · ${RULE_KIND_LABELS[r.kind]} · ${sidDisplayName(r.userOrGroupSid)}`
}
