// Two links joined by an in-process wire with seeded loss, duplication and
// reordering: the link algorithm tested without sockets. Packets are encoded
// and decoded on the way, so the codec is exercised too.
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { Reader, Writer } from '../../core/transports/udp/bytes.js'
import { Link, type LinkConfig } from '../../core/transports/udp/link.js'
import { linkBodySize, readLinkBody, writeLinkBody, type LinkBody } from '../../core/transports/udp/packet.js'

export interface WireFaults {
  drop?: number
  duplicate?: number
  reorder?: number
}

export interface WireEnd {
  link: Link<number>
  delivered: Uint8Array[]
  drained: number
}

export const testConfig = (over: Partial<LinkConfig & { itemSpace: number }> = {}): LinkConfig & { itemSpace: number } => ({
  itemSpace: 1400, batchDelayUs: 0, linkWindow: 512, linkWindowBytes: 1 << 24, flightBytes: 64 * 1400, receiveWindow: 4096,
  minRtoMs: 2, maxRtoMs: 50, ackDelayMs: 1, heartbeatMs: 50, toleranceMs: 5000, ...over,
})

export function lossyPair(seed: number, faults: WireFaults, config: LinkConfig & { itemSpace: number } = testConfig()) {
  const random = new SeededRandom(seed)
  const counts = { sent: 0, dropped: 0, duplicated: 0, reordered: 0 }
  const ends: WireEnd[] = []
  let held: { to: number; bytes: Buffer } | undefined
  const arrive = (to: number, bytes: Buffer) => {
    setImmediate(() => ends[to]!.link.receive(readLinkBody(new Reader(bytes)), bytes.byteLength))
  }
  const wire = (to: number) => (body: LinkBody) => {
    const w = new Writer(linkBodySize(body.items))
    writeLinkBody(w, body)
    const bytes = w.finish()
    counts.sent++
    if (random.chance(faults.drop ?? 0)) {
      counts.dropped++
      return
    }
    if (random.chance(faults.reorder ?? 0) && !held) {
      counts.reordered++
      held = { to, bytes }
      return
    }
    arrive(to, bytes)
    if (random.chance(faults.duplicate ?? 0)) {
      counts.duplicated++
      arrive(to, bytes)
    }
    if (held) {
      arrive(held.to, held.bytes)
      held = undefined
    }
  }
  for (const i of [0, 1]) {
    const end: WireEnd = {
      link: undefined as unknown as Link<number>,
      delivered: [],
      drained: 0,
    }
    end.link = new Link<number>(config, {
      transmit: wire(1 - i),
      deliver: r => end.delivered.push(r),
      drained: () => end.drained++,
      random: () => random.next(),
    })
    ends.push(end)
  }
  // A held-back packet must not wait forever when traffic stops.
  const flusher = setInterval(() => {
    if (held) {
      arrive(held.to, held.bytes)
      held = undefined
    }
  }, 5)
  return { a: ends[0]!, b: ends[1]!, counts, close: () => { clearInterval(flusher); ends.forEach(e => e.link.close()) } }
}
