// Reading data written with another version of the schema: avsc resolvers,
// one per (writer, reader) pair, found through the registry by fingerprint.
import t from 'tap'
import avro from 'avsc'
import { AvroCodec, SchemaRegistry } from '../../codecs/index.js'
import { codecError } from './helpers.js'
import { schemaPath } from './fuzz/targets.js'

const order = {
  orderId: 10, customerId: 20, at: 1_700_000_000_000, status: 'SHIPPED', note: 'leave at door',
  lines: [{ sku: 'X-1', qty: 3, priceCents: 999 }],
}

function setup() {
  const registry = new SchemaRegistry()
  return {
    registry,
    v1: AvroCodec.fromFile(schemaPath('order-event-v1'), { registry }),
    v2: AvroCodec.fromFile(schemaPath('order-event-v2'), { registry }),
    v3: AvroCodec.fromFile(schemaPath('order-event-v3'), { registry }),
  }
}

t.test('a newer reader fills added fields with their defaults', async (t) => {
  const { v1, v2 } = setup()
  t.same(v2.decode(v1.encode(order), v1.id), {
    ...order, currency: 'EUR', coupon: null, lines: [{ ...order.lines[0], discountCents: 0 }],
  })
})

t.test('an older reader skips fields it does not know and maps unknown symbols to its enum default', async (t) => {
  const { v1, v2 } = setup()
  const newer = { ...order, status: 'REFUNDED', currency: 'CHF', coupon: 'SPRING', lines: [{ ...order.lines[0], discountCents: 5 }] }
  t.same(v1.decode(v2.encode(newer), v2.id), { ...order, status: 'CREATED' })
})

t.test('renames through aliases and int to long promotion', async (t) => {
  const { v1, v3 } = setup()
  const read = v3.decode(v1.encode(order), v1.id) as Record<string, unknown>
  t.equal(read['comment'], 'leave at door')
  t.notOk('note' in read)
})

t.test('an incompatible writer is INCOMPATIBLE_SCHEMA, tried once and remembered', async (t) => {
  const { v1, v3 } = setup()
  const bytes = v3.encode({ ...order, comment: 'x', currency: 'EUR', coupon: null, lines: [] })
  for (let i = 0; i < 2; i++) {
    const err = codecError(() => v1.decode(bytes, v3.id))
    t.equal(err.code, 'INCOMPATIBLE_SCHEMA')
    t.match(err.message, new RegExp(`data written with schema ${v3.hex} cannot be read as ${v1.hex}: `))
    t.type(err.cause, Error, 'avsc\'s reason is the cause')
  }
  t.notOk(v1.canRead(v3.id))
  t.ok(v3.canRead(v1.id))
  t.ok(v1.canRead(v1.id))
})

t.test('a writer nobody registered is UNKNOWN_SCHEMA', async (t) => {
  const { v1 } = setup()
  const stranger = AvroCodec.fromSchema({ type: 'record', name: 'Other', fields: [] })
  t.throws(() => v1.decode(new Uint8Array(0), stranger.id), { code: 'UNKNOWN_SCHEMA', name: 'CodecError' })
  t.notOk(v1.canRead(stranger.id))
})

t.test('resolvers are created once per (writer, reader) pair', async (t) => {
  const { v1, v2 } = setup()
  // avsc freezes its types: count calls on the shared prototype instead.
  let created = 0
  const proto = avro.Type.prototype as { createResolver: avro.Type['createResolver'] }
  const original = proto.createResolver
  proto.createResolver = function (this: avro.Type, ...args) {
    if (this === v2.type) created++ // (it recurses into nested types)
    return original.apply(this, args)
  }
  t.teardown(() => { proto.createResolver = original })
  const bytes = v1.encode(order)
  for (let i = 0; i < 100; i++) v2.decode(bytes, v1.id)
  t.equal(created, 1)
  v2.decode(v2.encode(v2.decode(bytes, v1.id)))
  t.equal(created, 1, 'reading its own schema needs no resolver')
})

t.test('bytes of the writer are checked against the writer schema', async (t) => {
  const { v1, v2 } = setup()
  const bytes = v1.encode(order)
  t.throws(() => v2.decode(bytes.subarray(0, bytes.length - 1), v1.id), { code: 'TRUNCATED' })
  t.throws(() => v2.decode(Buffer.concat([bytes, Buffer.of(0)]), v1.id), { code: 'TRAILING_DATA' })
})
