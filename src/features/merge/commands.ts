/** "Merge policy...": picks a policy file, then the merge dialog (MergePolicy.tsx). */
import { MergeRegular } from '@fluentui/react-icons'
import type { Command } from '../../lib/commands'
import { createTrigger } from '../../lib/trigger'

export const pickPolicyToMerge = createTrigger()

export const mergeCommand: Command<unknown> = {
  id: 'merge.open',
  label: 'Merge policy...',
  icon: MergeRegular,
  section: 'document',
  isEnabled: () => true,
  run: () => pickPolicyToMerge.fire(),
}

export const MERGE_COMMANDS = [mergeCommand]
