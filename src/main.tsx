import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { loadSample } from './app/sample'
import { startPersistence } from './store/persistence'

// The policy saved in this browser, or on a first visit the sample.
void startPersistence().then((opened) => (opened === 'empty' ? loadSample() : undefined))
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
