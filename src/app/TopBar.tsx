import { useEffect, useId } from 'react'
import { Button, Text, Toolbar, makeStyles, tokens } from '@fluentui/react-components'
import { SearchRegular, WeatherMoonRegular, WeatherSunnyRegular } from '@fluentui/react-icons'
import { ruleCount } from '../applocker/policy'
import { useDocument } from '../store/document'
import { isUnsaved, usePersistence, type SaveState } from '../store/persistence'
import { useUi } from '../store/ui'
import { ImportPolicy } from '../features/document/ImportPolicy'
import { ExportPolicy } from '../features/document/ExportPolicy'
import { NewPolicy } from '../features/document/NewPolicy'
import { redoCommand, undoCommand } from '../features/document/commands'
import { CommandButton, ToolbarSeparator } from '../ui/CommandBar'
import { WithTooltip, usePopups } from '../ui/popups'
import { usePalette } from './commands'
import { preloadPalette } from './CommandPalette'
import { chooseTheme } from './theme'
import { TOP_BAR_ACTIONS } from './topBarActions'
import { plural } from '../lib/plural'

const useStyles = makeStyles({
  bar: { display: 'flex', flexDirection: 'column', gap: '4px', padding: '6px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1 },
  head: { display: 'flex', alignItems: 'center', gap: '12px' },
  title: { display: 'flex', flexDirection: 'column', minWidth: 0, flexShrink: 1 },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  status: { marginLeft: 'auto', color: tokens.colorNeutralForeground3 },
  warn: { marginLeft: 'auto', color: tokens.colorPaletteRedForeground1 },
})

/** The status line: where the policy is kept, its size, whether it was exported. Says "not saved" whenever it is not. */
function statusText(save: SaveState, rules: number, dirty: boolean): string {
  const tail = ` · ${plural(rules, 'rule')}${dirty ? ' · not exported' : ''}`
  switch (save.kind) {
    case 'opening':
      return 'opening the policy saved in this browser...'
    case 'saving':
      return `saving in this browser...${tail}`
    case 'saved':
      return `saved in this browser${tail}`
    case 'not-saved':
      return save.message
    case 'held':
      return `not saved: an unreadable saved policy is kept in its place until you download or delete it${tail}`
    case 'conflict':
      return `not saved: another tab saved a newer version${tail}`
    case 'copy':
      return `not saved: a copy in this tab only; export it to keep it${tail}`
  }
}

/** The command palette's button: its tooltip (once its code is there, popups.tsx) or the same text as its description. */
function PaletteButton() {
  const { parts, slot } = usePopups()
  const describedBy = useId()
  const tip = 'Command palette (Ctrl+K)'
  const button = (
    <Button
      {...slot}
      appearance="subtle"
      icon={<SearchRegular />}
      aria-label="Command palette"
      aria-describedby={parts ? undefined : describedBy}
      onPointerEnter={preloadPalette}
      onFocus={preloadPalette}
      onClick={() => usePalette.setState({ open: true })}
    />
  )
  return (
    <WithTooltip parts={parts} tip={tip} describedBy={describedBy}>
      {button}
    </WithTooltip>
  )
}

export function TopBar() {
  const s = useStyles()
  const name = useDocument((d) => d.name)
  const dirty = useDocument((d) => d.dirty)
  const rules = useDocument((d) => ruleCount(d.policy))
  // Undo and Redo read the history (enabled, tooltip): from the command records.
  const document = useDocument()
  const theme = useUi((u) => u.theme)
  const save = usePersistence((p) => p.save)
  const unsaved = isUnsaved(save)
  // The browser does not hold the latest edits: leaving the page must not lose them without a warning.
  useEffect(() => {
    if (!unsaved) return
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault()
      e.returnValue = 'The policy is not saved in this browser.'
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [unsaved])
  return (
    <div className={s.bar}>
      <div className={s.head}>
        <div className={s.title}>
          <Text weight="semibold" size={400} className={s.name} title={name}>
            {name}
            {dirty ? '*' : ''}
          </Text>
          <Text size={200}>AppLocker Policy Workbench</Text>
        </div>
        <Text size={200} className={unsaved ? s.warn : s.status} role="status" aria-live="polite" aria-label="Document status">
          {statusText(save, rules, dirty)}
        </Text>
        <PaletteButton />
        <Button
          appearance="subtle"
          icon={theme === 'dark' ? <WeatherSunnyRegular /> : <WeatherMoonRegular />}
          aria-label={theme === 'dark' ? 'Use light theme' : 'Use dark theme'}
          onClick={() => void chooseTheme(theme === 'dark' ? 'light' : 'dark')}
        />
      </div>
      <Toolbar aria-label="Policy actions" size="small" style={{ flexWrap: 'wrap', padding: 0 }}>
        <ImportPolicy />
        <ExportPolicy />
        <NewPolicy />
        {TOP_BAR_ACTIONS.map((A, i) => (
          <A key={i} />
        ))}
        <ToolbarSeparator />
        <CommandButton command={undoCommand} state={{ document }} />
        <CommandButton command={redoCommand} state={{ document }} />
      </Toolbar>
    </div>
  )
}
