/**
 * The rule collection's commands: Create New Rule..., Create Default Rules, Configure rule
 * enforcement, and Edit / Delete / Duplicate / New rule Id / Move to / Copy to / Set action /
 * Set user or group... on the selection. Each one names its undo step and says what it did in the
 * view's status line. The toolbar, the rule list's keys and the command palette run these records.
 */
import {
  AddRegular,
  ArrowMoveRegular,
  CopyRegular,
  DeleteRegular,
  DocumentCopyRegular,
  EditRegular,
  KeyMultipleRegular,
  PersonRegular,
  SettingsRegular,
  ShieldAddRegular,
  ShieldCheckmarkRegular,
} from '@fluentui/react-icons'
import { COLLECTION_LABELS, COLLECTION_TYPES, type CollectionType, type RuleAction } from '../../applocker/policy'
import { addDefaultRules } from '../../applocker/defaults'
import { copyRules, deleteRules, duplicateRules, moveRules, placeableIndices, renewRuleIds, setRulesAction, setRulesUser } from '../../applocker/ops'
import { sidDisplayName } from '../../applocker/sids'
import type { Command } from '../../lib/commands'
import type { DocumentState } from '../../store/document'
import { EMPTY_SELECTION } from './ruleList'
import type { RulesViewState } from './viewStore'
import { plural } from '../../lib/plural'

export interface RulesCommandState {
  document: DocumentState
  rules: RulesViewState
}

type RulesCommand = Command<RulesCommandState>

const inCollection = (s: RulesCommandState) => s.rules.type !== null
const hasSelection = (s: RulesCommandState) => s.rules.type !== null && s.rules.indices.length > 0

/** The collection and selection a command acts on (only called when inCollection holds). */
function scope(s: RulesCommandState): { type: CollectionType; indices: number[] } {
  return { type: s.rules.type as CollectionType, indices: s.rules.indices }
}

function transfer(how: 'move' | 'copy', to: CollectionType): RulesCommand {
  const Verb = how === 'move' ? 'Move' : 'Copy'
  return {
    id: `rules.${how}To.${to}`,
    label: `${Verb} to ${COLLECTION_LABELS[to]}`,
    icon: how === 'move' ? ArrowMoveRegular : CopyRegular,
    menu: { name: `${Verb} to`, item: COLLECTION_LABELS[to] },
    section: 'selection',
    isVisible: (s) => how === 'copy' || s.rules.type !== to,
    isEnabled: (s) => hasSelection(s) && (how === 'copy' || s.rules.type !== to),
    run: (s) => {
      const { type, indices } = scope(s)
      const ok = placeableIndices(s.document.policy, type, indices, to)
      const skipped = indices.length - ok.length
      if (ok.length) {
        s.document.apply(`${Verb} ${plural(ok.length, 'rule')} to ${COLLECTION_LABELS[to]}`, (p) =>
          how === 'move' ? moveRules(p, type, indices, to) : copyRules(p, type, indices, to),
        )
        if (how === 'move') s.rules.select(EMPTY_SELECTION)
      }
      s.rules.say(
        `${how === 'move' ? 'Moved' : 'Copied'} ${plural(ok.length, 'rule')} to ${COLLECTION_LABELS[to]}.` +
          (skipped ? ` ${plural(skipped, 'rule')} stayed: ${COLLECTION_LABELS[to]} take publisher rules only.` : ''),
      )
    },
  }
}

function setAction(action: RuleAction): RulesCommand {
  return {
    id: `rules.setAction.${action}`,
    label: `Set action ${action}`,
    icon: ShieldCheckmarkRegular,
    menu: { name: 'Set action', item: action },
    section: 'selection',
    isEnabled: hasSelection,
    run: (s) => {
      const { type, indices } = scope(s)
      s.document.apply(`Set action ${action} on ${plural(indices.length, 'rule')}`, (p) => setRulesAction(p, type, indices, action))
      s.rules.say(`${plural(indices.length, 'rule')} now ${action === 'Allow' ? 'allow' : 'deny'}.`)
    },
  }
}

export const deleteCommand: RulesCommand = {
  id: 'rules.delete',
  label: 'Delete',
  icon: DeleteRegular,
  shortcut: { keys: [{ key: 'Delete' }], scope: 'rule list' },
  section: 'selection',
  isEnabled: hasSelection,
  run: (s) => {
    const { type, indices } = scope(s)
    const label = `Delete ${plural(indices.length, 'rule')}`
    s.document.apply(label, (p) => deleteRules(p, type, indices))
    s.rules.select(EMPTY_SELECTION)
    s.rules.say(`Deleted ${plural(indices.length, 'rule')}`, label)
  },
}

export const RULES_COMMANDS: RulesCommand[] = [
  {
    id: 'rules.create',
    label: 'Create New Rule...',
    icon: AddRegular,
    primary: true,
    section: 'collection',
    isEnabled: inCollection,
    run: (s) => s.rules.openDialog({ kind: 'rule', editing: null }),
  },
  {
    id: 'rules.createDefaults',
    label: 'Create Default Rules',
    icon: ShieldAddRegular,
    section: 'collection',
    isEnabled: inCollection,
    run: (s) => {
      const { type } = scope(s)
      const result = addDefaultRules(s.document.policy, type)
      s.document.apply(`Create Default Rules (${COLLECTION_LABELS[type]})`, (p) => addDefaultRules(p, type).policy)
      s.rules.say(
        result.added
          ? `Added ${plural(result.added, 'default rule')}${result.renamed ? ` (${result.renamed} under a new Id: its Id is used by an edited rule)` : ''}${result.skipped ? `; ${result.skipped} already present` : ''}.`
          : 'All default rules of this collection are already present.',
      )
    },
  },
  {
    id: 'rules.enforcement',
    label: 'Configure rule enforcement',
    icon: SettingsRegular,
    section: 'collection',
    isEnabled: inCollection,
    run: (s) => s.rules.openDialog({ kind: 'enforcement' }),
  },
  {
    id: 'rules.edit',
    label: 'Edit rule',
    icon: EditRegular,
    section: 'selection',
    isEnabled: (s) => s.rules.type !== null && s.rules.indices.length === 1,
    run: (s) => {
      const { type, indices } = scope(s)
      const rule = s.document.policy.collections.find((c) => c.type === type)?.rules[indices[0]]
      if (rule) s.rules.openDialog({ kind: 'rule', editing: rule })
    },
  },
  deleteCommand,
  {
    id: 'rules.duplicate',
    label: 'Duplicate',
    icon: DocumentCopyRegular,
    section: 'selection',
    isEnabled: hasSelection,
    run: (s) => {
      const { type, indices } = scope(s)
      s.document.apply(`Duplicate ${plural(indices.length, 'rule')}`, (p) => duplicateRules(p, type, indices))
      s.rules.say(`Duplicated ${plural(indices.length, 'rule')}; the copies are at the end of the list.`)
    },
  },
  {
    id: 'rules.newId',
    label: 'New rule Id',
    icon: KeyMultipleRegular,
    section: 'selection',
    description: () => 'Gives the selected rules new GUIDs: fixes a malformed or duplicate rule Id',
    isEnabled: hasSelection,
    run: (s) => {
      const { type, indices } = scope(s)
      s.document.apply(`New Id for ${plural(indices.length, 'rule')}`, (p) => renewRuleIds(p, type, indices))
      s.rules.say(`Gave ${plural(indices.length, 'rule')} a new Id (a new GUID).`)
    },
  },
  ...COLLECTION_TYPES.map((t) => transfer('move', t)),
  ...COLLECTION_TYPES.map((t) => transfer('copy', t)),
  setAction('Allow'),
  setAction('Deny'),
  {
    id: 'rules.setUser',
    label: 'Set user or group...',
    icon: PersonRegular,
    section: 'selection',
    isEnabled: hasSelection,
    run: (s) => s.rules.openDialog({ kind: 'user', indices: s.rules.indices }),
  },
]

/** "Set user or group..." applied: the dialog's answer. */
export function applyUser(s: RulesCommandState, indices: number[], sid: string): void {
  const { type } = scope(s)
  s.document.apply(`Set user or group ${sidDisplayName(sid)} on ${plural(indices.length, 'rule')}`, (p) => setRulesUser(p, type, indices, sid))
  s.rules.say(`${plural(indices.length, 'rule')} now apply to ${sidDisplayName(sid)}.`)
  s.rules.closeDialog()
}
