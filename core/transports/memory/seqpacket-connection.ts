// One end of a SEQPACKET connection in the memory network. Boundaries are
// kept (one message in, one message out), flow control is end to end (a
// window of messages the peer has not yet consumed), and the end is
// delivered after the data sent before it: clean after end(),
// PeerLostError after the peer's close() or its node's crash.
import type { SocketAddress } from '../../transport/address.js'
import { ConnectionEndedError, SocketClosedError } from '../../transport/errors.js'
import { checkMessage } from '../../transport/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport/message.js'
import type { EndHandler, SeqpacketConnection } from '../../transport/seqpacket.js'
import type { Endpoint } from './endpoint.js'
import type { MemoryNetwork } from './network.js'

type Item = { message: ReceivedMessage } | { end: Error | undefined }

interface Waiter {
  resolve: () => void
  reject: (err: Error) => void
}

export class MemorySeqpacketConnection implements SeqpacketConnection, Endpoint {
  readonly kind = 'connection'
  readonly address: SocketAddress
  private readonly network: MemoryNetwork
  private peerAddress: SocketAddress | undefined
  private queue: Item[] = []
  private handler: BatchHandler | undefined
  private endHandler: EndHandler | undefined
  private paused = false
  /** Closed here (end() or close()): nothing more can be sent or received. */
  private closedFlag = false
  /** The peer's end arrived (not yet necessarily delivered): sends now fail. */
  private peerEnd: { err: Error | undefined } | undefined
  private endedWith: { err: Error | undefined } | undefined
  private readonly endWaiters: Array<(err: Error | undefined) => void> = []
  private waiters: Waiter[] = []
  /** Messages sent and not yet consumed by the peer's application. */
  private outstanding = 0
  private readonly window: number

  /** @internal made by the network for connect() and accept() */
  constructor(network: MemoryNetwork, address: SocketAddress, window: number) {
    this.network = network
    this.address = address
    this.window = window
  }

  get peer(): SocketAddress {
    if (!this.peerAddress) throw new SocketClosedError()
    return { ...this.peerAddress }
  }

  get ended(): boolean {
    return this.endedWith !== undefined
  }

  send(data: Uint8Array): boolean {
    // Ended by the peer reads as EPIPE (with why), even once the end was delivered.
    if (this.closedFlag && !this.peerEnd) throw new SocketClosedError()
    if (this.peerEnd) throw new ConnectionEndedError(this.peerEnd.err ? { cause: this.peerEnd.err } : {})
    checkMessage(data)
    if (this.outstanding >= this.window) return false
    this.outstanding++
    this.network.connectionSend(this, this.peerAddress!, { message: { data: data.slice(), from: { ...this.address } } })
    return true
  }

  writable(): Promise<void> {
    if (this.closedFlag && !this.peerEnd) return Promise.reject(new SocketClosedError())
    if (this.peerEnd) return Promise.reject(new ConnectionEndedError(this.peerEnd.err ? { cause: this.peerEnd.err } : {}))
    if (this.outstanding < this.window) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  onMessages(handler: BatchHandler, onEnd?: EndHandler): void {
    this.handler = handler
    this.endHandler = onEnd
    this.network.wake(this)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.network.wake(this)
  }

  whenEnded(): Promise<Error | undefined> {
    if (this.endedWith) return Promise.resolve(this.endedWith.err)
    return new Promise(resolve => this.endWaiters.push(resolve))
  }

  end(): void {
    if (this.closedFlag) return
    if (this.peerAddress && !this.peerEnd) this.network.connectionSend(this, this.peerAddress, { end: undefined })
    this.finishHere(undefined)
  }

  close(): void {
    if (this.closedFlag) return
    if (this.peerAddress && !this.peerEnd) this.network.connectionAbort(this.peerAddress, 'NO_PORT')
    this.finishHere(new SocketClosedError())
  }

  // --- called by the network -------------------------------------------------

  /** @internal the connection is up, with this peer */
  established(peer: SocketAddress): void {
    this.peerAddress = { ...peer }
  }

  /** @internal a message or the end arrived from the peer */
  deliver(item: Item): void {
    if (this.closedFlag) return
    if ('end' in item) {
      if (this.peerEnd) return
      this.peerEnd = { err: item.end }
      this.rejectWaiters(new ConnectionEndedError(item.end ? { cause: item.end } : {}))
    }
    this.queue.push(item)
  }

  /** @internal the peer's application consumed `n` of our messages */
  credit(n: number): void {
    this.outstanding = Math.max(0, this.outstanding - n)
    if (this.outstanding >= this.window) return
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.resolve()
  }

  /** @internal */
  get isClosed(): boolean {
    return this.closedFlag
  }

  /** @internal the peer this end is connected to, if any */
  get peerIfAny(): SocketAddress | undefined {
    return this.peerAddress
  }

  ready(): boolean {
    return this.handler !== undefined && !this.paused && this.queue.length > 0 && !this.closedFlag
  }

  flush(batchSize: number): void {
    if (!this.ready()) return
    const messages: ReceivedMessage[] = []
    while (messages.length < batchSize && this.queue.length > 0 && 'message' in this.queue[0]!) {
      messages.push((this.queue.shift() as { message: ReceivedMessage }).message)
    }
    if (messages.length > 0) {
      if (this.peerAddress) this.network.connectionCredit(this.peerAddress, messages.length)
      this.handler!(new ArrayMessageBatch(messages))
    }
    const next = this.queue[0]
    if (next && 'end' in next && !this.closedFlag && messages.length < batchSize) {
      this.queue.shift()
      this.finishByPeer(next.end)
    }
  }

  terminate(err: Error): void {
    this.finishHere(new SocketClosedError({ cause: err }), false)
  }

  /** @internal the connect failed or was abandoned: end without a peer */
  fail(err: Error): void {
    this.finishHere(err)
  }

  private finishByPeer(err: Error | undefined): void {
    this.closedFlag = true
    this.network.removeEndpoint(this)
    this.settle(err)
    this.endHandler?.(err)
  }

  private finishHere(err: Error | undefined, removeEndpoint = true): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.queue = []
    if (removeEndpoint) this.network.removeEndpoint(this)
    this.network.failConnect(this, err ?? new SocketClosedError())
    this.rejectWaiters(new SocketClosedError())
    this.settle(err)
  }

  private settle(err: Error | undefined): void {
    if (this.endedWith) return
    this.endedWith = { err }
    for (const w of this.endWaiters.splice(0)) w(err)
  }

  private rejectWaiters(err: Error): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.reject(err)
  }
}
