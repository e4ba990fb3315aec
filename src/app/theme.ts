/**
 * The light and dark themes. The dark theme's tokens load only when it is chosen: main.tsx loads them before
 * the first drawing when the saved choice is dark (no flash of the light theme), and the theme switch loads them
 * before it switches.
 */
import { useEffect, useState } from 'react'
import { webLightTheme, type Theme } from '@fluentui/react-components'
import { useUi } from '../store/ui'

let dark: Theme | null = null
let loading: Promise<Theme> | null = null

export function loadDarkTheme(): Promise<Theme> {
  loading ??= import('./darkTheme').then(
    (m) => (dark = m.webDarkTheme),
    (e: unknown) => {
      loading = null
      throw e
    },
  )
  return loading
}

/** Switches to `theme` once its tokens are there. */
export async function chooseTheme(theme: 'light' | 'dark'): Promise<void> {
  if (theme === 'dark') await loadDarkTheme()
  useUi.getState().setTheme(theme)
}

/** The Fluent theme to draw with: the chosen one (the light one only while the dark tokens still load). */
export function useTheme(): Theme {
  const choice = useUi((s) => s.theme)
  const [, setLoaded] = useState(dark)
  useEffect(() => {
    if (choice === 'dark' && !dark) void loadDarkTheme().then(setLoaded)
  }, [choice])
  return choice === 'dark' && dark ? dark : webLightTheme
}
