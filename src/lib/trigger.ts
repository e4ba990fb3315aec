/**
 * A request with no data that a command sends to the component able to fulfil it ("open the file
 * picker", "open the dialog"): the command calls fire(), the component subscribes while mounted.
 */
export interface Trigger {
  fire: () => void
  /** Returns the unsubscribe function (a React effect's cleanup). */
  subscribe: (listener: () => void) => () => void
}

export function createTrigger(): Trigger {
  const listeners = new Set<() => void>()
  return {
    fire: () => listeners.forEach((l) => l()),
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
