// SubscriberAcks remembers how it settled the last ACKED_MEMORY seqs over
// all streams (acked, or terminated with a reason), oldest forgotten first,
// so a duplicate of a settled message is answered again as it was settled:
// acked again, or terminated again with the same reason, never both.
import t from 'tap'
import { ACKED_MEMORY, SubscriberAcks } from '../../core/pubsub/subscriber-acks.js'
import { decodeEnvelope } from '../../core/pubsub/envelope-decode.js'
import type { Outbox } from '../../core/pubsub/outbox.js'

const publisher = { node: 1, ref: 2 }
const streamA = 0xfeed_beef_0000_0001n
const streamB = 0x1n << 63n

function rig(): { acks: SubscriberAcks; sent: Uint8Array[] } {
  const sent: Uint8Array[] = []
  const outbox = { send: (_to: unknown, bytes: Uint8Array) => { sent.push(bytes); return true } } as unknown as Outbox
  return { acks: new SubscriberAcks(0x1234n, outbox), sent }
}

t.test('the last ACKED_MEMORY settled seqs over every stream are answered again; older ones are forgotten', async t => {
  const { acks } = rig()
  // Two streams, interleaved: the bound is over both together.
  for (let seq = 1; seq <= ACKED_MEMORY; seq++) acks.ack(publisher, seq % 2 === 0 ? streamA : streamB, seq, 1)
  t.ok(acks.answerAgain(publisher, streamB, 1, 1), 'the oldest is still remembered at the bound')
  acks.ack(publisher, streamA, ACKED_MEMORY + 2, 1)
  t.notOk(acks.answerAgain(publisher, streamB, 1, 1), 'one more: the oldest goes')
  t.ok(acks.answerAgain(publisher, streamA, 2, 1), 'the next oldest stays')
  t.ok(acks.answerAgain(publisher, streamA, ACKED_MEMORY + 2, 1))
  t.notOk(acks.answerAgain(publisher, streamB, 2, 1), 'a seq of one stream is not another stream\'s')
  acks.close()
})

t.test('settled again keeps its first place; a term is answered again with its reason', async t => {
  const { acks, sent } = rig()
  acks.term(publisher, streamA, 1, 1, 'refused')
  acks.ack(publisher, streamA, 1, 2)
  for (let seq = 2; seq <= ACKED_MEMORY; seq++) acks.ack(publisher, streamA, seq, 1)
  t.ok(acks.answerAgain(publisher, streamA, 1, 2), 'settled twice counts once toward the bound')
  acks.ack(publisher, streamB, 1, 1)
  t.notOk(acks.answerAgain(publisher, streamA, 1, 2), 'and goes first, in its first place')
  const before = sent.length
  acks.term(publisher, streamB, 7, 1, 'no thanks')
  t.ok(acks.answerAgain(publisher, streamB, 7, 1))
  const terms = sent.slice(before).map(b => decodeEnvelope(b)).map(d => d.ok ? d.envelope : undefined)
  t.same(terms.map(e => e?.kind === 'nack' ? [e.op, e.seq, e.reason] : e?.kind), [['term', 7, 'no thanks'], ['term', 7, 'no thanks']])
  acks.close()
})
