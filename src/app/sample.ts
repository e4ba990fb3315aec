/** First run: open a sample policy so a newcomer sees something real. */
import { hasSavedDocument, useDocument } from '../store/document'

export const SAMPLE_NAME = 'Sample policy (Windows defaults, hardened)'

/** The XML reader and the sample load on first run only, keeping them out of the initial bundle. */
export async function loadSampleIfEmpty(): Promise<void> {
  if (hasSavedDocument()) return
  const [{ readPolicy }, { default: sampleXml }] = await Promise.all([import('../applocker/xml/read'), import('./sample-policy.xml?raw')])
  if (hasSavedDocument()) return
  const result = readPolicy(sampleXml)
  if (!result.value) return
  useDocument.setState({ policy: result.value, name: SAMPLE_NAME, dirty: false, past: [], future: [] })
}
