// Keys and partitions: a keyed message goes to the subscribers whose range
// covers keyInstance(key) and to no one else. Two subscribers split the key
// space in halves, one takes the whole range, one subscribes to a single
// key: each keyed publish reaches exactly its half, the whole-range
// subscriber, and the key subscriber when it is that key; the receipt
// expects exactly those; every subscriber sees each key's messages in order.
import { firstValueFrom, take, toArray } from 'rxjs'
import { socketTarget, type Receipt } from '../../../core/pubsub/outcome.js'
import { keyBytes, keyInstance } from '../../../core/pubsub/topic-name.js'
import { collect, type Collected } from './collect.js'
import { topicSuite } from './harness.js'

interface Msg { key: string; i: number }

const HALF = 0x8000_0000
const KEYS = Array.from({ length: 16 }, (_, k) => `customer-${k}`)
const PER_KEY = 20
const SPECIAL = KEYS[5]!

topicSuite('keyed messages reach exactly the partition covering the key, the whole range and the key subscriber', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const low = collect(env.bus(1).topic<Msg>(name).subscribe({ partition: { lower: 0, upper: HALF - 1 } }))
  const high = collect(env.bus(0).topic<Msg>(name).subscribe({ partition: { lower: HALF, upper: 0xffffffff } }))
  const whole = collect(env.bus(1).topic<Msg>(name).subscribe())
  const single = collect(env.bus(1).topic<Msg>(name).subscribe({ key: SPECIAL }))
  const pub = env.bus(0).topic<Msg>(name)
  await pub.whenSubscribed(4, { timeoutMs: 10_000 })
  // Each subscriber socket as the publisher knows it, by the range it bound.
  const joined = await firstValueFrom(pub.subscribers$().pipe(take(4), toArray()))
  const socketOf = (lower: number, upper: number): string => {
    const e = joined.find(j => j.kind === 'joined' && j.range.lower === lower && j.range.upper === upper)
    if (e === undefined || e.kind !== 'joined') throw new Error(`no subscriber bound [${lower}, ${upper}]`)
    return socketTarget(e.subscriber)
  }
  const specialInstance = keyInstance(keyBytes(SPECIAL))
  const targets = { low: socketOf(0, HALF - 1), high: socketOf(HALF, 0xffffffff), whole: socketOf(0, 0xffffffff), single: socketOf(specialInstance, specialInstance) }
  const lowKeys = KEYS.filter(k => keyInstance(keyBytes(k)) < HALF)
  t.ok(lowKeys.length > 0 && lowKeys.length < KEYS.length, 'the keys fall in both halves (so both partitions are exercised)')

  const sent: Array<{ key: string; receipt: Promise<Receipt> }> = []
  for (let i = 0; i < PER_KEY; i++) for (const key of KEYS) sent.push({ key, receipt: pub.publish({ key, i }, { key }) })
  for (const { key, receipt } of sent) {
    const r = await receipt
    const half = keyInstance(keyBytes(key)) < HALF ? targets.low : targets.high
    const expected = key === SPECIAL ? [half, targets.whole, targets.single] : [half, targets.whole]
    t.same([...r.expected].sort(), expected.sort(), `${key}: expects exactly its partition, the whole range${key === SPECIAL ? ' and the key subscriber' : ''}`)
    t.equal(r.ok, true)
    t.equal(r.outcomes.filter(o => o.kind === 'acked').length, expected.length)
  }

  const expectIn = (c: Collected<Msg>, keys: string[], what: string): void => {
    t.same(new Set(c.values.map(v => v.key)), new Set(keys), `${what}: exactly the keys it covers`)
    for (const key of keys) t.same(c.values.filter(v => v.key === key).map(v => v.i), Array.from({ length: PER_KEY }, (_, i) => i), `${what}: ${key} all, once, in order`)
    for (const d of c.deliveries) t.equal(d.key, d.value.key, 'the delivery carries its key')
  }
  expectIn(low, lowKeys, 'low partition')
  expectIn(high, KEYS.filter(k => !lowKeys.includes(k)), 'high partition')
  expectIn(whole, KEYS, 'whole range')
  expectIn(single, [SPECIAL], 'key subscription')
  for (const c of [low, high, whole, single]) c.stop()
})
