// Memory for the data records a node sends, reused without waiting for the
// GC. A large record (at least POOLED_MIN bytes) is carved out of a chunk of
// CHUNK_SIZE bytes; every link that queues the record holds a lease on its
// chunk (LinkSender takes it at enqueue and gives it back when the peer has
// acked the record, or when the link closes). A chunk whose records are all
// carved and whose leases are all back is retired; it is written over again
// only when the socket holds no packet either (`quiet`): packets reach the
// socket only from records still leased, so once the socket's queue is empty
// after the last release, no packet can name the chunk's bytes any more.
// Where that cannot be known (node:dgram, which may hold a buffer until its
// send completes; fault injection, which delays packets on timers) `quiet`
// stays false and chunks are left to the GC, as fresh buffers are.
//
// Performance: at 60 KiB messages every record used to be a fresh
// Buffer.allocUnsafe of 60 KiB, each a new ArrayBuffer. V8 counts their
// memory as external and starts a mark-compact every few tens of MiB of it
// ("GC in old space requested" in --trace-gc), several per second at 200 MB/s,
// and glibc returned the freed memory, so the next buffers page-faulted
// again. A retired chunk has its pages already faulted in and adds nothing to
// V8's external memory. Small records are carved one after another from a
// 64 KiB slab that is never written over (a full slab is simply dropped, and
// the GC frees it once no record in it is held), as node's Buffer pool does,
// but as plain Uint8Array views: a Buffer per record (a FastBuffer, a
// subclass constructor) was about 10% of a 64 B sender's profile. A lease
// per message would cost more than it saves there.

import type { RecordChunkStats } from './stats.js'

/** Records at least this long are carved from pooled chunks (smaller ones come from node's Buffer pool). */
export const POOLED_MIN = 4096
/** Chunk size: several records of the largest size (66000 + headers) per chunk. */
export const CHUNK_SIZE = 1 << 20
/** Retired chunks kept for reuse; beyond, they are left to the GC (the in-flight window of a link is at most a few MiB). */
const MAX_RETIRED = 24
/** The slab small records are carved from. */
const SMALL_SLAB = 64 * 1024

/** What a holder of a record gives back when it no longer needs the bytes. */
export interface RecordLease {
  hold(): void
  release(): void
}


class Chunk implements RecordLease {
  readonly bytes = Buffer.allocUnsafeSlow(CHUNK_SIZE)
  used = 0
  leases = 0
  /** No more records are carved from it (the pool moved on to another chunk). */
  full = false
  private readonly pool: RecordPool

  constructor(pool: RecordPool) {
    this.pool = pool
  }

  hold(): void {
    this.leases++
  }

  release(): void {
    if (--this.leases === 0 && this.full) this.pool.retire(this)
  }
}

export class RecordPool {
  private readonly quiet: () => boolean
  private readonly stats: RecordChunkStats
  private current: Chunk | undefined
  private readonly retired: Chunk[] = []
  /** The chunk the last take() carved from (undefined: a fresh buffer, nothing to lease). */
  lease: RecordLease | undefined
  private slab = new Uint8Array(0)
  private slabUsed = 0

  /** `quiet`: the socket holds no packet now, and nothing else keeps packets for later (see the top of the file). */
  constructor(quiet: () => boolean, stats: RecordChunkStats) {
    this.quiet = quiet
    this.stats = stats
  }

  /**
   * `size` bytes for a record; `lease` then tells what to hold it by. The
   * bytes are not initialised: the caller writes all of them.
   */
  take(size: number): Uint8Array {
    if (size < POOLED_MIN) {
      this.lease = undefined
      return this.small(size)
    }
    if (size > CHUNK_SIZE) {
      this.lease = undefined
      return Buffer.allocUnsafe(size)
    }
    let c = this.current
    if (c === undefined || c.used + size > CHUNK_SIZE) {
      if (c !== undefined) {
        c.full = true
        if (c.leases === 0) this.retire(c)
      }
      c = this.next()
      this.current = c
    }
    const at = c.used
    // 8-byte steps keep every record aligned (memcpy's fast path).
    c.used = (at + size + 7) & ~7
    this.lease = c
    return c.bytes.subarray(at, at + size)
  }

  /** `size` bytes (below POOLED_MIN) of the current slab, a new one when it is full; never written over. */
  private small(size: number): Uint8Array {
    let at = this.slabUsed
    if (at + size > this.slab.byteLength) {
      this.slab = new Uint8Array(SMALL_SLAB)
      at = 0
    }
    this.slabUsed = (at + size + 7) & ~7
    return new Uint8Array(this.slab.buffer, at, size)
  }

  /** Called by a chunk whose last lease came back after it was full. */
  retire(c: Chunk): void {
    if (this.retired.length < MAX_RETIRED) this.retired.push(c)
  }

  private next(): Chunk {
    if (this.retired.length > 0 && this.quiet()) {
      const c = this.retired.pop()!
      c.used = 0
      c.full = false
      this.stats.reused++
      return c
    }
    this.stats.allocated++
    return new Chunk(this)
  }
}
