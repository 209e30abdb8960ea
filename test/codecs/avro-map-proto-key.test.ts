// A map key `__proto__`: avsc decodes maps into plain objects by assignment,
// so such a key sets the decoded object's prototype or vanishes. The codec
// refuses it both ways: INVALID_VALUE on encode, MALFORMED on decode.
import t from 'tap'
import avro from 'avsc'
import { AvroCodec } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const nested = { type: 'map', values: { type: 'map', values: 'string' } } as const
const withProto = (): Record<string, unknown> => JSON.parse('{"__proto__": {"polluted": "yes"}, "a": {}}') as Record<string, unknown>

t.test('with avsc 5.7.9 alone the key becomes the prototype', async (t) => {
  const type = avro.Type.forSchema(nested)
  const value = withProto()
  t.ok(type.isValid(value), 'avsc accepts the value')
  const back = type.fromBuffer(type.toBuffer(value)) as Record<string, unknown>
  t.same(Object.keys(back), ['a'], 'the key is gone')
  t.equal(back['polluted'], 'yes', 'its value is now inherited')
  t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype itself is untouched')
  const flat = avro.Type.forSchema({ type: 'map', values: 'int' })
  t.same(Object.keys(flat.fromBuffer(flat.toBuffer(JSON.parse('{"__proto__": 5}') as object)) as object), [], 'a scalar value just vanishes')
})

t.test('encode refuses the key with its path; nothing is written', async (t) => {
  const codec = AvroCodec.fromSchema(nested)
  const err = codecError(() => codec.encode(withProto()))
  t.equal(err.code, 'INVALID_VALUE')
  t.equal(err.path, '__proto__')
  t.match(err.message, 'map key "__proto__"')
  const deeper = AvroCodec.fromSchema({ type: 'record', name: 'R', fields: [{ name: 'tags', type: ['null', { type: 'map', values: 'int' }] }] })
  t.equal(codecError(() => deeper.encode({ tags: JSON.parse('{"x": 1, "__proto__": 2}') as unknown })).path, 'tags.__proto__')
  t.same(deeper.decode(deeper.encode({ tags: { proto: 1, __proto: 2, constructor: 3 } })), { tags: { proto: 1, __proto: 2, constructor: 3 } }, 'other keys are fine')
})

t.test('decode refuses the key, however its length is encoded', async (t) => {
  const codec = AvroCodec.fromSchema({ type: 'map', values: 'int' })
  const key = [...Buffer.from('__proto__')]
  const err = codecError(() => codec.decode(Uint8Array.from([0x02, 0x12, ...key, 0x0a, 0x00])))
  t.equal(err.code, 'MALFORMED')
  t.equal(err.offset, 1)
  t.match(err.message, 'map key "__proto__"')
  // An over-long varint for the length (0x92 0x00 is 9 too) is still caught.
  t.equal(codecError(() => codec.decode(Uint8Array.from([0x02, 0x92, 0x00, ...key, 0x0a, 0x00]))).code, 'MALFORMED')
  t.same(codec.decode(Uint8Array.from([0x02, 0x10, ...key.slice(0, 8), 0x0a, 0x00])), { __proto_: 5 })
})
