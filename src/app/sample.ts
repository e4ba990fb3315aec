/** First run: open a sample policy so a newcomer sees something real. */
import { openDocument } from '../store/document'

export const SAMPLE_NAME = 'Sample policy (Windows defaults, hardened)'

/** The XML reader and the sample load on first run only, keeping them out of the initial bundle. */
export async function loadSample(): Promise<void> {
  const [{ readPolicy }, { default: sampleXml }] = await Promise.all([import('../applocker/xml/read'), import('./sample-policy.xml?raw')])
  const result = readPolicy(sampleXml)
  if (!result.value) return
  openDocument(result.value, SAMPLE_NAME, false)
}
