import { Badge, type BadgeProps } from '@fluentui/react-components'
import type { Effect } from '../applocker/evaluate/types'
import { EFFECT_LABELS } from '../applocker/simulate/results'

/** The same colour always means the same thing (UX.md): runs green, blocked red, audited amber, Constrained Language Mode orange. */
const LOOK: Record<Effect, Pick<BadgeProps, 'appearance' | 'color'>> = {
  runs: { appearance: 'tint', color: 'success' },
  blocked: { appearance: 'filled', color: 'danger' },
  audited: { appearance: 'tint', color: 'warning' },
  'not-governed': { appearance: 'outline', color: 'informative' },
  // PowerShell runs the script, restricted: neither the green of "runs" nor the red of "blocked".
  'constrained-language': { appearance: 'tint', color: 'severe' },
}

/** What happens to a file: "Runs", "Blocked", "Runs, logged as ..." ("Audited" when compact, in tables). */
export function EffectBadge({ effect, compact = false }: { effect: Effect; compact?: boolean }) {
  return (
    <Badge {...LOOK[effect]} size={compact ? 'small' : 'medium'}>
      {compact && effect === 'audited' ? 'Audited' : compact && effect === 'constrained-language' ? 'Constrained Language' : EFFECT_LABELS[effect]}
    </Badge>
  )
}
