import { describe, expect, it } from 'vitest'
import { availableCommands, commandForKey, keyText, matchesKey, matchesQuery, shortcutText, type Command } from './commands'

interface S {
  n: number
  ran: string[]
}

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

const commands: Command<S>[] = [
  { id: 'undo', label: 'Undo', shortcut: { keys: [{ key: 'z', ctrl: true }], scope: 'page' }, isEnabled: (s) => s.n > 0, run: (s) => void s.ran.push('undo') },
  { id: 'redo', label: 'Redo', shortcut: { keys: [{ key: 'y', ctrl: true }, { key: 'z', ctrl: true, shift: true }], scope: 'page' }, isEnabled: () => true, run: (s) => void s.ran.push('redo') },
  { id: 'delete', label: 'Delete', shortcut: { keys: [{ key: 'Delete' }], scope: 'rule list' }, isEnabled: () => true, run: (s) => void s.ran.push('delete') },
  { id: 'hidden', label: 'Move to Script Rules', isVisible: () => false, isEnabled: () => true, run: () => {} },
]

describe('commands', () => {
  it('writes shortcuts as people read them', () => {
    expect(keyText({ key: 'z', ctrl: true })).toBe('Ctrl+Z')
    expect(keyText({ key: 'z', ctrl: true, shift: true })).toBe('Ctrl+Shift+Z')
    expect(shortcutText(commands[2])).toBe('Delete')
    expect(shortcutText(commands[3])).toBeUndefined()
  })

  it('matches key events exactly: modifiers count, Cmd is Ctrl, Alt never matches', () => {
    expect(matchesKey({ key: 'z', ctrl: true }, key('z', { ctrlKey: true }))).toBe(true)
    expect(matchesKey({ key: 'z', ctrl: true }, key('Z', { metaKey: true }))).toBe(true)
    expect(matchesKey({ key: 'z', ctrl: true }, key('z', { ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(matchesKey({ key: 'z', ctrl: true }, key('z'))).toBe(false)
    expect(matchesKey({ key: 'z', ctrl: true }, key('z', { ctrlKey: true, altKey: true }))).toBe(false)
  })

  it('finds the enabled command of a scope bound to a key', () => {
    const s: S = { n: 0, ran: [] }
    expect(commandForKey(commands, 'page', key('z', { ctrlKey: true }), s)).toBeUndefined()
    s.n = 1
    expect(commandForKey(commands, 'page', key('z', { ctrlKey: true }), s)?.id).toBe('undo')
    expect(commandForKey(commands, 'page', key('z', { ctrlKey: true, shiftKey: true }), s)?.id).toBe('redo')
    expect(commandForKey(commands, 'page', key('Delete'), s)).toBeUndefined()
    expect(commandForKey(commands, 'rule list', key('Delete'), s)?.id).toBe('delete')
  })

  it('offers visible, enabled commands and searches their labels word by word', () => {
    expect(availableCommands(commands, { n: 0, ran: [] }).map((c) => c.id)).toEqual(['redo', 'delete'])
    expect(matchesQuery('Create New Rule...', 'new rule')).toBe(true)
    expect(matchesQuery('Create New Rule...', 'rule CREATE')).toBe(true)
    expect(matchesQuery('Create New Rule...', 'delete')).toBe(false)
    expect(matchesQuery('Anything', '  ')).toBe(true)
  })
})
