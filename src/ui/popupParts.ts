/** The Fluent menu and tooltip parts, in their own chunk: popups.tsx loads it after the first drawing. */
export { Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Tooltip } from '@fluentui/react-components'
