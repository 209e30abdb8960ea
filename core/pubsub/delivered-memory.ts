// What one stream receiver remembers of the seqs it delivered, in bounded
// memory, so that a duplicate can be recognised (and re-acked) without a set
// that grows with the stream.
//
// Seqs delivered in chain order need no per-seq record: the chain only moves
// forward, so a chain seq at or below the head was delivered unless it lies in
// a stretch the receiver jumped over (a gap, or the seqs before a start or a
// restart of the chain). Those stretches are few, and are what is kept. Copies
// delivered out of chain (unlisted copies, redeliveries after a nak) are kept
// per seq, in a bounded set.
//
// When a bound is reached the oldest record goes, and the answers turn
// conservative: a seq the memory can no longer place counts as "not
// delivered" for re-acking (a lost re-ack costs the publisher a timeout; a
// false one would report a delivery that did not happen) and as "already
// seen" for unlisted copies (a very late duplicate is dropped rather than
// delivered twice).

/** How many skipped stretches are remembered; gaps are rare, so this covers many thousands of messages. */
export const REMEMBERED_SKIPS = 64

export class DeliveredMemory {
  /** Stretches [from, to] at or below the head that were not delivered in chain order, oldest first. */
  private readonly skipped: Array<readonly [number, number]> = []
  /** Every seq at or below this is beyond what the skipped stretches can tell. */
  private unknownThrough = 0
  /** Seqs delivered out of chain order (unlisted copies), in delivery order. */
  private readonly outOfChain = new Set<number>()
  /** Every out-of-chain seq at or below this was forgotten: a copy of it counts as seen. */
  private outOfChainForgottenThrough = 0
  /** Delivered seqs opened again by a nak, with the attempt that was refused. */
  private readonly reopened = new Map<number, number>()

  constructor(private readonly maxPerSeq: number) {}

  /** The chain jumped over [from, to] without delivering it (no record if empty). */
  skippedOver(from: number, to: number): void {
    if (from > to) return
    this.skipped.push([from, to])
    if (this.skipped.length > REMEMBERED_SKIPS) {
      const [, forgottenTo] = this.skipped.shift() as readonly [number, number]
      this.unknownThrough = Math.max(this.unknownThrough, forgottenTo)
    }
  }

  /** `seq` was delivered outside the chain. */
  deliveredOutOfChain(seq: number): void {
    this.outOfChain.add(seq)
    if (this.outOfChain.size > this.maxPerSeq) {
      const oldest = this.outOfChain.values().next().value as number
      this.outOfChain.delete(oldest)
      this.outOfChainForgottenThrough = Math.max(this.outOfChainForgottenThrough, oldest)
    }
  }

  /** Whether an out-of-chain copy of `seq` was seen (or is too old to tell, which counts as seen). */
  seenOutOfChain(seq: number): boolean {
    return this.outOfChain.has(seq) || seq <= this.outOfChainForgottenThrough
  }

  /** A nak refused `attempt` of `seq`: the next copy with a higher attempt is delivered again. */
  reopen(seq: number, attempt: number): void {
    this.reopened.delete(seq)
    this.reopened.set(seq, attempt)
    // Beyond the bound the oldest open seq closes again: its resend is then a
    // duplicate. Only a subscriber holding more naks than that in flight sees it.
    if (this.reopened.size > this.maxPerSeq) this.reopened.delete(this.reopened.keys().next().value as number)
  }

  /** The refused attempt of an open seq, or undefined if `seq` is not open. */
  openAttempt(seq: number): number | undefined {
    return this.reopened.get(seq)
  }

  /** `seq` was delivered again: it is closed (and counts as delivered, as before the nak). */
  closeReopened(seq: number): void {
    this.reopened.delete(seq)
  }

  /** Whether `seq` is known to have been delivered (and not opened again), given the chain's head. */
  wasDelivered(seq: number, head: number): boolean {
    if (this.reopened.has(seq)) return false
    if (this.outOfChain.has(seq)) return true
    if (seq > head || seq <= this.unknownThrough) return false
    return !this.skipped.some(([from, to]) => seq >= from && seq <= to)
  }
}
