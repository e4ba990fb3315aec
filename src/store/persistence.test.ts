// The browser save in a browser without IndexedDB (the whole save in localStorage): what persistence.ts's
// header promises, checked in Node with a small localStorage and a window to hear 'storage' events.
// IndexedDB, the pointer and two real tabs are covered by e2e/persistence.spec.ts and e2e/two-tabs.spec.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generatePolicy } from '../testing/generate'
import { DOCUMENT_STORAGE_KEY, resetDocument, useDocument } from './document'
import { formatSave, peekRevision, readSave } from '../lib/savedDocument'
import { resetPersistence, startPersistence, usePersistence } from './persistence'

class MemoryStorage {
  private items = new Map<string, string>()
  getItem(key: string): string | null {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value))
  }
  removeItem(key: string): void {
    this.items.delete(key)
  }
}

const g = globalThis as unknown as { window?: EventTarget; localStorage?: MemoryStorage }

beforeEach(() => {
  g.window = new EventTarget()
  g.localStorage = new MemoryStorage()
})

afterEach(() => {
  resetPersistence()
  resetDocument()
  delete g.window
  delete g.localStorage
})

const stored = () => g.localStorage!.getItem(DOCUMENT_STORAGE_KEY)
const saveKind = () => usePersistence.getState().save.kind
const settled = () => expect.poll(saveKind, { timeout: 5_000 }).not.toBe('saving')

describe('persistence (localStorage only)', () => {
  it('reports no save, then saves the first edit as revision 1', async () => {
    expect(await startPersistence()).toBe('empty')
    expect(saveKind()).toBe('saved')
    useDocument.getState().replace(generatePolicy(30, 1), 'a.xml', 'Import a.xml')
    await settled()
    expect(saveKind()).toBe('saved')
    const raw = stored()!
    expect(peekRevision(raw)).toBe(1)
    const read = readSave(raw)
    expect(read.ok && read.doc.state.name).toBe('a.xml')
    expect(read.ok && read.doc.state.policy).toEqual(useDocument.getState().policy)
  })

  it('opens a saved policy as it was saved', async () => {
    const policy = generatePolicy(40, 2)
    g.localStorage!.setItem(DOCUMENT_STORAGE_KEY, formatSave(5, { policy, name: 'Saved', dirty: true }))
    expect(await startPersistence()).toBe('opened')
    const d = useDocument.getState()
    expect([d.name, d.dirty, d.past.length]).toEqual(['Saved', true, 0])
    expect(d.policy).toEqual(policy)
    expect(saveKind()).toBe('saved')
  })

  it('copies an unreadable save aside, opens an empty policy and puts a readable save in the slot', async () => {
    g.localStorage!.setItem(DOCUMENT_STORAGE_KEY, '{"revision":3,"version":2,"state":{"pol')
    expect(await startPersistence()).toBe('unreadable')
    const [copy] = usePersistence.getState().unreadable
    expect(copy.raw).toBe('{"revision":3,"version":2,"state":{"pol')
    expect(copy.reason).toMatch(/cut short/)
    expect(copy.kept).toBe(true)
    expect(JSON.parse(g.localStorage!.getItem(`${DOCUMENT_STORAGE_KEY}.unreadable`)!)[0].raw).toBe(copy.raw)
    expect(useDocument.getState().name).toBe('Untitled policy')
    await settled()
    const read = readSave(stored()!)
    expect(read.ok && read.doc.state.name).toBe('Untitled policy')
  })

  it('does not write over a newer save of another tab: it asks (compare-and-set on the revision)', async () => {
    const policy = generatePolicy(10, 3)
    g.localStorage!.setItem(DOCUMENT_STORAGE_KEY, formatSave(2, { policy, name: 'Mine', dirty: false }))
    await startPersistence()
    // Another tab saves revision 3 without this tab hearing of it yet.
    const theirs = formatSave(3, { policy: generatePolicy(12, 4), name: 'Theirs', dirty: true })
    g.localStorage!.setItem(DOCUMENT_STORAGE_KEY, theirs)
    useDocument.getState().rename('Mine, renamed')
    await expect.poll(saveKind, { timeout: 5_000 }).toBe('conflict')
    expect(stored()).toBe(theirs)
    const s = usePersistence.getState().save
    expect(s.kind === 'conflict' && [s.theirs.revision, s.theirs.state.name]).toEqual([3, 'Theirs'])
  })

  it('follows another tab\u2019s save when this tab has no changes on their way', async () => {
    g.localStorage!.setItem(DOCUMENT_STORAGE_KEY, formatSave(1, { policy: generatePolicy(5, 5), name: 'Before', dirty: false }))
    await startPersistence()
    const theirs = formatSave(2, { policy: generatePolicy(6, 6), name: 'After', dirty: false })
    g.localStorage!.setItem(DOCUMENT_STORAGE_KEY, theirs)
    g.window!.dispatchEvent(Object.assign(new Event('storage'), { key: DOCUMENT_STORAGE_KEY, newValue: theirs }))
    await expect.poll(() => useDocument.getState().name, { timeout: 5_000 }).toBe('After')
    expect(usePersistence.getState().external).toMatch(/was changed in another tab/)
    // Taking their version is not written back.
    expect(stored()).toBe(theirs)
  })
})
