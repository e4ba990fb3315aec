/**
 * The views of the shell, in navigation order. A feature plugs in here with one entry; the shell
 * (App.tsx) renders the navigation and the selected view from this list. Tool views load lazily so
 * the first load stays small.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import { COLLECTION_TYPES, type CollectionType } from '../applocker/policy'

export interface ToolView {
  id: string
  label: string
  component: LazyExoticComponent<ComponentType> | ComponentType
}

export function collectionViewId(type: CollectionType): string {
  return `collection:${type}`
}

export const COLLECTION_VIEWS = COLLECTION_TYPES.map((type) => ({ id: collectionViewId(type), type }))

/** Tools below the collections, as UX.md lays them out. */
export const TOOL_VIEWS: ToolView[] = [
  // { id: 'tool:test', label: 'Test a file', component: lazy(() => import('../features/testfile/TestFileView')) },
  { id: 'tool:test', label: 'Test a file', component: lazy(() => import('../features/testfile/TestFileView')) },
  { id: 'tool:simulate', label: 'Inventory simulation', component: lazy(() => import('../features/simulate/SimulateView')) },
  { id: 'tool:review', label: 'Review policy', component: lazy(() => import('../features/review/ReviewView')) },
  { id: 'tool:deploy', label: 'Deploy...', component: lazy(() => import('../features/deploy/DeployView')) },
]

/** The rule collections' view and the unknown-collections notice: loaded on demand, started at boot (main.tsx). */
let collectionView: Promise<typeof import('../features/rules/CollectionView')> | null = null
export const loadCollectionView = () => (collectionView ??= import('../features/rules/CollectionView'))
let unknownCollections: Promise<typeof import('../features/rules/UnknownCollections')> | null = null
export const loadUnknownCollections = () => (unknownCollections ??= import('../features/rules/UnknownCollections'))

// Keeps `lazy` imported for the entries above.
export const lazyView = lazy
