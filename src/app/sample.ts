/** First run: open a sample policy so a newcomer sees something real. */
import sampleXml from './sample-policy.xml?raw'
import { readPolicy } from '../applocker/xml/read'
import { hasSavedDocument, useDocument } from '../store/document'

export const SAMPLE_NAME = 'Sample policy (Windows defaults, hardened)'

export function loadSampleIfEmpty(): void {
  if (hasSavedDocument()) return
  const result = readPolicy(sampleXml)
  if (!result.value) return
  useDocument.setState({ policy: result.value, name: SAMPLE_NAME, dirty: false, past: [], future: [] })
}
