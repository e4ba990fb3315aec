import { Suspense, lazy, useEffect, useState } from 'react'
import { FluentProvider, makeStyles, tokens } from '@fluentui/react-components'
import { useDocument } from '../store/document'
import { useUi } from '../store/ui'
import { loadCollectionView, loadUnknownCollections } from './views'
import { usePersistence } from '../store/persistence'
import { MountOnce } from '../ui/MountOnce'
import { ErrorBoundary } from './ErrorBoundary'
import { Nav } from './Nav'
import { TopBar } from './TopBar'
import { COLLECTION_VIEWS, TOOL_VIEWS } from './views'
import { useShortcuts } from './shortcuts'
import { useTheme } from './theme'
import { CommandPalette } from './CommandPalette'

// The rule list loads as its own chunk, started at boot beside the saved policy (main.tsx), so the
// first load stays small and the first drawing does not wait for it longer than for the policy.
const CollectionView = lazy(() => loadCollectionView().then((m) => ({ default: m.CollectionView })))
// What the shell says about the copy saved in this browser (another tab's change, unreadable saves): loaded
// when there is something to say.
const SavedDocumentNotices = lazy(() => import('../features/document/SavedDocumentNotices').then((m) => ({ default: m.SavedDocumentNotices })))
const UnknownCollections = lazy(() => loadUnknownCollections().then((m) => ({ default: m.UnknownCollections })))

const useStyles = makeStyles({
  shell: {
    display: 'grid',
    gridTemplateRows: 'auto 1fr',
    gridTemplateColumns: 'clamp(260px, 25vw, 300px) minmax(0, 1fr)',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  top: { gridColumn: '1 / 3' },
  nav: {
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  loading: { padding: '8px 0', color: tokens.colorNeutralForeground3 },
  main: {
    overflow: 'auto',
    padding: '12px 16px',
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
  },
})

/** While a view's code loads (a moment): its words only, so the shell does not carry a spinner's code. */
function Loading({ label }: { label: string }) {
  return (
    <div role="status" className={useStyles().loading}>
      {label}
    </div>
  )
}

/**
 * The document (epoch) the rule list is drawn for: a new document's list is drawn one task after the old
 * one is taken down. Both in one task held the page 60-100 ms when a 50,000-rule policy opened; the
 * list's place says "Loading the rules..." in between, for a frame.
 */
function useDrawnEpoch(epoch: number): number {
  const [drawn, setDrawn] = useState(epoch)
  useEffect(() => {
    if (drawn === epoch) return
    const id = setTimeout(() => setDrawn(epoch), 0)
    return () => clearTimeout(id)
  }, [drawn, epoch])
  return drawn
}

function CurrentView() {
  const view = useUi((s) => s.view)
  // A view belongs to one document: after an import or New policy its selection, filter and messages start afresh.
  const epoch = useDocument((d) => d.epoch)
  const drawn = useDrawnEpoch(epoch)
  const collection = COLLECTION_VIEWS.find((v) => v.id === view)
  if ((collection || !TOOL_VIEWS.some((v) => v.id === view)) && drawn !== epoch) return <Loading label="Loading the rules..." />
  // Keyed by type: each collection has its own filter, sort and selection, as in the snap-in.
  if (collection)
    return (
      <Suspense fallback={<Loading label="Loading the rules..." />}>
        <CollectionView key={`${collection.type}-${epoch}`} type={collection.type} />
      </Suspense>
    )
  const tool = TOOL_VIEWS.find((v) => v.id === view)
  if (tool) {
    const View = tool.component
    return (
      <Suspense fallback={<Loading label={`Loading ${tool.label}...`} />}>
        <View />
      </Suspense>
    )
  }
  return (
    <Suspense fallback={<Loading label="Loading the rules..." />}>
      <CollectionView key={`Exe-${epoch}`} type="Exe" />
    </Suspense>
  )
}

export function App() {
  const theme = useTheme()
  const s = useStyles()
  const notices = usePersistence((p) => p.save.kind === 'conflict' || p.external !== null || p.unreadable.length > 0)
  useShortcuts()
  const name = useDocument((d) => d.name)
  const dirty = useDocument((d) => d.dirty)
  useEffect(() => {
    document.title = `${name}${dirty ? '*' : ''} - AppLocker Policy Workbench`
  }, [name, dirty])
  return (
    <ErrorBoundary>
      <FluentProvider theme={theme} style={{ height: '100%' }}>
        <div className={s.shell}>
          <header className={s.top}>
            <TopBar />
          </header>
          <nav className={s.nav} aria-label="Policy navigation">
            <Nav />
          </nav>
          <main className={s.main}>
            <MountOnce when={notices}>
              <SavedDocumentNotices />
            </MountOnce>
            <Suspense fallback={null}>
              <UnknownCollections />
            </Suspense>
            <CurrentView />
          </main>
          <CommandPalette />
        </div>
      </FluentProvider>
    </ErrorBoundary>
  )
}
