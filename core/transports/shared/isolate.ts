// Run an application callback (a handler) so that, if it throws, the error
// surfaces as it would from a socket callback (uncaught, on its own) and the
// transport keeps running for everyone else: one handler that throws must not
// keep the others from their messages or events.
export function isolate(fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    rethrowLater(err)
  }
}

/** Throw `err` on its own, after the current work (for callers that catch without a closure). */
export function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err
  })
}
