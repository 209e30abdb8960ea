// Avro across versions, broker-less: the publisher writes with schema v2 (new
// fields with defaults), the subscriber reads with v1 and has never seen v2.
// It asks the publisher for v2 (a schema-request, seen on the wire here),
// resolves v2 against v1 and delivers v1 values. Bytes that claim the Avro
// id but do not decode go to failures$, the publisher's receipt says
// 'terminated' with the reason, and the stream goes on.
import { fileURLToPath } from 'node:url'
import { AvroCodec, type Codec } from '../../../codecs/index.js'
import { Bus } from '../../../core/pubsub/bus.js'
import type { DeliveryFailure } from '../../../core/pubsub/decode-stage.js'
import { decodeEnvelope } from '../../../core/pubsub/envelope-decode.js'
import type { Destination } from '../../../core/transport-contract/index.js'
import { tapSends } from '../transport-tap.js'
import { topicSuite } from './harness.js'
import { collect } from './collect.js'

const schemaFile = (v: number): string => fileURLToPath(new URL(`../../codecs/schemas/order-event-v${v}.avsc`, import.meta.url))
const v1Order = { orderId: 1, customerId: 7, at: 1_700_000_000_000, status: 'PAID', note: 'n', lines: [{ sku: 'A', qty: 2, priceCents: 150 }] }
const v2Order = { ...v1Order, currency: 'USD', coupon: 'X', lines: [{ sku: 'A', qty: 2, priceCents: 150, discountCents: 5 }] }

topicSuite('avro: a v1 reader fetches the v2 writer schema from the publisher; bytes that do not decode are terminated', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const schemaRequests: Destination[] = []
  const subBus = new Bus(tapSends(env.cluster.node(1), (dest, data, send) => {
    const d = decodeEnvelope(data)
    if (d.ok && d.envelope.kind === 'control' && d.envelope.op === 'schema-request') schemaRequests.push(dest)
    return send()
  }))
  t.teardown(() => subBus.close())
  const writer = AvroCodec.fromFile<typeof v2Order>(schemaFile(2))
  const reader = AvroCodec.fromFile<typeof v1Order>(schemaFile(1))
  t.notOk(reader.registry.has(writer.id), 'the subscriber has never seen v2')
  const subscription = subBus.topic(name, { codec: reader }).subscribe()
  const failures: DeliveryFailure[] = []
  subscription.failures$.subscribe(f => failures.push(f))
  const got = collect(subscription)
  const pub = env.bus(0).topic(name, { codec: writer })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })

  const first = await pub.publish(v2Order)
  t.equal(first.ok, true, 'v2 read as v1: acked')
  t.same(got.values, [v1Order], 'the v1 reader sees v1 fields only')
  t.equal(schemaRequests.length, 1, 'one schema-request')
  t.same(schemaRequests[0], got.deliveries[0]!.publisher, 'sent to the publisher\'s socket')

  // Another publisher whose codec claims v2's id but writes whatever bytes it is given.
  const impostor: Codec<Uint8Array> = { kind: 'stub', id: writer.id, encode: bytes => bytes, decode: () => { throw new Error('not used: publisher only') } }
  const rogue = env.bus(2).topic<Uint8Array>(name, { codec: impostor })
  await rogue.whenSubscribed(1, { timeoutMs: 10_000 })
  const garbage = await rogue.publish(new Uint8Array([0x02, 0x0e]))
  t.equal(garbage.ok, false)
  t.equal(garbage.outcomes.length, 1)
  t.equal(garbage.outcomes[0]!.kind, 'terminated')
  t.match(garbage.outcomes[0]!.reason, /does not decode.*TRUNCATED/)
  t.equal(failures.length, 1, 'reported on failures$')
  t.match(failures[0]!.reason, /TRUNCATED/)
  t.equal(subBus.stats(name).decodeFailures, 1)

  // The stream goes on: the same rogue stream with good bytes, then the publisher again.
  const after = await rogue.publish(writer.encode({ ...v2Order, orderId: 2 }))
  t.equal(after.ok, true)
  t.equal((await pub.publish({ ...v2Order, orderId: 3 })).ok, true)
  t.same(got.values.map(v => v.orderId), [1, 2, 3])
  t.equal(schemaRequests.length, 1, 'v2 was fetched once')
  got.stop()
})
