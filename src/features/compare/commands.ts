/** "Compare with...": picks a policy file, then the differences dialog (CompareWith.tsx). */
import { BranchCompareRegular } from '@fluentui/react-icons'
import type { Command } from '../../lib/commands'
import { createTrigger } from '../../lib/trigger'

export const pickPolicyToCompare = createTrigger()

export const compareCommand: Command<unknown> = {
  id: 'compare.open',
  label: 'Compare with...',
  icon: BranchCompareRegular,
  section: 'document',
  isEnabled: () => true,
  run: () => pickPolicyToCompare.fire(),
}

export const COMPARE_COMMANDS = [compareCommand]
