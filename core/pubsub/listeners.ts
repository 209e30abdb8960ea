// A list of listeners for one kind of event. A listener that throws does not
// keep the others from the event, nor break the state change that caused it
// (the emitter has applied it before emitting): its error is rethrown on its
// own, after the current work, as a throwing socket handler's is.

/** What listening returns: stop this listener (idempotent). */
export interface Listening {
  cancel(): void
}

export class Listeners<E> {
  private readonly listeners = new Set<(event: E) => void>()

  add(listener: (event: E) => void): Listening {
    // A wrapper per call, so the same function added twice is two listeners cancelled separately.
    const entry = (event: E): void => listener(event)
    this.listeners.add(entry)
    return { cancel: () => this.listeners.delete(entry) }
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        queueMicrotask(() => {
          throw err
        })
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
