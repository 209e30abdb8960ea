// Optional packet security: a pre-shared cluster key seals every packet
// with an AEAD (ChaCha20-Poly1305 or AES-256-GCM from node:crypto). The
// 28-byte header and a 64-bit counter are authenticated, the body is
// encrypted. The nonce is the sender's node id and the counter, which starts
// at the sender's clock in microseconds and only grows, so a restarted node
// never reuses a nonce. Receivers keep, per sender and packet type, the
// highest counter and a 64-packet window below it: a packet seen before, or
// older than the window, is a replay and is dropped (and counted).
//
// Per packet type, because beacons and link packets share the sender's
// counter but reach us on two sockets (the discovery group's and the
// node's): a beacon read first could otherwise push the window past link
// packets still queued in the other socket after a pause, and those would be
// dropped as replays. Each type's packets arrive on one socket, in order.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import { Malformed } from './bytes.js'
import { HEADER_SIZE, PACKET_TYPE_OFFSET } from './packet.js'

export const COUNTER_SIZE = 8
export const TAG_SIZE = 16
export const SEAL_OVERHEAD = COUNTER_SIZE + TAG_SIZE
const REPLAY_WINDOW = 64
/** Senders whose replay state is kept; the least recently seen is forgotten beyond this. */
const MAX_SENDERS = 4096

export type Cipher = 'chacha20-poly1305' | 'aes-256-gcm'

/** Why an unsealed packet was refused. */
export class AuthFailure extends Error {
  readonly reason: 'auth' | 'replay'
  constructor(reason: 'auth' | 'replay') {
    super(reason === 'auth' ? 'packet failed authentication' : 'packet replayed')
    this.name = 'AuthFailure'
    this.reason = reason
  }
}

interface ReplayState {
  highest: number
  /** Bit i set: highest - i was seen (bit 0 is highest itself). */
  seen: bigint
}

export class ReplayWindow {
  private readonly senders = new Map<number, ReplayState>()

  /** Whether `counter` from `node` is fresh; if so, it is recorded. */
  accept(node: number, counter: number): boolean {
    const s = this.senders.get(node)
    if (!s) {
      if (this.senders.size >= MAX_SENDERS) this.senders.delete(this.senders.keys().next().value!)
      this.senders.set(node, { highest: counter, seen: 1n })
      return true
    }
    // Refresh recency (Map keeps insertion order).
    this.senders.delete(node)
    this.senders.set(node, s)
    if (counter > s.highest) {
      const shift = counter - s.highest
      s.seen = shift >= REPLAY_WINDOW ? 1n : ((s.seen << BigInt(shift)) | 1n) & ((1n << BigInt(REPLAY_WINDOW)) - 1n)
      s.highest = counter
      return true
    }
    const age = s.highest - counter
    if (age >= REPLAY_WINDOW) return false
    const bit = 1n << BigInt(age)
    if ((s.seen & bit) !== 0n) return false
    s.seen |= bit
    return true
  }
}

export class PacketSealer {
  private readonly key: Buffer
  private readonly cipher: Cipher
  private readonly node: number
  private counter: number
  /** Replay windows by packet type (the header's type byte, authenticated): see the top of the file. */
  private readonly replay = new Map<number, ReplayWindow>()

  constructor(secret: Uint8Array, cipher: Cipher, cluster: number, node: number, now = Date.now()) {
    const salt = Buffer.alloc(4)
    salt.writeUInt32BE(cluster >>> 0)
    this.key = Buffer.from(hkdfSync('sha256', secret, salt, 'tipc-rx udp v1 packet key', 32))
    this.cipher = cipher
    this.node = node
    this.counter = now * 1000
  }

  /** header (HEADER_SIZE bytes, sealed flag already set) + body -> the packet to send, in one buffer. */
  seal(header: Uint8Array, body: Uint8Array): Buffer {
    return Buffer.concat(this.sealParts(header, [body]))
  }

  /**
   * The sealed packet as buffers to send in order (a gather list): the
   * header with the counter, the body encrypted part by part, the tag. The
   * cipher streams, so a body in parts (link-packet.ts hands large items
   * over separately) is encrypted without first being made contiguous, and
   * the ciphertext is not copied into a packet buffer either: the socket
   * gathers the parts (sendmsg's iovec). node:crypto has no encryption
   * into a caller's buffer, so one copy (the cipher's output) remains.
   */
  sealParts(header: Uint8Array, body: readonly Uint8Array[]): Buffer[] {
    const counter = ++this.counter
    let length = 0
    for (const b of body) length += b.byteLength
    const prefix = Buffer.allocUnsafe(HEADER_SIZE + COUNTER_SIZE)
    prefix.set(header.subarray(0, HEADER_SIZE), 0)
    prefix.writeUInt32BE(Math.floor(counter / 0x100000000), HEADER_SIZE)
    prefix.writeUInt32BE(counter % 0x100000000, HEADER_SIZE + 4)
    const c = createCipheriv(this.cipher as 'chacha20-poly1305', this.key, nonce(this.node, prefix), { authTagLength: TAG_SIZE })
    c.setAAD(prefix, { plaintextLength: length })
    const out: Buffer[] = [prefix]
    for (const b of body) out.push(c.update(b))
    const last = c.final()
    if (last.byteLength > 0) out.push(last)
    out.push(c.getAuthTag())
    return out
  }

  /** The body of a sealed packet from `srcNode`; throws AuthFailure or Malformed. */
  open(packet: Uint8Array, srcNode: number): Buffer {
    if (packet.byteLength < HEADER_SIZE + SEAL_OVERHEAD) throw new Malformed('sealed packet too short')
    const p = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength)
    const hi = p.readUInt32BE(HEADER_SIZE)
    if (hi > 0x1fffff) throw new AuthFailure('auth')
    const counter = hi * 0x100000000 + p.readUInt32BE(HEADER_SIZE + 4)
    const bodyLength = p.byteLength - HEADER_SIZE - SEAL_OVERHEAD
    let body: Buffer
    try {
      const d = createDecipheriv(this.cipher as 'chacha20-poly1305', this.key, nonce(srcNode, p), { authTagLength: TAG_SIZE })
      d.setAAD(p.subarray(0, HEADER_SIZE + COUNTER_SIZE), { plaintextLength: bodyLength })
      d.setAuthTag(p.subarray(HEADER_SIZE + COUNTER_SIZE + bodyLength))
      body = d.update(p.subarray(HEADER_SIZE + COUNTER_SIZE, HEADER_SIZE + COUNTER_SIZE + bodyLength))
      d.final()
    } catch {
      throw new AuthFailure('auth')
    }
    // Only an authentic packet may move the replay window.
    const type = p[PACKET_TYPE_OFFSET]!
    let window = this.replay.get(type)
    if (!window) {
      window = new ReplayWindow()
      this.replay.set(type, window)
    }
    if (!window.accept(srcNode, counter)) throw new AuthFailure('replay')
    return body
  }
}

function nonce(node: number, packet: Buffer): Buffer {
  const n = Buffer.allocUnsafe(12)
  n.writeUInt32BE(node >>> 0, 0)
  packet.copy(n, 4, HEADER_SIZE, HEADER_SIZE + COUNTER_SIZE)
  return n
}
