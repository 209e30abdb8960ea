// Shared pieces of the receiver tests: a StreamReceiver that records what it
// delivers and what gaps it reports, and the copies a publisher would send to
// one socket that gets some of a stream's seqs.
import { StreamReceiver, type StreamReceiverOptions } from '../../core/pubsub/stream-receiver.js'
import { ManualClock } from './receiver-clock.js'

export type NoticeReason = 'timeout' | 'left' | 'returned' | 'terminated'

export interface Recorded {
  clock: ManualClock
  receiver: StreamReceiver<string, NoticeReason>
  /** Delivered seqs, in delivery order. */
  delivered: number[]
  /** Attempts of the deliveries, same order. */
  attempts: number[]
  gaps: Array<{ from: number; to: number; reason: string }>
}

export function recording(options: StreamReceiverOptions = {}, clock = new ManualClock()): Recorded {
  const delivered: number[] = []
  const attempts: number[] = []
  const gaps: Recorded['gaps'] = []
  const receiver = new StreamReceiver<string, NoticeReason>(clock, options, {
    deliver: (m, seq, attempt) => {
      if (m !== `m${seq}`) throw new Error(`message ${m} delivered as seq ${seq}`)
      delivered.push(seq)
      attempts.push(attempt)
    },
    gap: (from, to, reason) => { gaps.push({ from, to, reason }) },
  })
  return { clock, receiver, delivered, attempts, gaps }
}

export interface Copy { seq: number; prev: number }

/** The copies sent to a socket that gets exactly `seqs` (ascending), each naming its prev. */
export function chain(seqs: number[]): Copy[] {
  return seqs.map((seq, i) => ({ seq, prev: i === 0 ? 0 : seqs[i - 1]! }))
}

/** Offer one copy (attempt 1) under the message name the recorder checks. */
export function offer(r: Recorded, copy: Copy, attempt = 1): string {
  return r.receiver.offer(copy.seq, copy.prev, attempt, `m${copy.seq}`)
}
