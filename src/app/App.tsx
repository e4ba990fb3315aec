import { Suspense, useEffect, useState } from 'react'
import { FluentProvider, MessageBar, MessageBarActions, MessageBarBody, Button, Spinner, makeStyles, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components'
import { followOtherTabs, useDocument } from '../store/document'
import { useUi } from '../store/ui'
import { CollectionView } from '../features/rules/CollectionView'
import { UnknownCollections } from '../features/rules/UnknownCollections'
import { Nav } from './Nav'
import { TopBar } from './TopBar'
import { COLLECTION_VIEWS, TOOL_VIEWS } from './views'
import { useShortcuts } from './shortcuts'

const useStyles = makeStyles({
  shell: { display: 'grid', gridTemplateRows: 'auto 1fr', gridTemplateColumns: 'clamp(260px, 25vw, 300px) minmax(0, 1fr)', height: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  top: { gridColumn: '1 / 3' },
  nav: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, overflowY: 'auto', backgroundColor: tokens.colorNeutralBackground1 },
  main: { overflow: 'auto', padding: '12px 16px', minWidth: 0, backgroundColor: tokens.colorNeutralBackground1 },
})

function CurrentView() {
  const view = useUi((s) => s.view)
  const collection = COLLECTION_VIEWS.find((v) => v.id === view)
  // Keyed by type: each collection has its own filter, sort and selection, as in the snap-in.
  if (collection) return <CollectionView key={collection.type} type={collection.type} />
  const tool = TOOL_VIEWS.find((v) => v.id === view)
  if (tool) {
    const View = tool.component
    return (
      <Suspense fallback={<Spinner label={`Loading ${tool.label}...`} />}>
        <View />
      </Suspense>
    )
  }
  return <CollectionView type="Exe" />
}

export function App() {
  const theme = useUi((s) => s.theme)
  const s = useStyles()
  useShortcuts()
  const name = useDocument((d) => d.name)
  const [external, setExternal] = useState<string | null>(null)
  useEffect(() => followOtherTabs((n) => setExternal(`"${n}" was changed in another tab of this app; this tab now shows that version.`)), [])
  useEffect(() => {
    document.title = `${name} - AppLocker Policy Workbench`
  }, [name])
  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} style={{ height: '100%' }}>
      <div className={s.shell}>
        <header className={s.top}>
          <TopBar />
        </header>
        <nav className={s.nav} aria-label="Policy navigation">
          <Nav />
        </nav>
        <main className={s.main}>
          {external && (
            <MessageBar intent="warning" role="alert">
              <MessageBarBody>{external}</MessageBarBody>
              <MessageBarActions>
                <Button onClick={() => setExternal(null)}>Dismiss</Button>
              </MessageBarActions>
            </MessageBar>
          )}
          <UnknownCollections />
          <CurrentView />
        </main>
      </div>
    </FluentProvider>
  )
}
