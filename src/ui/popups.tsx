/**
 * Menus and tooltips load after the first drawing: their code (the Fluent menu, tooltip and positioning,
 * popupParts.ts) is not in the initial JavaScript. It starts loading when the page is idle after the first
 * drawing, or at once when the user shows intent (pointer or focus on a menu button, a click). Until it is
 * there, a menu button is a plain button with the same name, and a tooltip's text is the button's description
 * (aria-describedby on a hidden copy), so what a screen reader announces does not change.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactElement } from 'react'

type PopupParts = typeof import('./popupParts')

let parts: PopupParts | null = null
let loading: Promise<PopupParts> | null = null
const waiting = new Set<(p: PopupParts) => void>()

/** Starts loading the menu and tooltip code (once); resolves when it is there. */
export function loadPopups(): Promise<PopupParts> {
  loading ??= import('./popupParts').then((p) => {
    parts = p
    for (const w of waiting) w(p)
    waiting.clear()
    return p
  })
  return loading
}

let idleScheduled = false
function loadWhenIdle(): void {
  if (idleScheduled || parts) return
  idleScheduled = true
  const start = () => void loadPopups().catch(() => (loading = null))
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 })
  else setTimeout(start, 200)
}

/**
 * The menu and tooltip parts once loaded (else null; the component re-renders when they arrive). The element
 * marked with the returned `slot` attribute keeps the focus across the swap from the plain button to the real one.
 */
export function usePopups(): { parts: PopupParts | null; slot: { 'data-popup-slot': string } } {
  const [p, setP] = useState(parts)
  const id = useId()
  const hadFocus = useRef(false)
  useEffect(() => {
    if (p) return
    const done = (loaded: PopupParts) => {
      const active = document.activeElement
      hadFocus.current = !!active && active.getAttribute('data-popup-slot') === id
      setP(loaded)
    }
    if (parts) done(parts)
    else {
      waiting.add(done)
      loadWhenIdle()
    }
    return () => void waiting.delete(done)
  }, [p, id])
  useLayoutEffect(() => {
    if (!p || !hadFocus.current) return
    hadFocus.current = false
    document.querySelector<HTMLElement>(`[data-popup-slot="${CSS.escape(id)}"]`)?.focus()
  }, [p, id])
  return { parts: p, slot: { 'data-popup-slot': id } }
}

/**
 * A button with `tip` as its tooltip once the tooltip's code is there (usePopups' `parts`), and until then with the
 * same text as its description: a hidden element with the id `describedBy`, which the button names in its
 * aria-describedby while `parts` is null.
 */
export function WithTooltip({ parts, tip, describedBy, children }: { parts: PopupParts | null; tip: string; describedBy: string; children: ReactElement }) {
  if (parts)
    return (
      <parts.Tooltip content={tip} relationship="description">
        {children}
      </parts.Tooltip>
    )
  return (
    <>
      {children}
      <span id={describedBy} hidden>
        {tip}
      </span>
    </>
  )
}
