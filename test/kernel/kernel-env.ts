// Kernel tests run for real only where AF_TIPC works (inside the UML
// harness). Elsewhere they are skipped with the reason, except when the
// harness says TIPC must be there (TIPC_RX_KERNEL=1): then a missing TIPC is
// a failure, not a skip, so a broken harness cannot pass silently.
import { isTipcAvailable } from '../../bindings/index.js'

export function kernelSkip(): string | false {
  const availability = isTipcAvailable()
  if (availability.available) return false
  if (process.env.TIPC_RX_KERNEL === '1') {
    throw new Error(`TIPC_RX_KERNEL=1 but TIPC is not available: ${availability.reason}`)
  }
  return `needs a kernel with TIPC (${availability.reason}); run npm run test:kernel`
}

/** Resolve after `ms` (for letting the kernel deliver; never for timing assertions). */
export const delay = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/** Poll `fn` until it returns a value other than undefined, or fail after `ms`. */
export async function until<T>(fn: () => T | undefined, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await delay(5)
  }
}

/** A service type unique to this test file, so parallel files never share names. */
export function uniqueType(): number {
  return 100_000 + ((process.pid * 7919) % 1_000_000) * 16
}

export const text = (s: string) => Buffer.from(s)
export const str = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString()
