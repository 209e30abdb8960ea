// The schema-less Avro codec decodes each message with its writer's schema,
// found by fingerprint in its registry; it refuses what it cannot know
// (an unregistered writer, bytes without a writer id) and never encodes.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { AvroCodec, AvroWriterCodec, CodecError, SchemaRegistry, avroWriterCodec, jsonCodec } from '../../codecs/index.js'

const schemaFile = (v: number): string => fileURLToPath(new URL(`./schemas/order-event-v${v}.avsc`, import.meta.url))
const order = { orderId: 1, customerId: 7, at: 1_700_000_000_000, status: 'PAID', note: 'n', lines: [{ sku: 'A', qty: 2, priceCents: 150 }] }

t.test('decodes with the writer schema of each message, once it is registered', async t => {
  const registry = new SchemaRegistry()
  const reader = avroWriterCodec({ registry })
  t.equal(reader.kind, 'avro')
  const v1 = AvroCodec.fromFile(schemaFile(1))
  const v2 = AvroCodec.fromFile(schemaFile(2))
  const b1 = v1.encode(order)
  const v2Order = { ...order, currency: 'USD', coupon: 'X', lines: [{ sku: 'A', qty: 2, priceCents: 150, discountCents: 5 }] }
  const b2 = v2.encode(v2Order)
  const unknown = t.throws(() => reader.decode(b1, v1.id)) as CodecError
  t.equal(unknown.code, 'UNKNOWN_SCHEMA')
  registry.registerAnnounced(v1.id, v1.canonical)
  registry.registerAnnounced(v2.id, v2.canonical)
  t.same(reader.decode(b1, v1.id), order, 'v1 bytes read as v1 wrote them')
  t.same(reader.decode(b2, v2.id), v2Order, 'v2 bytes read as v2 wrote them, new fields included')
})

t.test('refuses bytes without a writer id, bytes that do not fit the writer, and every encode', async t => {
  const reader = new AvroWriterCodec()
  const v1 = AvroCodec.fromFile(schemaFile(1), { registry: reader.registry })
  const noId = t.throws(() => reader.decode(v1.encode(order))) as CodecError
  t.equal(noId.code, 'UNKNOWN_SCHEMA')
  const truncated = t.throws(() => reader.decode(v1.encode(order).subarray(0, 5), v1.id)) as CodecError
  t.equal(truncated.code, 'TRUNCATED')
  const json = t.throws(() => reader.decode(jsonCodec().encode(order), jsonCodec().id)) as CodecError
  t.equal(json.code, 'UNKNOWN_SCHEMA', 'the json tag names no Avro schema')
  const encode = t.throws(() => reader.encode()) as CodecError
  t.equal(encode.code, 'INVALID_VALUE')
  t.match(encode.message, /only decodes/)
})
