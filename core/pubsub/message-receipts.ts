// From the ack tracker's per-seq outcomes and receipts to one receipt per
// published message. Most messages are one seq; a chunked message is one seq
// per chunk, and a subscriber has processed it only when it processed every
// chunk, so its outcome is the first non-acked outcome among the chunks (by
// chunk order), or acked (an ack of any chunk: a subscriber acks a message's
// chunks together). Outcomes of one-seq messages are passed on as they
// happen; those of a chunked message when it settles.
import type { Outcome, Receipt, TargetId } from './outcome.js'
import { SeqMap } from './seq-map.js'

/** What the public face is told about one message. */
export interface PublishObserver {
  outcome(o: Outcome): void
  receipt(r: Receipt): void
  error(err: Error): void
}

/**
 * A chunked message: its seqs (in chunk order) and its chunks' receipts so
 * far. A one-seq message (nearly all) needs neither: its observer is all
 * there is to keep, and a message in flight holds what is kept until its receipt.
 */
class ChunkedMessage {
  readonly receipts = new Map<number, Receipt>()
  constructor(readonly seqs: readonly number[], readonly observer: PublishObserver) {}
}

export class MessageReceipts {
  private readonly bySeq = new SeqMap<PublishObserver | ChunkedMessage>()

  /** `topic`: the publisher's, named in every receipt made here. */
  constructor(private readonly topic: string) {}

  /** A message of one seq (not chunked). */
  open(seq: number, observer: PublishObserver): void {
    this.bySeq.set(seq, observer)
  }

  /** A chunked message: its seqs in chunk order. */
  openChunked(seqs: readonly number[], observer: PublishObserver): void {
    const message = new ChunkedMessage(seqs, observer)
    for (const seq of seqs) this.bySeq.set(seq, message)
  }

  outcome(seq: number, o: Outcome): void {
    const entry = this.bySeq.get(seq)
    if (entry !== undefined && !(entry instanceof ChunkedMessage)) entry.outcome(o)
  }

  /** A seq of an ack: 'none' message went out: nothing will settle it but sending. */
  sentUnacked(seq: number, publishedAt: number, now: number): void {
    this.settled(seq, {
      topic: this.topic, seq, ack: 'none', meaning: 'processed', ok: true, expected: [], outcomes: [], unsettled: [],
      attempts: 1, publishedAt, settledAt: now,
    })
  }

  settled(seq: number, r: Receipt): void {
    const entry = this.bySeq.get(seq)
    if (entry === undefined) return
    this.bySeq.delete(seq)
    if (!(entry instanceof ChunkedMessage)) {
      entry.receipt(r)
      return
    }
    entry.receipts.set(seq, r)
    if (entry.receipts.size < entry.seqs.length) return
    const combined = combine(entry.seqs, entry.receipts)
    for (const o of combined.outcomes) entry.observer.outcome(o)
    entry.observer.receipt(combined)
  }

  failAll(err: Error): void {
    const seen = new Set<PublishObserver>()
    for (const entry of this.bySeq.values()) {
      const observer = entry instanceof ChunkedMessage ? entry.observer : entry
      if (seen.has(observer)) continue
      seen.add(observer)
      observer.error(err)
    }
    this.bySeq.clear()
  }
}

function combine(seqs: readonly number[], bySeq: Map<number, Receipt>): Receipt {
  const receipts = seqs.map(seq => bySeq.get(seq)!)
  const first = receipts[0]!
  const outcomes = new Map<TargetId, Outcome>()
  const unsettled = new Set<TargetId>()
  for (const r of receipts) {
    for (const o of r.outcomes) {
      const before = outcomes.get(o.target)
      if (before === undefined || (before.kind === 'acked' && o.kind !== 'acked')) outcomes.set(o.target, o)
    }
    for (const t of r.unsettled) unsettled.add(t)
  }
  // A subscriber acks a chunked message's seqs together, once it has the whole message: its ack of any chunk
  // means it processed the message. With ack 'one' or a quorum a chunk settles at its first acks, so a
  // target's ack of another chunk may have come too late to count there: it is still acked.
  for (const t of unsettled) {
    if (outcomes.get(t)?.kind === 'acked') unsettled.delete(t)
    else outcomes.delete(t)
  }
  return {
    ...first,
    ok: receipts.every(r => r.ok),
    outcomes: [...outcomes.values()],
    unsettled: [...unsettled],
    attempts: Math.max(...receipts.map(r => r.attempts)),
    settledAt: Math.max(...receipts.map(r => r.settledAt)),
  }
}
