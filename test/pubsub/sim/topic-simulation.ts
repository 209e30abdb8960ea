// One seed of the topic layer's simulation: a MemoryNetwork with the seed's
// faults, one Bus per node (on the network's virtual clock, with a seeded
// random), and the scenario's timeline played on that clock through the
// public API (Topic.subscribe / publish / publish$, unsubscribe,
// network.crash). Then it lets the run settle: every publish answered,
// every timer fired. The ledger records what the application saw; the
// checker (sim-checker.ts) judges it.
import { Bus } from '../../../core/pubsub/bus.js'
import type { SubscribeOptions } from '../../../core/pubsub/subscribe-options.js'
import type { Topic } from '../../../core/pubsub/topic.js'
import type { RdmSocket } from '../../../core/transport-contract/index.js'
import { MemoryNetwork } from '../../../core/transports/memory/network.js'
import type { MemoryTransport } from '../../../core/transports/memory/transport.js'
import { SeededRandom } from '../../../core/transports/shared/prng.js'
import { check } from './sim-checker.js'
import { bodyOf, handled, Ledger, type Published, type SimSubscriber, type SimValue } from './sim-ledger.js'
import { drawScenario, naks, refuses, type Op, type Scenario } from './sim-scenario.js'

export const TOPIC = 'sim.orders'
/** Wall-clock bound on one seed's settling: only turns a hang into a failure. */
const SETTLE_DEADLINE_MS = 20_000

export interface SeedTotals {
  published: number
  receipts: number
  receiptsOk: number
  /** Publishes that ended with an error, by its code. */
  errors: Record<string, number>
  delivered: number
  resent: number
  gaps: number
  duplicatesSuppressed: number
  outcomes: Record<string, number>
  faults: { dropped: number; duplicated: number; reordered: number; delayed: number; overloaded: number; crashes: number }
}

export interface SeedResult {
  scenario: Scenario
  failures: string[]
  totals: SeedTotals
  endedAt: number
}

interface SimNode {
  transport: MemoryTransport
  bus: Bus
  topic: Topic<SimValue>
  alive: boolean
  /** The last RDM socket the bus opened on this node: a subscription's, right after it binds. */
  lastSocket: RdmSocket | undefined
  /** How to stop each subscription made here. */
  stops: Map<number, () => void>
}

export async function simulate(seed: number): Promise<SeedResult> {
  const scenario = drawScenario(seed)
  const network = new MemoryNetwork({ seed, faults: scenario.faults })
  const random = new SeededRandom(seed ^ 0x5eed_f00d)
  const ledger = new Ledger()
  const nodes = Array.from({ length: scenario.nodes }, () => openNode(network, () => random.next(), scenario.ackTimeoutMs))
  for (const n of nodes) ledger.nodeIds.push(n.transport.node)
  const play = new Player(network, nodes, ledger, scenario.ackTimeoutMs)
  for (const op of scenario.ops) network.clock.setTimer(op.at, () => play.run(op))
  const failures: string[] = []
  if (!(await settle(network, ledger))) failures.push(`still pending after the network went idle: ${ledger.unanswered} publishes unanswered`)
  const totals = count(network, nodes, ledger)
  failures.push(...check(ledger, scenario))
  const endedAt = network.clock.now()
  for (const n of nodes) {
    for (const stop of n.stops.values()) stop()
    await n.bus.close()
  }
  const idle = await Promise.race([network.settle().then(() => true), wallClock(SETTLE_DEADLINE_MS).then(() => false)])
  if (!idle) failures.push('the network never went idle after every bus closed (a timer re-arms forever)')
  return { scenario, failures, totals, endedAt }
}

function openNode(network: MemoryNetwork, random: () => number, timeoutMs: number): SimNode {
  const transport = network.open()
  const node: SimNode = { transport, bus: undefined!, topic: undefined!, alive: true, lastSocket: undefined, stops: new Map() }
  // Subscriptions do not name their socket: the sim learns it as the transport opens it.
  const rdm = transport.rdm.bind(transport)
  transport.rdm = () => {
    node.lastSocket = rdm()
    return node.lastSocket
  }
  node.bus = new Bus(transport, { random, timeoutMs })
  node.topic = node.bus.topic<SimValue>(TOPIC)
  return node
}

class Player {
  constructor(private readonly network: MemoryNetwork, private readonly nodes: SimNode[], private readonly ledger: Ledger, private readonly timeoutMs: number) {}

  run(op: Op): void {
    if (op.op === 'subscribe') this.subscribe(op)
    else if (op.op === 'unsubscribe') this.unsubscribe(op.id)
    else if (op.op === 'publish') this.publish(op)
    else this.crash(op.node)
  }

  private subscribe(op: Extract<Op, { op: 'subscribe' }>): void {
    const node = this.nodes[op.node]!
    if (!node.alive) return
    const s = this.ledger.subscriber(op.id, op.node, op.what)
    const w = op.what
    const options: SubscribeOptions = w.kind === 'all' ? {} : w.kind === 'partition' ? { partition: { lower: w.lower, upper: w.upper } } : w.kind === 'key' ? { key: w.key } : { group: w.group }
    const consumer = op.consumer
    const sub = node.topic.subscribe({ ...options, ack: consumer.kind === 'callback' && consumer.manual ? 'manual' : 'auto' })
    sub.gaps$.subscribe(g => s.gaps.push(g))
    if (consumer.kind === 'observer') {
      const handle = sub.subscribe({
        next: d => {
          s.received.push(handled(d))
          s.processed.push(handled(d))
        },
        error: (err: Error) => s.errors.push(err.message),
      })
      node.stops.set(op.id, () => handle.unsubscribe())
    } else {
      // A slow consumer: it finishes each message slowMs later (or refuses it, or naks it), unless its node died meanwhile.
      const clock = this.network.clock
      sub.consume(d => {
        const h = handled(d)
        s.received.push(h)
        return new Promise<void>((resolve, reject) => clock.setTimer(consumer.slowMs, () => {
          if (!node.alive) return
          if (consumer.manual && d.attempt === 1 && naks(consumer, op.id, d.value.n, d.value.body.length)) {
            s.naked.push(h)
            d.nak(consumer.nakDelayMs)
            resolve()
          } else if (refuses(consumer, op.id, d.value.n)) {
            s.refused.push(h)
            if (!consumer.manual) return reject(new Error('refused by the simulated consumer'))
            d.term('refused by the simulated consumer')
            resolve()
          } else {
            s.processed.push(h)
            d.ack()
            resolve()
          }
        }))
      }).catch((err: Error) => s.errors.push(err.message))
      node.stops.set(op.id, () => sub.close())
    }
    s.address = node.lastSocket!.address
  }

  private unsubscribe(id: number): void {
    const s: SimSubscriber | undefined = this.ledger.subscribers.get(id)
    const node = s === undefined ? undefined : this.nodes[s.node]
    const stop = node?.stops.get(id)
    if (stop === undefined || !node!.alive) return
    node!.stops.delete(id)
    s!.unsubscribed = true
    stop()
  }

  private publish(op: Extract<Op, { op: 'publish' }>): void {
    const node = this.nodes[op.node]!
    if (!node.alive) return
    const value: SimValue = { p: op.node, n: op.id, body: bodyOf(op.node, op.id, op.bytes) }
    const p = this.ledger.publish({ id: op.id, node: op.node, key: op.key, ack: op.ack, value, bytes: op.bytes, observable: op.observable })
    const options = { ack: op.ack, timeoutMs: this.timeoutMs, ...(op.key === undefined ? {} : { key: op.key }) }
    const failed = (err: unknown): void => { p.errors.push(errorOf(err)) }
    if (!op.observable) {
      node.topic.publish(value, options).then(r => { p.receipts.push(r) }, failed)
      return
    }
    node.topic.publish$(value, options).subscribe({
      next: e => { if (e.type === 'outcome') p.outcomeEvents.push(e.outcome); else p.receipts.push(e.receipt) },
      error: failed,
      complete: () => { p.completed = true },
    })
  }

  /** The node is gone with its process: its bus too (closed, as nothing of it runs any more). */
  private crash(index: number): void {
    const node = this.nodes[index]!
    if (!node.alive || this.nodes.filter(n => n.alive).length < 2) return
    node.alive = false
    this.ledger.crashed.add(index)
    node.stops.clear()
    this.network.crash(node.transport.node)
    void node.bus.close()
  }
}

/** Let the run go until every publish has answered and nothing more happens; false if publishes are left unanswered. */
async function settle(network: MemoryNetwork, ledger: Ledger): Promise<boolean> {
  let still = 0
  let mark = ''
  while (still < 3) {
    const idle = await Promise.race([network.settle().then(() => true), wallClock(SETTLE_DEADLINE_MS).then(() => false)])
    if (!idle) return false
    await new Promise(resolve => setImmediate(resolve))
    if (ledger.unanswered === 0) return true
    const now = `${network.clock.now()}/${network.stats.sent}/${ledger.unanswered}`
    still = now === mark ? still + 1 : 0
    mark = now
  }
  return false
}

function count(network: MemoryNetwork, nodes: SimNode[], ledger: Ledger): SeedTotals {
  const published = [...ledger.published.values()]
  const receipts = published.flatMap((p: Published) => p.receipts)
  const stats = nodes.map(n => n.bus.stats())
  const outcomes: Record<string, number> = {}
  const errors: Record<string, number> = {}
  for (const p of published) for (const e of p.errors) errors[e.code] = (errors[e.code] ?? 0) + 1
  for (const r of receipts) for (const o of r.outcomes) outcomes[o.kind] = (outcomes[o.kind] ?? 0) + 1
  const ns = network.stats
  return {
    published: published.length,
    receipts: receipts.length,
    receiptsOk: receipts.filter(r => r.ok).length,
    errors,
    delivered: [...ledger.subscribers.values()].reduce((n, s) => n + s.received.length, 0),
    resent: stats.reduce((n, s) => n + s.resent, 0),
    gaps: [...ledger.subscribers.values()].reduce((n, s) => n + s.gaps.length, 0),
    duplicatesSuppressed: stats.reduce((n, s) => n + s.duplicates, 0),
    outcomes,
    faults: { dropped: ns.dropped, duplicated: ns.duplicated, reordered: ns.reordered, delayed: ns.delayed, overloaded: ns.overloaded, crashes: ns.crashes },
  }
}

function errorOf(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown }
  return { code: typeof e?.code === 'string' ? e.code : 'NO_CODE', message: String(e?.message ?? err) }
}

function wallClock(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref())
}
