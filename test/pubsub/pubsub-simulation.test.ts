// The topic layer as a seeded simulation on the memory transport's virtual
// clock (test/pubsub/sim/): per seed, 2-4 nodes with a Bus each on one
// MemoryNetwork whose faults (drop, duplicate, reorder, delay, overload)
// vary with the seed; subscriptions of every kind (whole range, partitions,
// one key, a queue group; fast and slow consumers) coming and going,
// publishes keyed and unkeyed with every ack mode, and node crashes. After
// each seed the checker (sim/sim-checker.ts) asks what the topic layer
// promises: one answer per publish, receipts that follow their ack mode,
// 'acked' only for what the consumer processed, once and in order, no
// invented or corrupted value, and no loss to faults alone.
//
// Replay one seed:   PUBSUB_SIM_SEED=123 npx tap test/pubsub/pubsub-simulation.test.ts
// Run more seeds:    PUBSUB_SIM_SEEDS=20000 npx tap test/pubsub/pubsub-simulation.test.ts
import t from 'tap'
import { faultsAlone } from './sim/sim-scenario.js'
import { simulate, type SeedResult, type SeedTotals } from './sim/topic-simulation.js'

const only = process.env.PUBSUB_SIM_SEED
const count = Number(process.env.PUBSUB_SIM_SEEDS ?? 1000)
const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => i + 1)
const replay = (seed: number): string => `PUBSUB_SIM_SEED=${seed} npx tap test/pubsub/pubsub-simulation.test.ts`
const MAX_REPORTED = 5

t.test(`${seeds.length} seeds: one answer per publish, receipts true to their acks, nothing lost to faults alone`, async t => {
  const totals = emptyTotals()
  let failed = 0
  let cleanRuns = 0
  for (const seed of seeds) {
    const r = await simulate(seed)
    add(totals, r.totals)
    if (faultsAlone(r.scenario)) cleanRuns++
    if (only !== undefined) t.comment(describe(r))
    if (r.failures.length === 0) continue
    failed++
    if (failed <= MAX_REPORTED) t.fail(`seed ${seed}: ${r.failures.slice(0, 8).join('; ')}\n  replay: ${replay(seed)}`)
  }
  t.equal(failed, 0, `no seed failed the checker (${failed} of ${seeds.length} did)`)
  t.comment(`totals: ${JSON.stringify(totals)}`)
  t.comment(`runs with no crash, no unsubscribe and the long ack deadline (faults alone lose nothing): ${cleanRuns}`)
  if (only !== undefined) return
  // The faults happened and the interesting paths ran: without them the checker proves nothing.
  const f = totals.faults
  t.ok(f.dropped > 0 && f.duplicated > 0 && f.reordered > 0 && f.delayed > 0 && f.overloaded > 0 && f.crashes > 0, `every fault was injected (${JSON.stringify(f)})`)
  t.ok(totals.resent > 0 && totals.duplicatesSuppressed > 0, `copies were resent (${totals.resent}) and duplicates suppressed (${totals.duplicatesSuppressed})`)
  t.ok((totals.outcomes.acked ?? 0) > 0 && (totals.outcomes.left ?? 0) + (totals.outcomes.returned ?? 0) > 0, `outcomes of every sort (${JSON.stringify(totals.outcomes)})`)
  t.ok(cleanRuns > 0, 'some runs had no departure (faults alone)')
})

t.test('a seed runs the same way twice (a failing seed replays)', async t => {
  const strip = (r: SeedResult) => ({ ...r, scenario: undefined })
  t.same(strip(await simulate(seeds[0]!)), strip(await simulate(seeds[0]!)))
})

function emptyTotals(): SeedTotals {
  return {
    published: 0, receipts: 0, receiptsOk: 0, errors: {}, delivered: 0, resent: 0, gaps: 0, duplicatesSuppressed: 0, outcomes: {},
    faults: { dropped: 0, duplicated: 0, reordered: 0, delayed: 0, overloaded: 0, crashes: 0 },
  }
}

function add(into: SeedTotals, r: SeedTotals): void {
  for (const k of ['published', 'receipts', 'receiptsOk', 'delivered', 'resent', 'gaps', 'duplicatesSuppressed'] as const) into[k] += r[k]
  for (const [k, n] of Object.entries(r.outcomes)) into.outcomes[k] = (into.outcomes[k] ?? 0) + n
  for (const [k, n] of Object.entries(r.errors)) into.errors[k] = (into.errors[k] ?? 0) + n
  for (const k of Object.keys(r.faults) as Array<keyof SeedTotals['faults']>) into.faults[k] += r.faults[k]
}

function describe(r: SeedResult): string {
  const s = r.scenario
  return [
    `seed ${s.seed}: ${s.nodes} nodes, faults ${JSON.stringify(s.faults)}, departures ${s.departures}, ack timeout ${s.ackTimeoutMs} ms`,
    ...s.ops.map(op => `  ${JSON.stringify(op)}`),
    `  totals ${JSON.stringify(r.totals)}, ended at ${r.endedAt} ms`,
    ...r.failures.map(f => `  FAILED: ${f}`),
  ].join('\n')
}
