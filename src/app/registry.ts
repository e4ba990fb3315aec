/**
 * The command registry: every feature's command records (src/features/<feature>/commands.ts) and the shell's
 * own (commands.ts), in the order the command palette lists them. The palette's dialog loads it.
 */
import type { Command } from '../lib/commands'
import { DOCUMENT_COMMANDS } from '../features/document/commands'
import { RULES_COMMANDS } from '../features/rules/commands'
import { MERGE_COMMANDS } from '../features/merge/commands'
import { COMPARE_COMMANDS } from '../features/compare/commands'
import { GENERATE_COMMANDS } from '../features/generate/commands'
import { SHELL_COMMANDS, type AppCommandState } from './commands'

/** Every command, in the order the palette lists them. */
export const COMMANDS: Command<AppCommandState>[] = [
  ...RULES_COMMANDS,
  ...DOCUMENT_COMMANDS,
  ...MERGE_COMMANDS,
  ...COMPARE_COMMANDS,
  ...GENERATE_COMMANDS,
  ...SHELL_COMMANDS,
]
