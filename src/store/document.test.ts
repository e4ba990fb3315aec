import { beforeEach, describe, expect, it } from 'vitest'
import { emptyPolicy } from '../applocker/policy'
import { addDefaultRules } from '../applocker/defaults'
import { generatePolicy } from '../testing/generate'
import { openDocument, useDocument } from './document'

const doc = () => useDocument.getState()

describe('document store', () => {
  beforeEach(() => openDocument(emptyPolicy(), 'Untitled policy', false))

  it('is no longer dirty after undoing back to the imported policy', () => {
    const imported = generatePolicy(10, 1)
    doc().replace(imported, 'a.xml', 'Import a.xml')
    expect(doc().dirty).toBe(false)
    doc().apply('Create Default Rules', (p) => addDefaultRules(p, 'Script').policy)
    expect(doc().dirty).toBe(true)
    doc().undo()
    expect(doc().policy).toBe(imported)
    expect(doc().dirty).toBe(false)
    doc().redo()
    expect(doc().dirty).toBe(true)
  })

  it('the last export is the clean state; undo after it is dirty again', () => {
    doc().replace(generatePolicy(5, 2), 'b.xml', 'Import b.xml')
    doc().apply('Create Default Rules', (p) => addDefaultRules(p, 'Exe').policy)
    doc().markSaved()
    expect(doc().dirty).toBe(false)
    doc().undo()
    expect(doc().dirty).toBe(true)
    doc().redo()
    expect(doc().dirty).toBe(false)
  })

  it('an export of an earlier policy (written while the user edited) leaves the edits unsaved', () => {
    doc().replace(generatePolicy(5, 2), 'b.xml', 'Import b.xml')
    const exported = doc().policy
    doc().apply('Create Default Rules', (p) => addDefaultRules(p, 'Exe').policy)
    doc().markSaved(exported)
    expect(doc().dirty).toBe(true)
    doc().undo()
    expect(doc().dirty).toBe(false)
  })

  it('opening another policy is another document (epoch); undo brings the previous one back with its name', () => {
    const first = doc().epoch
    doc().apply('Create Default Rules', (p) => addDefaultRules(p, 'Exe').policy)
    expect(doc().epoch).toBe(first)
    doc().replace(generatePolicy(3, 3), 'c.xml', 'Import c.xml')
    expect(doc().epoch).not.toBe(first)
    doc().undo()
    expect(doc().epoch).toBe(first)
    expect(doc().name).toBe('Untitled policy')
    expect(doc().dirty).toBe(true)
  })

  it('adopting another tab\u2019s version keeps this tab\u2019s history: undo brings its own version back', () => {
    doc().apply('Create Default Rules', (p) => addDefaultRules(p, 'Exe').policy)
    const mine = doc().policy
    const theirs = generatePolicy(4, 4)
    doc().adopt(theirs, 'Untitled policy', true, 'Changes from another tab')
    expect(doc().policy).toBe(theirs)
    expect(doc().past).toHaveLength(2)
    doc().undo()
    expect(doc().policy).toBe(mine)
  })
})
