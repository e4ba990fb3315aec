/**
 * User commands as data (excalidraw's actions are the model): one record per command holds its
 * snap-in name, icon, shortcut, when it is enabled and what it does. Toolbars, menus, keyboard
 * shortcuts and the command palette all render the same records, so a command is written once.
 *
 * `S` is the state a command reads: each feature asks for what it needs ({ document }, { rules },
 * ...) and the shell passes one object that has all of it (src/app/commands.ts).
 */
import type { ComponentType } from 'react'

/** One key combination: `key` as KeyboardEvent.key reports it (letters in lower case). */
export interface KeyBinding {
  key: string
  ctrl?: boolean
  shift?: boolean
}

export interface Command<S> {
  /** Stable id, "feature.name" (e.g. "rules.delete"). */
  id: string
  /** The snap-in's name for it, as the palette lists it ("Create New Rule...", "Move to DLL Rules"). */
  label: string
  icon?: ComponentType
  /** The keys that run it; the first one is shown. `scope` says where the keys work. */
  shortcut?: { keys: KeyBinding[]; scope: 'page' | 'rule list'; /** Also while typing in a text field (Ctrl+K). */ inTextFields?: boolean }
  /** A longer explanation (the toolbar button's tooltip). */
  description?: (state: S) => string | undefined
  /** Inside a toolbar menu: the menu's button text and this item's text ("Move to" / "DLL Rules"). */
  menu?: { name: string; item: string }
  /** Toolbars draw a divider where the section changes. */
  section?: string
  /** The toolbar's main button. */
  primary?: boolean
  /** Whether it is offered at all here (e.g. "Move to" the collection the rules are in is not). */
  isVisible?: (state: S) => boolean
  isEnabled: (state: S) => boolean
  run: (state: S) => void | Promise<void>
}

/** "Ctrl+Shift+Z", "Delete": how a key binding is written in tooltips and the palette. */
export function keyText(k: KeyBinding): string {
  const name = k.key.length === 1 ? k.key.toUpperCase() : k.key
  return [k.ctrl ? 'Ctrl' : '', k.shift ? 'Shift' : '', name].filter(Boolean).join('+')
}

/** The shortcut of a command as written for people, or undefined. */
export function shortcutText<S>(c: Command<S>): string | undefined {
  const k = c.shortcut?.keys[0]
  return k ? keyText(k) : undefined
}

/** Whether a key event is this binding (Cmd counts as Ctrl on a Mac; Alt never matches). */
export function matchesKey(k: KeyBinding, e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): boolean {
  if (e.altKey) return false
  return e.key.toLowerCase() === k.key.toLowerCase() && !!k.ctrl === (e.ctrlKey || e.metaKey) && !!k.shift === e.shiftKey
}

/** The first visible, enabled command of `scope` bound to this key event. */
export function commandForKey<S>(
  commands: readonly Command<S>[],
  scope: 'page' | 'rule list',
  e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean },
  state: S,
): Command<S> | undefined {
  return commands.find(
    (c) => c.shortcut?.scope === scope && c.shortcut.keys.some((k) => matchesKey(k, e)) && (c.isVisible?.(state) ?? true) && c.isEnabled(state),
  )
}

/** The commands the palette offers: visible and enabled now. */
export function availableCommands<S>(commands: readonly Command<S>[], state: S): Command<S>[] {
  return commands.filter((c) => (c.isVisible?.(state) ?? true) && c.isEnabled(state))
}

/** Palette search: every word of the query appears in the label (case-insensitive), in any order. */
export function matchesQuery(label: string, query: string): boolean {
  const l = label.toLowerCase()
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => l.includes(w))
}
