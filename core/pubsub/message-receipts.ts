// From the ack tracker's per-seq outcomes and receipts to one receipt per
// published message. Most messages are one seq; a chunked message is one seq
// per chunk, and a subscriber has processed it only when it processed every
// chunk, so its outcome is the first non-acked outcome among the chunks (by
// chunk order), or acked (an ack of any chunk: a subscriber acks a message's
// chunks together). Outcomes of one-seq messages are passed on as they
// happen; those of a chunked message when it settles.
import type { AckMode, Outcome, Receipt, TargetId } from './outcome.js'
import { SeqMap } from './seq-map.js'

/** What the public face is told about one message. */
export interface PublishObserver {
  outcome(o: Outcome): void
  receipt(r: Receipt): void
  error(err: Error): void
}

interface MessageState {
  seqs: number[]
  observer: PublishObserver
  topic: string
  ack: AckMode
  expected: TargetId[]
  publishedAt: number
  /** The chunks' receipts so far; only a chunked message (several seqs) needs them. */
  receipts: Map<number, Receipt> | undefined
}

export class MessageReceipts {
  private readonly bySeq = new SeqMap<MessageState>()

  open(seqs: number[], topic: string, ack: AckMode, expected: TargetId[], publishedAt: number, observer: PublishObserver): void {
    const state: MessageState = { seqs, observer, topic, ack, expected, publishedAt, receipts: seqs.length > 1 ? new Map() : undefined }
    for (const seq of seqs) this.bySeq.set(seq, state)
  }

  outcome(seq: number, o: Outcome): void {
    const state = this.bySeq.get(seq)
    if (state !== undefined && state.seqs.length === 1) state.observer.outcome(o)
  }

  /** A seq of an ack: 'none' message went out: nothing will settle it but sending. */
  sentUnacked(seq: number, now: number): void {
    const state = this.bySeq.get(seq)
    if (state === undefined) return
    this.settled(seq, {
      topic: state.topic, seq, ack: 'none', meaning: 'processed', ok: true, expected: [], outcomes: [], unsettled: [],
      attempts: 1, publishedAt: state.publishedAt, settledAt: now,
    })
  }

  settled(seq: number, r: Receipt): void {
    const state = this.bySeq.get(seq)
    if (state === undefined) return
    this.bySeq.delete(seq)
    if (state.receipts === undefined) {
      state.observer.receipt(r)
      return
    }
    state.receipts.set(seq, r)
    if (state.receipts.size < state.seqs.length) return
    const combined = combine(state, state.receipts)
    for (const o of combined.outcomes) state.observer.outcome(o)
    state.observer.receipt(combined)
  }

  failAll(err: Error): void {
    const seen = new Set<MessageState>()
    for (const state of this.bySeq.values()) {
      if (seen.has(state)) continue
      seen.add(state)
      state.observer.error(err)
    }
    this.bySeq.clear()
  }
}

function combine(state: MessageState, bySeq: Map<number, Receipt>): Receipt {
  const receipts = state.seqs.map(seq => bySeq.get(seq)!)
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
