/**
 * The shell's commands (go to a view, theme, the palette), the state every command runs against, and the
 * commands with a page-wide keyboard shortcut (shortcuts.ts). The whole registry, every feature's command
 * records, is registry.ts: the command palette reads it and loads it with its dialog.
 */
import { create } from 'zustand'
import { SearchRegular, WeatherMoonRegular } from '@fluentui/react-icons'
import { COLLECTION_LABELS } from '../applocker/policy'
import type { Command } from '../lib/commands'
import { useDocument, type DocumentState } from '../store/document'
import { useUi, type UiState } from '../store/ui'
import { DOCUMENT_COMMANDS } from '../features/document/commands'
import { useRulesView, type RulesViewState } from '../features/rules/viewStore'
import { COLLECTION_VIEWS, TOOL_VIEWS } from './views'
import { chooseTheme } from './theme'

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

export const SHELL_COMMANDS: Command<AppCommandState>[] = [
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
    run: (s) => chooseTheme(s.ui.theme === 'dark' ? 'light' : 'dark'),
  },
]

/**
 * The commands whose keyboard shortcut works anywhere on the page (scope 'page'): Undo, Redo, the palette.
 * A feature whose command gets a page-wide shortcut adds its list here (registry.test.ts checks it).
 */
export const SHORTCUT_COMMANDS: Command<AppCommandState>[] = [...DOCUMENT_COMMANDS, ...SHELL_COMMANDS]
