import { useEffect } from 'react'
import { commandForKey } from '../lib/commands'
import { SHORTCUT_COMMANDS, commandState } from './commands'

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

/**
 * The page's keyboard shortcuts, read from the command registry (Ctrl+Z undo, Ctrl+Y / Ctrl+Shift+Z
 * redo, Ctrl+K the command palette). Inside a text field only the commands marked for it run (a
 * field has its own undo).
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return
      const inField = typingInField(e.target)
      const commands = inField ? SHORTCUT_COMMANDS.filter((c) => c.shortcut?.inTextFields) : SHORTCUT_COMMANDS
      const state = commandState()
      const command = commandForKey(commands, 'page', e, state)
      if (!command) return
      e.preventDefault()
      void command.run(state)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
