// What a subscription sends back to publishers: acks and `working` batched
// per publisher stream (ack-batcher.ts), naks and terms at once, all by
// unicast from the subscription's own socket (so the publisher knows which
// subscriber answered). It remembers, bounded, how it settled each seq (ack,
// or term with its reason), so a duplicate of a settled message (its answer
// was lost, or late) gets the same answer again instead of being processed
// twice, and a refused message is never acked.
import type { SocketAddress } from '../transport-contract/index.js'
import { AckBatcher } from './ack-batcher.js'
import { encodeEnvelope } from './envelope-encode.js'
import type { Outbox } from './outbox.js'
import { SeqMap } from './seq-map.js'

/** Acked seqs remembered per subscription, for re-acking duplicates. */
export const ACKED_MEMORY = 8192


type Answer = true | { term: string }

export class SubscriberAcks {
  /**
   * How each remembered seq was settled, per stream: acked (true), or
   * terminated with this reason. Keyed by the stream's BigInt and the seq, not
   * by a `${stream}:${seq}` string: formatting a BigInt for every delivery was
   * a fifth of the subscriber's profile. Per stream a SeqMap, not a Map: seqs
   * are remembered in order and forgotten oldest first, the pattern that
   * makes a Map's replaced tables keep young entries alive (seq-map.ts).
   */
  private readonly settled = new Map<bigint, SeqMap<Answer>>()
  // What is remembered, oldest first: a ring of ACKED_MEMORY entries, in
  // three arrays (no object per delivery). The first remembered goes first.
  // The arrays grow as they fill (slot = count until the ring is full): a
  // process with 10,000 subscriptions must not allocate 10,000 full rings.
  private readonly ringOf: Array<SeqMap<Answer> | undefined> = []
  private readonly ringStream: bigint[] = []
  private readonly ringSeq: number[] = []
  private ringStart = 0
  private ringCount = 0

  private readonly batcher: AckBatcher

  constructor(private readonly topicHash: bigint, private readonly outbox: Outbox) {
    this.batcher = new AckBatcher({
      flush: (to, stream, acks) => {
        this.outbox.send(to, encodeEnvelope({ kind: 'ack', topicHash: this.topicHash, stream, timestamp: Date.now(), acks }))
      },
      nack: (to, stream, n) => {
        this.outbox.send(to, encodeEnvelope({ kind: 'nack', topicHash: this.topicHash, stream, timestamp: Date.now(), ...n }))
      },
    })
  }

  ack(to: SocketAddress, stream: bigint, seq: number, attempt: number): void {
    this.remember(stream, seq, true)
    this.batcher.ack(to, stream, seq, attempt)
  }

  working(to: SocketAddress, stream: bigint, seq: number, attempt: number): void {
    this.batcher.working(to, stream, seq, attempt)
  }

  nak(to: SocketAddress, stream: bigint, seq: number, attempt: number, delayMs: number): void {
    this.batcher.nak(to, stream, seq, attempt, delayMs)
  }

  term(to: SocketAddress, stream: bigint, seq: number, attempt: number, reason: string): void {
    this.remember(stream, seq, { term: reason })
    this.batcher.term(to, stream, seq, attempt, reason)
  }

  /** `seq` was processed and acked, with nothing to send (a replayed copy): a live copy of it is answered with an ack. */
  recordAck(stream: bigint, seq: number): void {
    this.remember(stream, seq, true)
  }

  /** `seq` was refused, with nothing to send (a replayed copy): a live copy of it is answered with this term. */
  recordTerm(stream: bigint, seq: number, reason: string): void {
    this.remember(stream, seq, { term: reason })
  }

  /** Send what is batched now (the socket is about to close). */
  close(): void {
    this.batcher.flushNow()
    this.batcher.close()
  }

  /** A duplicate of `seq` arrived: answer it as it was settled (false: not settled, or forgotten). */
  answerAgain(to: SocketAddress, stream: bigint, seq: number, attempt: number): boolean {
    const answer = this.settled.get(stream)?.get(seq)
    if (answer === undefined) return false
    if (answer === true) this.batcher.ack(to, stream, seq, attempt)
    else this.batcher.term(to, stream, seq, attempt, answer.term)
    return true
  }

  private remember(stream: bigint, seq: number, answer: Answer): void {
    let ofStream = this.settled.get(stream)
    if (ofStream === undefined) this.settled.set(stream, ofStream = new SeqMap<Answer>())
    // Settled again (a redelivery after a nak): the new answer, in the place of the first (as Map.set keeps it).
    const known = ofStream.has(seq)
    ofStream.set(seq, answer)
    if (known) return
    if (this.ringCount === ACKED_MEMORY) this.forgetOldest()
    const slot = (this.ringStart + this.ringCount++) % ACKED_MEMORY
    this.ringOf[slot] = ofStream
    this.ringStream[slot] = stream
    this.ringSeq[slot] = seq
  }

  private forgetOldest(): void {
    const slot = this.ringStart
    const ofStream = this.ringOf[slot]!
    ofStream.delete(this.ringSeq[slot]!)
    if (ofStream.size === 0) this.settled.delete(this.ringStream[slot]!)
    this.ringOf[slot] = undefined
    this.ringStart = (slot + 1) % ACKED_MEMORY
    this.ringCount--
  }
}

