// Replay positions and what a replay cannot give (docs/replay.md): from a
// sequence number, from a time, a retention that no longer reaches back (one
// 'retention' gap), a publisher that retains nothing (one 'retention' gap up
// to its first live message), and a publisher lost mid-replay (one
// 'replay-lost' gap for what did not come, then live goes on).
import tap from 'tap'
import type { Gap } from '../../../core/pubsub/decode-stage.js'
import type { TopicSubscription } from '../../../core/pubsub/subscription.js'
import { collect, type Collected } from './collect.js'
import { eventually } from './eventually.js'
import { topicSuite } from './harness.js'

tap.setTimeout(60_000)

function watch<T>(s: TopicSubscription<T>): Collected<T> & { gaps: Gap[] } {
  const gaps: Gap[] = []
  s.gaps$.subscribe(g => gaps.push(g))
  return Object.assign(collect(s), { gaps })
}

/** A wall-clock wait: message timestamps are wall-clock ms, whatever clock the bus runs on. */
const wallClockWait = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)

topicSuite('from a seq, from a time, and past the retention', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const pub = env.bus(0).topic<number>(name, { retain: { messages: 150 } })
  for (const v of range(0, 100)) await pub.publish(v)
  await wallClockWait(5)
  const middle = Date.now()
  await wallClockWait(5)
  for (const v of range(100, 200)) await pub.publish(v)

  const bySeq = watch(env.bus(1).topic<number>(name).subscribe({ from: { seq: 121 } }))
  const byTime = watch(env.bus(1).topic<number>(name).subscribe({ from: { time: new Date(middle) } }))
  const earliest = watch(env.bus(1).topic<number>(name).subscribe({ from: 'earliest' }))
  await eventually(() => bySeq.values.length >= 80 && byTime.values.length >= 100 && earliest.values.length >= 150, () => `replays: ${bySeq.values.length}, ${byTime.values.length}, ${earliest.values.length}`)
  await pub.whenSubscribed(3, { timeoutMs: 10_000 })
  for (const v of range(200, 210)) await pub.publish(v)
  await eventually(() => earliest.values.length >= 160, () => `live after the replay: ${earliest.values.length}`)
  await eventually(() => bySeq.values.length >= 90 && byTime.values.length >= 110, () => `live after the replay: ${bySeq.values.length}, ${byTime.values.length}`)

  t.same(bySeq.values, range(120, 210), 'from seq 121: that message on, then live')
  t.same(bySeq.gaps, [], 'from seq: no gap (still retained)')
  t.same(byTime.values, range(100, 210), 'from a time: the messages published at or after it, then live')
  t.same(byTime.gaps, [], 'from a time: no gap (still retained)')
  t.same(earliest.values, range(50, 210), 'from earliest: the 150 retained, then live')
  t.same(earliest.gaps.map(g => [g.from, g.to, g.reason]), [[1, 50, 'retention']], 'one gap with reason retention for the 50 evicted')
  for (const s of [bySeq, byTime, earliest]) s.stop()
})

topicSuite('a publisher that retains nothing: one retention gap up to its first live message', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const pub = env.bus(0).topic<number>(name)
  const early = collect(env.bus(1).topic<number>(name).subscribe())
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  for (const v of range(0, 20)) await pub.publish(v)
  const late = watch(env.bus(1).topic<number>(name).subscribe({ from: 'earliest' }))
  await pub.whenSubscribed(2, { timeoutMs: 10_000 })
  for (const v of range(20, 30)) await pub.publish(v)
  await eventually(() => late.values.length >= 10 && late.gaps.length >= 1, () => `${late.values.length} live, gaps ${JSON.stringify(late.gaps.map(g => g.reason))}`)
  t.same(late.values, range(20, 30), 'live from where it joined')
  t.same(late.gaps.map(g => [g.from, g.to, g.reason]), [[1, 20, 'retention']], 'what came before, once, as a retention gap')
  t.equal(early.values.length, 30, 'the early subscriber got everything')
  early.stop()
  late.stop()
})

topicSuite('a publisher lost mid-replay: one replay-lost gap for the rest, and live goes on', { nodes: 3 }, async (t, env) => {
  const name = env.topicName()
  const MESSAGES = 3000
  const doomed = env.bus(0).topic<number>(name, { retain: { messages: MESSAGES } })
  const payload = range(0, MESSAGES)
  for (const v of payload) await doomed.publish(v, { ack: 'none' })
  // A consumer slower than the replay with a small buffer: the replay is held back by flow control,
  // so it is still running when the publisher goes.
  const got: number[] = []
  const gaps: Gap[] = []
  const late = env.bus(1).topic<number>(name).subscribe({ from: 'earliest', buffer: { size: 8 } })
  late.gaps$.subscribe(g => gaps.push(g))
  const consuming = late.consume(async d => {
    got.push(d.value)
    if (d.value < 100) await wallClockWait(1)
  })
  await eventually(() => got.length >= 50, () => `replay under way: ${got.length}`)
  await env.bus(0).close()
  await eventually(() => gaps.length >= 1, () => `a gap after the publisher closed; got ${got.length}`)
  t.equal(gaps.length, 1, 'one gap')
  const gap = gaps[0]!
  t.equal(gap.reason, 'replay-lost', 'its reason says the replay was cut short')
  t.ok(got.length < MESSAGES, `the replay was cut short (${got.length} of ${MESSAGES} delivered)`)
  t.same(got, range(0, got.length), 'what was replayed came in order, once')
  t.same([gap.from, gap.to], [got.length + 1, MESSAGES], 'the gap is exactly what did not come')
  // Live goes on: another publisher's messages still arrive.
  const other = env.bus(2).topic<number>(name)
  await other.whenSubscribed(1, { timeoutMs: 10_000 })
  await other.publish(-1)
  await eventually(() => got.includes(-1), () => 'live after the lost replay')
  t.pass('live messages still arrive')
  late.close()
  await consuming
})
