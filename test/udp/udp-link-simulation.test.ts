// The udp link and peer state machine (core/transports/udp/peers.ts and the
// link it runs) as a seeded simulation on virtual time (test/udp/sim/):
// two or three nodes, numbered streams both ways with backpressure, a
// network that loses, duplicates and reorders, pauses of a node (0.5x,
// 0.85x, 1.5x and 3x the tolerance, as a SIGSTOP), and injected datagrams
// (forged sessions, stale incarnations, replayed state and data packets).
// After each seed the checker (sim/sim-checker.ts) asks what issue 8
// promises: every message taken is delivered once or returned, the links
// converge, nothing waits forever, injected datagrams are counted and do
// not break a working link.
//
// Replay one seed:   LINK_SIM_SEED=123 npx tap test/udp/udp-link-simulation.test.ts
// Run more seeds:    LINK_SIM_SEEDS=20000 npx tap test/udp/udp-link-simulation.test.ts
import t from 'tap'
import { simulate, type SeedResult } from './sim/link-simulation.js'
import { PAUSE_FACTORS, TOLERANCE_MS } from './sim/sim-scenario.js'

const only = process.env.LINK_SIM_SEED
const count = Number(process.env.LINK_SIM_SEEDS ?? 1000)
const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => i + 1)
const replay = (seed: number): string => `LINK_SIM_SEED=${seed} npx tap test/udp/udp-link-simulation.test.ts`
const MAX_REPORTED = 5

t.test(`${seeds.length} seeds: every message accounted for, links converge, nothing pending, injections counted`, async t => {
  const totals = { taken: 0, delivered: 0, returned: 0, overlap: 0, downs: 0, failed: 0 }
  const injected: Record<string, Record<string, number>> = {}
  const pauses = new Map<number, number>()
  for (const seed of seeds) {
    const r = simulate(seed)
    totals.taken += r.taken
    totals.delivered += r.delivered
    totals.returned += r.returned
    totals.overlap += r.overlap
    totals.downs += r.downs
    for (const [attack, reasons] of Object.entries(r.injected)) {
      const into = (injected[attack] ??= {})
      for (const [reason, n] of Object.entries(reasons)) into[reason] = (into[reason] ?? 0) + n
    }
    for (const p of r.scenario.pauses) {
      const factor = PAUSE_FACTORS.reduce((best, f) => Math.abs(f * TOLERANCE_MS - p.ms) < Math.abs(best * TOLERANCE_MS - p.ms) ? f : best)
      pauses.set(factor, (pauses.get(factor) ?? 0) + 1)
    }
    if (only !== undefined) t.comment(describe(r))
    if (r.failures.length === 0) continue
    totals.failed++
    if (totals.failed <= MAX_REPORTED) t.fail(`seed ${seed}: ${r.failures.join('; ')}\n  replay: ${replay(seed)}`)
  }
  t.equal(totals.failed, 0, `no seed failed the checker (${totals.failed} of ${seeds.length} did)`)
  t.comment(`totals: ${JSON.stringify(totals)}`)
  t.comment(`injected datagrams by what they raised: ${JSON.stringify(injected)}`)
  t.comment(`pauses by multiple of the tolerance (nearest): ${JSON.stringify(Object.fromEntries([...pauses].sort((a, b) => a[0] - b[0])))}`)
  if (only !== undefined) return
  // The faults happened: without them the checker proves nothing.
  t.ok(totals.downs > 0 && totals.returned > 0, `links went down and returned messages NO_NODE (${totals.downs} downs, ${totals.returned} returned)`)
  t.ok(totals.overlap > 0, `some returned messages had been delivered (not known to be delivered: ${totals.overlap})`)
  t.ok((injected.forgedSession?.staleSession ?? 0) > 0 && (injected.forgedBeacon?.staleSession ?? 0) > 0, 'forged sessions counted as staleSession')
  t.ok((injected.staleIncarnation?.oldIncarnation ?? 0) > 0, 'stale incarnations counted as oldIncarnation')
  t.ok((injected.replayedState?.replayedState ?? 0) > 0, 'replayed state packets counted as replayedState')
  t.ok((injected.replayedData?.duplicateData ?? 0) > 0, 'replayed data packets counted as duplicateData')
})

t.test('a seed runs the same way twice (a failing seed replays)', async t => {
  const strip = (r: SeedResult) => ({ ...r, scenario: undefined })
  t.same(strip(simulate(seeds[0]!)), strip(simulate(seeds[0]!)))
})

function describe(r: SeedResult): string {
  const s = r.scenario
  return [
    `seed ${s.seed}: ${s.nodes} nodes, ${s.stream.messages} messages per stream, faults ${JSON.stringify(s.faults)}`,
    `  options ${JSON.stringify(s.options)}`,
    `  pauses ${JSON.stringify(s.pauses)}`,
    `  injections ${JSON.stringify(s.injections)}`,
    `  taken ${r.taken}, delivered ${r.delivered}, returned ${r.returned} (${r.overlap} of them delivered), downs ${r.downs}, ended at ${r.endedAt} ms`,
    `  injected ${JSON.stringify(r.injected)}`,
    ...r.failures.map(f => `  FAILED: ${f}`),
  ].join('\n')
}
