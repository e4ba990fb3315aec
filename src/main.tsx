import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { loadSample } from './app/sample'
import { startPersistence } from './store/persistence'

// The policy saved in this browser, or on a first visit the sample. The app is drawn once it is
// open: a click made earlier (New policy, an import) would otherwise be overwritten by it.
const root = createRoot(document.getElementById('root')!)
void startPersistence()
  .then((opened) => (opened === 'empty' ? loadSample() : undefined))
  .finally(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  )
