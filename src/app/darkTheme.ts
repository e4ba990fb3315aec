/** The dark theme's tokens, in their own chunk (theme.ts loads it when the dark theme is chosen). */
export { webDarkTheme } from '@fluentui/react-components'
