/**
 * The open policy document: the policy, its name, undo/redo history.
 * Every edit is a pure core function (Policy -> Policy) applied through `apply`, so undo is free.
 * Saving in the browser (and following other tabs) is persistence.ts's job; it watches this store.
 */
import { create } from 'zustand'
import type { Policy } from '../applocker/policy'

const HISTORY_LIMIT = 200
export const DOCUMENT_STORAGE_KEY = 'applocker-workbench.document'

/** One step of the history: the document as it was before (or after, for redo) a named edit. */
export interface HistoryEntry {
  policy: Policy
  label: string
  name: string
  clean: Policy | null
  epoch: number
}

export interface DocumentState {
  policy: Policy
  /** Display name, usually the imported file's name. */
  name: string
  /** Whether the policy differs from the one last imported, exported or created (title "*", "not exported"). */
  dirty: boolean
  /** The policy as last imported, exported or created; null when unknown (a save that was not exported). */
  clean: Policy | null
  /** Incremented on every change; lets other views notice updates. */
  revision: number
  /**
   * Which document is open: changes when another policy is imported or created (and when undo or redo
   * crosses such a step). Views keyed by it drop what belonged to the previous policy (selection, messages).
   */
  epoch: number
  /** The highest epoch given out so far (undo may go back to an older one; a new document takes the next). */
  lastEpoch: number
  past: HistoryEntry[]
  future: HistoryEntry[]
  /** The label of the latest edit, for the status line and the undo button's tooltip. */
  lastLabel: string | null
  /** Apply one named edit. A no-op edit (same object back) records nothing. */
  apply: (label: string, edit: (p: Policy) => Policy) => void
  /** Replace the whole policy (import, new): another document. Undoable like any edit. */
  replace: (policy: Policy, name: string, label: string) => void
  /**
   * Take a version saved elsewhere (another tab, "Keep theirs") as the open document. Undoable:
   * Undo brings back what this tab had.
   */
  adopt: (policy: Policy, name: string, dirty: boolean, label: string) => void
  undo: () => void
  redo: () => void
  /**
   * A policy was exported (the open one unless given): it is the clean state now. An export written
   * in a Worker names the policy it wrote; edits made meanwhile stay unsaved.
   */
  markSaved: (exported?: Policy) => void
  rename: (name: string) => void
}

/**
 * The document as it is at a history entry (undo, redo). Within one document the last export stays the
 * clean state; undo or redo into another document takes that one's.
 */
function moveTo(s: DocumentState, to: HistoryEntry) {
  const clean = to.epoch === s.epoch ? s.clean : to.clean
  return { policy: to.policy, name: to.name, clean, dirty: to.policy !== clean, epoch: to.epoch, revision: s.revision + 1 }
}

export const useDocument = create<DocumentState>()((set, get) => {
  const entry = (s: DocumentState, label: string): HistoryEntry => ({ policy: s.policy, label, name: s.name, clean: s.clean, epoch: s.epoch })
  const pushPast = (s: DocumentState, label: string) => [...s.past.slice(-(HISTORY_LIMIT - 1)), entry(s, label)]
  return {
    policy: { version: '1', collections: [] },
    name: 'Untitled policy',
    dirty: false,
    clean: null,
    revision: 0,
    epoch: 0,
    lastEpoch: 0,
    past: [],
    future: [],
    lastLabel: null,
    apply: (label, edit) => {
      const s = get()
      const next = edit(s.policy)
      if (next === s.policy) return
      set({ policy: next, past: pushPast(s, label), future: [], dirty: next !== s.clean, revision: s.revision + 1, lastLabel: label })
    },
    replace: (policy, name, label) => {
      const s = get()
      set({ policy, name, clean: policy, dirty: false, epoch: s.lastEpoch + 1, lastEpoch: s.lastEpoch + 1, past: pushPast(s, label), future: [], revision: s.revision + 1, lastLabel: label })
    },
    adopt: (policy, name, dirty, label) => {
      const s = get()
      const clean = dirty ? null : policy
      // Another policy under another name is another document; the same one edited elsewhere keeps the views' state.
      const epoch = name === s.name ? s.epoch : s.lastEpoch + 1
      set({ policy, name, clean, dirty, epoch, lastEpoch: Math.max(epoch, s.lastEpoch), past: pushPast(s, label), future: [], revision: s.revision + 1, lastLabel: label })
    },
    undo: () => {
      const s = get()
      const prev = s.past[s.past.length - 1]
      if (!prev) return
      set({ ...moveTo(s, prev), past: s.past.slice(0, -1), future: [entry(s, prev.label), ...s.future], lastLabel: `Undo ${prev.label}` })
    },
    redo: () => {
      const s = get()
      const next = s.future[0]
      if (!next) return
      set({ ...moveTo(s, next), past: [...s.past, entry(s, next.label)], future: s.future.slice(1), lastLabel: next.label })
    },
    markSaved: (exported) =>
      set((s) => {
        const clean = exported ?? s.policy
        return { clean, dirty: s.policy !== clean }
      }),
    rename: (name) => set({ name }),
  }
})

/** Opens a document without history (startup: the saved policy or the sample). */
export function openDocument(policy: Policy, name: string, dirty: boolean): void {
  const s = useDocument.getState()
  useDocument.setState({ policy, name, dirty, clean: dirty ? null : policy, epoch: s.lastEpoch + 1, lastEpoch: s.lastEpoch + 1, past: [], future: [], lastLabel: null, revision: s.revision + 1 })
}

/** Back to the store's first state (tests). */
export function resetDocument(): void {
  useDocument.setState(useDocument.getInitialState(), true)
}
