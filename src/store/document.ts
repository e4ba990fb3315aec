/**
 * The open policy document: the policy, its name, undo/redo history, and autosave in the browser.
 * Every edit is a pure core function (Policy -> Policy) applied through `apply`, so undo is free.
 */
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { Policy } from '../applocker/policy'

const HISTORY_LIMIT = 200
export const DOCUMENT_STORAGE_KEY = 'applocker-workbench.document'

/** Set when the browser refused to store the document; the shell shows it. */
export const storageStatus = { lastError: null as string | null, listeners: new Set<() => void>() }

function reportStorage(error: string | null): void {
  storageStatus.lastError = error
  storageStatus.listeners.forEach((l) => l())
}

const refusal = (e: unknown) => `This browser refused to store the policy (${e instanceof Error ? e.name : 'error'}); export it to keep your edits.`

/*
 * localStorage holds a few megabytes: about 10,000 rules. A larger policy goes to IndexedDB and
 * localStorage keeps a small pointer to it, so a reload still finds it and another tab still hears
 * of the change (the pointer's stamp changes, which fires the 'storage' event).
 */
const IDB_POINTER = '__indexedDb'
const IDB_NAME = 'applocker-workbench'
const IDB_STORE = 'documents'

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(IDB_NAME, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(IDB_STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function idb<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, mode)
      const req = run(tx.objectStore(IDB_STORE))
      tx.oncomplete = () => resolve(req.result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

function isPointer(value: string | null): boolean {
  return value !== null && value.startsWith(`{"${IDB_POINTER}"`)
}

/** Browser storage that never throws: what cannot be stored is reported, and the edit still happens. */
const documentStorage = {
  getItem: (key: string): string | null | Promise<string | null> => {
    let value: string | null
    try {
      value = localStorage.getItem(key)
    } catch {
      return null
    }
    if (!isPointer(value)) return value
    return idb<string | undefined>('readonly', (st) => st.get(key)).then(
      (v) => v ?? null,
      () => null,
    )
  },
  setItem: (key: string, value: string) => {
    try {
      localStorage.setItem(key, value)
      reportStorage(null)
      return
    } catch (e) {
      if (typeof indexedDB === 'undefined') return reportStorage(refusal(e))
    }
    // Too large for localStorage: the document in IndexedDB, then the pointer (so readers find it complete).
    const pointer = JSON.stringify({ [IDB_POINTER]: `${Date.now()}-${Math.random()}` })
    return idb('readwrite', (st) => st.put(value, key)).then(
      () => {
        try {
          localStorage.setItem(key, pointer)
          reportStorage(null)
        } catch (e) {
          reportStorage(refusal(e))
        }
      },
      (e) => reportStorage(refusal(e)),
    )
  },
  removeItem: (key: string) => {
    try {
      localStorage.removeItem(key)
    } catch {
      /* nothing to remove */
    }
  },
}

export interface DocumentState {
  policy: Policy
  /** Display name, usually the imported file's name. */
  name: string
  /** Whether there are edits since the last export / new / import. */
  dirty: boolean
  /** Incremented on every change; lets other views (and other tabs) notice updates. */
  revision: number
  past: { policy: Policy; label: string }[]
  future: { policy: Policy; label: string }[]
  /** The label of the latest edit, for the status line and the undo button's tooltip. */
  lastLabel: string | null
  /** Apply one named edit. A no-op edit (same object back) records nothing. */
  apply: (label: string, edit: (p: Policy) => Policy) => void
  /** Replace the whole policy (import, new). Undoable like any edit. */
  replace: (policy: Policy, name: string, label: string) => void
  undo: () => void
  redo: () => void
  markSaved: () => void
  rename: (name: string) => void
}

export const useDocument = create<DocumentState>()(
  persist(
    (set, get) => ({
      policy: { version: '1', collections: [] },
      name: 'Untitled policy',
      dirty: false,
      revision: 0,
      past: [],
      future: [],
      lastLabel: null,
      apply: (label, edit) => {
        const { policy, past, revision } = get()
        const next = edit(policy)
        if (next === policy) return
        set({
          policy: next,
          past: [...past.slice(-(HISTORY_LIMIT - 1)), { policy, label }],
          future: [],
          dirty: true,
          revision: revision + 1,
          lastLabel: label,
        })
      },
      replace: (policy, name, label) => {
        const s = get()
        set({
          policy,
          name,
          past: [...s.past.slice(-(HISTORY_LIMIT - 1)), { policy: s.policy, label }],
          future: [],
          dirty: false,
          revision: s.revision + 1,
          lastLabel: label,
        })
      },
      undo: () => {
        const { past, future, policy, revision } = get()
        const prev = past[past.length - 1]
        if (!prev) return
        set({
          policy: prev.policy,
          past: past.slice(0, -1),
          future: [{ policy, label: prev.label }, ...future],
          dirty: true,
          revision: revision + 1,
          lastLabel: `Undo ${prev.label}`,
        })
      },
      redo: () => {
        const { past, future, policy, revision } = get()
        const next = future[0]
        if (!next) return
        set({
          policy: next.policy,
          past: [...past, { policy, label: next.label }],
          future: future.slice(1),
          dirty: true,
          revision: revision + 1,
          lastLabel: next.label,
        })
      },
      markSaved: () => set({ dirty: false }),
      rename: (name) => set({ name }),
    }),
    {
      name: DOCUMENT_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => documentStorage),
      // The history is kept for the session only: a reload restores the policy, not 200 copies of it.
      // Not the revision either: a tab that follows another tab's save bumps its own revision, and
      // writing that back would wake the other tab again, back and forth.
      partialize: (s) => ({ policy: s.policy, name: s.name, dirty: s.dirty }),
    },
  ),
)

/** True when the browser holds a saved document (so the app opens it instead of the sample). */
export function hasSavedDocument(): boolean {
  try {
    return localStorage.getItem(DOCUMENT_STORAGE_KEY) !== null
  } catch {
    return false
  }
}

/**
 * Another tab of the app saved the document: take its version so neither tab overwrites the
 * other's edits unseen, and tell the caller (the shell shows a message). Returns the unsubscribe.
 */
export function followOtherTabs(onExternalChange: (name: string) => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key !== DOCUMENT_STORAGE_KEY || e.newValue === null) return
    void Promise.resolve(useDocument.persist.rehydrate()).then(() => {
      // The undo history belonged to the version this tab had; it no longer applies.
      useDocument.setState((s) => ({ past: [], future: [], lastLabel: null, revision: s.revision + 1 }))
      onExternalChange(useDocument.getState().name)
    })
  }
  window.addEventListener('storage', onStorage)
  return () => window.removeEventListener('storage', onStorage)
}
