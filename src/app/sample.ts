/** First run: open a sample policy so a newcomer sees something real. */
import type { Policy } from '../applocker/policy'
import { openDocument } from '../store/document'

export const SAMPLE_NAME = 'Sample policy (Windows defaults, hardened)'

/**
 * The sample (sample-policy.xml) comes as its model's JSON, read at build time (vite.config.ts), on first run
 * only: neither the XML reader nor the XML is part of a first visit.
 */
export async function loadSample(): Promise<void> {
  const { default: json } = await import('virtual:sample-policy')
  openDocument(JSON.parse(json) as Policy, SAMPLE_NAME, false)
}
