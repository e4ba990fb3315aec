/**
 * The built-in default rules ("Create Default Rules"), exactly as Windows writes them: fixed
 * well-known Ids, names and descriptions (APPLOCKER.md section 5, reference/applocker-deep.md
 * section 10.1 and Example B; checked against corpus/liamsennitt-windows-default-rules.xml).
 *
 * The order inside each collection is the order Windows exports them in.
 */
import type { CollectionType, Policy, Rule, RuleCollection } from './policy'
import { emptyCollection, newRuleId } from './policy'
import { ruleBehaviourKey } from './ops'

export const SID_EVERYONE = 'S-1-1-0'
export const SID_ADMINISTRATORS = 'S-1-5-32-544'

function pathRule(id: string, name: string, description: string, sid: string, path: string): Rule {
  return {
    kind: 'path',
    id,
    name,
    description,
    userOrGroupSid: sid,
    action: 'Allow',
    condition: { kind: 'path', path },
    exceptions: [],
  }
}

function allSignedRule(id: string, name: string, description: string): Rule {
  return {
    kind: 'publisher',
    id,
    name,
    description,
    userOrGroupSid: SID_EVERYONE,
    action: 'Allow',
    condition: {
      kind: 'publisher',
      publisherName: '*',
      productName: '*',
      binaryName: '*',
      versionRange: { low: '0.0.0.0', high: '*' },
    },
    exceptions: [],
  }
}

/** The default rules of one collection: fresh objects on every call (callers may keep them). */
export function defaultRules(type: CollectionType): Rule[] {
  switch (type) {
    case 'Exe':
      return [
        pathRule(
          '921cc481-6e17-4653-8f75-050b80acca20',
          '(Default Rule) All files located in the Program Files folder',
          'Allows members of the Everyone group to run applications that are located in the Program Files folder.',
          SID_EVERYONE,
          '%PROGRAMFILES%\\*',
        ),
        pathRule(
          'a61c8b2c-a319-4cd0-9690-d2177cad7b51',
          '(Default Rule) All files located in the Windows folder',
          'Allows members of the Everyone group to run applications that are located in the Windows folder.',
          SID_EVERYONE,
          '%WINDIR%\\*',
        ),
        pathRule(
          'fd686d83-a829-4351-8ff4-27c7de5755d2',
          '(Default Rule) All files',
          'Allows members of the local Administrators group to run all applications.',
          SID_ADMINISTRATORS,
          '*',
        ),
      ]
    case 'Script':
      return [
        pathRule(
          '06dce67b-934c-454f-a263-2515c8796a5d',
          '(Default Rule) All scripts located in the Program Files folder',
          'Allows members of the Everyone group to run scripts that are located in the Program Files folder.',
          SID_EVERYONE,
          '%PROGRAMFILES%\\*',
        ),
        pathRule(
          '9428c672-5fc3-47f4-808a-a0011f36dd2c',
          '(Default Rule) All scripts located in the Windows folder',
          'Allows members of the Everyone group to run scripts that are located in the Windows folder.',
          SID_EVERYONE,
          '%WINDIR%\\*',
        ),
        pathRule(
          'ed97d0cb-15ff-430f-b82c-8d7832957725',
          '(Default Rule) All scripts',
          'Allows members of the local Administrators group to run all scripts.',
          SID_ADMINISTRATORS,
          '*',
        ),
      ]
    case 'Dll':
      return [
        pathRule(
          '3737732c-99b7-41d4-9037-9cddfb0de0d0',
          '(Default Rule) All DLLs located in the Program Files folder',
          'Allows members of the Everyone group to load DLLs that are located in the Program Files folder.',
          SID_EVERYONE,
          '%PROGRAMFILES%\\*',
        ),
        pathRule(
          'bac4b0bf-6f1b-40e8-8627-8545fa89c8b6',
          '(Default Rule) Microsoft Windows DLLs',
          'Allows members of the Everyone group to load DLLs located in the Windows folder.',
          SID_EVERYONE,
          '%WINDIR%\\*',
        ),
        pathRule(
          'fe64f59f-6fca-45e5-a731-0f6715327c38',
          '(Default Rule) All DLLs',
          'Allows members of the local Administrators group to load all DLLs.',
          SID_ADMINISTRATORS,
          '*',
        ),
      ]
    case 'Msi':
      return [
        allSignedRule(
          'b7af7102-efde-4369-8a89-7a6a392d1473',
          '(Default Rule) All digitally signed Windows Installer files',
          'Allows members of the Everyone group to run digitally signed Windows Installer files.',
        ),
        pathRule(
          '5b290184-345a-4453-b184-45305f6d9a54',
          '(Default Rule) All Windows Installer files in %systemdrive%\\Windows\\Installer',
          'Allows members of the Everyone group to run all Windows Installer files located in %systemdrive%\\Windows\\Installer.',
          SID_EVERYONE,
          '%WINDIR%\\Installer\\*',
        ),
        // The documentation says "*"; Windows writes "*.*" (deep reference section 10.1).
        pathRule(
          '64ad46ff-0d71-4fa0-a30b-3f3d30c5433d',
          '(Default Rule) All Windows Installer files',
          'Allows members of the local Administrators group to run all Windows Installer files.',
          SID_ADMINISTRATORS,
          '*.*',
        ),
      ]
    case 'Appx':
      return [
        allSignedRule(
          'a9e18c21-ff8f-43cf-b9fc-db40eed693ba',
          '(Default Rule) All signed packaged apps',
          'Allows members of the Everyone group to run packaged apps that are signed.',
        ),
      ]
  }
}

/** Every default rule Id (lower case) with its collection. */
export const DEFAULT_RULE_IDS: ReadonlyMap<string, CollectionType> = new Map(
  (['Exe', 'Msi', 'Script', 'Dll', 'Appx'] as const).flatMap((t) =>
    defaultRules(t).map((r) => [r.id, t] as const),
  ),
)

/** Whether a rule is one of Windows' default rules (by its well-known Id). */
export function isDefaultRuleId(id: string): boolean {
  return DEFAULT_RULE_IDS.has(id.toLowerCase())
}

/**
 * "Create Default Rules" for one collection: appends the default rules whose content is missing.
 * A default rule counts as present only when the collection has a rule that behaves the same
 * (same condition, exceptions, user or group and action: ops.ruleBehaviourKey), whatever its Id.
 * A default rule whose well-known Id is held by a rule that was edited into something else is
 * added back under a new Id (Ids are unique policy-wide), so the real default can always be
 * restored. Creates the collection (NotConfigured) if the policy has none. Never mutates `policy`.
 */
export function addDefaultRules(
  policy: Policy,
  type: CollectionType,
): { policy: Policy; added: number; skipped: number; renamed: number; missing: Rule[] } {
  const allIds = new Set<string>()
  for (const c of policy.collections) for (const r of c.rules) allIds.add(r.id.toLowerCase())
  const index = policy.collections.findIndex((c) => c.type === type)
  const existing: RuleCollection = index >= 0 ? policy.collections[index] : emptyCollection(type)
  const present = new Set(existing.rules.map(ruleBehaviourKey))
  const toAdd: Rule[] = []
  let skipped = 0
  let renamed = 0
  for (const rule of defaultRules(type)) {
    if (present.has(ruleBehaviourKey(rule))) {
      skipped++
      continue
    }
    let id = rule.id
    if (allIds.has(id)) {
      renamed++
      do id = newRuleId()
      while (allIds.has(id.toLowerCase()))
    }
    allIds.add(id.toLowerCase())
    toAdd.push({ ...rule, id })
  }
  if (toAdd.length === 0 && index >= 0) return { policy, added: 0, skipped, renamed, missing: [] }
  const collection: RuleCollection = { ...existing, rules: [...existing.rules, ...toAdd] }
  const collections =
    index >= 0
      ? policy.collections.map((c, i) => (i === index ? collection : c))
      : [...policy.collections, collection]
  return { policy: { ...policy, collections }, added: toAdd.length, skipped, renamed, missing: toAdd }
}
