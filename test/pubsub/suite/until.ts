// Waiting for something the network will make true, in the suite: polls a
// condition, and turns a hang into a clear failure after a deadline (which
// is never what a test asserts on).
export async function until(what: string, condition: () => boolean, deadlineMs = 20_000): Promise<void> {
  const giveUp = Date.now() + deadlineMs
  while (!condition()) {
    if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what} after ${deadlineMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
