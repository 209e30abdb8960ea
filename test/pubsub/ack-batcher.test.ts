// Ack batching: acks and workings go out once per turn, one message per
// (publisher socket, stream), split at MAX_ACKS_PER_MESSAGE; naks and terms
// go out at once and take the place of a pending entry for the same copy.
import t from 'tap'
import {
  ACK_ENTRY_BYTES, ACK_HEADER_BYTES, AckBatcher, MAX_ACKS_PER_MESSAGE,
  type AckBatchEntry, type NackRequest,
} from '../../core/pubsub/ack-batcher.js'
import type { SocketAddress } from '../../core/transport-contract/index.js'

const P = { node: 1, ref: 100 }
const Q = { node: 2, ref: 200 }

function batcher() {
  const turns: Array<() => void> = []
  const sent: Array<{ to: SocketAddress; stream: bigint; entries: AckBatchEntry[] }> = []
  const nacks: Array<{ to: SocketAddress; stream: bigint; nack: NackRequest }> = []
  const b = new AckBatcher({
    flush: (to, stream, entries) => { sent.push({ to, stream, entries }) },
    nack: (to, stream, nack) => { nacks.push({ to, stream, nack }) },
    schedule: fn => { turns.push(fn) },
  })
  /** End the turn: run what was scheduled. */
  const endTurn = () => { for (const fn of turns.splice(0)) fn() }
  return { b, turns, sent, nacks, endTurn }
}

t.test('the limit keeps an ack message inside 1024 bytes', async t => {
  t.equal(MAX_ACKS_PER_MESSAGE, 90)
  t.ok(ACK_HEADER_BYTES + MAX_ACKS_PER_MESSAGE * ACK_ENTRY_BYTES <= 1024)
  t.ok(ACK_HEADER_BYTES + (MAX_ACKS_PER_MESSAGE + 1) * ACK_ENTRY_BYTES > 1024, 'and is the most that fits')
})

t.test('one message per turn per (publisher socket, stream), entries in order', async t => {
  const { b, turns, sent, endTurn } = batcher()
  b.ack(P, 1n, 1, 1)
  b.ack(P, 1n, 2, 1)
  b.working(P, 2n, 7, 3)
  b.ack(Q, 1n, 1, 1)
  b.ack(P, 1n, 3, 2)
  t.equal(turns.length, 1, 'scheduled once')
  t.equal(sent.length, 0, 'nothing before the end of the turn')
  t.equal(b.pendingCount, 5)
  endTurn()
  t.same(sent, [
    { to: P, stream: 1n, entries: [{ seq: 1, attempt: 1, op: 'ack' }, { seq: 2, attempt: 1, op: 'ack' }, { seq: 3, attempt: 2, op: 'ack' }] },
    { to: P, stream: 2n, entries: [{ seq: 7, attempt: 3, op: 'working' }] },
    { to: Q, stream: 1n, entries: [{ seq: 1, attempt: 1, op: 'ack' }] },
  ])
  t.equal(b.pendingCount, 0)
  b.ack(P, 1n, 4, 1)
  t.equal(turns.length, 1, 'the next turn schedules again')
  endTurn()
  t.equal(sent.length, 4)
  t.same(b.counts, { entries: 6, messages: 4, nacks: 0, coalesced: 0 })
})

t.test('a big batch is split at the max', async t => {
  const { b, sent, endTurn } = batcher()
  for (let seq = 1; seq <= 2 * MAX_ACKS_PER_MESSAGE + 5; seq++) b.ack(P, 1n, seq, 1)
  endTurn()
  t.same(sent.map(m => m.entries.length), [MAX_ACKS_PER_MESSAGE, MAX_ACKS_PER_MESSAGE, 5])
  t.same(sent.flatMap(m => m.entries.map(e => e.seq)), Array.from({ length: 2 * MAX_ACKS_PER_MESSAGE + 5 }, (_, i) => i + 1))
})

t.test('one entry per copy: an ack replaces a working, a re-ack adds nothing', async t => {
  const { b, sent, endTurn } = batcher()
  b.working(P, 1n, 5, 1)
  b.ack(P, 1n, 5, 1)
  b.ack(P, 1n, 5, 1)
  b.working(P, 1n, 5, 1)
  b.ack(P, 1n, 5, 2)
  endTurn()
  t.same(sent[0]!.entries, [{ seq: 5, attempt: 1, op: 'ack' }, { seq: 5, attempt: 2, op: 'ack' }], 'another attempt is another copy')
  t.equal(b.counts.coalesced, 3)
})

t.test('nak and term go out at once, and drop the pending entry of that copy', async t => {
  const { b, sent, nacks, endTurn } = batcher()
  b.working(P, 1n, 1, 1)
  b.ack(P, 1n, 2, 1)
  b.nak(P, 1n, 1, 1, 500, 'busy')
  t.same(nacks, [{ to: P, stream: 1n, nack: { seq: 1, attempt: 1, op: 'nak', delayMs: 500, reason: 'busy' } }], 'sent now')
  b.term(P, 1n, 2, 1, 'poison')
  b.term(Q, 3n, 9, 1)
  b.nak(Q, 3n, 9, 2)
  t.same(nacks.slice(1).map(n => n.nack), [
    { seq: 2, attempt: 1, op: 'term', delayMs: 0, reason: 'poison' },
    { seq: 9, attempt: 1, op: 'term', delayMs: 0, reason: '' },
    { seq: 9, attempt: 2, op: 'nak', delayMs: 0, reason: '' },
  ])
  t.equal(b.pendingCount, 0)
  endTurn()
  t.same(sent, [], 'the batch had nothing left to send')
  t.same(b.counts, { entries: 0, messages: 0, nacks: 4, coalesced: 2 })
})

t.test('close sends what is pending, then ignores later calls', async t => {
  const { b, sent, nacks, endTurn } = batcher()
  b.ack(P, 1n, 1, 1)
  b.close()
  t.equal(sent.length, 1, 'flushed at close')
  b.ack(P, 1n, 2, 1)
  b.nak(P, 1n, 3, 1)
  b.close()
  endTurn()
  t.equal(sent.length, 1)
  t.equal(nacks.length, 0)
})

t.test('the default schedule flushes on setImmediate, after the microtasks of the turn', async t => {
  const sent: AckBatchEntry[][] = []
  const b = new AckBatcher({ flush: (_to, _stream, entries) => { sent.push(entries) }, nack: () => {} })
  b.ack(P, 1n, 1, 1)
  await Promise.resolve()
  b.ack(P, 1n, 2, 1)
  t.same(sent, [], 'not yet')
  await new Promise(resolve => setImmediate(resolve))
  t.same(sent.map(entries => entries.map(e => e.seq)), [[1, 2]], 'one message for the acks before and after the await')
})
