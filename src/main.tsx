import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { loadSample } from './app/sample'
import { startPersistence } from './store/persistence'
import { loadCollectionView, loadUnknownCollections } from './app/views'

// The policy saved in this browser, or on a first visit the sample. The app is drawn once it is
// open: a click made earlier (New policy, an import) would otherwise be overwritten by it.
// The rule list's code loads meanwhile (its own chunk), so the first drawing shows it, not a spinner.
const root = createRoot(document.getElementById('root')!)
const views = Promise.all([loadCollectionView(), loadUnknownCollections()]).catch(() => undefined)
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
