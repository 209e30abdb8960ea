// Stream names: a string maps to {streamType(name), 0} by a pinned function
// (CRC-64-AVRO's low 32 bits, out of TIPC's reserved types), never to the
// type of the topic of the same name; bad names and options are refused
// with a clear InvalidArgumentError; raw addresses pass through validated.
import t from 'tap'
import { crc64Avro } from '../../codecs/index.js'
import { InvalidArgumentError } from '../../core/transport-contract/errors.js'
import { topicType } from '../../core/pubsub/topic-name.js'
import { connectDestination, listenRange, streamType } from '../../core/streams/stream-name.js'
import { resolveStreamOptions } from '../../core/streams/stream-options.js'

t.test('a string name maps to a pinned type, instance 0', async t => {
  const low = Number(crc64Avro(new TextEncoder().encode('orders')) & 0xffffffffn)
  t.equal(streamType('orders'), low < 64 ? low + 64 : low)
  t.equal(streamType('orders'), 436595588, 'pinned: the mapping is part of the protocol')
  t.same(listenRange('orders'), { type: streamType('orders'), lower: 0, upper: 0 })
  t.same(connectDestination('orders'), { type: streamType('orders'), instance: 0 })
  t.not(streamType('orders'), topicType('orders'), 'not the type of the topic of the same name')
})

t.test('raw TIPC addresses pass through, validated', async t => {
  t.same(listenRange({ type: 1000, lower: 1, upper: 9 }), { type: 1000, lower: 1, upper: 9 })
  t.same(connectDestination({ type: 1000, instance: 5 }), { type: 1000, instance: 5 })
  t.same(connectDestination({ node: 7, ref: 8 }), { node: 7, ref: 8 })
  t.throws(() => listenRange({ type: 1, instance: 0 }), { code: 'ERR_TIPC_RESERVED_TYPE' })
  t.throws(() => connectDestination({ type: 1000, lower: 1, upper: 2 } as never), InvalidArgumentError)
})

t.test('bad names are refused, saying why', async t => {
  t.throws(() => listenRange(''), { message: 'invalid stream name: empty' })
  t.throws(() => listenRange('x'.repeat(256)), { message: /256 UTF-8 bytes, at most 255/ })
  t.throws(() => connectDestination('a\nb'), { message: /control character/ })
  t.throws(() => connectDestination('\ud800x'), { message: /lone surrogate/ })
})

t.test('bad options are refused', async t => {
  t.throws(() => resolveStreamOptions({ readAhead: 0 }), InvalidArgumentError)
  t.throws(() => resolveStreamOptions({ maxWaitingSends: 1.5 }), InvalidArgumentError)
  t.throws(() => resolveStreamOptions({ onDecodeFailure: 'ignore' as never }), InvalidArgumentError)
})
