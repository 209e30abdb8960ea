// Options of the udp transport and their defaults. Defaults are for one
// host: everything on the loopback interface, discovery by multicast on
// loopback with TTL 0, nothing sent anywhere else unless configured.
import { InvalidArgumentError } from '../../transport-contract/errors.js'
import { MAX_MESSAGE_SIZE } from '../../transport-contract/limits.js'
import { nativeSocketAvailable } from './native-node-socket.js'

/** Seeded faults applied to this node's outgoing packets (tests, drills). */
export interface UdpFaultPlan {
  /** PRNG seed (default 1): the same seed gives the same faults. */
  seed?: number
  /** Probability that a packet is not sent. */
  drop?: number
  /** Probability that a packet is sent twice. */
  duplicate?: number
  /** Probability that a packet is held back and sent after the next one. */
  reorder?: number
}

export interface UdpPeer {
  address: string
  port: number
}

export interface UdpTransportOptions {
  /** This node's 32-bit id (default: random, never 0). */
  node?: number
  /** Cluster id, TIPC's netid: packets of another cluster are ignored and counted (default 4711). */
  cluster?: number
  /** Address the node's UDP socket binds (default 127.0.0.1). */
  address?: string
  /** Port the node's UDP socket binds (default 0: ephemeral). */
  port?: number
  /**
   * Multicast discovery. Default: group 239.255.84.73 port 47473 on the
   * loopback interface (127.0.0.1) with TTL 0, so processes of one host
   * find each other and nothing leaves it. `false` turns it off.
   */
  discovery?: false | { group?: string; port?: number; interface?: string; ttl?: number }
  /** Peers to send beacons to by unicast (in addition to, or instead of, multicast). */
  peers?: readonly UdpPeer[]
  /** Largest UDP payload this node sends (default 65000 on loopback, 1472 otherwise). */
  maxPacketSize?: number
  /** How long a message may wait for others to share its packet, in microseconds (default 0: the end of the current turn of the event loop). */
  batchDelayUs?: number
  /** Messages queued or unacknowledged per link before send() reports congestion (default 2048). */
  linkWindow?: number
  /** Bytes queued or unacknowledged per link before send() reports congestion (default 16 MiB). */
  linkWindowBytes?: number
  /** Bytes in flight (sent, unacknowledged) per link (default 3 MiB or 48 packets, whichever is less: 48 packets of 64 KB on loopback, within the 4 MiB socket buffers). */
  flightBytes?: number
  /** Packets a receiver buffers out of order beyond the next expected one (default 4096). */
  receiveWindow?: number
  /** Retransmission timeout bounds in ms (default 5 and 1000). */
  minRtoMs?: number
  maxRtoMs?: number
  /** How long to wait before a standalone ack, in ms (default 1); traffic carries acks sooner. */
  ackDelayMs?: number
  /** Heartbeat interval on an idle link, in ms (default 200). */
  heartbeatMs?: number
  /** Silence after which a peer is declared down, in ms (default 1500, TIPC's link tolerance). */
  toleranceMs?: number
  /** Beacon interval in ms (default 500). */
  beaconMs?: number
  /** Most peers (links) this node keeps (default 256); beacons beyond are dropped and counted. */
  maxPeers?: number
  /** Messages an RDM socket holds unread before senders get OVERLOAD (default 1000). */
  receiveQueueLimit?: number
  /** Bytes an RDM socket holds unread before senders get OVERLOAD (default 32 MiB). */
  receiveQueueBytes?: number
  /** Messages a connection's peer may hold unconsumed before send() returns false (default 64). */
  connectionWindow?: number
  /** Most messages handed to a handler per batch (default 64). */
  batchSize?: number
  /** Pre-shared cluster key: every packet is then sealed with an AEAD tag. */
  key?: Uint8Array | string
  /** AEAD cipher for the key (default chacha20-poly1305). */
  cipher?: 'chacha20-poly1305' | 'aes-256-gcm'
  /** Seeded fault injection on outgoing packets. */
  faults?: UdpFaultPlan
  /**
   * The node's UDP socket: 'native' (the addon's: batched sends and
   * receives, GSO/GRO where the kernel has them), 'dgram' (node:dgram), or
   * 'auto' (default: native whenever the addon loads, else dgram).
   */
  socket?: 'auto' | 'native' | 'dgram'
  /**
   * Borrowed receive (default false): the native socket reads every batch
   * into one region it reuses, so receiving allocates nothing per batch and
   * V8 has no external memory to collect (at 60 KiB messages the copying
   * receive's garbage collection was the receiver's largest cost). The
   * price: a received message's data (and a returned message's data) is
   * valid only until the handler it was handed to returns; copy what you
   * keep. Messages still queued when a batch ends (no handler yet, paused)
   * are copied then, so they stay valid. For applications on the transport
   * itself: the bus (topics, request/reply) and message streams keep
   * received data past their handlers and refuse such a transport
   * (capabilities.borrowedReceive). `{ poison: true }` (debugging)
   * overwrites each batch with 0xDB once its handlers have returned, so
   * data kept too long reads as garbage instead of later messages. No
   * effect on the dgram socket, whose datagrams are always the
   * application's.
   */
  borrowedReceive?: boolean | { poison?: boolean }
}

/** How a udp node finds its peers, as it runs (defaults filled in): UdpTransport.discovery. */
export interface UdpDiscovery {
  /** The address its socket is bound to. */
  address: string
  /** The port its socket is bound to (the one the system chose, when 0 was asked for). */
  port: number
  /** Multicast beacons: group, port, interface and TTL; false when off. */
  multicast: false | { group: string; port: number; interface: string; ttl: number }
  /** Peers it sends beacons to by unicast. */
  peers: UdpPeer[]
  /** Beacon interval, ms. */
  beaconMs: number
  /** Silence after which a peer is declared down, ms. */
  toleranceMs: number
  /** Whether packets are sealed with a cluster key. */
  keyed: boolean
}

export interface ResolvedUdpOptions {
  node: number
  cluster: number
  address: string
  port: number
  discovery: false | { group: string; port: number; interface: string; ttl: number }
  peers: UdpPeer[]
  maxPacketSize: number
  batchDelayUs: number
  linkWindow: number
  linkWindowBytes: number
  flightBytes: number
  receiveWindow: number
  minRtoMs: number
  maxRtoMs: number
  ackDelayMs: number
  heartbeatMs: number
  toleranceMs: number
  beaconMs: number
  maxPeers: number
  receiveQueueLimit: number
  receiveQueueBytes: number
  connectionWindow: number
  batchSize: number
  key: Uint8Array | undefined
  cipher: 'chacha20-poly1305' | 'aes-256-gcm'
  faults: Required<UdpFaultPlan>
  socket: 'native' | 'dgram'
  borrowedReceive: { poison: boolean } | undefined
}

export const DEFAULT_CLUSTER = 4711
export const DEFAULT_GROUP = '239.255.84.73'
export const DEFAULT_DISCOVERY_PORT = 47473
/** The largest UDP payload that fits a 1500-byte Ethernet MTU (IPv4). */
export const PATH_MTU_PAYLOAD = 1472
export const LOOPBACK_PACKET_SIZE = 65000
/** The smallest packet size that still carries a fragment of useful size. */
export const MIN_PACKET_SIZE = 256

function int(name: string, v: number | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`)
  }
  return v
}

function probability(name: string, p: number | undefined): number {
  if (p === undefined) return 0
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidArgumentError(`fault ${name} must be a probability in [0, 1], got ${String(p)}`)
  return p
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.')
}

function randomNode(): number {
  for (;;) {
    const n = (Math.random() * 0x100000000) >>> 0
    if (n !== 0) return n
  }
}

function nodeSocket(kind: UdpTransportOptions['socket']): 'native' | 'dgram' {
  if (kind === 'dgram') return 'dgram'
  if (kind !== undefined && kind !== 'auto' && kind !== 'native') {
    throw new InvalidArgumentError(`socket must be 'auto', 'native' or 'dgram', got ${String(kind)}`)
  }
  const native = nativeSocketAvailable()
  if (native.available) return 'native'
  if (kind === 'native') throw new InvalidArgumentError(`socket 'native' asked for, but ${native.reason.message}`, { cause: native.reason })
  return 'dgram'
}

export function resolveUdpOptions(o: UdpTransportOptions = {}): ResolvedUdpOptions {
  const address = o.address ?? '127.0.0.1'
  if (typeof address !== 'string') throw new InvalidArgumentError('address must be a string')
  let discovery: ResolvedUdpOptions['discovery'] = false
  if (o.discovery !== false) {
    const d = o.discovery ?? {}
    discovery = {
      group: d.group ?? DEFAULT_GROUP,
      port: int('discovery.port', d.port, DEFAULT_DISCOVERY_PORT, 1, 65535),
      interface: d.interface ?? '127.0.0.1',
      ttl: int('discovery.ttl', d.ttl, 0, 0, 255),
    }
  }
  const peers = (o.peers ?? []).map((p, i) => {
    if (!p || typeof p.address !== 'string') throw new InvalidArgumentError(`peers[${i}].address must be a string`)
    return { address: p.address, port: int(`peers[${i}].port`, p.port, 0, 1, 65535) }
  })
  let key: Uint8Array | undefined
  if (o.key !== undefined) {
    key = typeof o.key === 'string' ? Buffer.from(o.key, 'utf8') : o.key
    if (!(key instanceof Uint8Array) || key.byteLength < 16) throw new InvalidArgumentError('key must be at least 16 bytes')
  }
  const cipher = o.cipher ?? 'chacha20-poly1305'
  if (cipher !== 'chacha20-poly1305' && cipher !== 'aes-256-gcm') throw new InvalidArgumentError(`cipher must be chacha20-poly1305 or aes-256-gcm, got ${String(cipher)}`)
  const f = o.faults ?? {}
  const minRtoMs = int('minRtoMs', o.minRtoMs, 5, 1, 60000)
  const maxPacketSize = int('maxPacketSize', o.maxPacketSize, isLoopback(address) ? LOOPBACK_PACKET_SIZE : PATH_MTU_PAYLOAD, MIN_PACKET_SIZE, 65000)
  return {
    node: o.node === undefined ? randomNode() : int('node', o.node, 0, 1, 0xffffffff),
    cluster: int('cluster', o.cluster, DEFAULT_CLUSTER, 0, 0xffffffff),
    address,
    port: int('port', o.port, 0, 0, 65535),
    discovery,
    peers,
    maxPacketSize,
    batchDelayUs: int('batchDelayUs', o.batchDelayUs, 0, 0, 1_000_000),
    linkWindow: int('linkWindow', o.linkWindow, 2048, 1, 1 << 20),
    // At least one whole message with its record and item framing.
    linkWindowBytes: int('linkWindowBytes', o.linkWindowBytes, 16 << 20, 70000, 1 << 30),
    // In flight: at most what the 64-packet selective-ack map can describe, so every hole is resent at once.
    flightBytes: int('flightBytes', o.flightBytes, Math.min(3 << 20, 48 * maxPacketSize), 1, 1 << 30),
    receiveWindow: int('receiveWindow', o.receiveWindow, 4096, 64, 1 << 20),
    minRtoMs,
    maxRtoMs: int('maxRtoMs', o.maxRtoMs, 1000, minRtoMs, 600000),
    ackDelayMs: int('ackDelayMs', o.ackDelayMs, 1, 0, 1000),
    heartbeatMs: int('heartbeatMs', o.heartbeatMs, 200, 1, 600000),
    toleranceMs: int('toleranceMs', o.toleranceMs, 1500, 10, 600000),
    beaconMs: int('beaconMs', o.beaconMs, 500, 1, 600000),
    maxPeers: int('maxPeers', o.maxPeers, 256, 1, 65536),
    receiveQueueLimit: int('receiveQueueLimit', o.receiveQueueLimit, 1000, 1, 1 << 24),
    receiveQueueBytes: int('receiveQueueBytes', o.receiveQueueBytes, 32 << 20, MAX_MESSAGE_SIZE, 1 << 30),
    connectionWindow: int('connectionWindow', o.connectionWindow, 64, 1, 1 << 20),
    batchSize: int('batchSize', o.batchSize, 64, 1, 1 << 16),
    key,
    cipher,
    faults: {
      seed: int('faults.seed', f.seed, 1, -0x80000000, 0xffffffff),
      drop: probability('drop', f.drop),
      duplicate: probability('duplicate', f.duplicate),
      reorder: probability('reorder', f.reorder),
    },
    socket: nodeSocket(o.socket),
    borrowedReceive: borrowedReceive(o.borrowedReceive),
  }
}

function borrowedReceive(b: UdpTransportOptions['borrowedReceive']): ResolvedUdpOptions['borrowedReceive'] {
  if (b === undefined || b === false) return undefined
  if (b === true) return { poison: false }
  if (b === null || typeof b !== 'object' || (b.poison !== undefined && typeof b.poison !== 'boolean')) {
    throw new InvalidArgumentError(`borrowedReceive must be a boolean or { poison?: boolean }, got ${JSON.stringify(b)}`)
  }
  return { poison: b.poison === true }
}
