// A SeqpacketConnection driven by the test: it delivers what the test says,
// when the test says (under RxJS's TestScheduler: at a virtual frame), ends
// the way the test says, and records when end() or close() was called here,
// so a marble test can assert that unsubscribing ended the connection at
// that frame. A window of `window` messages that the test opens with credit().
import { ArrayMessageBatch, type BatchHandler, type EndHandler, type SeqpacketConnection } from '../../core/transport-contract/index.js'

export class FakeConnection implements SeqpacketConnection {
  readonly address = { node: 1, ref: 1 }
  readonly peer = { node: 2, ref: 2 }
  ended = false
  /** How this side ended it, and when (by `now()`). */
  endedHere: { how: 'end' | 'close'; at: number } | undefined
  readonly sent: Uint8Array[] = []
  paused = false
  private handler: BatchHandler | undefined
  private onEnd: EndHandler | undefined
  private outstanding = 0
  private wake: (() => void) | undefined

  constructor(private readonly now: () => number = () => 0, private readonly window = Infinity) {}

  deliver(...messages: Uint8Array[]): void {
    this.handler?.(new ArrayMessageBatch(messages.map(data => ({ data, from: this.peer }))))
  }

  /** A returned message, which a connection should never hand over (the stream counts it). */
  deliverReturned(): void {
    const returned = { code: 'NO_PORT' as const, data: new Uint8Array(0), length: 0 }
    this.handler?.(new ArrayMessageBatch([{ data: new Uint8Array(0), from: this.peer, returned }]))
  }

  peerEnds(err?: Error): void {
    this.ended = true
    this.onEnd?.(err)
  }

  /** The peer consumed `n` messages: the window opens. */
  credit(n: number): void {
    this.outstanding -= n
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  send(data: Uint8Array): boolean {
    if (this.outstanding >= this.window) return false
    this.outstanding++
    this.sent.push(data)
    return true
  }

  writable(): Promise<void> {
    if (this.outstanding < this.window) return Promise.resolve()
    return new Promise(resolve => { this.wake = resolve })
  }

  onMessages(handler: BatchHandler, onEnd?: EndHandler): void {
    this.handler = handler
    this.onEnd = onEnd
  }

  pause(): void { this.paused = true }
  resume(): void { this.paused = false }
  whenEnded(): Promise<Error | undefined> { return new Promise(() => undefined) }

  end(): void { this.endHere('end') }
  close(): void { this.endHere('close') }

  private endHere(how: 'end' | 'close'): void {
    if (this.ended) return
    this.ended = true
    this.endedHere = { how, at: this.now() }
  }
}
