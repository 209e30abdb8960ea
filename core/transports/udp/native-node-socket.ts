// The node's socket on the native addon (bindings/udp-socket.ts), the
// default. Packets written during a turn are queued and leave together in
// one sendmmsg(): at the end of the receive batch that caused them, or on a
// microtask when the application's own call wrote them (a lone request
// leaves as soon as the code that sent it returns, so its latency does not
// grow). Two exceptions leave at once. A packet's worth of bytes queued
// (FLUSH_BYTES): a writer filling its window in one synchronous loop would
// otherwise hold every packet until it stops, and the peer could not start
// on the first while the rest are written (node:dgram's sends, each its own
// syscall, had that overlap: at 64 B it was 1.3-1.5x faster). And an urgent
// packet (an ack): a receive batch of 64 KB packets of small records takes
// milliseconds, and the peer's window waits for the ack, not for our batch.
// When the kernel's buffer is full the rest waits for writability,
// in order. Datagrams arrive a batch at a time as views (no copy), and the
// sender's Rinfo comes from a cache instead of an object per datagram.
//
// This is the one file of the udp transport that uses bindings/.
import { lookup } from 'node:dns/promises'
import { formatIpv4, isUdpSocketAvailable, parseIpv4, UdpSocket } from '../../../bindings/udp-socket.js'
import type { Keep } from '../shared/keep.js'
import type { NodeSocket, NodeSocketEvents, NodeSocketInfo, Rinfo } from './node-socket.js'

const BUFFER_SIZE = 4 << 20
/** Packets held while the kernel's buffer is full; beyond, a packet is refused (lost, counted; links retransmit). */
const MAX_QUEUED = 8192
/** Addresses and senders remembered; the caches start over beyond this (forged sources cannot grow them). */
const MAX_CACHED = 4096
/** Bytes queued that leave at once: a full packet's worth (65000 on loopback); one syscall per 64 KB costs little. */
const FLUSH_BYTES = 64000

/** Whether the native socket can be used here (the addon loads), and if not, why. */
export function nativeSocketAvailable(): { available: true } | { available: false; reason: Error } {
  return isUdpSocketAvailable()
}

export class NativeNodeSocket implements NodeSocket {
  readonly kind = 'native'
  private readonly events: NodeSocketEvents
  private readonly onSendError: () => void
  private socket: UdpSocket | undefined
  /** Queued packets: buffers in order, parts[i] of them per packet, dests[2i..2i+1] its address and port. */
  private buffers: Uint8Array[] = []
  private parts = new Uint32Array(64)
  private dests = new Uint32Array(128)
  private count = 0
  /** Bytes of the queued packets. */
  private queuedBytes = 0
  private flushQueued = false
  private waitingWritable = false
  private inBatch = false
  private readonly addresses = new Map<string, number>()
  private readonly senders = new Map<number, Rinfo>()
  private readonly borrowed: { poison: boolean } | undefined
  /** With `borrowed`: the region batches land in (UdpSocket.region). */
  private region: ArrayBuffer | undefined
  readonly keep: Keep | undefined

  /**
   * `onSendError`: a packet the kernel refused or that could not be queued
   * (the caller counts). `borrowed`: the socket's borrowed receive mode
   * (datagrams valid until batchEnd; `poison` overwrites them after it).
   */
  constructor(events: NodeSocketEvents, onSendError: () => void, borrowed?: { poison: boolean }) {
    this.events = events
    this.onSendError = onSendError
    this.borrowed = borrowed
    this.keep = borrowed ? this.copyIfLent : undefined
  }

  async bind(address: string, port: number, peers: readonly string[]): Promise<void> {
    for (const host of peers) {
      if (parseIpv4(host) !== undefined || this.addresses.has(host)) continue
      try {
        const answer = await lookup(host, { family: 4 })
        const ip = parseIpv4(answer.address)
        if (ip !== undefined) this.addresses.set(host, ip)
      } catch {
        // An unresolvable peer: its beacons are refused and counted as send errors, as dgram's would fail.
      }
    }
    this.socket = UdpSocket.bind({
      address, port, receiveBufferSize: BUFFER_SIZE, sendBufferSize: BUFFER_SIZE,
      borrowed: this.borrowed !== undefined, poison: this.borrowed?.poison === true,
      onDatagram: this.onDatagram,
      onBatchEnd: this.onBatchEnd,
      onWritable: this.onWritable,
      onError: err => this.events.error(err),
    })
    this.region = this.socket.region
  }

  get port(): number {
    return this.socket?.port ?? 0
  }

  setMulticast(iface: string, ttl: number): void {
    this.socket?.setMulticast(iface, ttl, true)
  }

  send(packet: Buffer | Uint8Array[], address: string, port: number, urgent = false): boolean {
    const ip = this.resolve(address)
    if (ip === undefined || this.count >= MAX_QUEUED || this.socket === undefined) return false
    const i = this.count
    if (i === this.parts.length) this.grow()
    if (Array.isArray(packet)) {
      for (const b of packet) {
        this.buffers.push(b)
        this.queuedBytes += b.byteLength
      }
      this.parts[i] = packet.length
    } else {
      this.buffers.push(packet)
      this.queuedBytes += packet.byteLength
      this.parts[i] = 1
    }
    this.dests[2 * i] = ip
    this.dests[2 * i + 1] = port
    this.count = i + 1
    if (urgent || this.queuedBytes >= FLUSH_BYTES) {
      if (!this.waitingWritable) this.flush()
    } else if (!this.inBatch && !this.flushQueued && !this.waitingWritable) {
      this.flushQueued = true
      queueMicrotask(this.flushMicrotask)
    }
    return true
  }

  get holding(): boolean {
    // sendmmsg copies what it sends: only the queue refers to packets.
    return this.count > 0
  }

  flush(): void {
    const socket = this.socket
    while (this.count > 0 && !this.waitingWritable && socket !== undefined) {
      let sent: number
      try {
        sent = socket.sendBatch(this.buffers, this.parts, this.dests, this.count)
      } catch (err) {
        // One packet refused (e.g. an unreachable network): it is lost like a
        // dropped datagram (links retransmit); the rest still go.
        const before = (err as { sent?: number }).sent ?? 0
        this.onSendError()
        this.events.error(err)
        this.dropFront(before + 1)
        continue
      }
      if (sent === this.count) {
        this.buffers.length = 0
        this.count = 0
        this.queuedBytes = 0
        return
      }
      this.dropFront(sent)
      this.waitingWritable = true
      socket.waitWritable()
    }
  }

  info(): NodeSocketInfo {
    const s = this.socket
    if (!s) {
      return {
        kind: 'native', receiveBufferSize: 0, sendBufferSize: 0, gro: false, gso: false,
        sendCalls: 0, sendDatagrams: 0, receiveCalls: 0, receiveDatagrams: 0,
      }
    }
    const o = s.offloads()
    return {
      kind: 'native', receiveBufferSize: s.receiveBufferSize, sendBufferSize: s.sendBufferSize, gro: o.gro, gso: o.gso,
      sendCalls: o.sendCalls, sendDatagrams: o.sendDatagrams, receiveCalls: o.receiveCalls, receiveDatagrams: o.receiveDatagrams,
    }
  }

  private readonly copyIfLent = (view: Uint8Array): Uint8Array => {
    if (view.buffer !== this.region) return view
    const own = Buffer.allocUnsafe(view.byteLength)
    own.set(view)
    return own
  }

  /** What is queued goes out first (a leaving node's last packets), then the socket closes. */
  close(): Promise<void> {
    if (!this.waitingWritable) this.flush()
    this.socket?.close()
    this.count = 0
    this.queuedBytes = 0
    this.buffers.length = 0
    return Promise.resolve()
  }

  private resolve(address: string): number | undefined {
    let ip = this.addresses.get(address)
    if (ip === undefined) {
      ip = parseIpv4(address)
      if (ip === undefined) return undefined
      if (this.addresses.size >= MAX_CACHED) this.addresses.clear()
      this.addresses.set(address, ip)
    }
    return ip
  }

  /** Forget the first `n` queued packets (sent, or refused). */
  private dropFront(n: number): void {
    let bufferCount = 0
    for (let i = 0; i < n; i++) bufferCount += this.parts[i]!
    for (let i = 0; i < bufferCount; i++) this.queuedBytes -= this.buffers[i]!.byteLength
    this.buffers.splice(0, bufferCount)
    this.parts.copyWithin(0, n, this.count)
    this.dests.copyWithin(0, 2 * n, 2 * this.count)
    this.count -= n
  }

  private grow(): void {
    const parts = new Uint32Array(this.parts.length * 2)
    parts.set(this.parts)
    const dests = new Uint32Array(this.dests.length * 2)
    dests.set(this.dests)
    this.parts = parts
    this.dests = dests
  }

  private readonly flushMicrotask = (): void => {
    this.flushQueued = false
    if (!this.inBatch) this.flush()
  }

  private readonly onDatagram = (data: Buffer, address: number, port: number): void => {
    this.inBatch = true
    const key = address * 65536 + port
    let from = this.senders.get(key)
    if (from === undefined) {
      if (this.senders.size >= MAX_CACHED) this.senders.clear()
      from = { address: formatIpv4(address), port }
      this.senders.set(key, from)
    }
    this.events.datagram(data, from)
  }

  /**
   * The batch's datagrams have all been handled: what still holds borrowed
   * views copies them (the next batch overwrites the region), and what they
   * caused leaves now, together.
   */
  private readonly onBatchEnd = (): void => {
    if (this.borrowed) this.events.batchEnd()
    this.inBatch = false
    this.flush()
  }

  private readonly onWritable = (): void => {
    this.waitingWritable = false
    this.flush()
  }
}
