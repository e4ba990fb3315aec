/** "Automatically Generate Rules...": opens the generate dialog (GenerateRules.tsx). */
import { DocumentSearchRegular } from '@fluentui/react-icons'
import type { Command } from '../../lib/commands'
import { createTrigger } from '../../lib/trigger'

export const openGenerateDialog = createTrigger()

export const generateCommand: Command<unknown> = {
  id: 'generate.open',
  label: 'Automatically Generate Rules...',
  icon: DocumentSearchRegular,
  section: 'document',
  isEnabled: () => true,
  run: () => openGenerateDialog.fire(),
}

export const GENERATE_COMMANDS = [generateCommand]
