// Avro single-object encoding: C3 01, the 8-byte little-endian CRC-64-AVRO
// fingerprint of the writer schema, then the body.
import t from 'tap'
import {
  AvroCodec, SchemaRegistry, crc64AvroSigned, decodeSingleObject, encodeSingleObject,
  frameSingleObject, isSingleObject, parseSingleObject,
} from '../../codecs/index.js'
import { codecError } from './helpers.js'
import { schemaPath } from './fuzz/targets.js'

t.test('framing of a string schema, byte by byte', async (t) => {
  const codec = AvroCodec.fromSchema('string')
  const framed = encodeSingleObject(codec, 'bar')
  // "string": fingerprint -8142146995180207161 (the spec's vector) = 0x8f014872634503c7
  t.equal(crc64AvroSigned(new TextEncoder().encode(codec.canonical)), -8142146995180207161n)
  t.same([...framed], [0xc3, 0x01, 0xc7, 0x03, 0x45, 0x63, 0x72, 0x48, 0x01, 0x8f, 0x06, 0x62, 0x61, 0x72])
  t.ok(isSingleObject(framed))
  t.equal(decodeSingleObject(codec, framed), 'bar')
})

t.test('a reader resolves the writer named in the header', async (t) => {
  const registry = new SchemaRegistry()
  const v1 = AvroCodec.fromFile(schemaPath('order-event-v1'), { registry })
  const v2 = AvroCodec.fromFile(schemaPath('order-event-v2'), { registry })
  const order = { orderId: 1, customerId: 2, at: 3, status: 'PAID', note: '', lines: [] }
  const framed = encodeSingleObject(v1, order)
  t.same(parseSingleObject(framed).writerId, v1.id)
  t.same(decodeSingleObject(v2, framed), { ...order, currency: 'EUR', coupon: null })
  t.equal(codecError(() => decodeSingleObject(AvroCodec.fromSchema('int'), framed)).code, 'UNKNOWN_SCHEMA')
})

t.test('bad headers', async (t) => {
  const codec = AvroCodec.fromSchema('int')
  t.equal(codecError(() => parseSingleObject(Uint8Array.of(0xc3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0))).code, 'MALFORMED')
  t.equal(codecError(() => parseSingleObject(Uint8Array.of(0x4f))).code, 'MALFORMED')
  t.equal(codecError(() => parseSingleObject(Uint8Array.of(0xc3, 0x01, 1, 2))).code, 'TRUNCATED')
  t.equal(codecError(() => parseSingleObject(new Uint8Array(0))).code, 'TRUNCATED')
  t.notOk(isSingleObject(Uint8Array.of(0xc3, 0x01)))
  t.equal(codecError(() => frameSingleObject(new Uint8Array(4), new Uint8Array(0))).code, 'INVALID_VALUE')
  t.equal(codecError(() => decodeSingleObject(codec, frameSingleObject(codec.id, Uint8Array.of(0x80)))).code, 'TRUNCATED')
})
