import { describe, expect, it } from 'vitest'
import { SHORTCUT_COMMANDS } from './commands'
import { COMMANDS } from './registry'

describe('command registry', () => {
  it('every command with a page-wide shortcut is among the shortcut commands the shell loads at once', () => {
    const page = COMMANDS.filter((c) => c.shortcut?.scope === 'page').map((c) => c.id)
    expect(page).toEqual(expect.arrayContaining(['document.undo', 'app.palette']))
    expect(SHORTCUT_COMMANDS.map((c) => c.id)).toEqual(expect.arrayContaining(page))
  })

  it('lists every command once', () => {
    const ids = COMMANDS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
