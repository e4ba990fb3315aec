import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { loadSample } from './app/sample'
import { startPersistence } from './store/persistence'
import { loadCollectionView, loadUnknownCollections } from './app/views'
import { loadDarkTheme } from './app/theme'
import { useUi } from './store/ui'

// The policy saved in this browser, or on a first visit the sample. The app is drawn once it is
// open: a click made earlier (New policy, an import) would otherwise be overwritten by it.
// The rule list's code loads meanwhile (its own chunk), so the first drawing shows it, not a spinner.
const root = createRoot(document.getElementById('root')!)
// The dark theme's tokens, when that is the saved choice, load before the first drawing too (no light flash).
const views = Promise.all([loadCollectionView(), loadUnknownCollections(), useUi.getState().theme === 'dark' ? loadDarkTheme() : null]).catch(() => undefined)
void startPersistence()
  .then((opened) => (opened === 'empty' ? loadSample() : undefined))
  .finally(() => views)
  .finally(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  )
