/**
 * "Export results" of a simulation as a CSV Blob, written 5,000 lines at a time with the page answering in
 * between: the 100,000 lines of a large inventory take a quarter of a second or more to write, in one task
 * before. The text is resultsToCsv's (src/applocker/simulate/results.ts), byte for byte.
 */
import { RESULTS_CSV_HEADER, resultsCsvCount, resultsCsvLines, type SimRow, type SimulationResults } from '../applocker/simulate/results'
import { yieldToPage } from './policyJson'

const SLICE = 5_000

export async function resultsCsvBlob(rows: readonly SimRow[], r: SimulationResults, indices?: ArrayLike<number>): Promise<Blob> {
  const parts: string[] = [RESULTS_CSV_HEADER.join(',') + '\r\n']
  const n = resultsCsvCount(rows, r, indices)
  for (let from = 0; from < n; from += SLICE) {
    if (from > 0) await yieldToPage()
    parts.push(resultsCsvLines(rows, r, from, Math.min(n, from + SLICE), indices))
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' })
}
