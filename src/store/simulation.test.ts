import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addDefaultRules } from '../applocker/defaults'
import { emptyPolicy } from '../applocker/policy'
import { addRulesWithoutDuplicates, inventoryFacets, proposeRulesFromInventory } from '../applocker/inventory-rules'
import { openDocument, useDocument } from './document'
import { RERUN_DELAY_MS, useSimulation } from './simulation'

const sim = () => useSimulation.getState()
const CSV = ['Path,Publisher,ProductName,BinaryName,Version,Hash', ...Array.from({ length: 12_000 }, (_, i) => `C:\\Users\\bob\\Downloads\\tool${i}.exe,,,,,`)].join('\n')
const settled = () => expect.poll(() => sim().run.status, { timeout: 10_000 }).not.toMatch(/^(loading|running)$/)
/**
 * Resolves when the next run starts (the status becomes 'running'), however short it is: polling
 * can miss a run over an empty policy that starts and ends between two polls. `then` runs at that
 * moment (a cancel while the run is still going).
 */
const nextRun = (then?: () => void) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error('no run started within 5 s'))
    }, 5_000)
    const unsubscribe = useSimulation.subscribe((s) => {
      if (s.run.status !== 'running') return
      clearTimeout(timer)
      unsubscribe()
      then?.()
      resolve()
    })
  })

describe('simulation store: the re-run rule', () => {
  let stop: () => void = () => {}
  beforeEach(async () => {
    openDocument(addDefaultRules(emptyPolicy(), 'Exe').policy, 'p.xml', false)
    sim().clearInventory()
    await sim().loadInventory(new File([CSV], 'inventory.csv'))
    stop = sim().follow()
    await expect.poll(() => sim().run.status, { timeout: 10_000 }).toBe('done')
  })
  afterEach(() => {
    stop()
    sim().clearInventory()
  })

  it('runs once an inventory is loaded, and not again while nothing changes', async () => {
    await settled()
    expect(sim().run.status).toBe('done')
    expect(sim().results?.count).toBe(12_000)
    // The rows came from the Worker in slices (simulate.api.ts LOAD_SLICE), all of them, in order.
    expect(sim().inventory?.rows.map((r) => r.path)).toEqual(Array.from({ length: 12_000 }, (_, i) => `C:\\Users\\bob\\Downloads\\tool${i}.exe`))
    const results = sim().results
    await new Promise((r) => setTimeout(r, RERUN_DELAY_MS + 100))
    expect(sim().results).toBe(results)
  })

  it('re-runs after an edit of the policy (debounced) and marks the results outdated meanwhile', async () => {
    await settled()
    const started = nextRun()
    useDocument.getState().apply('Delete rules', (p) => ({ ...p, collections: [] }))
    expect(sim().outdated).toBe(true)
    expect(sim().run.status).toBe('done')
    await started
    await settled()
    expect(sim().outdated).toBe(false)
    expect(sim().resultsInputs?.policy).toBe(useDocument.getState().policy)
  })

  it('re-runs when the principal changes, not when it is set to the same value', async () => {
    await settled()
    const inputs = sim().runInputs
    sim().setChoice({ ...sim().choice })
    expect(sim().runInputs).toBe(inputs)
    expect(sim().outdated).toBe(false)
    sim().setMachine({ ...sim().machine })
    expect(sim().outdated).toBe(false)
  })

  it('a cancelled run stays cancelled until the inputs change or Run again', async () => {
    await settled()
    const cancelled = nextRun(() => sim().cancel())
    useDocument.getState().apply('Delete rules', (p) => ({ ...p, collections: [] }))
    await cancelled
    await settled()
    expect(sim().run.status).toBe('cancelled')
    await new Promise((r) => setTimeout(r, RERUN_DELAY_MS + 100))
    expect(sim().run.status).toBe('cancelled')
    sim().start()
    await settled()
    expect(sim().run.status).toBe('done')
  })

  it('does not re-run while no view follows it', async () => {
    await settled()
    stop()
    const results = sim().results
    useDocument.getState().apply('Delete rules', (p) => ({ ...p, collections: [] }))
    await new Promise((r) => setTimeout(r, RERUN_DELAY_MS + 100))
    expect(sim().results).toBe(results)
    stop = sim().follow()
    await expect.poll(() => sim().resultsInputs?.policy, { timeout: 5_000 }).toBe(useDocument.getState().policy)
  })
})

describe('simulation store: rules proposed from the loaded inventory (in the Worker)', () => {
  const H = (n: number) => `0x${n.toString(16).toUpperCase().padStart(64, '0')}`
  const rows = [
    'Path,Publisher,ProductName,BinaryName,Version,Hash',
    'C:\\Tools\\a.exe,"O=CONTOSO, C=US",CONTOSO TOOLS,A.EXE,1.0.0.0,' + H(1),
    'C:\\Tools\\b.exe,,,,,' + H(2),
    'C:\\Tools\\c.ps1,,,,,' + H(3),
    'C:\\Tools\\d.exe,,,,,',
  ].join('\n')
  afterEach(() => sim().clearInventory())

  it('counts the facets as it reads, and proposes what proposeRulesFromInventory proposes for the same rows', async () => {
    openDocument(emptyPolicy(), 'p.xml', false)
    await sim().loadInventory(new File([rows], 'inventory.csv'))
    const inventory = sim().inventory!
    expect(inventory.facets).toEqual(inventoryFacets(inventory.rows))
    expect(inventory.facets.collections).toEqual({ Exe: 3, Script: 1 })
    const options = { sid: 'S-1-1-0', preference: 'publisher' as const, ruleTypes: ['publisher' as const, 'hash' as const], publisherLevel: 'product' as const, groupSimilar: false }
    const p = await sim().proposeRules({ collections: ['Exe', 'Script'] }, options, useDocument.getState().policy, new AbortController().signal)
    const direct = proposeRulesFromInventory(inventory.rows, { collections: ['Exe', 'Script'] }, { ...options, existing: useDocument.getState().policy })
    // Each proposal gets new rule GUIDs: compared without them.
    const noIds = (rules: typeof p.rules) => rules.map((r) => ({ ...r, rule: { ...r.rule, id: '' } }))
    expect({ ...p, rules: noIds(p.rules) }).toEqual({ rules: noIds(direct.rules), notes: direct.notes, selected: 4, distinct: 4 })
    expect(p.rules.map((r) => r.rule.kind)).toEqual(['publisher', 'hash', 'hash'])
    expect(p.notes.filter((n) => n.severity === 'error').map((n) => n.path)).toEqual(['C:\\Tools\\d.exe'])

    // With the rules in the policy, the same proposal is flagged as already there.
    useDocument.getState().apply('Add', (policy) => addRulesWithoutDuplicates(policy, p.rules).policy)
    const again = await sim().proposeRules({ collections: ['Exe', 'Script'] }, options, useDocument.getState().policy, new AbortController().signal)
    expect(again.rules.map((r) => r.existing)).toEqual([true, true, true])

    // Cancelled: rejects with an AbortError, nothing proposed.
    const controller = new AbortController()
    controller.abort()
    await expect(sim().proposeRules({}, options, useDocument.getState().policy, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('refuses without an inventory', async () => {
    sim().clearInventory()
    await expect(sim().proposeRules({}, { sid: 'S-1-1-0', preference: 'publisher', ruleTypes: ['hash'], publisherLevel: 'product', groupSimilar: false }, emptyPolicy(), new AbortController().signal)).rejects.toThrow('No inventory is loaded.')
  })
})
