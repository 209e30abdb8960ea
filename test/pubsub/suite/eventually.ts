// Waiting for a condition in a suite test, with a failure message computed
// when the deadline passes (so it says how far things got). The deadline only
// turns a hang into a clear failure; nothing asserts on time.
const tick = (): Promise<void> => new Promise<void>(resolve => setTimeout(resolve, 5))

export async function eventually(done: () => boolean, what: () => string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`)
    await tick()
  }
}
