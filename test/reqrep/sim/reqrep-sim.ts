// One seed of the request/reply simulation: a MemoryNetwork with the seed's
// faults (drop, duplicate, reorder, delay, overload), a client Bus on node 0
// and 1-3 servers on the other nodes, one Bus per node, all on the
// network's virtual clock with a seeded random. The client sends requests at
// drawn times (some keyed, some allowing retries); handlers answer at once,
// later (a virtual-clock timer) or with a coded failure; a server node may
// crash. The run settles when every request has its one outcome; the
// ledger is what the application saw, judged by reqrep-checker.ts.
import { Bus } from '../../../core/pubsub/bus.js'
import type { RequestContext } from '../../../core/reqrep/server.js'
import { TipcRxError } from '../../../errors/index.js'
import { MemoryNetwork } from '../../../core/transports/memory/network.js'
import { SeededRandom } from '../../../core/transports/shared/prng.js'
import type { FaultPlan } from '../../../core/transports/memory/options.js'

export const TOPIC = 'sim.lookup'
const SETTLE_DEADLINE_MS = 20_000

export interface Scenario {
  seed: number
  faults: FaultPlan
  /** Servers: the node each is on (1..), its concurrency. */
  servers: Array<{ node: number; concurrency: number }>
  requests: Array<{ at: number; n: number; key?: string; retries: number }>
  /** A server node that crashes, and when. */
  crash?: { node: number; at: number }
  timeoutMs: number
}

/** What one run of a handler was. */
export interface Run { server: number; requester: string; id: number; n: number }

export interface Outcome { n: number; value?: { n: number; doubled: number }; error?: { code: string; typed: boolean } }

export interface SeedResult {
  scenario: Scenario
  runs: Run[]
  outcomes: Outcome[]
  /** Requests whose promise never settled (a hang). */
  unsettled: number
  stats: { resent: number; duplicateReplies: number; answeredFromCache: number; repeatsWhileRunning: number; shed: number }
  faults: { dropped: number; duplicated: number; reordered: number; delayed: number; overloaded: number; crashes: number }
}

/** n % FAILING === 0: the handler fails with a coded error. */
export const FAILING = 7

export function drawScenario(seed: number): Scenario {
  const rng = new SeededRandom(seed)
  const p = (max: number) => (rng.chance(0.7) ? rng.next() * max : 0)
  const servers = Array.from({ length: rng.int(1, 3) }, () => ({ node: rng.int(1, 2), concurrency: rng.int(1, 4) }))
  const requests = Array.from({ length: rng.int(10, 40) }, (_, n) => ({
    at: rng.int(0, 500), n: n + 1, retries: rng.int(0, 2),
    ...(rng.chance(0.3) ? { key: `k${rng.int(0, 20)}` } : {}),
  }))
  const scenario: Scenario = {
    seed, servers, requests,
    faults: { drop: p(0.2), duplicate: p(0.1), reorder: p(0.1), delay: p(0.1), overload: p(0.05) },
    timeoutMs: rng.chance(0.8) ? 60_000 : rng.int(200, 2000),
  }
  if (rng.chance(0.25)) scenario.crash = { node: rng.int(1, 2), at: rng.int(0, 600) }
  return scenario
}

export async function simulate(seed: number): Promise<SeedResult> {
  const scenario = drawScenario(seed)
  const network = new MemoryNetwork({ seed, faults: scenario.faults })
  const random = new SeededRandom(seed ^ 0x7e9e)
  const buses = [0, 1, 2].map(() => new Bus(network.open(), { random: () => random.next() }))
  const runs: Run[] = []
  const outcomes: Outcome[] = []
  scenario.servers.forEach((s, server) => {
    buses[s.node]!.serve<{ n: number }, { n: number; doubled: number }>(TOPIC, (req, ctx: RequestContext) => {
      runs.push({ server, requester: `${ctx.requester.node}:${ctx.requester.ref}`, id: ctx.id, n: req.n })
      if (req.n % FAILING === 0) throw Object.assign(new Error(`no ${req.n}`), { code: 'E_SIM' })
      const reply = { n: req.n, doubled: req.n * 2 }
      if (req.n % 3 === 0) return reply
      return new Promise(resolve => network.clock.setTimer(req.n % 50, () => resolve(reply)))
    }, { concurrency: s.concurrency })
  })
  let pending = 0
  for (const r of scenario.requests) {
    network.clock.setTimer(r.at, () => {
      pending++
      buses[0]!.request<{ n: number; doubled: number }>(TOPIC, { n: r.n }, {
        timeoutMs: scenario.timeoutMs, retries: r.retries, ...(r.key === undefined ? {} : { key: r.key }),
        resend: { initialMs: 50, maxMs: 800 },
      }).then(
        value => outcomes.push({ n: r.n, value }),
        (err: unknown) => outcomes.push({ n: r.n, error: { code: String((err as { code?: unknown }).code), typed: err instanceof TipcRxError } }),
      ).finally(() => pending--)
    })
  }
  if (scenario.crash !== undefined) {
    const { node, at } = scenario.crash
    network.clock.setTimer(at, () => network.crash(buses[node]!.transport.node))
  }
  const settled = await settle(network, () => outcomes.length === scenario.requests.length)
  const client = buses[0]!.requestStats()
  const servers = buses.slice(1).map(b => b.requestStats().servers)
  const ns = network.stats
  const result: SeedResult = {
    scenario, runs, outcomes,
    unsettled: settled ? 0 : pending,
    stats: {
      resent: client.requester.resent,
      duplicateReplies: client.requester.duplicateReplies,
      answeredFromCache: servers.reduce((a, s) => a + s.answeredFromCache, 0),
      repeatsWhileRunning: servers.reduce((a, s) => a + s.repeatsWhileRunning, 0),
      shed: servers.reduce((a, s) => a + s.shed, 0),
    },
    faults: { dropped: ns.dropped, duplicated: ns.duplicated, reordered: ns.reordered, delayed: ns.delayed, overloaded: ns.overloaded, crashes: ns.crashes },
  }
  for (const b of buses) await b.close()
  return result
}

async function settle(network: MemoryNetwork, done: () => boolean): Promise<boolean> {
  for (let rounds = 0; rounds < 1000; rounds++) {
    let timer: NodeJS.Timeout | undefined
    const idle = await Promise.race([
      network.settle().then(() => true),
      new Promise<boolean>(resolve => { timer = setTimeout(resolve, SETTLE_DEADLINE_MS, false) }),
    ])
    clearTimeout(timer)
    if (!idle) return false
    await new Promise(resolve => setImmediate(resolve))
    if (done()) return true
  }
  return false
}
