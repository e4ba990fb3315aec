/** UI state that is not part of the document: the current view, theme. */
import { create } from 'zustand'
import { persist } from 'zustand/middleware'

/** A view id: a rule collection ("collection:Exe") or a tool ("tool:simulate"). */
export type ViewId = string

export interface UiState {
  view: ViewId
  theme: 'light' | 'dark'
  setView: (view: ViewId) => void
  setTheme: (theme: 'light' | 'dark') => void
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      view: 'collection:Exe',
      theme: 'light',
      setView: (view) => set({ view }),
      setTheme: (theme) => set({ theme }),
    }),
    { name: 'applocker-workbench.ui', version: 1 },
  ),
)
