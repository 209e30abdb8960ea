// A record field named `__proto__` (a valid Avro name) is decoded into an own
// property of the record, never into its prototype, and round-trips. avsc
// alone drops it (an int) or makes it the prototype (a record).
import t from 'tap'
import avro from 'avsc'
import { AvroCodec, SchemaRegistry } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const proto = { type: 'record', name: 'Proto', fields: [{ name: 'a', type: 'int' }, { name: '__proto__', type: 'int' }] }
const inner = { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] }
const nested = { type: 'record', name: 'Outer', fields: [{ name: '__proto__', type: inner }] }
// Values with an own `__proto__` key: JSON.parse and computed keys make one,
// a literal `{__proto__: ...}` sets the prototype instead.
const protoValue = (a: number, p: unknown): Record<string, unknown> => ({ a, ['__proto__']: p })

t.test('with avsc 5.7.9 alone the field is lost or becomes the prototype', async (t) => {
  const flat = avro.Type.forSchema(proto as avro.Schema)
  const value = flat.fromBuffer(Buffer.from([0x02, 0x0a])) as object
  t.same(Object.keys(value), ['a'], 'the int is dropped')
  t.throws(() => flat.toBuffer(value), 're-encoding the decoded value fails')
  const deep = avro.Type.forSchema(nested as avro.Schema)
  const record = deep.fromBuffer(Buffer.from([0x04])) as Record<string, unknown>
  t.same(Object.keys(record), [])
  t.equal(record['x'], 2, 'the inner record is the prototype')
})

t.test('the report\'s bytes decode to an own property', async (t) => {
  const codec = AvroCodec.fromSchema(proto)
  const value = codec.decode(Uint8Array.from([0x02, 0x0a])) as Record<string, unknown>
  t.same(Object.keys(value), ['a', '__proto__'])
  t.equal(value['a'], 1)
  t.ok(Object.hasOwn(value, '__proto__'))
  t.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 5)
  t.equal(Object.getPrototypeOf(Object.getPrototypeOf(value)), Object.prototype, 'the prototype chain is avsc\'s record class, then Object')
  t.same([...codec.encode(value)], [0x02, 0x0a], 'the decoded value re-encodes to the same bytes')
  t.same(JSON.parse(JSON.stringify(value)), JSON.parse('{"a": 1, "__proto__": 5}'), 'JSON sees the field')
})

t.test('a record-typed field of that name is a property, not the prototype', async (t) => {
  const codec = AvroCodec.fromSchema(nested)
  const value = codec.decode(Uint8Array.from([0x04])) as Record<string, unknown>
  t.same(Object.keys(value), ['__proto__'])
  t.equal(value['x'], undefined, 'nothing is inherited from the inner record')
  t.equal((Object.getOwnPropertyDescriptor(value, '__proto__')?.value as { x: number }).x, 2)
  t.same([...codec.encode(value)], [0x04])
  t.same([...codec.encode(JSON.parse('{"__proto__": {"x": -1}}') as never)], [0x01], 'a value parsed from JSON encodes')
})

t.test('a value without the field: INVALID_VALUE, or the default if there is one', async (t) => {
  const codec = AvroCodec.fromSchema(proto)
  // `{a: 1}` inherits `__proto__` (Object.prototype) but does not have the field.
  const err = codecError(() => codec.encode({ a: 1 }))
  t.equal(err.code, 'INVALID_VALUE')
  t.equal(err.path, '__proto__')
  t.match(err.message, 'undefined (missing)')
  t.equal(codecError(() => codec.encode({ a: 1, __proto__: { x: 1 } })).path, '__proto__', 'a literal __proto__ is a prototype, not the field')
  const defaulted = AvroCodec.fromSchema({ ...nested, fields: [{ name: '__proto__', type: inner, default: { x: 3 } }] })
  t.same([...defaulted.encode({})], [0x06], 'the default is written')
  t.same([...defaulted.encode(protoValue(0, { x: 4 }))], [0x08])
})

t.test('resolution: the field is added, skipped and reordered like any other', async (t) => {
  const registry = new SchemaRegistry()
  const plain = AvroCodec.fromSchema({ type: 'record', name: 'Proto', fields: [{ name: 'a', type: 'int' }] }, { registry })
  const added = AvroCodec.fromSchema({ ...proto, fields: [proto.fields[0], { name: '__proto__', type: 'int', default: 9 }] }, { registry })
  const reordered = AvroCodec.fromSchema({ ...proto, fields: [{ name: '__proto__', type: 'long' }, { name: 'a', type: 'long' }] }, { registry })
  const written = AvroCodec.fromSchema(proto, { registry })
  const bytes = written.encode(protoValue(1, 5))
  const read = (reader: AvroCodec, b: Uint8Array, id: Uint8Array) => JSON.parse(JSON.stringify(reader.decode(b, id))) as unknown
  t.same(read(added, plain.encode({ a: 1 }), plain.id), JSON.parse('{"a": 1, "__proto__": 9}'), 'a reader\'s default fills it')
  t.same(read(plain, bytes, written.id), { a: 1 }, 'an older reader skips it')
  t.same(read(reordered, bytes, written.id), JSON.parse('{"__proto__": 5, "a": 1}'), 'found by name, promoted to long')
  const aliased = AvroCodec.fromSchema({ ...proto, fields: [proto.fields[0], { name: 'p', aliases: ['__proto__'], type: 'int' }] }, { registry })
  t.same(read(aliased, bytes, written.id), { a: 1, p: 5 }, 'and by alias')
})

t.test('beside maps: the field is fine, a map key __proto__ is still refused', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'Mixed',
    fields: [{ name: '__proto__', type: { type: 'map', values: 'int' } }, { name: 'tags', type: { type: 'map', values: 'int' } }],
  })
  const value = JSON.parse('{"__proto__": {"k": 1}, "tags": {"t": 2}}') as never
  t.same(JSON.parse(JSON.stringify(codec.decode(codec.encode(value)))), value)
  const err = codecError(() => codec.encode(JSON.parse('{"__proto__": {"k": 1}, "tags": {"__proto__": 2}}') as never))
  t.equal(err.code, 'INVALID_VALUE')
  t.equal(err.path, 'tags.__proto__')
  t.match(err.message, 'map key "__proto__"')
  t.equal(codecError(() => codec.encode(JSON.parse('{"__proto__": {"__proto__": 1}, "tags": {}}') as never)).path, '__proto__.__proto__')
})
