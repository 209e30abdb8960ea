// One end of a SEQPACKET connection, as both transports keep it: boundaries
// kept (one message in, one out), end-to-end flow control (a window of
// messages the peer's application has not consumed, paid back as credit),
// and the peer's end delivered after the data sent before it. What a
// transport supplies is how things reach the peer (the memory network's
// virtual clock, or records on a udp link): the abstract hooks below; its
// node is the end's host (flush, leaving, a pending connect).
import type { SocketAddress } from '../../transport-contract/address.js'
import { ConnectionEndedError, SocketClosedError } from '../../transport-contract/errors.js'
import { checkMessage } from '../../transport-contract/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport-contract/message.js'
import type { EndHandler, SeqpacketConnection } from '../../transport-contract/seqpacket.js'
import { EndState } from './end-state.js'
import { Inbox } from './inbox.js'
import { keepMessage, type Keep } from './keep.js'
import { Waiters } from './waiters.js'

/** What arrives from the peer, in order: messages, then at most one end. */
export type ConnectionItem = { message: ReceivedMessage } | { end: Error | undefined }

/** What a connection end needs of its node. */
export interface ConnectionEndHost<C> {
  /** Something may be ready to hand over: flush soon. */
  wake(end: C): void
  /** The end leaves the node's endpoints. */
  removeEndpoint(end: C): void
  /** Reject the end's pending connect(), if it has one. */
  failConnect(end: C, err: Error): void
}

export abstract class BaseSeqpacketConnection implements SeqpacketConnection {
  readonly kind = 'connection'
  readonly address: SocketAddress
  private peerAddress: SocketAddress | undefined
  private readonly inbox = new Inbox<ConnectionItem>(() => this.host.wake(this))
  private endHandler: EndHandler | undefined
  /** Closed here (end(), close(), or the end delivered): nothing more is sent or received. */
  private closedFlag = false
  /** The peer's end arrived (not necessarily delivered yet): sends now fail with why. */
  private peerEnd: { err: Error | undefined } | undefined
  private readonly endState = new EndState()
  private readonly waiters = new Waiters()
  /** Messages sent and not yet consumed by the peer's application. */
  private outstanding = 0
  private readonly window: number
  private readonly host: ConnectionEndHost<BaseSeqpacketConnection>

  constructor(host: ConnectionEndHost<BaseSeqpacketConnection>, address: SocketAddress, window: number) {
    this.host = host
    this.address = address
    this.window = window
  }

  // --- what the transport supplies -------------------------------------------

  /** Carry one message (already copied) to the peer, after what was sent before. */
  protected abstract sendData(peer: SocketAddress, data: Uint8Array): void
  /** Tell the peer of a clean end, after the data. */
  protected abstract sendEnd(peer: SocketAddress): void
  /** Tell the peer this end is gone abruptly (it sees PeerLostError('NO_PORT')). */
  protected abstract sendAbort(peer: SocketAddress): void
  /** Pay the peer back for `n` messages its application consumed here. */
  protected abstract sendCredit(peer: SocketAddress, n: number): void

  // --- the contract ------------------------------------------------------------

  get peer(): SocketAddress {
    if (!this.peerAddress) throw new SocketClosedError()
    return { ...this.peerAddress }
  }

  get ended(): boolean {
    return this.endState.ended
  }

  send(data: Uint8Array): boolean {
    // Ended by the peer reads as EPIPE (with why), even once the end was delivered.
    const refused = this.sendRefusal()
    if (refused) throw refused
    checkMessage(data)
    if (this.outstanding >= this.window) return false
    this.outstanding++
    this.sendData(this.peerAddress!, data.slice())
    return true
  }

  writable(): Promise<void> {
    const refused = this.sendRefusal()
    if (refused) return Promise.reject(refused)
    if (this.outstanding < this.window) return Promise.resolve()
    return this.waiters.wait()
  }

  onMessages(handler: BatchHandler, onEnd?: EndHandler): void {
    this.endHandler = onEnd
    this.inbox.listen(handler)
  }

  pause(): void {
    this.inbox.pause()
  }

  resume(): void {
    this.inbox.resume()
  }

  whenEnded(): Promise<Error | undefined> {
    return this.endState.whenEnded()
  }

  end(): void {
    if (this.closedFlag) return
    const p = this.peerAddress
    if (p && !this.peerEnd) this.sendEnd(p)
    this.finishHere(undefined)
  }

  close(): void {
    if (this.closedFlag) return
    this.abortPeer()
    this.finishHere(new SocketClosedError())
  }

  // --- called by the transport ---------------------------------------------------

  /** the connection is up, with this peer */
  established(peer: SocketAddress): void {
    this.peerAddress = { ...peer }
  }

  /** the peer this end is connected to, if any */
  get peerIfAny(): SocketAddress | undefined {
    return this.peerAddress
  }

    get isClosed(): boolean {
    return this.closedFlag
  }

  /** a message or the end arrived from the peer */
  deliver(item: ConnectionItem): void {
    if (this.closedFlag) return
    if ('end' in item) {
      if (this.peerEnd) return
      this.peerEnd = { err: item.end }
      this.waiters.rejectAll(endedError(item.end))
    }
    this.inbox.push(item)
    this.host.wake(this)
  }

  keepQueued(keep: Keep): void {
    for (const item of this.inbox.fresh()) if ('message' in item) keepMessage(item.message, keep)
  }

  /** the peer's application consumed `n` of our messages */
  credit(n: number): void {
    this.outstanding = Math.max(0, this.outstanding - n)
    if (this.outstanding >= this.window) return
    this.waiters.resolveAll()
  }

    ready(): boolean {
    return this.inbox.deliverable && !this.closedFlag
  }

  /** hand at most `batchSize` messages over; the end goes alone, after them. */
  flush(batchSize: number): void {
    if (!this.ready()) return
    const taken = this.inbox.take(batchSize, item => 'message' in item) as Array<{ message: ReceivedMessage }>
    if (taken.length > 0) {
      const p = this.peerAddress
      if (p && !this.peerEnd) this.sendCredit(p, taken.length)
      this.inbox.handler!(new ArrayMessageBatch(taken.map(item => item.message)))
    }
    const next = this.inbox.peek()
    if (next && 'end' in next && !this.closedFlag && taken.length < batchSize) {
      this.inbox.shift()
      this.finishByPeer(next.end)
    }
  }

  /** the connect failed or was abandoned: end without a peer */
  fail(err: Error): void {
    this.finishHere(err)
  }

  // --- for the transports' own terminate() ---------------------------------------

  /** Tell a peer that has not ended that this end is gone. */
  protected abortPeer(): void {
    const p = this.peerAddress
    if (p && !this.peerEnd) this.sendAbort(p)
  }

  /** Ended from this side: drop what was unread, fail a pending connect, settle. */
  protected finishHere(err: Error | undefined, detach = true): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.inbox.clear()
    if (detach) this.host.removeEndpoint(this)
    this.host.failConnect(this, err ?? new SocketClosedError())
    this.waiters.rejectAll(new SocketClosedError())
    this.endState.settle(err)
  }

  /** The peer's end reached the application: the end handler is called, once. */
  private finishByPeer(err: Error | undefined): void {
    this.closedFlag = true
    this.host.removeEndpoint(this)
    this.endState.settle(err)
    this.endHandler?.(err)
  }

  private sendRefusal(): Error | undefined {
    if (this.peerEnd) return endedError(this.peerEnd.err)
    if (this.closedFlag) return new SocketClosedError()
    return undefined
  }
}

function endedError(cause: Error | undefined): ConnectionEndedError {
  return new ConnectionEndedError(cause ? { cause } : {})
}
