// What a subscription sends back to publishers: acks and `working` batched
// per publisher stream (ack-batcher.ts), naks and terms at once, all by
// unicast from the subscription's own socket (so the publisher knows which
// subscriber answered). It remembers, bounded, which seqs it acked, so a
// duplicate of an acked message (its ack was lost, or late) is acked again
// instead of being processed twice; and which chunk seqs make up the message
// being reassembled, so one ack covers them all.
import type { SocketAddress } from '../transport-contract/index.js'
import { AckBatcher } from './ack-batcher.js'
import { encodeEnvelope } from './envelope-encode.js'
import type { Outbox } from './outbox.js'

/** Acked seqs remembered per subscription, for re-acking duplicates. */
const ACKED_MEMORY = 8192

interface ChunkHolder { publisher: SocketAddress; stream: bigint; seq: number }

export class SubscriberAcks {
  private readonly acked = new Map<string, true>()
  private readonly chunkSeqs = new Map<string, number[]>()

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
    this.remember(stream, seq)
    this.batcher.ack(to, stream, seq, attempt)
  }

  working(to: SocketAddress, stream: bigint, seq: number, attempt: number): void {
    this.batcher.working(to, stream, seq, attempt)
  }

  nak(to: SocketAddress, stream: bigint, seq: number, attempt: number, delayMs: number): void {
    this.batcher.nak(to, stream, seq, attempt, delayMs)
  }

  term(to: SocketAddress, stream: bigint, seq: number, attempt: number, reason: string): void {
    this.remember(stream, seq)
    this.batcher.term(to, stream, seq, attempt, reason)
  }

  /** Send what is batched now (the socket is about to close). */
  close(): void {
    this.batcher.flushNow()
    this.batcher.close()
  }

  wasAcked(stream: bigint, seq: number): boolean {
    return this.acked.has(`${stream}:${seq}`)
  }

  /** A chunk arrived in order and its message is not whole yet. */
  holdChunk(m: ChunkHolder): void {
    const key = holderKey(m)
    const seqs = this.chunkSeqs.get(key) ?? []
    seqs.push(m.seq)
    this.chunkSeqs.set(key, seqs)
  }

  /** The last chunk arrived (or the assembly failed): every seq of the message, in order. */
  takeChunks(m: ChunkHolder): number[] {
    const key = holderKey(m)
    const seqs = this.chunkSeqs.get(key) ?? []
    this.chunkSeqs.delete(key)
    seqs.push(m.seq)
    return seqs
  }

  private remember(stream: bigint, seq: number): void {
    this.acked.set(`${stream}:${seq}`, true)
    if (this.acked.size > ACKED_MEMORY) this.acked.delete(this.acked.keys().next().value!)
  }
}

function holderKey(m: ChunkHolder): string {
  return `${m.publisher.node}:${m.publisher.ref}:${m.stream}`
}
