/**
 * The state of the rule collection view that commands read and change: which collection is shown,
 * the selection, the open dialog and the status line. The view (CollectionView.tsx) renders it;
 * the commands (commands.ts) run against it from the toolbar, the keyboard or the command palette.
 */
import { create } from 'zustand'
import type { CollectionType, Rule } from '../../applocker/policy'

/** The selected rows (by row key) and where a Shift+click range starts. ruleList.ts works on it. */
export interface Selection {
  keys: ReadonlySet<string>
  /** Where a Shift+click range starts. */
  anchor: string | null
}

export const EMPTY_SELECTION: Selection = { keys: new Set(), anchor: null }

export type RulesDialog =
  | { kind: 'rule'; editing: Rule | null }
  | { kind: 'enforcement' }
  | { kind: 'user'; indices: number[] }
  | null

export interface RulesStatus {
  text: string
  /** The edit's undo label when the status offers Undo ("Deleted 3 rules - Undo"). */
  undoLabel?: string
}

export interface RulesViewState {
  /** The collection shown, or null when another view is open. */
  type: CollectionType | null
  selection: Selection
  /** Collection indices of the selected rows that the filters show, ascending (what commands act on). */
  indices: number[]
  dialog: RulesDialog
  status: RulesStatus | null

  /** The view of `type` opens: a fresh selection, no dialog, no status. */
  enter: (type: CollectionType) => void
  leave: (type: CollectionType) => void
  select: (next: Selection | ((cur: Selection) => Selection)) => void
  /** The view reports what its selection means in the rows it shows. */
  setIndices: (indices: number[]) => void
  openDialog: (dialog: RulesDialog) => void
  /** Closes the dialog; its message (if any) goes to the status line. */
  closeDialog: (message?: string) => void
  say: (text: string, undoLabel?: string) => void
}

export const useRulesView = create<RulesViewState>()((set) => ({
  type: null,
  selection: EMPTY_SELECTION,
  indices: [],
  dialog: null,
  status: null,
  enter: (type) => set({ type, selection: EMPTY_SELECTION, indices: [], dialog: null, status: null }),
  leave: (type) => set((s) => (s.type === type ? { type: null, selection: EMPTY_SELECTION, indices: [], dialog: null, status: null } : s)),
  select: (next) => set((s) => ({ selection: typeof next === 'function' ? next(s.selection) : next })),
  setIndices: (indices) => set({ indices }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: (message) => set((s) => ({ dialog: null, status: message ? { text: message } : s.status })),
  say: (text, undoLabel) => set({ status: { text, undoLabel } }),
}))
