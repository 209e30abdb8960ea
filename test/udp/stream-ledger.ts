// Accounting for one numbered stream (issue 8): what the sender's send()
// took and what came back to it (the ledger, kept in the sending process),
// against what the receiver delivered (its tally, one count per sequence
// number). The contract being checked: every message send() took is
// delivered exactly once or returned, never both, except that a message
// returned NO_NODE may have been delivered (the node was lost before its
// ack came back), which is counted and reported.
import { RETURN_CODES, type ReturnCode } from '../../core/index.js'

export type CodeCounts = Record<ReturnCode, number>

/** What the receiver saw, per sequence number (fixtures/stream-receiver.ts). */
export interface ReceiverTally {
  /** Deliveries per sequence number (saturating at 255). */
  counts: Uint8Array
  /** First deliveries of a sequence number after a higher one. */
  outOfOrder: number
  /** Deliveries of sequence numbers beyond the stream. */
  beyond: number
}

export interface StreamCounts {
  /** Messages send() took. */
  taken: number
  /** Taken messages delivered at least once. */
  delivered: number
  /** Deliveries beyond the first of a message. */
  duplicates: number
  outOfOrder: number
  /** Taken messages returned, by their (first) return's code. */
  returned: CodeCounts
  /** Taken messages both delivered and returned, by code. */
  deliveredAndReturned: CodeCounts
  /** Taken messages neither delivered nor returned: lost without a word. */
  neither: number
  /** Messages returned more than once. */
  returnedTwice: number
  /** Deliveries or returns of messages send() never took (or beyond the stream). */
  neverTaken: number
}

const zeroCodes = (): CodeCounts => Object.fromEntries(RETURN_CODES.map(c => [c, 0])) as CodeCounts

export class SenderLedger {
  readonly length: number
  private readonly taken: Uint8Array
  /** 0: not returned; else 1 + the index of the first return's code in RETURN_CODES. */
  private readonly returnedAs: Uint8Array
  private returnedTwice = 0
  private returnedNeverTaken = 0
  takenCount = 0

  constructor(length: number) {
    this.length = length
    this.taken = new Uint8Array(length)
    this.returnedAs = new Uint8Array(length)
  }

  take(seq: number): void {
    if (this.taken[seq] === 0) this.takenCount++
    this.taken[seq] = 1
  }

  returned(seq: number, code: ReturnCode): void {
    if (seq >= this.length || this.taken[seq] === 0) {
      this.returnedNeverTaken++
      return
    }
    if (this.returnedAs[seq] !== 0) this.returnedTwice++
    else this.returnedAs[seq] = 1 + RETURN_CODES.indexOf(code)
  }

  /** Taken messages neither delivered (per `counts`) nor returned. */
  unaccounted(counts: Uint8Array): number {
    let n = 0
    for (let seq = 0; seq < this.length; seq++) if (this.taken[seq] === 1 && counts[seq] === 0 && this.returnedAs[seq] === 0) n++
    return n
  }

  account(tally: ReceiverTally): StreamCounts {
    const c: StreamCounts = {
      taken: this.takenCount, delivered: 0, duplicates: 0, outOfOrder: tally.outOfOrder,
      returned: zeroCodes(), deliveredAndReturned: zeroCodes(), neither: 0,
      returnedTwice: this.returnedTwice, neverTaken: this.returnedNeverTaken + tally.beyond,
    }
    for (let seq = 0; seq < this.length; seq++) {
      const times = tally.counts[seq] ?? 0
      const code = this.returnedAs[seq]! === 0 ? undefined : RETURN_CODES[this.returnedAs[seq]! - 1]!
      if (times > 1) c.duplicates += times - 1
      if (this.taken[seq] === 0) {
        if (times > 0) c.neverTaken++
        continue
      }
      if (times > 0) c.delivered++
      if (code) c.returned[code]++
      if (code && times > 0) c.deliveredAndReturned[code]++
      if (!code && times === 0) c.neither++
    }
    return c
  }
}

/** Returned messages, all codes. */
export function totalReturned(c: StreamCounts): number {
  return RETURN_CODES.reduce((n, code) => n + c.returned[code], 0)
}

/** Delivered and returned with a code other than NO_NODE: never allowed. */
export function deliveredAndWronglyReturned(c: StreamCounts): number {
  return RETURN_CODES.reduce((n, code) => n + (code === 'NO_NODE' ? 0 : c.deliveredAndReturned[code]), 0)
}
