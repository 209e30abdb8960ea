// One SEQPACKET connection as a program uses it: its messages, decoded, as an
// Observable or an async iterable (one consumer, once: a connection's
// messages are consumed, not shared), and send() that waits for the
// connection's flow-control window. The end says how: complete for a clean
// end (the peer's end() or ours), error with the contract's PeerLostError
// (NO_PORT, NO_NODE) when the peer vanished. Unsubscribing, or breaking out
// of the loop, ends the connection (shutdown, then close).
import { count, lastValueFrom, Observable, Subject, type Observer, type Subscription } from 'rxjs'
import { isCodecError, type Codec } from '../../codecs/index.js'
import type { MessageBatch, SeqpacketConnection, SocketAddress } from '../transport-contract/index.js'
import { StreamConsumedError, StreamDecodeError } from './errors.js'
import { OrderedSender } from './ordered-sender.js'
import { pullIterator } from './pull-iterator.js'
import { sendTo } from './send-to.js'
import type { ResolvedStreamOptions } from './stream-options.js'
import type { StreamDecodeFailure, StreamSink, StreamStats } from './stream-sink.js'

type Mode = 'observable' | 'iterator'

export class MessageStream<T = unknown> extends Observable<T> implements AsyncIterable<T>, AsyncDisposable {
  /** Messages that did not decode (under onDecodeFailure 'skip'): the stream went on without them. */
  readonly failures$ = new Subject<StreamDecodeFailure>()
  private readonly counters: StreamStats = { received: 0, sent: 0, windowWaits: 0, decodeFailures: 0, unexpected: 0 }
  private readonly sender: OrderedSender
  private readonly codec: Codec<T>
  private mode: Mode | undefined
  private sink: StreamSink<T> | undefined

  /** @internal made by listenStream / connectStream */
  constructor(private readonly connection: SeqpacketConnection, private readonly options: ResolvedStreamOptions) {
    super(subscriber => {
      this.read({
        value: v => subscriber.next(v),
        end: err => (err === undefined ? subscriber.complete() : subscriber.error(err)),
        get stopped() { return subscriber.closed },
      })
      return () => this.end()
    })
    this.codec = options.codec as Codec<T>
    this.sender = new OrderedSender(connection, options.maxWaitingSends, this.counters)
    // Nobody may be reading when the peer goes: settle failures$ all the same.
    void connection.whenEnded().then(() => this.failures$.complete())
  }

  /** This end's socket. */
  get address(): SocketAddress {
    return this.connection.address
  }

  /** The socket at the other end. */
  get peer(): SocketAddress {
    return this.connection.peer
  }

  /** True once the connection ended, either way. */
  get ended(): boolean {
    return this.connection.ended
  }

  /** Resolves (never rejects) with how the connection ended: undefined when clean. */
  whenEnded(): Promise<Error | undefined> {
    return this.connection.whenEnded()
  }

  stats(): StreamStats {
    return { ...this.counters }
  }

  /**
   * Claims the Observable mode before RxJS runs the subscribe function, so a
   * second consumer is refused at the call, not through the error callback.
   */
  override subscribe(observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null): Subscription {
    this.claim('observable')
    return super.subscribe(observerOrNext ?? undefined)
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    this.claim('iterator')
    return pullIterator<T>(this.connection, this.options.readAhead, sink => this.read(sink), () => this.end())
  }

  /**
   * Send one value. Resolves when the transport took it; waits (in order)
   * while the peer has not consumed enough (the connection's window). Rejects
   * with the codec's CodecError, MessageTooLargeError (a stream message is
   * one TIPC message: at most 66000 bytes), StreamSendQueueFullError, or how
   * the connection ended (ConnectionEndedError, SocketClosedError).
   */
  send(value: T): Promise<void> {
    let bytes: Uint8Array
    try {
      bytes = this.codec.encode(value)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.sender.send(bytes)
  }

  /**
   * Send every value of `source`, in order, and resolve with how many. An
   * iterable or async iterable is pulled one value per free slot of the
   * window (real pull backpressure); an Observable is piped with sendTo.
   * A failed send stops it with that error (an async iterator's return() is called).
   */
  async sendAll(source: Iterable<T> | AsyncIterable<T> | Observable<T>): Promise<number> {
    if (source instanceof Observable) return lastValueFrom(source.pipe(sendTo(this), count()))
    let sent = 0
    for await (const value of source) {
      await this.send(value)
      sent++
    }
    return sent
  }

  /** Shut down cleanly (the peer sees the data sent, then a clean end) and close; the consumer completes. Idempotent. */
  end(): void {
    this.connection.end()
    this.finish(undefined)
  }

  /** Close abruptly: the peer sees PeerLostError('NO_PORT'); the consumer here completes. Idempotent. */
  close(): void {
    this.connection.close()
    this.finish(undefined)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.end()
    await this.whenEnded()
  }

  private claim(mode: Mode): void {
    if (this.mode !== undefined) throw new StreamConsumedError(this.mode, mode)
    this.mode = mode
  }

  private read(sink: StreamSink<T>): void {
    this.sink = sink
    this.connection.onMessages(batch => this.deliver(batch, sink), err => this.finish(err))
  }

  private deliver(batch: MessageBatch, sink: StreamSink<T>): void {
    for (let i = 0; i < batch.length && !sink.stopped && this.sink === sink; i++) {
      const message = batch.at(i)
      if (message.returned !== undefined) {
        this.counters.unexpected++
        continue
      }
      let value: T
      try {
        value = this.codec.decode(message.data)
      } catch (err) {
        this.decodeFailed(message.data, err)
        continue
      }
      this.counters.received++
      sink.value(value)
    }
  }

  private decodeFailed(bytes: Uint8Array, err: unknown): void {
    this.counters.decodeFailures++
    if (this.options.onDecodeFailure === 'error') {
      this.finish(new StreamDecodeError(bytes, err))
      this.connection.end()
      return
    }
    this.failures$.next({ bytes, reason: isCodecError(err) ? err.code : 'DECODE_FAILED', cause: err })
  }

  /** The consumer's end, once; later ends (ours after the peer's) change nothing. */
  private finish(err: Error | undefined): void {
    const sink = this.sink
    this.sink = undefined
    sink?.end(err)
  }
}
