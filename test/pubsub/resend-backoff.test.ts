// Unacked copies are resent to exactly the targets that have not acked:
// first after initialResendMs, doubling to maxResendMs, each delay jittered
// within ±jitter, until the deadline.
import t from 'tap'
import { ResendPolicy } from '../../core/pubsub/resend-policy.js'
import { InvalidArgumentError } from '../../core/transport-contract/index.js'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('without jitter: 200, 400, 800, 1600, then 2000 apart, to the unacked target only', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 9000 })
  env.publish(1, [A, B])
  env.clock.advance(250)
  // B answers after its resend: which copy it answers is unknown, so it times nothing (Karn's rule).
  env.tracker.ack(1, B, 1)
  env.clock.advance(9000)
  t.same(env.resends.filter(r => r.target === A).map(r => r.at), [200, 600, 1400, 3000, 5000, 7000], 'none at 9000: the deadline comes first')
  t.same(env.resends.filter(r => r.target === B).map(r => r.at), [200], 'B only until it acked')
  t.ok(env.resends.every(r => r.attempt === 1), 'same attempt')
  t.equal(env.tracker.roundTripTimeout, undefined, 'nothing learned from an answer to a resent copy')
  const timedOut = env.receipts.get(1)!.outcomes.find(o => o.target === A)!
  t.same([timedOut.kind, timedOut.at, timedOut.copies], ['timedOut', 9000, 7])
  t.equal(env.tracker.stats.resends, 7)
})

t.test('the first resend waits for the round trip learned from acks (srtt + 4 rttvar), not a fixed 200 ms', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 9000 })
  env.publish(1, [B])
  env.clock.advance(100)
  env.tracker.ack(1, B, 1)
  t.equal(env.tracker.roundTripTimeout, 300, 'one sample of 100 ms: 100 + 4 x 50')
  env.publish(2, [A])
  const sent = env.clock.now()
  env.clock.advance(1000)
  t.same(env.resends.filter(r => r.seq === 2).map(r => r.at - sent), [300, 900], 'then doubling from there')
})

t.test('each delay stays within ±20% of its step, and the jitter really varies', async t => {
  const env = ackEnv({ seed: 7, timeoutMs: 60_000 })
  env.publish(1, [A])
  env.clock.advance(60_000)
  const at = [0, ...env.resends.map(r => r.at)]
  const gaps = at.slice(1).map((v, i) => v - at[i]!)
  t.ok(gaps.length >= 25, `${gaps.length} resends`)
  gaps.forEach((gap, i) => {
    const base = Math.min(200 * 2 ** i, 2000)
    t.ok(gap >= base * 0.8 && gap <= base * 1.2, `resend ${i + 1}: ${gap.toFixed(1)} ms within ±20% of ${base}`)
  })
  t.ok(new Set(gaps.slice(4).map(g => g.toFixed(3))).size > 10, 'capped delays differ from one another')
})

t.test('nextDelay: the bounds are reached at the extremes of random, and huge steps stay finite', async t => {
  const p = new ResendPolicy()
  t.equal(p.nextDelay(0, () => 0), 160)
  t.equal(p.nextDelay(0, () => 0.5), 200)
  t.ok(Math.abs(p.nextDelay(0, () => 0.999999) - 240) < 0.001)
  t.equal(p.nextDelay(10_000, () => 0.5), 2000)
  t.equal(new ResendPolicy({ jitter: 0 }).nextDelay(2, () => 0.9), 800)
})

t.test('the policy refuses what makes no sense', async t => {
  t.same({ ...new ResendPolicy() }, { initialResendMs: 200, maxResendMs: 2000, jitter: 0.2, timeoutMs: 5000 })
  for (const bad of [
    { initialResendMs: 0 }, { initialResendMs: Number.NaN }, { maxResendMs: 100 }, { timeoutMs: Infinity },
    { jitter: 1 }, { jitter: -0.1 }, { jitter: '0.2' as unknown as number }, { timeoutMs: -5 },
  ]) t.throws(() => new ResendPolicy(bad), InvalidArgumentError, JSON.stringify(bad))
})
