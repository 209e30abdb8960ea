// A server's memory of recent requests, so that a repeat is answered again
// without running the handler twice (Galaxy: the same response is re-sent
// whenever the request is received again). An entry is keyed by requester
// (its socket address and random token: a forged packet from another socket
// is another requester) and request id; it is 'running' until the handler
// answered, then holds the encoded replies.
// Bounded by entries and bytes: the oldest answered entries go first. What
// went is remembered per requester as a watermark (ids are counted up per
// requester), so a request at or below it is a replay, refused rather than
// run again: at-most-once execution holds past the cache's reach, for as
// long as the requester itself is remembered (the newest `maxRequesters`).
import type { SocketAddress } from '../transport-contract/index.js'

export type CacheLookup =
  | { state: 'new' }
  | { state: 'running' }
  | { state: 'answered'; replies: readonly Uint8Array[] }
  | { state: 'replayed' }

interface Entry {
  requester: string
  id: number
  replies: Uint8Array[] | undefined
  bytes: number
}

export class ReplyCache {
  private readonly entries = new Map<string, Entry>()
  /** Per requester, the highest id evicted from the cache; Map order is recency. */
  private readonly evictedUpTo = new Map<string, number>()
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
  admit(from: SocketAddress, token: bigint, id: number): CacheLookup {
    const requester = `${from.node}:${from.ref}:${token}`
    const key = `${requester}/${id}`
    const known = this.entries.get(key)
    if (known !== undefined) return known.replies === undefined ? { state: 'running' } : { state: 'answered', replies: known.replies }
    const mark = this.evictedUpTo.get(requester)
    if (mark !== undefined && id <= mark) return { state: 'replayed' }
    this.entries.set(key, { requester, id, replies: undefined, bytes: 0 })
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

  /** Forget a request that was never answered (its server closed): a repeat will run it. */
  forget(from: SocketAddress, token: bigint, id: number): void {
    this.entries.delete(`${from.node}:${from.ref}:${token}/${id}`)
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return
      if (entry.replies === undefined) continue
      this.entries.delete(key)
      this.bytes -= entry.bytes
      const mark = this.evictedUpTo.get(entry.requester) ?? 0
      this.evictedUpTo.delete(entry.requester)
      this.evictedUpTo.set(entry.requester, Math.max(mark, entry.id))
      if (this.evictedUpTo.size > this.maxRequesters) this.evictedUpTo.delete(this.evictedUpTo.keys().next().value!)
    }
  }
}
