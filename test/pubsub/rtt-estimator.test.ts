// The round trip a publisher learns from acks (RFC 6298): the first sample
// sets it, later ones move it an eighth of the way, the variation a quarter;
// the first resend waits srtt + 4 x rttvar, within [min, max].
import t from 'tap'
import { RttEstimator } from '../../core/pubsub/rtt-estimator.js'

t.test('nothing learned: no opinion', async t => {
  t.equal(new RttEstimator(50, 2000).rto, undefined)
})

t.test('first sample, then smoothing, then the bounds', async t => {
  const r = new RttEstimator(50, 2000)
  r.sample(100)
  t.equal(r.rto, 300, '100 + 4 x 50')
  r.sample(100)
  t.equal(r.rto, 100 + 4 * 37.5, 'the variation shrinks when samples agree')
  for (let i = 0; i < 200; i++) r.sample(1)
  t.equal(r.rto, 50, 'never below the floor')
  for (let i = 0; i < 200; i++) r.sample(10_000)
  t.equal(r.rto, 2000, 'never above the ceiling')
  r.sample(-1)
  r.sample(Number.NaN)
  t.equal(r.samples, 402, 'nonsense is not a sample')
})
