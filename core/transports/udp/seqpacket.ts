// SEQPACKET over the links: connect/accept by name, messages with their
// boundaries, end-to-end flow control (a window of messages the peer's
// application has not consumed, returned as credit records), and an end
// that says how: clean (CONN_END after the data), PeerLostError('NO_PORT')
// when the peer closed abruptly (CONN_ABORT), PeerLostError('NO_NODE') when
// the peer's link went down. Records of one connection travel on one link,
// so their order is the link's.
import type { ServiceRange, SocketAddress } from '../../transport/address.js'
import { ConnectionEndedError, SocketClosedError } from '../../transport/errors.js'
import { checkMessage } from '../../transport/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport/message.js'
import type { EndHandler, SeqpacketConnection, SeqpacketListener } from '../../transport/seqpacket.js'
import type { UdpNode } from './node.js'
import { R_CONN_ABORT, R_CONN_ACCEPT, R_CONN_CREDIT, R_CONN_DATA, R_CONN_END } from './records.js'

type Item = { message: ReceivedMessage } | { end: Error | undefined }

export class UdpSeqpacketListener implements SeqpacketListener {
  readonly kind = 'listener'
  readonly address: SocketAddress
  readonly name: ServiceRange
  readonly scope: 'cluster' | 'node'
  private readonly node: UdpNode
  private handler: ((c: SeqpacketConnection) => void) | undefined
  private backlog: SocketAddress[] = []
  private closedFlag = false

  /** @internal */
  constructor(node: UdpNode, ref: number, name: ServiceRange, scope: 'cluster' | 'node') {
    this.node = node
    this.address = { node: node.id, ref }
    this.name = name
    this.scope = scope
  }

  get closed(): boolean {
    return this.closedFlag
  }

  onConnection(handler: (c: SeqpacketConnection) => void): void {
    this.handler = handler
    this.node.wake(this)
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.node.withdraw(this.address.ref, this.name, this.scope)
    this.node.removeEndpoint(this.address.ref)
    for (const client of this.backlog.splice(0)) this.node.refuse(client, this.address.ref)
  }

  /** @internal a connect request arrived */
  offer(client: SocketAddress): void {
    this.backlog.push(client)
    this.node.wake(this)
  }

  /** @internal */
  ready(): boolean {
    return this.handler !== undefined && this.backlog.length > 0 && !this.closedFlag
  }

  /** @internal accept what waits */
  flush(): void {
    while (this.ready()) {
      const client = this.backlog.shift()!
      const server = this.node.newConnection()
      server.established(client)
      this.node.sendRecord(client.node, { kind: R_CONN_ACCEPT, dstRef: client.ref, srcRef: server.address.ref })
      this.handler!(server)
    }
  }

  /** @internal */
  terminate(): void {
    this.close()
  }
}

export class UdpSeqpacketConnection implements SeqpacketConnection {
  readonly kind = 'connection'
  readonly address: SocketAddress
  private readonly node: UdpNode
  private peerAddress: SocketAddress | undefined
  private queue: Item[] = []
  private handler: BatchHandler | undefined
  private endHandler: EndHandler | undefined
  private paused = false
  private closedFlag = false
  private peerEnd: { err: Error | undefined } | undefined
  private endedWith: { err: Error | undefined } | undefined
  private readonly endWaiters: Array<(err: Error | undefined) => void> = []
  private waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []
  private outstanding = 0
  private readonly window: number

  /** @internal */
  constructor(node: UdpNode, ref: number, window: number) {
    this.node = node
    this.address = { node: node.id, ref }
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
    if (this.closedFlag && !this.peerEnd) throw new SocketClosedError()
    if (this.peerEnd) throw new ConnectionEndedError(this.peerEnd.err ? { cause: this.peerEnd.err } : {})
    checkMessage(data)
    if (this.outstanding >= this.window) return false
    this.outstanding++
    const p = this.peerAddress!
    this.node.sendRecord(p.node, { kind: R_CONN_DATA, dstRef: p.ref, srcRef: this.address.ref, data: data.slice() })
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
    this.node.wake(this)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.node.wake(this)
  }

  whenEnded(): Promise<Error | undefined> {
    if (this.endedWith) return Promise.resolve(this.endedWith.err)
    return new Promise(resolve => this.endWaiters.push(resolve))
  }

  end(): void {
    if (this.closedFlag) return
    const p = this.peerAddress
    if (p && !this.peerEnd) this.node.sendRecord(p.node, { kind: R_CONN_END, dstRef: p.ref, srcRef: this.address.ref })
    this.finishHere(undefined)
  }

  close(): void {
    if (this.closedFlag) return
    const p = this.peerAddress
    if (p && !this.peerEnd) this.node.sendRecord(p.node, { kind: R_CONN_ABORT, dstRef: p.ref, srcRef: this.address.ref })
    this.finishHere(new SocketClosedError())
  }

  // --- called by the node ---------------------------------------------------

  /** @internal */
  established(peer: SocketAddress): void {
    this.peerAddress = { ...peer }
  }

  /** @internal */
  get peerIfAny(): SocketAddress | undefined {
    return this.peerAddress
  }

  /** @internal */
  get isClosed(): boolean {
    return this.closedFlag
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
    this.node.wake(this)
  }

  /** @internal the peer consumed n of our messages */
  credit(n: number): void {
    this.outstanding = Math.max(0, this.outstanding - n)
    if (this.outstanding >= this.window) return
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.resolve()
  }

  /** @internal */
  ready(): boolean {
    return this.handler !== undefined && !this.paused && this.queue.length > 0 && !this.closedFlag
  }

  /** @internal */
  flush(batchSize: number): void {
    if (!this.ready()) return
    const messages: ReceivedMessage[] = []
    while (messages.length < batchSize && this.queue.length > 0 && 'message' in this.queue[0]!) {
      messages.push((this.queue.shift() as { message: ReceivedMessage }).message)
    }
    if (messages.length > 0) {
      const p = this.peerAddress
      if (p && !this.peerEnd) this.node.sendRecord(p.node, { kind: R_CONN_CREDIT, dstRef: p.ref, srcRef: this.address.ref, count: messages.length })
      this.handler!(new ArrayMessageBatch(messages))
    }
    const next = this.queue[0]
    if (next && 'end' in next && !this.closedFlag && messages.length < batchSize) {
      this.queue.shift()
      this.closedFlag = true
      this.node.removeEndpoint(this.address.ref)
      this.settle(next.end)
      this.endHandler?.(next.end)
    }
  }

  /** @internal the connect failed or the transport closed */
  fail(err: Error): void {
    this.finishHere(err)
  }

  /** @internal */
  terminate(err: Error): void {
    if (this.closedFlag) return
    const p = this.peerAddress
    if (p && !this.peerEnd) this.node.sendRecord(p.node, { kind: R_CONN_ABORT, dstRef: p.ref, srcRef: this.address.ref })
    this.finishHere(new SocketClosedError({ cause: err }))
  }

  private finishHere(err: Error | undefined): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.queue = []
    this.node.removeEndpoint(this.address.ref)
    this.node.failConnect(this, err ?? new SocketClosedError())
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
