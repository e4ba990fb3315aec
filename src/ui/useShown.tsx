/**
 * Long lists drawn a part at a time: the first FIRST_SHOWN lines, and a button that adds MORE_SHOWN.
 * Comparing a 50,000-rule policy drew every rule (290,000 elements; the dialog took over 30 s to
 * close); Compare's lists, Merge's preview lists and Generate's file problems use this.
 */
import { startTransition, useState, type ReactNode } from 'react'
import { Button } from '@fluentui/react-components'
import { count } from '../lib/plural'

export const FIRST_SHOWN = 200
export const MORE_SHOWN = 1_000

/** How many of `total` lines are shown, and the button that shows more (null when all are shown). */
export function useShown(total: number): [number, ReactNode] {
  const [shown, setShown] = useState(FIRST_SHOWN)
  const left = total - shown
  const more =
    left > 0 ? (
      // In a transition: React builds the new lines in slices, between which the page answers.
      <Button size="small" appearance="secondary" onClick={() => startTransition(() => setShown((n) => n + MORE_SHOWN))}>
        Show {count(Math.min(MORE_SHOWN, left))} more ({count(left)} not shown)
      </Button>
    ) : null
  return [Math.min(shown, total), more]
}
