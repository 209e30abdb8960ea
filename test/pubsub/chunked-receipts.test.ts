// One receipt for a chunked message, from its chunks' receipts: with ack
// 'one', each chunk settles at its first ack, so two subscribers that both
// processed the message may each have been first on a different chunk (an
// ack envelope lost, then answered again chunk by chunk). Both processed the
// whole message: both are acked, neither is unsettled (simulation seed 17700).
import t from 'tap'
import { MessageReceipts } from '../../core/pubsub/message-receipts.js'
import type { Outcome, Receipt, TargetId } from '../../core/pubsub/outcome.js'

const A = 's:1:1' as TargetId
const B = 's:1:2' as TargetId
const acked = (target: TargetId): Outcome => ({ target, kind: 'acked', attempts: 1, copies: 1, at: 5 })
const receipt = (seq: number, outcomes: Outcome[], unsettled: TargetId[], ok = true): Receipt => ({
  topic: 't', seq, ack: 'one', meaning: 'processed', ok, expected: [A, B], outcomes, unsettled, attempts: 1, publishedAt: 0, settledAt: 5,
})

function combined(chunks: Receipt[]): { receipt: Receipt | undefined; outcomes: Outcome[] } {
  const receipts = new MessageReceipts('t')
  const seen: { receipt: Receipt | undefined; outcomes: Outcome[] } = { receipt: undefined, outcomes: [] }
  receipts.openChunked(chunks.map(r => r.seq), {
    outcome: o => seen.outcomes.push(o),
    receipt: r => { seen.receipt = r },
    error: err => { throw err },
  })
  for (const r of chunks) receipts.settled(r.seq, r)
  return seen
}

t.test('ack one: each subscriber first on a different chunk is acked for the message', async t => {
  const { receipt: r, outcomes } = combined([receipt(1, [acked(A)], [B]), receipt(2, [acked(B)], [A]), receipt(3, [acked(A), acked(B)], [])])
  t.equal(r?.ok, true)
  t.same(r?.outcomes.map(o => [o.target, o.kind]).sort(), [[A, 'acked'], [B, 'acked']])
  t.same(r?.unsettled, [], 'nobody is unsettled: both acked a chunk')
  t.equal(outcomes.length, 2, 'one outcome per target')
})

t.test('a target that acked no chunk stays unsettled; a failed chunk outcome still wins over an ack', async t => {
  const { receipt: r } = combined([receipt(1, [acked(A)], [B]), receipt(2, [acked(A)], [B])])
  t.same(r?.outcomes.map(o => o.target), [A])
  t.same(r?.unsettled, [B])
  const timedOut: Outcome = { target: B, kind: 'timedOut', attempts: 3, copies: 3, at: 9 }
  const { receipt: mixed } = combined([receipt(1, [acked(A), acked(B)], []), receipt(2, [acked(A), timedOut], [])])
  t.same(mixed?.outcomes.map(o => [o.target, o.kind]), [[A, 'acked'], [B, 'timedOut']])
})
