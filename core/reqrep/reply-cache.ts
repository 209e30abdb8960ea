// A server's memory of recent requests, so that a repeat is answered again
// without running the handler twice (Galaxy: the same response is re-sent
// whenever the request is received again). An entry is keyed by requester
// (its socket address and random token: a forged packet from another socket
// is another requester) and request id; it is 'running' until the handler
// answered, then holds the encoded replies. Bounded by entries and bytes:
// the oldest answered entries go first, and a repeat of a request whose
// entry went runs the handler again (at-most-once holds while the cache
// holds the entry).
// Replays are told apart by what the requester says: every request carries
// `settledBelow`, the lowest id still pending at its requester. A request
// below the highest such mark a requester has sent here was settled there
// already, so a copy of it is a replay (a packet delayed or forged), refused
// rather than run, cached or not. Marks are kept for the newest
// `maxRequesters` requesters.
import type { SocketAddress } from '../transport-contract/index.js'

export type CacheLookup =
  | { state: 'new' }
  | { state: 'running' }
  | { state: 'answered'; replies: readonly Uint8Array[] }
  | { state: 'replayed' }

interface Entry {
  replies: Uint8Array[] | undefined
  bytes: number
}

export class ReplyCache {
  private readonly entries = new Map<string, Entry>()
  /** Per requester, the highest settledBelow it sent; Map order is recency. */
  private readonly settledBelow = new Map<string, number>()
  private bytes = 0

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly maxRequesters = Math.max(4096, maxEntries),
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** What is known of this request; a 'new' one is now recorded as running. */
  admit(from: SocketAddress, token: bigint, id: number, settledBelow: number): CacheLookup {
    const requester = `${from.node}:${from.ref}:${token}`
    const mark = Math.max(this.settledBelow.get(requester) ?? 0, settledBelow)
    this.settledBelow.delete(requester)
    this.settledBelow.set(requester, mark)
    if (this.settledBelow.size > this.maxRequesters) this.settledBelow.delete(this.settledBelow.keys().next().value!)
    if (id < mark) return { state: 'replayed' }
    const key = `${requester}/${id}`
    const known = this.entries.get(key)
    if (known !== undefined) return known.replies === undefined ? { state: 'running' } : { state: 'answered', replies: known.replies }
    this.entries.set(key, { replies: undefined, bytes: 0 })
    return { state: 'new' }
  }

  /** The request's replies are known: keep them for repeats (within the bounds). */
  answered(from: SocketAddress, token: bigint, id: number, replies: Uint8Array[]): void {
    const key = `${from.node}:${from.ref}:${token}/${id}`
    const entry = this.entries.get(key)
    if (entry === undefined) return
    // Re-insert: the entry's age counts from its answer, so a long handler's reply is not the first evicted.
    this.entries.delete(key)
    entry.replies = replies
    entry.bytes = replies.reduce((n, r) => n + r.length, 0)
    this.entries.set(key, entry)
    this.bytes += entry.bytes
    this.evict()
  }

  /** Forget a request that was never answered (shed): a repeat will run it. */
  forget(from: SocketAddress, token: bigint, id: number): void {
    this.entries.delete(`${from.node}:${from.ref}:${token}/${id}`)
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return
      if (entry.replies === undefined) continue
      this.entries.delete(key)
      this.bytes -= entry.bytes
    }
  }
}
