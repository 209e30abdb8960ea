// What one stream delivered at its receiving node, per sequence number
// (the ReceiverTally of stream-ledger.ts), and whether the bytes were the
// ones sent.
import type { ReceiverTally } from '../stream-ledger.js'

export class StreamTally implements ReceiverTally {
  readonly counts: Uint8Array
  outOfOrder = 0
  beyond = 0
  /** Deliveries whose content was not what was sent. */
  corrupt = 0
  private highest = -1

  constructor(length: number) {
    this.counts = new Uint8Array(length)
  }

  deliver(seq: number, intact: boolean): void {
    if (!intact) this.corrupt++
    if (seq >= this.counts.length) {
      this.beyond++
      return
    }
    if (this.counts[seq]! < 255) this.counts[seq]!++
    if (seq < this.highest) this.outOfOrder++
    else this.highest = seq
  }
}
