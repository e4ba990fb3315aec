/** The "Configure rule enforcement" dialog's data: a draft of every setting, applied as one edit. Pure. */
import { COLLECTION_TYPES, findCollection, invalidEnforcementMode, type CollectionType, type EnforcementMode, type Policy, type ServicesEnforcement, type SystemAppsAllow } from '../../applocker/policy'
import { getExtensions, isDllCollectionEnabled, setDllCollectionEnabled, setEnforcementMode, setExtensions } from '../../applocker/ops'

export type ExtType = 'Exe' | 'Dll'
export type Ext = { services: ServicesEnforcement | null; systemApps: SystemAppsAllow | null }

export interface Draft {
  /** null: the file's EnforcementMode is not valid and the person has not chosen one yet (kept as it is). */
  modes: Record<CollectionType, EnforcementMode | null>
  dll: boolean
  ext: Record<ExtType, Ext>
}

export function draftOf(policy: Policy): Draft {
  const modes = Object.fromEntries(
    COLLECTION_TYPES.map((t) => {
      const c = findCollection(policy, t)
      return [t, c && invalidEnforcementMode(c) !== undefined ? null : (c?.enforcementMode ?? 'NotConfigured')]
    }),
  ) as Record<CollectionType, EnforcementMode | null>
  return { modes, dll: isDllCollectionEnabled(policy), ext: { Exe: getExtensions(policy, 'Exe'), Dll: getExtensions(policy, 'Dll') } }
}

/** The whole dialog as one edit: only what changed is touched (an absent collection stays absent). */
export function applyEnforcementDraft(policy: Policy, draft: Draft): Policy {
  const before = draftOf(policy)
  let p = policy
  if (draft.dll !== before.dll) p = setDllCollectionEnabled(p, draft.dll)
  for (const t of COLLECTION_TYPES) {
    if (t === 'Dll' && !draft.dll) continue
    const chosen = draft.modes[t]
    if (chosen === null) continue
    const c = findCollection(p, t)
    const current = c && invalidEnforcementMode(c) !== undefined ? null : (c?.enforcementMode ?? 'NotConfigured')
    if (chosen !== current) p = setEnforcementMode(p, t, chosen)
  }
  for (const t of ['Exe', 'Dll'] as const) {
    const a = draft.ext[t]
    const b = before.ext[t]
    if (a.services !== b.services || a.systemApps !== b.systemApps) p = setExtensions(p, t, a)
  }
  return p
}

