// The memory network's links, one per ordered pair of nodes: the RDM
// packets on their way (send() refuses at linkWindow) and the tick before
// which the link's next packet may not arrive (order, and the delay
// fault). Every packet crosses its link on the virtual clock through the
// seeded faults: drop, duplicate, reorder (held back alone, later packets
// overtake it) and delay (the link stalls, order kept). A link that drains
// below its window frees the senders blocked on it.
import type { SeededRandom } from '../shared/prng.js'
import type { ResolvedOptions } from './options.js'
import { packet, type Packet } from './packet.js'
import type { Scheduler } from './scheduler.js'
import type { MemoryNetworkStats } from './stats.js'

interface Link {
  /** Packets on their way (a duplicate's extra copy is not counted). */
  inFlight: number
  /** The earliest tick its next packet may arrive at. */
  readyAt: number
}

export interface LinkEnds {
  /** A packet reached the end of its link. */
  arrive(p: Packet): void
  /** The link from `from` to `to` is below its window again. */
  drained(from: number, to: number): void
}

export class VirtualLinks {
  /** By sending node, then receiving node. */
  private readonly links = new Map<number, Map<number, Link>>()
  private readonly options: ResolvedOptions
  private readonly stats: MemoryNetworkStats
  private readonly random: SeededRandom
  private readonly scheduler: Scheduler
  private readonly ends: LinkEnds

  constructor(options: ResolvedOptions, stats: MemoryNetworkStats, random: SeededRandom, scheduler: Scheduler, ends: LinkEnds) {
    this.options = options
    this.stats = stats
    this.random = random
    this.scheduler = scheduler
    this.ends = ends
  }

  /** Whether the link from `from` to `to` has linkWindow packets on their way. */
  full(from: number, to: number): boolean {
    const link = this.links.get(from)?.get(to)
    return link !== undefined && link.inFlight >= this.options.linkWindow
  }

  /** Put a packet on its link. */
  transmit(p: Packet): void {
    const f = this.options.faults
    const link = this.link(p.fromNode, p.toNode)
    this.stats.sent++
    if (this.random.chance(f.drop)) {
      this.stats.dropped++
      return
    }
    const copies = this.random.chance(f.duplicate) ? 2 : 1
    if (copies === 2) this.stats.duplicated++
    let due = this.scheduler.clock + 1
    if (this.random.chance(f.delay)) {
      this.stats.delayed++
      due = Math.max(due + this.random.int(1, f.maxDelayTicks), link.readyAt)
      link.readyAt = due
    } else if (this.random.chance(f.reorder)) {
      // Held back alone: the link's order for later packets is untouched, so they overtake it.
      this.stats.reordered++
      due = Math.max(due, link.readyAt) + this.random.int(1, f.maxDelayTicks)
    } else {
      due = Math.max(due, link.readyAt)
      link.readyAt = due
    }
    link.inFlight++
    this.scheduler.at(due, () => {
      this.landed(link, p)
      this.ends.arrive(p)
    })
    if (copies === 2) {
      const copy = packet(p, p.data.slice(), p.fromNode, p.toNode, p.fromIncarnation, p.toIncarnation)
      this.scheduler.at(due, () => this.ends.arrive(copy))
    }
  }

  private landed(link: Link, p: Packet): void {
    link.inFlight--
    // Senders are refused only at the window, so only this step can free them.
    if (link.inFlight === this.options.linkWindow - 1) this.ends.drained(p.fromNode, p.toNode)
  }

  private link(from: number, to: number): Link {
    let out = this.links.get(from)
    if (!out) this.links.set(from, out = new Map<number, Link>())
    let link = out.get(to)
    if (!link) out.set(to, link = { inFlight: 0, readyAt: 0 })
    return link
  }
}
