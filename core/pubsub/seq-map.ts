// A Map from message seq to value, for seqs that arrive in increasing order
// and leave roughly in order (a publisher's messages in flight): a ring of
// slots indexed by seq instead of a hash table.
//
// Why not a Map: a Map whose entries come and go in FIFO order rehashes
// into a new table every few hundred deletions. Once the table has lived
// long enough to be promoted to V8's old space, each table it replaces
// stays there, garbage, until the next full collection, still pointing at
// the values it held: every young message it held survives the scavenges
// until then (and is promoted too). In a loop of track and ack with 1,024
// in flight that made scavenges 50 times slower: 2.6 of 3.0 µs per message
// were garbage collection.
//
// Semantics are a Map's, iteration order included (insertion order): a seq
// set out of increasing order, or far ahead of the oldest held, moves the
// entries to a plain Map for good (or the oldest to an overflow Map), so the
// ring only ever holds entries whose insertion order is their seq order.

/** The ring never spans more seqs than this: older entries move to the overflow Map. */
export const MAX_RING_SPAN = 1 << 16

export class SeqMap<V> {
  /** Slot of seq s: s & (slots.length - 1). Holds seqs [first, next). */
  private slots: Array<V | undefined> = new Array<V | undefined>(64)
  private first = 0
  private next = 0
  private ringSize = 0
  /** Entries older than the ring (a long-pending straggler), in insertion order; or every entry once out of order. */
  private overflow: Map<number, V> | undefined
  /** A seq came out of increasing order: everything is in `overflow` from then on. */
  private mapOnly = false

  get size(): number {
    return this.ringSize + (this.overflow?.size ?? 0)
  }

  get(seq: number): V | undefined {
    if (seq >= this.first && seq < this.next) return this.slots[seq & (this.slots.length - 1)]
    return this.overflow?.get(seq)
  }

  has(seq: number): boolean {
    return this.get(seq) !== undefined
  }

  set(seq: number, value: V): void {
    if (value === undefined) throw new TypeError('SeqMap holds no undefined values')
    if (this.mapOnly) {
      this.overflow!.set(seq, value)
      return
    }
    if (seq >= this.first && seq < this.next) {
      const slot = seq & (this.slots.length - 1)
      if (this.slots[slot] !== undefined) {
        // Replacing keeps the entry's place, as Map.set does.
        this.slots[slot] = value
        return
      }
    }
    if (this.size === 0 && Number.isSafeInteger(seq)) {
      // Empty: any seq starts the ring afresh.
      this.overflow = undefined
      this.first = this.next = seq
    } else if (!Number.isSafeInteger(seq) || seq < this.next || this.overflow?.has(seq) === true) {
      this.toMapOnly()
      this.overflow!.set(seq, value)
      return
    }
    // Ahead of every seq held: the ring takes it, after moving entries too old for its span to the overflow.
    while (this.ringSize > 0 && seq - this.first >= MAX_RING_SPAN) this.evictOldest()
    if (this.ringSize === 0) this.first = seq
    this.fit(seq - this.first + 1)
    // Seqs skipped between the last and this one are empty slots already (cleared on delete or never set).
    this.slots[seq & (this.slots.length - 1)] = value
    this.next = seq + 1
    this.ringSize++
  }

  delete(seq: number): boolean {
    if (seq >= this.first && seq < this.next) {
      const slot = seq & (this.slots.length - 1)
      if (this.slots[slot] === undefined) return false
      this.slots[slot] = undefined
      this.ringSize--
      if (this.ringSize === 0) this.first = this.next
      else if (seq === this.first) this.advanceFirst()
      return true
    }
    return this.overflow?.delete(seq) ?? false
  }

  clear(): void {
    this.slots = new Array<V | undefined>(64)
    this.first = this.next = this.ringSize = 0
    this.overflow = undefined
    this.mapOnly = false
  }

  /** In insertion order. A snapshot is the caller's to take if it changes the map while iterating. */
  * values(): IterableIterator<V> {
    if (this.overflow !== undefined) yield * this.overflow.values()
    for (let seq = this.first; seq < this.next; seq++) {
      const value = this.slots[seq & (this.slots.length - 1)]
      if (value !== undefined) yield value
    }
  }

  private advanceFirst(): void {
    const mask = this.slots.length - 1
    while (this.first < this.next && this.slots[this.first & mask] === undefined) this.first++
  }

  /** Room for `span` seqs from `first`: the ring doubles, each entry to its slot under the new mask. */
  private fit(span: number): void {
    if (span <= this.slots.length) return
    let length = this.slots.length
    while (length < span) length *= 2
    const old = this.slots
    const oldMask = old.length - 1
    this.slots = new Array<V | undefined>(length)
    for (let seq = this.first; seq < this.next; seq++) {
      const value = old[seq & oldMask]
      if (value !== undefined) this.slots[seq & (length - 1)] = value
    }
  }

  private evictOldest(): void {
    const slot = this.first & (this.slots.length - 1)
    const value = this.slots[slot]
    if (value !== undefined) {
      ;(this.overflow ??= new Map()).set(this.first, value)
      this.slots[slot] = undefined
      this.ringSize--
    }
    this.first++
    this.advanceFirst()
  }

  private toMapOnly(): void {
    const all = new Map<number, V>(this.overflow)
    for (let seq = this.first; seq < this.next; seq++) {
      const value = this.slots[seq & (this.slots.length - 1)]
      if (value !== undefined) all.set(seq, value)
    }
    this.slots = []
    this.first = this.next = this.ringSize = 0
    this.overflow = all
    this.mapOnly = true
  }
}
