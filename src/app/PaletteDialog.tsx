/**
 * The command palette's dialog (Ctrl+K), loaded the first time it opens (CommandPalette.tsx): every command enabled now, by its snap-in name, with its shortcut;
 * type to narrow, arrow keys to choose, Enter or a click to run. A Fluent dialog with a search box
 * and a listbox (the search box owns the focus and points at the active option).
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react'
import { Dialog, DialogBody, DialogSurface, DialogTitle, SearchBox, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import { availableCommands, matchesQuery, shortcutText } from '../lib/commands'
import { PALETTE_COMMAND_ID, commandState } from './commands'
import { COMMANDS } from './registry'

const useStyles = makeStyles({
  surface: { maxWidth: '560px', alignSelf: 'start', marginTop: '10vh' },
  list: { maxHeight: '50vh', overflowY: 'auto', marginTop: '8px', display: 'flex', flexDirection: 'column' },
  option: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    padding: '6px 8px',
    borderRadius: tokens.borderRadiusMedium,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected, outline: `2px solid ${tokens.colorStrokeFocus2}` },
  label: { flexGrow: 1 },
  keys: { color: tokens.colorNeutralForeground3, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  empty: { padding: '6px 8px', color: tokens.colorNeutralForeground3 },
})

export default function Palette({ onClose }: { onClose: () => void }) {
  const s = useStyles()
  const id = useId()
  // The state when the palette opened: what is enabled is decided once, as the menu bar would.
  const [state] = useState(commandState)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const offered = useMemo(() => availableCommands(COMMANDS, state).filter((c) => c.id !== PALETTE_COMMAND_ID), [state])
  const shown = useMemo(() => offered.filter((c) => matchesQuery(c.label, query)), [offered, query])
  const current = Math.min(active, shown.length - 1)

  const runAt = (i: number) => {
    const c = shown[i]
    if (!c) return
    onClose()
    // With the palette closed, so a dialog the command opens gets the focus.
    void c.run(commandState())
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive(Math.min(shown.length - 1, current + 1))
    else if (e.key === 'ArrowUp') setActive(Math.max(0, current - 1))
    else if (e.key === 'Home' && e.ctrlKey) setActive(0)
    else if (e.key === 'End' && e.ctrlKey) setActive(shown.length - 1)
    else if (e.key === 'Enter') runAt(current)
    else return
    e.preventDefault()
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} aria-label="Command palette">
        <DialogBody style={{ display: 'block' }}>
          <DialogTitle as="h2">Command palette</DialogTitle>
          <SearchBox
            autoFocus
            style={{ width: '100%', marginTop: '8px' }}
            placeholder="Type a command: Create New Rule..., Export policy, Review policy..."
            aria-label="Search commands"
            aria-controls={`${id}-list`}
            aria-activedescendant={current >= 0 ? `${id}-${current}` : undefined}
            value={query}
            onChange={(_, d) => {
              setQuery(d.value)
              setActive(0)
            }}
            onKeyDown={onKeyDown}
          />
          <div id={`${id}-list`} role="listbox" aria-label="Commands" className={s.list}>
            {shown.map((c, i) => {
              const keys = shortcutText(c)
              const Icon = c.icon
              return (
                <div
                  key={c.id}
                  id={`${id}-${i}`}
                  role="option"
                  aria-selected={i === current}
                  className={mergeClasses(s.option, i === current && s.active)}
                  onMouseMove={() => setActive(i)}
                  onClick={() => runAt(i)}
                >
                  <span aria-hidden style={{ width: 20, display: 'inline-flex' }}>
                    {Icon && <Icon />}
                  </span>
                  <span className={s.label}>{c.label}</span>
                  {keys && (
                    <kbd className={s.keys} aria-hidden>
                      {keys}
                    </kbd>
                  )}
                </div>
              )
            })}
          </div>
          {shown.length === 0 && (
            <Text className={s.empty} role="status">
              No enabled command matches "{query}".
            </Text>
          )}
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
