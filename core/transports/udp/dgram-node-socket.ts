// The node's socket on node:dgram: the fallback where the native addon
// cannot load, or with the udp transport's option `socket: 'dgram'`. Every
// send is its own syscall (libuv's send queue); every datagram arrives as
// its own 'message' event.
import dgram from 'node:dgram'
import { literalLookup } from './literal-lookup.js'
import type { NodeSocket, NodeSocketEvents, NodeSocketInfo } from './node-socket.js'

const BUFFER_SIZE = 4 << 20

export class DgramNodeSocket implements NodeSocket {
  readonly kind = 'dgram'
  private readonly socket: dgram.Socket
  /** node:dgram allocates every datagram afresh: nothing is lent. */
  readonly keep = undefined
  private readonly events: NodeSocketEvents
  private sent = 0
  /** Sends whose callback has not come yet: libuv may still hold their buffers. */
  private outstanding = 0
  private received = 0
  private readonly onSendError: () => void

  /** `onSendError`: a packet that failed after send() accepted it (the caller counts). */
  constructor(events: NodeSocketEvents, onSendError: () => void) {
    this.events = events
    this.onSendError = onSendError
    this.socket = dgram.createSocket({ type: 'udp4', lookup: literalLookup })
  }

  async bind(address: string, port: number): Promise<void> {
    const socket = this.socket
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind({ port, address, exclusive: true }, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    try {
      socket.setRecvBufferSize(BUFFER_SIZE)
      socket.setSendBufferSize(BUFFER_SIZE)
    } catch {
      // The system caps buffer sizes; the defaults still work (with more retransmissions).
    }
    socket.on('message', (msg, rinfo) => {
      this.received++
      this.events.datagram(msg, rinfo)
    })
    socket.on('error', err => this.events.error(err))
  }

  get port(): number {
    return this.socket.address().port
  }

  setMulticast(iface: string, ttl: number): void {
    this.socket.setMulticastInterface(iface)
    this.socket.setMulticastTTL(ttl)
    this.socket.setMulticastLoopback(true)
  }

  send(packet: Buffer | Uint8Array[], address: string, port: number): boolean {
    try {
      this.socket.send(packet, port, address, this.onSent)
      this.sent++
      this.outstanding++
      return true
    } catch {
      return false
    }
  }

  flush(): void {
    // Every send() already went to libuv.
  }

  get holding(): boolean {
    return this.outstanding > 0
  }

  info(): NodeSocketInfo {
    let receiveBufferSize = 0
    let sendBufferSize = 0
    try {
      receiveBufferSize = this.socket.getRecvBufferSize()
      sendBufferSize = this.socket.getSendBufferSize()
    } catch {
      // closed: sizes unknown
    }
    return {
      kind: 'dgram', receiveBufferSize, sendBufferSize, gro: false, gso: false,
      sendCalls: this.sent, sendDatagrams: this.sent, receiveCalls: this.received, receiveDatagrams: this.received,
    }
  }

  close(): Promise<void> {
    return new Promise<void>(resolve => {
      try {
        this.socket.close(() => resolve())
      } catch {
        resolve()  // never bound, or closed already
      }
    })
  }

  private readonly onSent = (err: Error | null): void => {
    this.outstanding--
    if (err) this.onSendError()
  }
}
