// One seed of the link simulation: the scenario drawn from the seed
// (sim-scenario.ts), the nodes on virtual time over the simulated network,
// run through the fault phase and then on a clean network until every
// stream is done and every link agreed (or a deadline), then checked
// (sim-checker.ts). Everything is decided by the seed: a failing seed
// fails the same way on every run.
import { SeededRandom } from '../../../core/transports/shared/prng.js'
import { Adversary } from './sim-adversary.js'
import { check, type SeedReport } from './sim-checker.js'
import { NO_FAULTS, SimNetwork } from './sim-network.js'
import { SimNode } from './sim-node.js'
import { drawScenario, TOLERANCE_MS, type Scenario } from './sim-scenario.js'
import { VirtualTime } from './virtual-process.js'

/** After the fault phase, at most this long to settle (virtual ms). */
const SETTLE_MS = 20 * TOLERANCE_MS
/** How often the run looks whether it has settled (virtual ms). */
const LOOK_EVERY_MS = 10
/** Turns at one instant before the run calls it a livelock. */
const MAX_SPINS = 100_000

interface WorldEvent {
  at: number
  run: () => void
}

export interface SeedResult extends SeedReport {
  scenario: Scenario
  /** Virtual ms the run took. */
  endedAt: number
}

export function simulate(seed: number): SeedResult {
  const scenario = drawScenario(seed)
  const random = new SeededRandom(seed ^ 0x5eed)
  const time = new VirtualTime()
  const network = new SimNetwork(time, random)
  network.faults = scenario.faults
  const adversary = new Adversary(network, random)
  const nodes: SimNode[] = []
  for (let i = 0; i < scenario.nodes; i++) {
    const session = (random.int(1, 0xfffffffe)) >>> 0
    const node = new SimNode(100 + i, session, scenario.options, time, network, random, scenario.stream)
    network.attach(node.id, node.process)
    nodes.push(node)
  }
  const events: WorldEvent[] = []
  for (const p of scenario.pauses) {
    const process = nodes[p.node]!.process
    events.push({ at: p.at, run: () => { process.paused = true } }, { at: p.at + p.ms, run: () => { process.paused = false } })
  }
  for (const i of scenario.injections) events.push({ at: i.at, run: () => adversary.inject(i.attack, nodes[i.src]!, nodes[i.dst]!) })
  events.push({ at: scenario.faultPhaseMs, run: () => { network.faults = NO_FAULTS } })
  events.sort((a, b) => a.at - b.at)

  for (const n of nodes) n.start(nodes, scenario.beaconMs)
  const deadline = scenario.faultPhaseMs + SETTLE_MS
  let nextLook = scenario.faultPhaseMs
  let nextEvent = 0
  for (;;) {
    network.deliverDue()
    while (nextEvent < events.length && events[nextEvent]!.at <= time.now) events[nextEvent++]!.run()
    runReady(nodes, time.now)
    if (time.now >= nextLook) {
      if (settled(nodes, network) || time.now >= deadline) break
      nextLook = time.now + LOOK_EVERY_MS
    }
    let next = Math.min(network.nextArrivalAt, nextLook, events[nextEvent]?.at ?? Infinity)
    for (const n of nodes) if (!n.process.paused) next = Math.min(next, n.process.nextTimerAt)
    time.now = Math.max(time.now, next)
  }
  const report = check(nodes, scenario)
  for (const n of nodes) n.peers.closeAll(false)
  return { ...report, scenario, endedAt: time.now }
}

/** Turns of every process that has something to do now, until none has. */
function runReady(nodes: readonly SimNode[], now: number): void {
  for (let spins = 0; ; spins++) {
    let ran = false
    for (const n of nodes) {
      if (!n.process.ready) continue
      n.process.turn()
      ran = true
    }
    if (!ran) return
    if (spins > MAX_SPINS) throw new Error(`livelock: processes still busy after ${MAX_SPINS} turns at ${now} ms`)
  }
}

/** Every stream done, nothing held by a link or the network, every link up at both ends with one pair. */
function settled(nodes: readonly SimNode[], network: SimNetwork): boolean {
  if (network.nextArrivalAt !== Infinity) return false
  for (const a of nodes) {
    if (a.process.paused || a.process.waiting > 0 || !a.streamsDone || a.peers.busy) return false
    for (const b of nodes) {
      if (a === b) continue
      const va = a.view(b.id)
      const vb = b.view(a.id)
      if (!va?.up || !vb?.up || va.incarnation !== vb.peerIncarnation || vb.incarnation !== va.peerIncarnation) return false
    }
  }
  return true
}
