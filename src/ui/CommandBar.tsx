/**
 * Renders command records (src/lib/commands.ts) as toolbar buttons and menus: a command with
 * `menu` joins the menu of that name (one button, one item per command), a change of `section`
 * draws a divider, and the description and shortcut become the tooltip.
 */
import { Fragment, type ReactNode } from 'react'
import { Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, ToolbarDivider, Tooltip } from '@fluentui/react-components'
import { shortcutText, type Command } from '../lib/commands'

function tooltipText<S>(c: Command<S>, state: S): string | undefined {
  const d = c.description?.(state)
  const k = c.isEnabled(state) ? shortcutText(c) : undefined
  if (d && k) return `${d} (${k})`
  return d ?? undefined
}

export function CommandButton<S>({ command: c, state }: { command: Command<S>; state: S }) {
  const Icon = c.icon
  const button = (
    <Button appearance={c.primary ? 'primary' : undefined} icon={Icon ? <Icon /> : undefined} disabled={!c.isEnabled(state)} onClick={() => void c.run(state)}>
      {c.label}
    </Button>
  )
  const tip = tooltipText(c, state)
  return tip ? (
    <Tooltip content={tip} relationship="description">
      {button}
    </Tooltip>
  ) : (
    button
  )
}

/**
 * A menu button ("Move to") listing its commands' items; disabled when none is enabled. `onIntent` runs when
 * the user shows intent (the pointer enters the button, it gets the focus, the menu opens): the items' code
 * can start loading then, so the first click on an item does not wait for it.
 */
export function CommandMenu<S>({ name, commands, state, onIntent }: { name: string; commands: Command<S>[]; state: S; onIntent?: () => void }) {
  const Icon = commands[0]?.icon
  return (
    <Menu onOpenChange={(_, d) => d.open && onIntent?.()}>
      <MenuTrigger disableButtonEnhancement>
        <Button icon={Icon ? <Icon /> : undefined} disabled={!commands.some((c) => c.isEnabled(state))} onPointerEnter={onIntent} onFocus={onIntent}>
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

/** The commands in order, as buttons and menus, with dividers between sections. */
export function CommandBar<S>({ commands, state }: { commands: readonly Command<S>[]; state: S }) {
  const shown = commands.filter((c) => c.isVisible?.(state) ?? true)
  const out: ReactNode[] = []
  let section: string | undefined
  for (let i = 0; i < shown.length; i++) {
    const c = shown[i]
    if (i > 0 && c.section !== section) out.push(<ToolbarDivider key={`divider-${c.id}`} />)
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
