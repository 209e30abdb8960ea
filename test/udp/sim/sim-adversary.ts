// The adversary: datagrams no node sent, injected into the simulated
// network. Each is a copy of a link packet a node really handled (or a
// beacon), changed or not:
//   forgedSession     the source session flipped in one bit (issue 8: one such datagram hung a link for good)
//   forgedBeacon      a beacon of another session of the node
//   staleIncarnation  a packet of a former incarnation of the link (as queued in a paused socket)
//   replayedState     a state packet again (it must not refresh liveness)
//   replayedData      a data packet again
import type { SeededRandom } from '../../../core/transports/shared/prng.js'
import { HEADER_SIZE } from '../../../core/transports/udp/packet.js'
import type { SimNetwork } from './sim-network.js'
import type { SimNode } from './sim-node.js'
import type { Origin, SimPacket } from './sim-packet.js'

export type Attack = Exclude<Origin, 'link' | 'beacon'>
export const ATTACKS: readonly Attack[] = ['forgedSession', 'forgedBeacon', 'staleIncarnation', 'replayedState', 'replayedData']

export class Adversary {
  /** Attacks that found nothing to copy (no packet of that kind handled yet). */
  readonly missed: Record<Attack, number> = { forgedSession: 0, forgedBeacon: 0, staleIncarnation: 0, replayedState: 0, replayedData: 0 }
  readonly sent: Record<Attack, number> = { forgedSession: 0, forgedBeacon: 0, staleIncarnation: 0, replayedState: 0, replayedData: 0 }
  private readonly network: SimNetwork
  private readonly random: SeededRandom

  constructor(network: SimNetwork, random: SeededRandom) {
    this.network = network
    this.random = random
  }

  /** Inject one datagram of kind `attack` that seems to come from `src` to `dst`. */
  inject(attack: Attack, src: SimNode, dst: SimNode): void {
    const packet = this.forge(attack, src, dst)
    if (!packet) {
      this.missed[attack]++
      return
    }
    this.sent[attack]++
    this.network.send(packet)
  }

  private forge(attack: Attack, src: SimNode, dst: SimNode): SimPacket | undefined {
    const otherSession = (src.session ^ (1 << this.random.int(0, 31))) >>> 0 || 1
    if (attack === 'forgedBeacon') {
      return { srcNode: src.id, srcSession: otherSession, dstNode: dst.id, dstSession: 0, body: undefined, size: HEADER_SIZE, origin: attack }
    }
    const copies = this.network.copies(src.id, dst.id)
    const current = src.view(dst.id)?.incarnation ?? Infinity
    const fits = copies.filter(p => {
      const body = p.body!
      switch (attack) {
        case 'forgedSession': return true
        case 'staleIncarnation': return body.incarnation < current
        case 'replayedState': return body.items.length === 0
        case 'replayedData': return body.items.length > 0
      }
    })
    if (fits.length === 0) return undefined
    const copy = fits[this.random.int(0, fits.length - 1)]!
    return { ...copy, srcSession: attack === 'forgedSession' ? otherSession : copy.srcSession, origin: attack }
  }
}
