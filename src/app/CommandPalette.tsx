/**
 * The command palette (Ctrl+K): every command enabled now, by its snap-in name, with its shortcut; type to
 * narrow, arrow keys to choose, Enter or a click to run. Its dialog (PaletteDialog.tsx) loads the first time it
 * opens; the button in the top bar starts loading it when the pointer or the focus comes to it.
 */
import { Suspense, lazy } from 'react'
import { usePalette } from './commands'

const loadPalette = () => import('./PaletteDialog')
const Palette = lazy(loadPalette)

/** Starts loading the palette's dialog (on intent: the pointer or the focus on its button). */
export function preloadPalette(): void {
  void loadPalette()
}

/** Mounted by the shell; opens with Ctrl+K (the registry's app.palette command). */
export function CommandPalette() {
  const open = usePalette((p) => p.open)
  if (!open) return null
  return (
    <Suspense fallback={null}>
      <Palette onClose={() => usePalette.setState({ open: false })} />
    </Suspense>
  )
}
