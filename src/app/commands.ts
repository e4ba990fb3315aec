/**
 * The command registry: every feature's command records (src/features/<feature>/commands.ts), the
 * shell's own (go to a view, theme, the palette), and the state they run against. The toolbars,
 * the keyboard shortcuts (shortcuts.ts) and the command palette (CommandPalette.tsx) read it.
 */
import { create } from 'zustand'
import { SearchRegular, WeatherMoonRegular } from '@fluentui/react-icons'
import { COLLECTION_LABELS } from '../applocker/policy'
import type { Command } from '../lib/commands'
import { useDocument, type DocumentState } from '../store/document'
import { useUi, type UiState } from '../store/ui'
import { DOCUMENT_COMMANDS } from '../features/document/commands'
import { RULES_COMMANDS } from '../features/rules/commands'
import { useRulesView, type RulesViewState } from '../features/rules/viewStore'
import { MERGE_COMMANDS } from '../features/merge/commands'
import { COMPARE_COMMANDS } from '../features/compare/commands'
import { GENERATE_COMMANDS } from '../features/generate/commands'
import { COLLECTION_VIEWS, TOOL_VIEWS } from './views'

/** What every command may read: the document, the UI state, the rule collection view. */
export interface AppCommandState {
  document: DocumentState
  ui: UiState
  rules: RulesViewState
}

export function commandState(): AppCommandState {
  return { document: useDocument.getState(), ui: useUi.getState(), rules: useRulesView.getState() }
}

/** Whether the command palette is open. */
export const usePalette = create<{ open: boolean }>()(() => ({ open: false }))

export const PALETTE_COMMAND_ID = 'app.palette'

const SHELL_COMMANDS: Command<AppCommandState>[] = [
  {
    id: PALETTE_COMMAND_ID,
    label: 'Command palette',
    icon: SearchRegular,
    shortcut: { keys: [{ key: 'k', ctrl: true }], scope: 'page', inTextFields: true },
    isEnabled: () => true,
    run: () => usePalette.setState({ open: true }),
  },
  ...[...COLLECTION_VIEWS.map((v) => ({ id: v.id, label: COLLECTION_LABELS[v.type] })), ...TOOL_VIEWS].map(
    (v): Command<AppCommandState> => ({
      id: `view.${v.id}`,
      label: v.label,
      section: 'views',
      isEnabled: (s) => s.ui.view !== v.id,
      run: (s) => s.ui.setView(v.id),
    }),
  ),
  {
    id: 'app.theme',
    label: 'Switch between light and dark theme',
    icon: WeatherMoonRegular,
    isEnabled: () => true,
    run: (s) => s.ui.setTheme(s.ui.theme === 'dark' ? 'light' : 'dark'),
  },
]

/** Every command, in the order the palette lists them. */
export const COMMANDS: Command<AppCommandState>[] = [
  ...RULES_COMMANDS,
  ...DOCUMENT_COMMANDS,
  ...MERGE_COMMANDS,
  ...COMPARE_COMMANDS,
  ...GENERATE_COMMANDS,
  ...SHELL_COMMANDS,
]
