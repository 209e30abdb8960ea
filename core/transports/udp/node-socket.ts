// The node's datagram socket, as the wire (wire.ts) sees it: bind, send a
// packet to an address, flush what was queued, receive datagrams. Two
// implementations: native-node-socket.ts (the addon's socket: batched
// receives as views, a turn's packets in one sendmmsg, GSO/GRO; the
// default whenever the addon loads) and dgram-node-socket.ts (node:dgram:
// where the addon cannot load, or with `socket: 'dgram'`).

/** Where a datagram came from (or goes to): an IPv4 literal and a port. */
export interface Rinfo {
  address: string
  port: number
}

/** What the node's socket hands up. */
export interface NodeSocketEvents {
  /** One datagram. `data` may be a view into a shared block: valid as long as it is held. */
  datagram(data: Buffer, from: Rinfo): void
  /** A socket error other than one packet's send (for debugging; never thrown). */
  error(err: unknown): void
}

/** Which socket a node uses, and what it got from the system: UdpTransport.stats().node.socket. */
export interface NodeSocketInfo {
  kind: 'native' | 'dgram'
  /** SO_RCVBUF / SO_SNDBUF as the kernel reports them (Linux doubles what it grants, for its bookkeeping). */
  receiveBufferSize: number
  sendBufferSize: number
  /** Coalesced receives (UDP GRO) and segmented sends (UDP GSO) in use. */
  gro: boolean
  gso: boolean
  /** Send and receive syscalls made, and the datagrams they carried: the batching, per call. */
  sendCalls: number
  sendDatagrams: number
  receiveCalls: number
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
   * flush() (or the end of the current receive batch, or a microtask);
   * returns false when the packet was refused at once (counted by the caller).
   */
  send(packet: Buffer | Uint8Array[], address: string, port: number): boolean
  /** Send what is queued now. */
  flush(): void
  info(): NodeSocketInfo
  close(): Promise<void>
}
