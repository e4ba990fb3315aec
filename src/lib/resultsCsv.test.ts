import { describe, expect, it } from 'vitest'
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import { ResultsBuilder, resultsToCsv } from '../applocker/simulate/results'
import { DEFAULT_PRINCIPAL_CHOICE, simulateSlice } from '../applocker/simulate/run'
import { generateFiles } from '../testing/files'
import { generatePolicy } from '../testing/generate'
import { resultsCsvBlob } from './resultsCsv'

describe('Export results a slice at a time', () => {
  it('gives resultsToCsv text byte for byte, for every row, a filtered subset and none', async () => {
    const policy = generatePolicy(300, 3)
    const rows = generateFiles(policy, 12_345, 4)
    const builder = new ResultsBuilder(rows.length)
    simulateSlice({ decide }, compilePolicy(policy), rows, DEFAULT_PRINCIPAL_CHOICE, builder, 0, rows.length)
    const r = builder.results
    expect(await (await resultsCsvBlob(rows, r)).text()).toBe(resultsToCsv(rows, r))
    const some = Int32Array.from({ length: 7_001 }, (_, k) => (k * 7) % rows.length)
    expect(await (await resultsCsvBlob(rows, r, some)).text()).toBe(resultsToCsv(rows, r, some))
    const none = new Int32Array(0)
    const empty = await resultsCsvBlob(rows, r, none)
    expect(await empty.text()).toBe(resultsToCsv(rows, r, none))
    expect((await empty.text()).split('\r\n')).toHaveLength(2)
    expect(empty.type).toBe('text/csv;charset=utf-8')
  })
})
