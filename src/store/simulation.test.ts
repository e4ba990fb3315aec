import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addDefaultRules } from '../applocker/defaults'
import { emptyPolicy } from '../applocker/policy'
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
