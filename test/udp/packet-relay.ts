// A UDP relay on loopback between a sending node (in this process) and a
// receiving node (another process), so a test sees the real packets on the
// wire and can put packets of its own on it: the sender beacons to the
// relay (a static peer, discovery off), the relay forwards each way, and the
// receiver knows the sender by the relay's address. A packet injected from
// the relay's receiver-facing socket is indistinguishable, by address, from
// one the sender sent: the strongest form of a forged or replayed datagram
// (off loopback, UDP source addresses can be spoofed).
import dgram from 'node:dgram'
import { Reader } from '../../core/transports/udp/bytes.js'
import { SEAL_OVERHEAD } from '../../core/transports/udp/crypto.js'
import { FLAG_SEALED, HEADER_SIZE, LINK_FIXED_SIZE, PACKET_LINK, readHeader, readLinkBody } from '../../core/transports/udp/packet.js'

const LOOPBACK = '127.0.0.1'

/** What a forwarded sender-to-receiver packet is (header and, when not sealed, the link body). */
export interface SeenPacket {
  bytes: Buffer
  /** A link packet (not a beacon). */
  link: boolean
  /** A link packet carrying items (data, name records), as opposed to a state packet (acks, heartbeat, probe). */
  withItems: boolean
}

async function boundSocket(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4')
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject)
    s.bind(0, LOOPBACK, () => { s.off('error', reject); resolve() })
  })
  try {
    // As large as the nodes' own (node.ts): with the default (~200 KB, three
    // 64 KB packets) the relay alone would lose packets whenever this busy
    // process is late to read, and the scenarios would measure the relay.
    s.setRecvBufferSize(4 << 20)
    s.setSendBufferSize(4 << 20)
  } catch {
    // The system caps buffer sizes; the relay still works, with more retransmissions.
  }
  return s
}

/** Classify a packet from its header (and its body when not sealed: sealed bodies are opaque, so their size tells). */
export function classify(bytes: Buffer): SeenPacket {
  try {
    const h = readHeader(new Reader(bytes.subarray(0, HEADER_SIZE)))
    if (h.type !== PACKET_LINK) return { bytes, link: false, withItems: false }
    const withItems = (h.flags & FLAG_SEALED) !== 0
      ? bytes.byteLength > HEADER_SIZE + SEAL_OVERHEAD + LINK_FIXED_SIZE
      : readLinkBody(new Reader(bytes.subarray(HEADER_SIZE))).items.length > 0
    return { bytes, link: true, withItems }
  } catch {
    return { bytes, link: false, withItems: false }
  }
}

export class PacketRelay {
  /** The sender's packets arrive here; the receiver's leave from here to the sender. */
  private readonly facingSender: dgram.Socket
  /** The sender's packets leave from here to the receiver; the receiver's arrive here. */
  private readonly facingReceiver: dgram.Socket
  private readonly receiverPort: number
  private sender: { address: string; port: number } | undefined
  /** Every sender-to-receiver packet, as it is forwarded. */
  onSenderPacket: ((p: SeenPacket) => void) | undefined
  forwarded = { toReceiver: 0, toSender: 0 }
  injected = 0

  private constructor(facingSender: dgram.Socket, facingReceiver: dgram.Socket, receiverPort: number) {
    this.facingSender = facingSender
    this.facingReceiver = facingReceiver
    this.receiverPort = receiverPort
    facingSender.on('message', (msg, rinfo) => {
      this.sender = { address: rinfo.address, port: rinfo.port }
      this.onSenderPacket?.(classify(msg))
      this.forwarded.toReceiver++
      facingReceiver.send(msg, receiverPort, LOOPBACK)
    })
    facingReceiver.on('message', msg => {
      if (!this.sender) return
      this.forwarded.toSender++
      facingSender.send(msg, this.sender.port, this.sender.address)
    })
  }

  /** A relay to the receiving node listening on 127.0.0.1:receiverPort. */
  static async open(receiverPort: number): Promise<PacketRelay> {
    return new PacketRelay(await boundSocket(), await boundSocket(), receiverPort)
  }

  /** Where the sending node is to send (its static peer). */
  get senderFacingPort(): number {
    return this.facingSender.address().port
  }

  /** Put a packet on the wire to the receiver, from the address it knows the sender by. */
  inject(packet: Buffer): Promise<void> {
    this.injected++
    return new Promise((resolve, reject) => this.facingReceiver.send(packet, this.receiverPort, LOOPBACK, err => (err ? reject(err) : resolve())))
  }

  close(): void {
    this.onSenderPacket = undefined
    this.facingSender.close()
    this.facingReceiver.close()
  }
}
