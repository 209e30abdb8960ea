// The broker-less schema registry end to end, without a network: a publisher's
// SchemaServer serves the schemas it wrote with, a subscriber's SchemaFetcher
// fills its registry from it, and the subscriber's Avro codec then reads the
// bytes through schema resolution: a newer writer read by an older reader and
// the reverse.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { AvroCodec, CodecError, SchemaRegistry, jsonCodec, rawCodec } from '../../codecs/index.js'
import { SchemaFetcher } from '../../core/pubsub/schema-fetch.js'
import { SchemaServer } from '../../core/pubsub/schema-server.js'
import type { SocketAddress } from '../../core/transport-contract/index.js'
import { ManualClock } from './chunk-clock.js'
import { PUBLISHER, flush } from './schema-fetch-rig.js'

const schemaFile = (v: number): string => fileURLToPath(new URL(`../codecs/schemas/order-event-v${v}.avsc`, import.meta.url))
const order = { orderId: 1, customerId: 7, at: 1_700_000_000_000, status: 'PAID', note: 'n', lines: [{ sku: 'A', qty: 2, priceCents: 150 }] }

// The publisher's codec and server; the subscriber's registry, codec and
// fetcher, whose requests the server answers (a turn later, as the network would).
function pair(writerVersion: number, readerVersion: number) {
  const writer = AvroCodec.fromFile(schemaFile(writerVersion))
  const server = new SchemaServer()
  server.remember(writer)
  const registry = new SchemaRegistry()
  const reader = AvroCodec.fromFile(schemaFile(readerVersion), { registry })
  const asked: SocketAddress[] = []
  const fetcher: SchemaFetcher = new SchemaFetcher(new ManualClock(), registry, {}, {
    request: (publisher, codecId) => {
      asked.push(publisher)
      queueMicrotask(() => fetcher.answer(publisher, codecId, server.lookup(codecId)))
    },
  })
  return { writer, reader, fetcher, asked }
}

t.test('writer v2 (new fields with defaults) read by reader v1 after a fetch', async (t) => {
  const { writer, reader, fetcher, asked } = pair(2, 1)
  const bytes = writer.encode({ ...order, currency: 'USD', coupon: 'X', lines: [{ sku: 'A', qty: 2, priceCents: 150, discountCents: 5 }] })
  const before = t.throws(() => reader.decode(bytes, writer.id)) as CodecError
  t.equal(before.code, 'UNKNOWN_SCHEMA', 'the writer schema is unknown before the fetch')
  const pending = fetcher.resolve(writer.id, PUBLISHER)
  t.not(pending, 'known')
  await pending
  t.same(asked, [PUBLISHER])
  t.same(reader.decode(bytes, writer.id), order, 'the fields v1 does not know are skipped')
  t.equal(fetcher.resolve(writer.id, PUBLISHER), 'known')
})

t.test('writer v1 read by reader v2 after a fetch: the new fields take their defaults', async (t) => {
  const { writer, reader, fetcher } = pair(1, 2)
  const bytes = writer.encode(order)
  await fetcher.resolve(writer.id, PUBLISHER)
  t.same(reader.decode(bytes, writer.id), {
    ...order, currency: 'EUR', coupon: null, lines: [{ sku: 'A', qty: 2, priceCents: 150, discountCents: 0 }],
  })
})

t.test('a schema the publisher never wrote with is not served', async (t) => {
  const { reader, fetcher } = pair(2, 1)
  const w = fetcher.resolve(AvroCodec.fromFile(schemaFile(3)).id, PUBLISHER)
  t.not(w, 'known')
  await t.rejects(w as Promise<void>, { code: 'UNKNOWN_SCHEMA' })
  await flush()
  t.equal(reader.registry.size, 1, 'nothing was added')
})

t.test('SchemaServer remembers Avro schemas only, by id, as canonical form', async (t) => {
  const server = new SchemaServer()
  const v1 = AvroCodec.fromFile(schemaFile(1))
  server.remember(v1)
  server.remember(v1)
  server.remember(jsonCodec())
  server.remember(rawCodec())
  t.equal(server.size, 1)
  t.equal(server.lookup(v1.id), v1.canonical)
  t.equal(server.lookup(jsonCodec().id), undefined)
  t.equal(server.lookup(rawCodec().id), undefined)
})
