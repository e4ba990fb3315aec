/** The words and the bar's value for a policy file being read in the reader Worker (import, merge, compare). */
import type { ReadPolicyProgress } from '../lib/readPolicyFile'
import { count, plural } from '../lib/plural'

/** `receiving` names the last step: "Opening" for an import, "Receiving" for a file read to merge or compare. */
export function describeReadProgress(p: ReadPolicyProgress | null, receiving = 'Opening'): { text: string; value: number | undefined } {
  if (!p) return { text: 'Starting...', value: undefined }
  const pct = p.total > 0 ? p.done / p.total : undefined
  switch (p.phase) {
    case 'reading':
      return { text: `Reading the file: ${(p.done / 1048576).toFixed(1)} of ${(p.total / 1048576).toFixed(1)} MB`, value: pct }
    case 'parsing':
      return { text: 'Checking the policy...', value: undefined }
    case 'receiving':
      return { text: `${receiving} ${count(p.done)} of ${plural(p.total, 'rule')}`, value: pct }
  }
}
