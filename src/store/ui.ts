/** UI state that is not part of the document: the current view, theme. */
import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import type { CollectionType } from '../applocker/policy'

/** A request to show one rule in its collection's list (from Review policy, for example). */
export interface RevealRule {
  type: CollectionType
  /** Index of the rule in its collection. */
  ruleIndex: number
  /** Distinguishes two requests for the same rule. */
  nonce: number
}

/** A view id: a rule collection ("collection:Exe") or a tool ("tool:simulate"). */
export type ViewId = string

export interface UiState {
  view: ViewId
  theme: 'light' | 'dark'
  setView: (view: ViewId) => void
  setTheme: (theme: 'light' | 'dark') => void
  reveal: RevealRule | null
  /** Opens the collection and selects the rule, scrolled into view. */
  showRule: (type: CollectionType, ruleIndex: number) => void
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      view: 'collection:Exe',
      theme: 'light',
      setView: (view) => set({ view }),
      setTheme: (theme) => set({ theme }),
      reveal: null,
      showRule: (type, ruleIndex) => set((u) => ({ view: `collection:${type}`, reveal: { type, ruleIndex, nonce: (u.reveal?.nonce ?? 0) + 1 } })),
    }),
    { name: 'applocker-workbench.ui', version: 1, partialize: (u) => ({ view: u.view, theme: u.theme }) },
  ),
)
