// The publisher's retained log: bounded by count and by bytes (and by age
// when asked), oldest first out; a snapshot from each kind of position, and
// the evicted seqs it reports as missing.
import t from 'tap'
import { RetainedLog, type RetainedMessage } from '../../core/pubsub/retained-log.js'
import { resolveFrom, resolveRetain } from '../../core/pubsub/replay-options.js'

const codecId = new Uint8Array(8)
const message = (seq: number, bytes = 10, timestamp = 1000 + seq): RetainedMessage =>
  ({ seq, lastSeq: seq, timestamp, key: undefined, keyInstance: 0, codecId, payload: new Uint8Array(bytes) })

t.test('bounded by count: the oldest go, and are reported missing', async t => {
  const log = new RetainedLog(resolveRetain({ messages: 3 })!, () => 0)
  for (let seq = 1; seq <= 5; seq++) log.append(message(seq))
  t.equal(log.size, 3)
  const all = log.snapshot(resolveFrom('earliest')!)
  t.same(all.messages.map(m => m.seq), [3, 4, 5])
  t.equal(all.through, 5)
  t.same(all.missing, { from: 1, to: 2 }, 'earliest: the evicted ones are missing')
  t.same(log.snapshot(resolveFrom({ seq: 2 })!).missing, { from: 2, to: 2 }, 'from seq 2: only seq 2 is missing')
  t.equal(log.snapshot(resolveFrom({ seq: 4 })!).missing, undefined, 'from seq 4: nothing missing')
  t.same(log.snapshot(resolveFrom({ seq: 4 })!).messages.map(m => m.seq), [4, 5])
})

t.test('bounded by bytes, whatever the count', async t => {
  const log = new RetainedLog(resolveRetain({ messages: 100, bytes: 25 })!, () => 0)
  for (let seq = 1; seq <= 4; seq++) log.append(message(seq, 10))
  t.equal(log.size, 2, 'two of ten bytes fit in 25')
  t.equal(log.byteSize, 20)
  log.append(message(5, 100))
  t.equal(log.size, 0, 'a message larger than the bound alone is not kept either')
  t.same(log.snapshot(resolveFrom('earliest')!).missing, { from: 1, to: 5 })
})

t.test('by age, and from a time', async t => {
  let now = 2000
  const log = new RetainedLog(resolveRetain({ ageMs: 500 })!, () => now)
  const stamps = [1000, 1200, 1600, 1900]
  stamps.forEach((ms, i) => log.append(message(i + 1, 1, ms)))
  t.same(log.snapshot(resolveFrom('earliest')!).messages.map(m => m.seq), [3, 4], 'older than 500 ms at append: gone')
  t.same(log.snapshot(resolveFrom({ time: 1700 })!).messages.map(m => m.seq), [4], 'from a time: those at or after it')
  t.equal(log.snapshot(resolveFrom({ time: 1700 })!).missing, undefined, 'the evicted ones were before the time')
  t.same(log.snapshot(resolveFrom({ time: 1100 })!).missing, { from: 1, to: 2 }, 'an evicted one at or after the time: missing from 1')
  now = 2300
  t.same(log.snapshot(resolveFrom('earliest')!).messages.map(m => m.seq), [4], 'aged out at snapshot time too')
})

t.test('a chunked message counts as one, with all its seqs', async t => {
  const log = new RetainedLog(resolveRetain({ messages: 2 })!, () => 0)
  log.append(message(1))
  log.append({ ...message(2), lastSeq: 4 })
  log.append(message(5))
  t.same(log.snapshot(resolveFrom({ seq: 3 })!).messages.map(m => [m.seq, m.lastSeq]), [[2, 4], [5, 5]], 'from a seq inside it: the whole message')
  t.same(log.snapshot(resolveFrom('earliest')!).missing, { from: 1, to: 1 })
})

t.test('bad options are refused', async t => {
  for (const bad of [{ messages: 0 }, { messages: 1.5 }, { bytes: -1 }, { messages: Infinity }, { ageMs: Number.NaN }]) {
    t.throws(() => resolveRetain(bad), { code: 'ERR_TIPC_INVALID_ARGUMENT' }, JSON.stringify(bad))
  }
  t.equal(resolveRetain({ ageMs: Infinity })!.ageMs, Infinity, 'an unbounded age is allowed: count and bytes still bound it')
  for (const bad of [{ seq: 0 }, { seq: 1.5 }, { time: new Date('nope') }, { time: -1 }, 'latest', {}]) {
    t.throws(() => resolveFrom(bad as never), { code: 'ERR_TIPC_INVALID_ARGUMENT' }, JSON.stringify(bad))
  }
})
