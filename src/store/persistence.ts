/**
 * Keeping the open document in this browser, honestly.
 *
 * Where: IndexedDB holds the save (any size) and a revision counter; localStorage holds a small
 * pointer `{"__indexedDb":"...","revision":N}` whose change wakes the other tabs ('storage' event)
 * and whose presence says "there is a saved policy". A browser where IndexedDB cannot be used
 * (touching it throws, or it does not open) keeps the whole save in localStorage instead, which
 * holds about 10,000 rules.
 *
 * Never lost silently:
 * - A save that cannot be read (not JSON, cut short, from a newer version, the wrong shape, a
 *   pointer to nothing) is not opened and not overwritten: its raw text is copied aside
 *   ("unreadable saves", kept until the user downloads or deletes it) and an empty policy opens.
 *   While the copy cannot be kept, nothing is written over the original.
 * - Saves are compare-and-set on the revision: a tab writes only if the stored revision is the one
 *   its document came from. Otherwise another tab saved in between, and this tab asks: keep theirs,
 *   keep mine, or open mine as a copy; its undo history stays either way.
 * - "saved in this browser" is shown only once the IndexedDB transaction has completed (and the
 *   pointer is written); anything else says "not saved" and leaving the page asks first.
 */
import { create } from 'zustand'
import { emptyPolicy } from '../applocker/policy'
import { DOCUMENT_STORAGE_KEY, openDocument, useDocument } from './document'
import { policyJsonBlob } from '../lib/policyJson'
import { readSaveInWorker } from '../lib/readPolicyFile'
import { formatSave, formatSaveBlob, peekRevision, type SavedDocument, type SavedState } from '../lib/savedDocument'

export type SaveState =
  | { kind: 'opening' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  /** The browser refused the write. */
  | { kind: 'not-saved'; message: string }
  /** An unreadable save is in the slot and could not be copied aside: nothing is written over it. */
  | { kind: 'held' }
  /** Another tab saved a newer version while this tab had changes. */
  | { kind: 'conflict'; theirs: SavedDocument }
  /** "Open mine as a copy": this tab's document is its own, not saved in the browser. */
  | { kind: 'copy' }

export interface UnreadableSave {
  id: string
  /** When it was found (ISO time). */
  at: string
  /** What is wrong with it. */
  reason: string
  /** The saved text exactly as it was found. */
  raw: string
  /** Whether the copy is stored in the browser (otherwise only this tab holds it). */
  kept: boolean
}

export interface PersistenceState {
  save: SaveState
  unreadable: UnreadableSave[]
  /** A message about another tab's change, shown until dismissed or another document is opened. */
  external: string | null
}

export const usePersistence = create<PersistenceState>()(() => ({ save: { kind: 'opening' }, unreadable: [], external: null }))

/** Whether leaving the page now would lose what the user has (the shell asks first). */
export function isUnsaved(s: SaveState): boolean {
  return s.kind === 'not-saved' || s.kind === 'held' || s.kind === 'conflict' || s.kind === 'copy'
}

const IDB_NAME = 'applocker-workbench'
const IDB_STORE = 'documents'
const POINTER = '__indexedDb'
const REVISION_KEY = `${DOCUMENT_STORAGE_KEY}#revision`
const UNREADABLE_KEY = `${DOCUMENT_STORAGE_KEY}.unreadable`

const errorName = (e: unknown) => (e instanceof Error ? e.name || e.message : 'error')
const refusal = (e: unknown) => `not saved: this browser refused to store the policy (${errorName(e)}); export it to keep your edits.`

function isPointer(value: string | null): boolean {
  return value !== null && value.startsWith(`{"${POINTER}"`)
}

function pointerRevision(value: string): number | null {
  try {
    const r = (JSON.parse(value) as { revision?: unknown }).revision
    return typeof r === 'number' ? r : null
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Storage primitives

/**
 * This tab's saving bookkeeping: what the UI draws is in usePersistence; what only this module reads
 * is here, in one object (reset by resetPersistence for tests).
 */
interface Bookkeeping {
  db: IDBDatabase | null
  /** Why IndexedDB is not used, when it is not. */
  idbProblem: string | null
  /** The revision the open document was read from or last written as (compare-and-set's expected value). */
  base: number | null
  /** startPersistence has read the save: writing may begin. */
  started: boolean
  /** A change is waiting to be written. */
  pending: boolean
  /** The write loop, while it runs. */
  writing: Promise<void> | null
  /** Set while the store is changed by this module (another tab's version), so it is not written back. */
  following: boolean
  /** Undoes what startPersistence hooked up (the document subscription, the 'storage' listener). */
  unhook: () => void
}

const fresh = (): Bookkeeping => ({ db: null, idbProblem: null, base: null, started: false, pending: false, writing: null, following: false, unhook: () => {} })
const tab: Bookkeeping = fresh()

/** Back to before startPersistence (tests): listeners removed, bookkeeping and usePersistence reset. */
export function resetPersistence(): void {
  tab.unhook()
  tab.db?.close()
  Object.assign(tab, fresh())
  usePersistence.setState(usePersistence.getInitialState(), true)
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    // Hardened browsers throw on merely reading window.indexedDB.
    const req = indexedDB.open(IDB_NAME, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(IDB_STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB did not open'))
    req.onblocked = () => reject(new Error('IndexedDB is blocked'))
  })
}

function idbGet<T>(keys: string[]): Promise<(T | undefined)[]> {
  const d = tab.db
  if (!d) return Promise.reject(new Error('IndexedDB is not available'))
  return new Promise((resolve, reject) => {
    const tx = d.transaction(IDB_STORE, 'readonly')
    const st = tx.objectStore(IDB_STORE)
    const reqs = keys.map((k) => st.get(k) as IDBRequest<T | undefined>)
    tx.oncomplete = () => resolve(reqs.map((r) => r.result))
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB read failed'))
    tx.onabort = () => reject(tx.error ?? new DOMException('The read was aborted', 'AbortError'))
  })
}

/** Writes the save if the stored revision is `expected`; resolves once the transaction has completed. */
function idbCompareAndSet(expected: number | null, revision: number, raw: Blob): Promise<'ok' | 'conflict'> {
  const d = tab.db
  if (!d) return Promise.reject(new Error('IndexedDB is not available'))
  return new Promise((resolve, reject) => {
    const tx = d.transaction(IDB_STORE, 'readwrite')
    const st = tx.objectStore(IDB_STORE)
    let outcome: 'ok' | 'conflict' = 'ok'
    const req = st.get(REVISION_KEY) as IDBRequest<unknown>
    req.onsuccess = () => {
      const current = typeof req.result === 'number' ? req.result : null
      if (current !== expected) {
        outcome = 'conflict'
        return
      }
      st.put(raw, DOCUMENT_STORAGE_KEY)
      st.put(revision, REVISION_KEY)
    }
    tx.oncomplete = () => resolve(outcome)
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'))
    tx.onabort = () => reject(tx.error ?? new DOMException('The write was aborted', 'AbortError'))
  })
}

function lsGet(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

/** What is stored now: the save (a Blob or text; null: nothing stored), its revision, the pointer to it. */
interface Stored {
  raw: Blob | string | null
  revision: number | null
  pointer: string | null
}

async function readStored(): Promise<Stored> {
  const local = lsGet(DOCUMENT_STORAGE_KEY)
  if (tab.db) {
    const [stored, revision] = await idbGet<unknown>([DOCUMENT_STORAGE_KEY, REVISION_KEY])
    const rev = typeof revision === 'number' ? revision : null
    // Saves are stored as Blobs (earlier versions stored strings); the reader Worker reads the Blob.
    const raw = stored instanceof Blob || typeof stored === 'string' ? stored : null
    if (isPointer(local)) return { raw, revision: rev, pointer: local }
    return { raw: local, revision: rev, pointer: null }
  }
  if (isPointer(local)) return { raw: null, revision: pointerRevision(local!), pointer: local }
  return { raw: local, revision: local === null ? null : (peekRevision(local) ?? 0), pointer: null }
}

/** The stored save's text, for the copy kept aside when it cannot be read (the pointer when even its bytes cannot be). */
async function storedText(stored: Stored): Promise<string> {
  if (typeof stored.raw === 'string') return stored.raw
  try {
    return stored.raw ? await stored.raw.text() : (stored.pointer ?? '')
  } catch {
    return stored.pointer ?? ''
  }
}

// ---------------------------------------------------------------------------------------------
// Unreadable saves: copied aside, never dropped without the user's word

async function loadUnreadable(): Promise<UnreadableSave[]> {
  try {
    if (tab.db) {
      const [list] = await idbGet<UnreadableSave[]>([UNREADABLE_KEY])
      return Array.isArray(list) ? list : []
    }
    const raw = lsGet(UNREADABLE_KEY)
    const list: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(list) ? (list as UnreadableSave[]) : []
  } catch {
    return []
  }
}

async function storeUnreadable(list: UnreadableSave[]): Promise<void> {
  const kept = list.filter((u) => u.kept)
  if (tab.db) {
    const d = tab.db
    await new Promise<void>((resolve, reject) => {
      const tx = d.transaction(IDB_STORE, 'readwrite')
      tx.objectStore(IDB_STORE).put(kept, UNREADABLE_KEY)
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'))
      tx.onabort = () => reject(tx.error ?? new DOMException('The write was aborted', 'AbortError'))
    })
    return
  }
  if (kept.length === 0) localStorage.removeItem(UNREADABLE_KEY)
  else localStorage.setItem(UNREADABLE_KEY, JSON.stringify(kept))
}

/**
 * Copies an unreadable save aside. Returns whether it is kept in the browser; if not, only this
 * tab holds it, and the slot it came from must not be written over until the user decides.
 */
export async function keepUnreadable(raw: string, reason: string): Promise<boolean> {
  const current = usePersistence.getState().unreadable
  if (current.some((u) => u.raw === raw)) return current.find((u) => u.raw === raw)!.kept
  const entry: UnreadableSave = { id: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, at: new Date().toISOString(), reason, raw, kept: true }
  let kept = true
  try {
    await storeUnreadable([...current, entry])
  } catch {
    kept = false
  }
  usePersistence.setState((s) => ({ unreadable: [...s.unreadable, { ...entry, kept }] }))
  return kept
}

/** "Delete it": the user is done with an unreadable save. A slot held for it may be written again. */
export async function discardUnreadable(id: string): Promise<void> {
  const rest = usePersistence.getState().unreadable.filter((u) => u.id !== id)
  try {
    await storeUnreadable(rest)
  } catch {
    /* the entry stays stored; it is gone from this tab's list */
  }
  usePersistence.setState({ unreadable: rest })
  if (usePersistence.getState().save.kind === 'held' && rest.every((u) => u.kept)) {
    setSave({ kind: 'saving' })
    scheduleSave()
  }
}

// ---------------------------------------------------------------------------------------------
// Saving

function setSave(save: SaveState): void {
  usePersistence.setState({ save })
}

function snapshot(): SavedState {
  const { policy, name, dirty } = useDocument.getState()
  return { policy, name, dirty }
}

function blocked(): boolean {
  const k = usePersistence.getState().save.kind
  return !tab.started || k === 'held' || k === 'conflict' || k === 'copy'
}

function scheduleSave(): void {
  if (blocked()) return
  tab.pending = true
  if (usePersistence.getState().save.kind !== 'not-saved') setSave({ kind: 'saving' })
  tab.writing ??= (async () => {
    try {
      while (tab.pending && !blocked()) {
        tab.pending = false
        await writeOnce()
      }
    } finally {
      tab.writing = null
    }
  })()
}

async function writeOnce(): Promise<void> {
  const state = snapshot()
  let raw: Blob | string
  let revision: number
  try {
    // The policy's JSON is made in slices (only rules not serialised yet), so the page stays responsive.
    const json = await policyJsonBlob(state.policy)
    // localStorage takes a string (the text is made before the compare-and-set below: nothing may run between).
    const text = tab.db ? null : await json.text()
    // Another tab's save or an unreadable one may have stopped the writing meanwhile.
    if (blocked()) return
    revision = (tab.base ?? 0) + 1
    raw = text === null ? formatSaveBlob(revision, state, json) : formatSave(revision, state, text)
  } catch (e) {
    setSave({ kind: 'not-saved', message: `not saved: the policy could not be written out (${errorName(e)}); export it to keep your edits.` })
    return
  }
  try {
    if (typeof raw !== 'string') {
      const outcome = await idbCompareAndSet(tab.base, revision, raw)
      if (outcome === 'conflict') return await onConflict()
      tab.base = revision
      // The pointer tells a reload where the save is and wakes the other tabs.
      localStorage.setItem(DOCUMENT_STORAGE_KEY, JSON.stringify({ [POINTER]: `${revision}-${Date.now()}-${Math.random()}`, revision }))
    } else {
      const local = localStorage.getItem(DOCUMENT_STORAGE_KEY)
      const current = local === null ? null : isPointer(local) ? pointerRevision(local) : (peekRevision(local) ?? 0)
      if (current !== tab.base) return await onConflict()
      localStorage.setItem(DOCUMENT_STORAGE_KEY, raw)
      tab.base = revision
    }
    if (!tab.pending) setSave({ kind: 'saved' })
  } catch (e) {
    setSave({ kind: 'not-saved', message: tab.idbProblem && !tab.db ? `${refusal(e)} (IndexedDB: ${tab.idbProblem})` : refusal(e) })
  }
}

/** Another tab saved since this tab's document was read: stop writing and ask. */
async function onConflict(): Promise<void> {
  tab.pending = false
  const stored = await readStored()
  const read = stored.raw === null ? null : await readSaveInWorker(stored.raw)
  if (read?.ok) {
    setSave({ kind: 'conflict', theirs: { ...read.doc, revision: stored.revision ?? read.doc.revision } })
    return
  }
  // Theirs cannot be read: keep it aside, then this tab's version may take the slot.
  const kept =
    stored.raw === null && stored.pointer === null
      ? true
      : await keepUnreadable(await storedText(stored), read && !read.ok ? read.reason : 'the saved policy points to IndexedDB, where nothing is stored')
  tab.base = stored.revision
  if (!kept) return setSave({ kind: 'held' })
  setSave({ kind: 'saving' })
  scheduleSave()
}

/** Conflict: take the other tab's version (undo brings this tab's back). */
export function keepTheirs(): void {
  const s = usePersistence.getState().save
  if (s.kind !== 'conflict') return
  follow(() => useDocument.getState().adopt(s.theirs.state.policy, s.theirs.state.name, s.theirs.state.dirty, 'Keep the other tab\u2019s version'))
  tab.base = s.theirs.revision
  setSave({ kind: 'saved' })
}

/** Conflict: write this tab's version over theirs (theirs stays reachable in their tab's undo). */
export function keepMine(): void {
  const s = usePersistence.getState().save
  if (s.kind !== 'conflict') return
  tab.base = s.theirs.revision
  setSave({ kind: 'saving' })
  scheduleSave()
}

/** Conflict: the saved version stays theirs; this tab goes on with its version as a separate, unsaved copy. */
export function openMineAsCopy(): void {
  const s = usePersistence.getState().save
  if (s.kind !== 'conflict') return
  tab.base = s.theirs.revision
  setSave({ kind: 'copy' })
  const name = useDocument.getState().name
  if (!name.endsWith(' (copy)')) follow(() => useDocument.getState().rename(`${name} (copy)`))
}

function follow(change: () => void): void {
  tab.following = true
  try {
    change()
  } finally {
    tab.following = false
  }
}

// ---------------------------------------------------------------------------------------------
// Reading: at start and when another tab saved

type Opened = 'opened' | 'empty' | 'unreadable'

async function openUnreadable(raw: string, reason: string): Promise<Opened> {
  const kept = await keepUnreadable(raw, reason)
  follow(() => openDocument(emptyPolicy(), 'Untitled policy', false))
  if (!kept) {
    setSave({ kind: 'held' })
    return 'unreadable'
  }
  // The copy is kept: an empty, readable save takes the slot, so the next visit opens cleanly.
  setSave({ kind: 'saving' })
  scheduleSave()
  return 'unreadable'
}

/**
 * Opens the saved document (or reports that there is none: the caller opens the sample), then
 * keeps it saved as it changes. Call once.
 */
export async function startPersistence(): Promise<Opened> {
  try {
    tab.db = await openDb()
  } catch (e) {
    tab.db = null
    tab.idbProblem = errorName(e)
  }
  if (tab.db) tab.db.onversionchange = () => tab.db?.close()
  usePersistence.setState({ unreadable: await loadUnreadable() })
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (tab.following) return
    // Another document opened here: a message about the previous one would now mislead.
    if (s.epoch !== prev.epoch && usePersistence.getState().external) usePersistence.setState({ external: null })
    if (s.policy !== prev.policy || s.name !== prev.name || s.dirty !== prev.dirty) {
      if (usePersistence.getState().save.kind === 'copy') return
      scheduleSave()
    }
  })
  const onStorage = (e: StorageEvent) => {
    if (e.key === DOCUMENT_STORAGE_KEY && e.newValue !== null) void fromOtherTab(e.newValue)
    if (e.key === UNREADABLE_KEY) void loadUnreadable().then((unreadable) => usePersistence.setState({ unreadable: [...unreadable, ...usePersistence.getState().unreadable.filter((u) => !u.kept)] }))
  }
  window.addEventListener('storage', onStorage)
  tab.unhook = () => {
    unsubscribe()
    window.removeEventListener('storage', onStorage)
  }

  let stored: Stored
  try {
    stored = await readStored()
  } catch (e) {
    stored = { raw: null, revision: null, pointer: lsGet(DOCUMENT_STORAGE_KEY) }
    tab.idbProblem ??= errorName(e)
  }
  // Parsed and checked in the reader Worker: a large save does not freeze the page while it opens.
  const read = stored.raw === null ? null : await readSaveInWorker(stored.raw)
  tab.base = stored.revision
  tab.started = true
  if (stored.raw === null && stored.pointer === null) {
    setSave({ kind: 'saved' })
    return 'empty'
  }
  if (read === null)
    return openUnreadable(
      stored.pointer!,
      tab.db ? 'the saved policy points to IndexedDB, where nothing is stored' : `the saved policy is in IndexedDB, which this browser does not let the app use now (${tab.idbProblem ?? 'unavailable'})`,
    )
  if (!read.ok) return openUnreadable(await storedText(stored), read.reason)
  if (!tab.db) tab.base = read.doc.revision
  follow(() => openDocument(read.doc.state.policy, read.doc.state.name, read.doc.state.dirty))
  setSave({ kind: 'saved' })
  // A save in an older format is written back in the current one.
  if (read.migratedFrom !== undefined) scheduleSave()
  return 'opened'
}

async function fromOtherTab(newValue: string): Promise<void> {
  if (usePersistence.getState().save.kind === 'copy') return
  let stored: Stored
  try {
    stored = tab.db ? await readStored() : { raw: isPointer(newValue) ? null : newValue, revision: isPointer(newValue) ? pointerRevision(newValue) : (peekRevision(newValue) ?? 0), pointer: isPointer(newValue) ? newValue : null }
  } catch {
    return
  }
  // Our own write, seen late.
  const ours = () => stored.revision !== null && stored.revision === tab.base && isPointer(newValue)
  if (ours()) return
  const read = stored.raw === null ? null : await readSaveInWorker(stored.raw)
  // What this tab is doing now (a write may have met a conflict while the save was being read).
  const mode = usePersistence.getState().save.kind
  if (mode === 'copy' || ours()) return
  if (!read || !read.ok) {
    // Another tab (or anything else) stored something this tab cannot read: this tab's policy stays.
    const reason = read && !read.ok ? read.reason : 'the saved policy points to IndexedDB, where nothing is stored'
    const kept = await keepUnreadable(stored.raw === null ? newValue : await storedText(stored), reason)
    usePersistence.setState({ external: `Another tab saved a policy this tab cannot read (${reason}). This tab's policy is unchanged; the unreadable copy is kept below.` })
    tab.base = stored.revision
    if (!kept) return setSave({ kind: 'held' })
    // Put this tab's readable version back in the slot.
    scheduleSave()
    return
  }
  const theirs: SavedDocument = { ...read.doc, revision: stored.revision ?? read.doc.revision }
  if (mode === 'conflict') return setSave({ kind: 'conflict', theirs })
  // This tab has changes on their way: the compare-and-set write finds the conflict.
  if (tab.pending || tab.writing) return
  follow(() => useDocument.getState().adopt(theirs.state.policy, theirs.state.name, theirs.state.dirty, 'Changes from another tab'))
  tab.base = theirs.revision
  usePersistence.setState({ external: `"${theirs.state.name}" was changed in another tab of this app; this tab now shows that version (Undo brings back this tab's).` })
  if (mode !== 'held') setSave({ kind: 'saved' })
}

/** Another document was opened here (import, new): messages about the previous one no longer apply. */
export function clearExternalMessage(): void {
  usePersistence.setState({ external: null })
}
