// The simulated network between the processes: every datagram is lost,
// duplicated or delayed (delays vary, so datagrams overtake each other) by
// a seeded PRNG, then arrives in its destination's socket, paused or not.
// It also keeps copies of the link packets the nodes handled, per direction,
// for the adversary to inject later (sim-adversary.ts).
import type { SeededRandom } from '../../../core/transports/shared/prng.js'
import type { SimPacket } from './sim-packet.js'
import type { VirtualProcess, VirtualTime } from './virtual-process.js'

export interface NetworkFaults {
  drop: number
  duplicate: number
  /** Every datagram takes latencyMs plus up to jitterMs more. */
  latencyMs: number
  jitterMs: number
}

export const NO_FAULTS: NetworkFaults = { drop: 0, duplicate: 0, latencyMs: 0.05, jitterMs: 0.05 }

interface InFlight {
  at: number
  order: number
  packet: SimPacket
}

/** Copies kept per direction: the most recent ones, and a sample of older ones (older incarnations). */
const RECENT = 32
const OLDER = 32

export class SimNetwork {
  faults: NetworkFaults = NO_FAULTS
  readonly counts = { sent: 0, dropped: 0, duplicated: 0 }
  private readonly time: VirtualTime
  private readonly random: SeededRandom
  private readonly processes = new Map<number, VirtualProcess<SimPacket>>()
  /** Sorted by (at, order). */
  private inFlight: InFlight[] = []
  private order = 0
  private readonly recent = new Map<string, SimPacket[]>()
  private readonly older = new Map<string, { sample: SimPacket[]; agedOut: number }>()

  constructor(time: VirtualTime, random: SeededRandom) {
    this.time = time
    this.random = random
  }

  attach(node: number, process: VirtualProcess<SimPacket>): void {
    this.processes.set(node, process)
  }

  /** A datagram leaves a node (or the adversary). */
  send(packet: SimPacket): void {
    this.counts.sent++
    const f = this.faults
    if (this.random.chance(f.drop)) {
      this.counts.dropped++
      return
    }
    this.schedule(packet)
    if (this.random.chance(f.duplicate)) {
      this.counts.duplicated++
      this.schedule(packet)
    }
  }

  /** When the next datagram arrives (Infinity: none in flight). */
  get nextArrivalAt(): number {
    return this.inFlight.length > 0 ? this.inFlight[0]!.at : Infinity
  }

  /** Put what has arrived by now into its destination's socket. */
  deliverDue(): void {
    const now = this.time.now
    let i = 0
    while (i < this.inFlight.length && this.inFlight[i]!.at <= now) {
      const p = this.inFlight[i]!.packet
      this.processes.get(p.dstNode)?.arrive(p)
      i++
    }
    if (i > 0) this.inFlight.splice(0, i)
  }

  /** A link packet a node handled: kept for replays. */
  keep(packet: SimPacket): void {
    const key = `${packet.srcNode}>${packet.dstNode}`
    let recent = this.recent.get(key)
    if (!recent) this.recent.set(key, (recent = []))
    recent.push(packet)
    if (recent.length <= RECENT) return
    const aged = recent.shift()!
    // Reservoir sampling over everything that aged out: older packets of every incarnation stay available.
    let older = this.older.get(key)
    if (!older) this.older.set(key, (older = { sample: [], agedOut: 0 }))
    older.agedOut++
    if (older.sample.length < OLDER) older.sample.push(aged)
    else {
      const j = Math.floor(this.random.next() * older.agedOut)
      if (j < OLDER) older.sample[j] = aged
    }
  }

  /** Copies of link packets from `src` to `dst` handled so far (recent and older). */
  copies(src: number, dst: number): readonly SimPacket[] {
    const key = `${src}>${dst}`
    return [...(this.older.get(key)?.sample ?? []), ...(this.recent.get(key) ?? [])]
  }

  private schedule(packet: SimPacket): void {
    const f = this.faults
    const item: InFlight = { at: this.time.now + f.latencyMs + this.random.next() * f.jitterMs, order: this.order++, packet }
    let i = this.inFlight.length
    while (i > 0 && this.inFlight[i - 1]!.at > item.at) i--
    this.inFlight.splice(i, 0, item)
  }
}
