// Connects waiting for the listener's answer. Each resolves when the accept
// arrives, or fails once: timed out, refused, its node or the peer's gone, or
// the client closed first. Settling removes the entry and its timer, so a
// late answer finds nothing and changes nothing. The timer is wall-clock in
// both transports (connect timeouts are the application's, not the network's).
import type { Destination } from '../../transport-contract/address.js'
import { ConnectTimeoutError, InvalidArgumentError } from '../../transport-contract/errors.js'
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../transport-contract/limits.js'

/** A connect's timeout in ms, checked (default TIPC's). */
export function connectTimeout(timeoutMs: number | undefined): number {
  const t = timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  if (!Number.isInteger(t) || t < 0) throw new InvalidArgumentError('timeoutMs must be a non-negative integer')
  return t
}

interface Pending<T> {
  dest: Destination
  /** What the transport keeps about the attempt (the udp node: which peer it waits for). */
  extra: T
  timer: NodeJS.Timeout
  resolve: () => void
  reject: (err: Error) => void
}

export class PendingConnects<C extends { fail(err: Error): void }, T = undefined> {
  private readonly pending = new Map<C, Pending<T>>()

  /** Wait for `client`'s connect to `dest` to be answered within `timeoutMs`. */
  start(client: C, dest: Destination, timeoutMs: number, extra: T): Promise<C> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(client, new ConnectTimeoutError(dest, timeoutMs)), timeoutMs)
      timer.unref()
      this.pending.set(client, { dest, extra, timer, resolve: () => resolve(client), reject })
    })
  }

  /** Where the waiting client meant to go (for the error of a refusal), if it is still waiting. */
  destOf(client: C): Destination | undefined {
    return this.pending.get(client)?.dest
  }

  /** The connect was accepted: stop waiting; call the returned resolve once the client is established. */
  accept(client: C): (() => void) | undefined {
    const p = this.take(client)
    return p?.resolve
  }

  /** End the client with `err` and reject its connect (nothing if it no longer waits). */
  fail(client: C, err: Error): void {
    const p = this.take(client)
    if (!p) return
    client.fail(err)
    p.reject(err)
  }

  /** Fail every waiting connect whose `extra` matches. */
  failWhere(match: (extra: T) => boolean, err: () => Error): void {
    for (const [client, p] of [...this.pending]) if (match(p.extra)) this.fail(client, err())
  }

  private take(client: C): Pending<T> | undefined {
    const p = this.pending.get(client)
    if (!p) return undefined
    this.pending.delete(client)
    clearTimeout(p.timer)
    return p
  }
}
