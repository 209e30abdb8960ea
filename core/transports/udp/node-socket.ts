// The node's datagram socket, as the wire (wire.ts) sees it: bind, send a
// packet to an address, flush what was queued, receive datagrams. Two
// implementations: native-node-socket.ts (the addon's socket: batched
// receives as views, a turn's packets in one sendmmsg, GSO/GRO; the
// default whenever the addon loads) and dgram-node-socket.ts (node:dgram:
// where the addon cannot load, or with `socket: 'dgram'`).

/** Where a datagram came from (or goes to): an IPv4 literal and a port. */
import type { Keep } from '../shared/keep.js'

export interface Rinfo {
  address: string
  port: number
}

/** What the node's socket hands up. */
export interface NodeSocketEvents {
  /**
   * One datagram. `data` may be a view into a shared block: valid as long
   * as it is held; or, when the socket borrows (see NodeSocket.borrows),
   * into memory the next batch overwrites: valid until batchEnd returns.
   */
  datagram(data: Buffer, from: Rinfo): void
  /** The datagrams of a borrowed receive batch have all been handed up: what keeps them must copy them now (NodeSocket.keep). */
  batchEnd(): void
  /** A socket error other than one packet's send (for debugging; never thrown). */
  error(err: unknown): void
}

/** Which socket a node uses, and what it got from the system: UdpTransport.stats().node.socket. */
export interface NodeSocketInfo {
  /** native: the addon's batched socket (the default); dgram: node:dgram (fallback, or `socket: 'dgram'`). */
  kind: 'native' | 'dgram'
  /** SO_RCVBUF as the kernel reports it (Linux doubles what it grants, for its bookkeeping). */
  receiveBufferSize: number
  /** SO_SNDBUF as the kernel reports it. */
  sendBufferSize: number
  /** Receives coalesced by UDP GRO are accepted (and split back into datagrams). */
  gro: boolean
  /** Runs of equal-sized packets to one peer go as one UDP GSO message. */
  gso: boolean
  /** Send syscalls made (sendmmsg; dgram: one per packet). */
  sendCalls: number
  /** Datagrams those calls sent: sendDatagrams / sendCalls is the send batching. */
  sendDatagrams: number
  /** Receive syscalls made (recvmmsg; dgram: one per datagram). */
  receiveCalls: number
  /** Datagrams those calls received: receiveDatagrams / receiveCalls is the receive batching. */
  receiveDatagrams: number
}

export interface NodeSocket {
  readonly kind: 'native' | 'dgram'
  /** Bind (exclusive) and start receiving. Host names among `peers` are resolved here, once. */
  bind(address: string, port: number, peers: readonly string[]): Promise<void>
  /** The UDP port bound. */
  readonly port: number
  /** Where multicast leaves, its TTL, and loopback on (discovery's beacons go out from this socket). */
  setMulticast(iface: string, ttl: number): void
  /**
   * One packet to `address`:`port`. The native socket queues it until
   * flush() (or the end of the current receive batch, or a microtask, or
   * a packet's worth of bytes queued); `urgent` (an ack a peer may be
   * waiting for) sends it and what is queued before it now. Returns false
   * when the packet was refused at once (counted by the caller).
   */
  send(packet: Buffer | Uint8Array[], address: string, port: number, urgent?: boolean): boolean
  /** Send what is queued now. */
  flush(): void
  /**
   * The socket still holds buffers of packets given to send() (queued, or
   * not yet completed): they must not be written over yet (record-pool.ts).
   */
  readonly holding: boolean
  info(): NodeSocketInfo
  /**
   * With borrowed receive: bytes of their own for a view of a received
   * datagram kept past its batch (a copy when this socket lent it, else the
   * view itself). Undefined when the socket lends nothing.
   */
  readonly keep: Keep | undefined
  close(): Promise<void>
}
