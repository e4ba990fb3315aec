/**
 * An enforcement mode as a badge, the same everywhere (UX.md): Enforce solid, Audit only amber,
 * Not configured grey outline. A collection absent from the XML shows `absentLabel` as a grey
 * outline. Fluent's "subtle" badge is white text for dark surfaces (invisible in the light theme),
 * so Not configured is an outline in both themes.
 */
import type { ReactNode } from 'react'
import { Badge, type BadgeProps } from '@fluentui/react-components'
import { ENFORCEMENT_LABELS, type EnforcementMode } from '../applocker/policy'

export interface ModeBadgeProps extends Omit<BadgeProps, 'color' | 'appearance' | 'children'> {
  mode: EnforcementMode | null
  /** The text for a collection the policy does not have. */
  absentLabel?: string
  /** Replaces the mode's label (the badge keeps the mode's look). */
  children?: ReactNode
  /**
   * The file's EnforcementMode when Windows does not accept it (e.g. "Enforced"): shown as it is,
   * marked invalid, instead of the mode the model falls back to.
   */
  invalid?: string
}

export function ModeBadge({ mode, absentLabel = ENFORCEMENT_LABELS.NotConfigured, children, invalid, ...rest }: ModeBadgeProps) {
  if (invalid !== undefined) {
    const shown = invalid.length > 40 ? `${invalid.slice(0, 40)}...` : invalid
    return (
      <Badge
        appearance="outline"
        color="danger"
        {...rest}
        aria-label={`Enforcement: "${shown}" (invalid)`}
        title={`EnforcementMode "${shown}" is not one Windows accepts (NotConfigured, Enabled, AuditOnly): choose a mode in Configure rule enforcement.`}
      >
        "{shown}" (invalid)
      </Badge>
    )
  }
  if (mode === null)
    return (
      <Badge appearance="outline" color="informative" {...rest}>
        {children ?? absentLabel}
      </Badge>
    )
  return (
    <Badge
      appearance={mode === 'Enabled' ? 'filled' : mode === 'AuditOnly' ? 'tint' : 'outline'}
      color={mode === 'Enabled' ? 'brand' : mode === 'AuditOnly' ? 'warning' : 'informative'}
      {...rest}
    >
      {children ?? ENFORCEMENT_LABELS[mode]}
    </Badge>
  )
}
