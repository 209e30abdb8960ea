// A receiving process frozen (SIGSTOP, as a long GC pause would) in the
// middle of a 20,000-message stream, for 0.5x, 1.5x and 3x the link
// tolerance, then thawed, with and without a cluster key (issue 8). Within
// the tolerance the link rides it out; beyond it the link may reset, but
// both sides must agree on it: every message accounted for, the sender never
// stuck, the same bindings on both sides within a second, the stream going
// on.
import t from 'tap'
import { PAUSE_FACTORS, pauseScenario } from './link-fault-scenarios.js'
import { assertRow, sharedReceiver, suiteSeeds } from './link-fault-suite.js'

const seeds = suiteSeeds()
// Each scenario takes a few seconds, up to ~12 s when the sender is stuck and the waits run out.
t.setTimeout(PAUSE_FACTORS.length * 2 * seeds.length * 15_000)

for (const factor of PAUSE_FACTORS) {
  for (const key of [false, true]) {
    t.test(`receiver stopped for ${factor}x the tolerance, key ${key ? 'on' : 'off'}`, async t => {
      const receiver = await sharedReceiver()
      for (const seed of seeds) {
        await t.test(`seed ${seed}`, async t => {
          assertRow(t, await pauseScenario(receiver, factor, key, seed))
        })
      }
    })
  }
}
