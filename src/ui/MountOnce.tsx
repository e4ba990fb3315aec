/**
 * Code that loads on demand: `children` (usually a lazy component) is rendered from the first time `when` is
 * true, inside Suspense, and stays mounted after, so a Fluent dialog closes as before (its motion, the focus
 * back on the button that opened it). Until then nothing of it is loaded.
 */
import { Suspense, useState, type ReactNode } from 'react'

export function MountOnce({ when, children }: { when: boolean; children: ReactNode }) {
  const [seen, setSeen] = useState(when)
  if (when && !seen) setSeen(true)
  return seen || when ? <Suspense fallback={null}>{children}</Suspense> : null
}
