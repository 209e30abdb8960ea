// Request/reply as a seeded simulation on the memory transport's virtual
// clock (test/reqrep/sim/): per seed, a client and 1-3 servers under drawn
// faults (drop, duplicate, reorder, delay, overload) and sometimes a server
// node crash; the checker (sim/reqrep-checker.ts) asks what request/reply
// promises: one reply or one typed error per request, the right reply, the
// handler at most once per request while the cache holds it, and nothing
// lost to faults alone.
//
// Replay one seed:   REQREP_SIM_SEED=123 npx tap test/reqrep/reqrep-simulation.test.ts
// Run more seeds:    REQREP_SIM_SEEDS=5000 npx tap test/reqrep/reqrep-simulation.test.ts
import t from 'tap'
import { check, faultsAlone } from './sim/reqrep-checker.js'
import { simulate, type SeedResult } from './sim/reqrep-sim.js'

const only = process.env.REQREP_SIM_SEED
const count = Number(process.env.REQREP_SIM_SEEDS ?? 500)
const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => i + 1)
const replay = (seed: number): string => `REQREP_SIM_SEED=${seed} npx tap test/reqrep/reqrep-simulation.test.ts`
const MAX_REPORTED = 5

t.test(`${seeds.length} seeds: one reply or one typed error per request, the handler at most once while cached`, async t => {
  const totals = { requests: 0, replies: 0, errors: {} as Record<string, number>, resent: 0, duplicateReplies: 0, answeredFromCache: 0, repeatsWhileRunning: 0 }
  const faults = { dropped: 0, duplicated: 0, reordered: 0, delayed: 0, overloaded: 0, crashes: 0 }
  let failed = 0
  let clean = 0
  for (const seed of seeds) {
    const r = await simulate(seed)
    const failures = check(r)
    totals.requests += r.scenario.requests.length
    for (const o of r.outcomes) {
      if (o.value !== undefined) totals.replies++
      else totals.errors[o.error!.code] = (totals.errors[o.error!.code] ?? 0) + 1
    }
    for (const k of ['resent', 'duplicateReplies', 'answeredFromCache', 'repeatsWhileRunning'] as const) totals[k] += r.stats[k]
    for (const k of Object.keys(faults) as Array<keyof typeof faults>) faults[k] += r.faults[k]
    if (faultsAlone(r)) clean++
    if (only !== undefined) t.comment(describe(r, failures))
    if (failures.length === 0) continue
    failed++
    if (failed <= MAX_REPORTED) t.fail(`seed ${seed}: ${failures.slice(0, 6).join('; ')}\n  replay: ${replay(seed)}`)
  }
  t.equal(failed, 0, `no seed failed the checker (${failed} of ${seeds.length} did)`)
  t.comment(`totals: ${JSON.stringify(totals)}; faults: ${JSON.stringify(faults)}; runs with faults alone: ${clean}`)
  if (only !== undefined) return
  // The faults happened and the paths under test ran: without them the checker proves nothing.
  t.ok(faults.dropped > 0 && faults.duplicated > 0 && faults.reordered > 0 && faults.overloaded > 0 && faults.crashes > 0, `every fault was injected (${JSON.stringify(faults)})`)
  t.ok(totals.resent > 0 && totals.answeredFromCache > 0 && totals.duplicateReplies > 0, 'requests were resent, repeats answered from the cache, late copies dropped')
  t.ok((totals.errors['ERR_TIPC_REMOTE_HANDLER'] ?? 0) > 0 && totals.replies > 0, 'replies and remote failures both occurred')
  t.ok(clean > 0, 'some runs had faults alone')
})

t.test('a seed runs the same way twice (a failing seed replays)', async t => {
  const strip = (r: SeedResult) => ({ ...r, scenario: undefined })
  t.same(strip(await simulate(seeds[0]!)), strip(await simulate(seeds[0]!)))
})

function describe(r: SeedResult, failures: string[]): string {
  const s = r.scenario
  return [
    `seed ${s.seed}: servers ${JSON.stringify(s.servers)}, faults ${JSON.stringify(s.faults)}, crash ${JSON.stringify(s.crash)}, timeout ${s.timeoutMs} ms`,
    ...s.requests.map(q => `  request ${JSON.stringify(q)} -> ${JSON.stringify(r.outcomes.find(o => o.n === q.n))}`),
    `  runs ${r.runs.length}, stats ${JSON.stringify(r.stats)}, faults ${JSON.stringify(r.faults)}`,
    ...failures.map(f => `  FAILED: ${f}`),
  ].join('\n')
}
