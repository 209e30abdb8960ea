// Encoding a value that does not match the schema fails with INVALID_VALUE,
// naming the path of each bad field, and produces no bytes.
import t from 'tap'
import { AvroCodec } from '../../codecs/index.js'
import type { CodecError } from '../../codecs/index.js'
import { codecError } from './helpers.js'
import { schemaPath } from './fuzz/targets.js'

const codec = AvroCodec.fromFile(schemaPath('order-event-v1'))
const good = {
  orderId: 1, customerId: 2, at: 1_700_000_000_000, status: 'PAID', note: 'hi',
  lines: [{ sku: 'A', qty: 1, priceCents: 100 }, { sku: 'B', qty: 2, priceCents: 250 }],
}

const invalid = (value: unknown): CodecError => codecError(() => codec.encode(value))

t.test('a valid value encodes and decodes', async (t) => {
  t.same(codec.decode(codec.encode(good)), good)
})

t.test('the path of a bad nested field', async (t) => {
  const err = invalid({ ...good, lines: [good.lines[0], { sku: 42, qty: 1, priceCents: 1 }] })
  t.equal(err.code, 'INVALID_VALUE')
  t.equal(err.path, 'lines[1].sku')
  t.match(err.message, /value at lines\[1\]\.sku is not a valid string: 42/)
})

t.test('every bad path is listed, the first one in `path`', async (t) => {
  const err = invalid({ ...good, orderId: 1.5, status: 'LOST', note: undefined })
  t.same(err.paths, ['orderId', 'status', 'note'])
  t.equal(err.path, 'orderId')
  t.match(invalid({ ...good, status: 'LOST' }).message, /status is not a valid enum shop\.events\.Status: "LOST"/)
  t.match(invalid({ ...good, note: undefined }).message, /undefined \(missing\)/)
})

t.test('longs beyond 2^53 are refused rather than rounded', async (t) => {
  t.equal(invalid({ ...good, orderId: 2 ** 53 }).path, 'orderId')
})

t.test('a wrong root value has an empty path', async (t) => {
  const err = invalid('not an order')
  t.equal(err.path, '')
  t.match(err.message, /^value is not a valid record shop\.events\.OrderEvent/)
})

t.test('map keys and union members in paths', async (t) => {
  const c = AvroCodec.fromSchema({
    type: 'record', name: 'R',
    fields: [
      { name: 'tags', type: { type: 'map', values: 'int' } },
      { name: 'maybe', type: ['null', 'string'] },
    ],
  })
  t.equal(codecError(() => c.encode({ tags: { 'a b': 'x' }, maybe: null })).path, 'tags["a b"]')
  const err = codecError(() => c.encode({ tags: {}, maybe: 5 }))
  t.equal(err.path, 'maybe', err.message)
  t.match(err.message, /union \["null","string"\]/)
  // avsc's own check throws a TypeError on a BigInt: still an INVALID_VALUE.
  const big = codecError(() => c.encode({ tags: { k: 1n }, maybe: null }))
  t.equal(big.code, 'INVALID_VALUE')
  t.match(big.message, /cannot be checked against the schema: Cannot mix BigInt/)
  t.type(big.cause, TypeError)
})

t.test('at most 16 paths are collected', async (t) => {
  const c = AvroCodec.fromSchema({ type: 'array', items: 'int' })
  const err = codecError(() => c.encode(new Array(40).fill('x')))
  t.equal(err.paths?.length, 16)
  t.equal(err.path, '[0]')
})

t.test('a long preview is shortened', async (t) => {
  const c = AvroCodec.fromSchema('int')
  const err = codecError(() => c.encode('x'.repeat(100)))
  t.ok(err.message.length < 100)
  t.match(err.message, /\.\.\.$/)
})
