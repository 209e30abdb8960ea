// One seed's scenario, drawn from the seed alone: the link's timing, the
// streams, the network's faults, the pauses (0.5x, 1.5x or 3x the
// tolerance, as in the real-process tests) and the adversary's datagrams,
// all within the fault phase; after it the network is clean.
import { SeededRandom } from '../../../core/transports/shared/prng.js'
import type { UdpTransportOptions } from '../../../core/transports/udp/options.js'
import { ATTACKS, type Attack } from './sim-adversary.js'
import type { NetworkFaults } from './sim-network.js'
import type { StreamPlan } from './sim-node.js'

export interface Pause {
  /** Index of the paused node. */
  node: number
  at: number
  ms: number
}

export interface Injection {
  at: number
  attack: Attack
  /** Indexes of the node it seems to come from and the one it goes to. */
  src: number
  dst: number
}

export interface Scenario {
  seed: number
  nodes: number
  options: UdpTransportOptions
  beaconMs: number
  stream: StreamPlan
  faults: NetworkFaults
  /** Faults, pauses and injections happen before this (ms). */
  faultPhaseMs: number
  pauses: Pause[]
  injections: Injection[]
}

export const TOLERANCE_MS = 120
/** As the real-process tests (0.5x, 1.5x, 3x) and just under the tolerance (the peer's packets wait in the socket at resume). */
export const PAUSE_FACTORS = [0.5, 0.85, 1.5, 3] as const

export function drawScenario(seed: number): Scenario {
  const r = new SeededRandom(seed)
  const nodes = r.chance(0.2) ? 3 : 2
  const faultPhaseMs = 900
  const pauses: Pause[] = []
  for (let i = r.int(0, 2); i > 0; i--) {
    const ms = TOLERANCE_MS * PAUSE_FACTORS[r.int(0, PAUSE_FACTORS.length - 1)]! * (0.9 + 0.2 * r.next())
    pauses.push({ node: r.int(0, nodes - 1), at: r.int(20, Math.max(21, Math.floor(faultPhaseMs - ms))), ms })
  }
  const injections: Injection[] = []
  for (let i = r.int(0, 8); i > 0; i--) {
    const src = r.int(0, nodes - 1)
    const dst = (src + r.int(1, nodes - 1)) % nodes
    injections.push({ at: r.int(30, faultPhaseMs), attack: ATTACKS[r.int(0, ATTACKS.length - 1)]!, src, dst })
  }
  return {
    seed, nodes, faultPhaseMs, pauses, injections,
    beaconMs: 50,
    options: {
      toleranceMs: TOLERANCE_MS, heartbeatMs: 30, minRtoMs: 5, maxRtoMs: 100, ackDelayMs: 1,
      maxPacketSize: 600, linkWindow: r.int(8, 64), receiveWindow: 64, batchDelayUs: r.chance(0.3) ? 2000 : 0,
    },
    stream: { messages: 120, minBytes: 8, maxBytes: r.chance(0.3) ? 1500 : 200, burst: r.int(1, 16), everyMs: r.int(1, 10) },
    faults: {
      drop: r.chance(0.7) ? 0.1 * r.next() : 0,
      duplicate: r.chance(0.5) ? 0.05 * r.next() : 0,
      latencyMs: 0.05 + 2 * r.next(),
      jitterMs: 3 * r.next(),
    },
  }
}
