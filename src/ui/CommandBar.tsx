/**
 * Renders command records (src/lib/commands.ts) as toolbar buttons and menus: a command with
 * `menu` joins the menu of that name (one button, one item per command), a change of `section`
 * draws a divider, and the description and shortcut become the tooltip. The menu and tooltip code loads just
 * after the first drawing (popups.tsx).
 */
import { Fragment, useId, useState, type ReactNode } from 'react'
import { Button, makeStyles, tokens } from '@fluentui/react-components'
import { shortcutText, type Command } from '../lib/commands'
import { WithTooltip, loadPopups, usePopups } from './popups'

function tooltipText<S>(c: Command<S>, state: S): string | undefined {
  const d = c.description?.(state)
  const k = c.isEnabled(state) ? shortcutText(c) : undefined
  if (d && k) return `${d} (${k})`
  return d ?? undefined
}

export function CommandButton<S>({ command: c, state }: { command: Command<S>; state: S }) {
  const { parts, slot } = usePopups()
  const describedBy = useId()
  const Icon = c.icon
  const tip = tooltipText(c, state)
  const button = (
    <Button
      {...slot}
      appearance={c.primary ? 'primary' : undefined}
      icon={Icon ? <Icon /> : undefined}
      disabled={!c.isEnabled(state)}
      aria-describedby={tip && !parts ? describedBy : undefined}
      onClick={() => void c.run(state)}
    >
      {c.label}
    </Button>
  )
  if (!tip) return button
  return (
    <WithTooltip parts={parts} tip={tip} describedBy={describedBy}>
      {button}
    </WithTooltip>
  )
}

/**
 * A menu button ("Move to") listing its commands' items; disabled when none is enabled. `onIntent` runs when
 * the user shows intent (the pointer enters the button, it gets the focus, the menu opens): the items' code
 * can start loading then, so the first click on an item does not wait for it.
 */
export function CommandMenu<S>({ name, commands, state, onIntent }: { name: string; commands: Command<S>[]; state: S; onIntent?: () => void }) {
  const { parts, slot } = usePopups()
  // A click (or Enter, Space, Arrow Down) before the menu's code is there opens the menu once it is.
  const [openWhenLoaded, setOpenWhenLoaded] = useState(false)
  const Icon = commands[0]?.icon
  const disabled = !commands.some((c) => c.isEnabled(state))
  const intent = () => {
    onIntent?.()
    void loadPopups()
  }
  if (!parts) {
    const open = () => {
      intent()
      setOpenWhenLoaded(true)
    }
    return (
      <Button
        {...slot}
        icon={Icon ? <Icon /> : undefined}
        disabled={disabled}
        aria-haspopup="menu"
        aria-expanded={false}
        onPointerEnter={intent}
        onFocus={intent}
        onClick={open}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown') return
          e.preventDefault()
          open()
        }}
      >
        {name}
      </Button>
    )
  }
  const { Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } = parts
  return (
    <Menu defaultOpen={openWhenLoaded} onOpenChange={(_, d) => d.open && onIntent?.()}>
      <MenuTrigger disableButtonEnhancement>
        <Button {...slot} icon={Icon ? <Icon /> : undefined} disabled={disabled} onPointerEnter={onIntent} onFocus={onIntent}>
          {name}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {commands.map((c) => (
            <MenuItem key={c.id} disabled={!c.isEnabled(state)} onClick={() => void c.run(state)}>
              {c.menu?.item ?? c.label}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  )
}

const useSeparatorStyles = makeStyles({
  root: { alignSelf: 'stretch', flexShrink: 0, width: '1px', margin: `6px ${tokens.spacingHorizontalXS}`, backgroundColor: tokens.colorNeutralStroke2 },
})

/**
 * A vertical line between groups of a toolbar (what Fluent's ToolbarDivider draws, without its
 * Divider package in the first load): a separator to assistive technology, skipped by arrow keys.
 */
export function ToolbarSeparator() {
  const s = useSeparatorStyles()
  return <div role="separator" aria-orientation="vertical" className={s.root} />
}

/** The commands in order, as buttons and menus, with dividers between sections. */
export function CommandBar<S>({ commands, state }: { commands: readonly Command<S>[]; state: S }) {
  const shown = commands.filter((c) => c.isVisible?.(state) ?? true)
  const out: ReactNode[] = []
  let section: string | undefined
  for (let i = 0; i < shown.length; i++) {
    const c = shown[i]
    if (i > 0 && c.section !== section) out.push(<ToolbarSeparator key={`divider-${c.id}`} />)
    section = c.section
    if (c.menu) {
      const name = c.menu.name
      const group: Command<S>[] = [c]
      while (i + 1 < shown.length && shown[i + 1].menu?.name === name) group.push(shown[++i])
      out.push(<CommandMenu key={`menu-${name}`} name={name} commands={group} state={state} />)
    } else {
      out.push(<CommandButton key={c.id} command={c} state={state} />)
    }
  }
  return <Fragment>{out}</Fragment>
}
