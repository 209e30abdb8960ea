// The native UDP socket as the udp transport uses it: its node socket.
// One AF_INET datagram socket, bound at once, receiving in batches (one
// recvmmsg() per batch, each datagram a Buffer view into a pooled block:
// valid as long as it is held; or, with `borrowed`, into one region the
// socket reuses: no allocation and no copy, valid during the batch's
// callbacks only) and sending a list of packets per
// call (sendmmsg(), each packet gathered from its buffers, runs of
// equal-sized packets to one peer as one UDP GSO message). Internal: the
// binding's users have node:dgram for plain UDP; this exists for the
// transport's hot path.
import { addon } from './addon.js'
import { fromNative, InvalidArgumentError } from './errors.js'
import { NativeEvent, tryLoadNative, type NativeUdpSocket, type UdpOffloads } from './native.js'

export type { UdpOffloads } from './native.js'

/**
 * A datagram: `data` is a view into the receive block (no copy), or, with
 * `borrowed`, into the socket's region until the batch's onBatchEnd
 * returns; `address` IPv4 as u32.
 */
export type UdpDatagramHandler = (data: Buffer, address: number, port: number, truncated: boolean) => void

export interface UdpSocketOptions {
  /** IPv4 literal to bind. */
  address: string
  /** Port to bind (0: ephemeral); exclusive (no SO_REUSEADDR). */
  port: number
  /** SO_RCVBUF / SO_SNDBUF to ask for; the system may grant less (see receiveBufferSize). */
  receiveBufferSize?: number
  sendBufferSize?: number
  /** Accept coalesced receives (UDP GRO) where the kernel has them (default true). */
  gro?: boolean
  /** Send runs of equal-sized packets as one UDP GSO message where the kernel has it (default true). */
  gso?: boolean
  /** Tests: receive room per datagram (default 65536); larger ones arrive truncated. */
  slotSize?: number
  /**
   * The borrowed receive mode: every batch lands in one region of about
   * 4.4 MB that the socket reuses (only the pages batches use are touched),
   * so receiving allocates nothing and copies nothing, and V8 has no
   * external memory per batch to collect. The price: a datagram's view is
   * valid only until its batch's onBatchEnd returns; copy what is kept.
   */
  borrowed?: boolean
  /** Tests, with `borrowed`: overwrite each batch with 0xDB after its onBatchEnd, so a view kept too long reads garbage. */
  poison?: boolean
  onDatagram: UdpDatagramHandler
  /** After each received batch's datagrams (a place to flush what they caused). */
  onBatchEnd?: () => void
  /** The socket can take packets again after sendBatch() took fewer than given. */
  onWritable?: () => void
  /** Receiving failed; reading has stopped. */
  onError?: (err: Error) => void
}

/** Whether the native UDP socket can be used (the addon loads, and has it), and if not, why. */
export function isUdpSocketAvailable(): { available: true } | { available: false; reason: Error } {
  const result = tryLoadNative()
  if ('error' in result) return { available: false, reason: result.error }
  if (typeof result.addon.NativeUdpSocket !== 'function') {
    return { available: false, reason: new Error('tipc-rx: the native addon was built without the UDP socket (rebuild it)') }
  }
  return { available: true }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** An IPv4 literal as a u32, or undefined when `text` is not one. */
export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text)
  if (!m) return undefined
  let out = 0
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i])
    if (octet > 255) return undefined
    out = out * 256 + octet
  }
  return out
}

export function formatIpv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`
}

function ipv4(text: string, what: string): number {
  const address = parseIpv4(text)
  if (address === undefined) throw new InvalidArgumentError(`${what} must be an IPv4 literal, got ${JSON.stringify(text)}`)
  return address
}

export class UdpSocket {
  /** The address and port bound (the port the system chose, when 0 was asked for). */
  readonly address: string
  readonly port: number
  /** What the kernel granted (Linux reports twice the usable size: its bookkeeping is included). */
  readonly receiveBufferSize: number
  readonly sendBufferSize: number
  /** With `borrowed`: the region every batch lands in (a view into it is borrowed); else undefined. */
  readonly region: ArrayBuffer | undefined
  private readonly native: NativeUdpSocket
  private readonly options: UdpSocketOptions
  private readonly metaWords: number
  private closed = false

  private constructor(options: UdpSocketOptions) {
    this.options = options
    const a = addon()
    this.metaWords = a.constants.UDP_META_WORDS
    const bindAddress = ipv4(options.address, 'address')
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      throw new InvalidArgumentError(`port must be an integer in [0, 65535], got ${String(options.port)}`)
    }
    try {
      this.native = new a.NativeUdpSocket(this.onEvent, options.slotSize)
    } catch (err) {
      throw fromNative(err)
    }
    try {
      const c = a.constants
      // Buffer sizes before bind, so the first packets already have the room.
      if (options.receiveBufferSize) this.trySetOption(c.SOL_SOCKET!, c.SO_RCVBUF!, options.receiveBufferSize)
      if (options.sendBufferSize) this.trySetOption(c.SOL_SOCKET!, c.SO_SNDBUF!, options.sendBufferSize)
      this.native.bind(bindAddress, options.port)
      const [address, port] = this.native.getsockname()
      this.address = formatIpv4(address)
      this.port = port
      this.receiveBufferSize = this.native.getOption(c.SOL_SOCKET!, c.SO_RCVBUF!)
      this.sendBufferSize = this.native.getOption(c.SOL_SOCKET!, c.SO_SNDBUF!)
      this.native.setGro(options.gro ?? true)
      this.native.setGso(options.gso ?? true)
      this.region = options.borrowed ? this.native.borrow(options.poison === true) : undefined
      this.native.setPoll(true, false)
    } catch (err) {
      this.native.close()
      throw fromNative(err)
    }
  }

  /** A bound socket, receiving from now on. Throws InvalidArgumentError or a system error (EADDRINUSE...). */
  static bind(options: UdpSocketOptions): UdpSocket {
    return new UdpSocket(options)
  }

  /** Whether receives are coalesced (GRO) and sends segmented (GSO), and the batching counters. */
  offloads(): UdpOffloads {
    return this.native.offloads()
  }

  /** Where multicast sends leave, their TTL, and whether they loop back to this host. */
  setMulticast(iface: string, ttl: number, loopback: boolean): void {
    const c = addon().constants
    try {
      this.native.setMulticastInterface(ipv4(iface, 'multicast interface'))
      this.native.setOption(c.IPPROTO_IP!, c.IP_MULTICAST_TTL!, ttl)
      this.native.setOption(c.IPPROTO_IP!, c.IP_MULTICAST_LOOP!, loopback ? 1 : 0)
    } catch (err) {
      throw fromNative(err)
    }
  }

  /**
   * Send `count` packets: packet i is the next parts[i] entries of
   * `buffers`, to destinations[2i] (IPv4 as u32) port destinations[2i+1].
   * Returns how many the kernel took, in order; fewer means the buffer is
   * full: keep the rest and call waitWritable(). A packet the kernel refuses
   * throws a typed error with `sent` (the packets before it went out).
   */
  sendBatch(buffers: readonly Uint8Array[], parts: Uint32Array, destinations: Uint32Array, count: number): number {
    try {
      return this.native.sendBatch(buffers, parts, destinations, count)
    } catch (err) {
      throw fromNative(err)
    }
  }

  /** onWritable is called once, when the socket can take packets again. */
  waitWritable(): void {
    if (!this.closed) this.native.setPoll(true, true)
  }

  /** Idempotent; safe inside the socket's own callbacks. */
  close(): void {
    this.closed = true
    this.native.close()
  }

  private trySetOption(level: number, name: number, value: number): void {
    try {
      this.native.setOption(level, name, value)
    } catch {
      // The system caps buffer sizes (or refuses them): the defaults still work; receiveBufferSize says what was granted.
    }
  }

  private readonly onEvent = (kind: NativeEvent, a?: unknown, b?: unknown, c?: unknown): void => {
    if (kind === NativeEvent.Batch) this.deliver(a as ArrayBuffer, b as number, c as number)
    else if (kind === NativeEvent.Writable) this.options.onWritable?.()
    else if (kind === NativeEvent.Error) this.options.onError?.(fromNative(a))
  }

  private deliver(buffer: ArrayBuffer, count: number, offset: number): void {
    const words = this.metaWords
    const meta = new Uint32Array(buffer, offset, count * words)
    const onDatagram = this.options.onDatagram
    for (let i = 0, m = 0; i < count && !this.closed; i++, m += words) {
      onDatagram(Buffer.from(buffer, meta[m], meta[m + 1]), meta[m + 2]!, meta[m + 3]!, (meta[m + 4]! & 1) !== 0)
    }
    this.options.onBatchEnd?.()
  }
}
