// Names other than fields that JavaScript objects already hold: enum symbols,
// type names (and so union branch names), and a record whose constructor
// name a field variable could shadow. Each is a valid Avro name: it works,
// or (a type named `__proto__` in the null namespace) is INVALID_SCHEMA with
// a reason. And a value is never changed on the way: a string that is not a
// symbol, or a union key that is not a branch, is INVALID_VALUE.
import t from 'tap'
import avro from 'avsc'
import { AvroCodec, SchemaRegistry } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const SPECIAL = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', '__proto__']
const enumOf = (symbols: string[]) => ({ type: 'enum', name: 'E', symbols })

t.test('with avsc 5.7.9 alone such symbols are duplicates, and such strings pass as symbols', async (t) => {
  t.throws(() => avro.Type.forSchema(enumOf(['A', 'toString']) as avro.Schema), /duplicate "E" symbol: "toString"/)
  const ab = avro.Type.forSchema(enumOf(['A', 'B']) as avro.Schema)
  t.ok(ab.isValid('constructor'), '"constructor" passes as a symbol of [A, B]')
  t.equal(ab.fromBuffer(ab.toBuffer('constructor')), 'A', 'and is written as A')
})

t.test('enum symbols round-trip, each at its own index', async (t) => {
  const symbols = ['A', ...SPECIAL]
  const codec = AvroCodec.fromSchema(enumOf(symbols))
  for (const [i, symbol] of symbols.entries()) {
    const bytes = codec.encode(symbol)
    t.same([...bytes], [i * 2], `${symbol} is index ${i}`)
    t.equal(codec.decode(bytes), symbol)
  }
})

t.test('a string that is not a symbol is INVALID_VALUE, never another symbol', async (t) => {
  const codec = AvroCodec.fromSchema(enumOf(['A', 'B']))
  for (const value of SPECIAL) {
    const err = codecError(() => codec.encode(value))
    t.equal(err.code, 'INVALID_VALUE', value)
    t.match(err.message, `is not a valid enum E: "${value}"`)
  }
})

t.test('enum defaults and resolution with such symbols', async (t) => {
  const registry = new SchemaRegistry()
  const writer = AvroCodec.fromSchema(enumOf(['toString', 'constructor', 'valueOf']), { registry })
  const reader = AvroCodec.fromSchema({ ...enumOf(['valueOf', 'hasOwnProperty', 'toString']), default: 'hasOwnProperty' }, { registry })
  t.equal(reader.decode(writer.encode('toString'), writer.id), 'toString')
  t.equal(reader.decode(writer.encode('constructor'), writer.id), 'hasOwnProperty', 'an unknown symbol reads as the default')
  t.equal(reader.decode(writer.encode('valueOf'), writer.id), 'valueOf')
  t.equal(codecError(() => AvroCodec.fromSchema({ ...enumOf(['A']), default: 'toString' })).code, 'INVALID_SCHEMA', 'a default must be a symbol')
})

t.test('type names: defined, referenced, and union branches', async (t) => {
  const names = SPECIAL.filter((n) => n !== '__proto__')
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'Holder',
    fields: [
      ...names.map((name, i) => ({ name: `f${i}`, type: { type: 'fixed', name, size: 1 } })),
      { name: 'again', type: names[0] },
      // Two fixed branches: a wrapped union, keyed by branch name.
      { name: 'either', type: ['null', names[1], names[2]] },
    ],
  })
  const value: Record<string, unknown> = Object.fromEntries(names.map((_, i) => [`f${i}`, Buffer.from([i])]))
  value['again'] = Buffer.from([9])
  value['either'] = { [names[2] as string]: Buffer.from([8]) }
  const back = codec.decode(codec.encode(value)) as Record<string, unknown>
  t.same(back, value)
  t.same(Object.keys(back['either'] as object), [names[2]])
})

t.test('a union value keyed by a name that is not a branch is INVALID_VALUE', async (t) => {
  const codec = AvroCodec.fromSchema(['null', 'int', 'long'])
  t.same(codec.decode(codec.encode({ long: 5 })), { long: 5 })
  for (const key of SPECIAL) {
    const err = codecError(() => codec.encode({ [key]: 5 }))
    t.equal(err.code, 'INVALID_VALUE', key)
    t.match(err.message, 'is not a valid union')
  }
  t.equal(codecError(() => AvroCodec.fromSchema({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'toString' }] })).code, 'INVALID_SCHEMA', 'nor is an undefined name found on Object.prototype')
})

t.test('a type named __proto__ in the null namespace is INVALID_SCHEMA; in a namespace it is fine', async (t) => {
  for (const type of [{ type: 'record', fields: [] }, { type: 'enum', symbols: ['A'] }, { type: 'fixed', size: 1 }]) {
    const err = codecError(() => AvroCodec.fromSchema({ name: '__proto__', ...type }))
    t.equal(err.code, 'INVALID_SCHEMA', type.type)
    t.match(err.message, 'a type named "__proto__" in the null namespace')
    t.equal(codecError(() => AvroCodec.fromSchema({ type: 'record', name: 'R', namespace: 'n', fields: [{ name: 'f', type: { name: '__proto__', namespace: '', ...type } }] })).code, 'INVALID_SCHEMA', 'nested too')
  }
  const codec = AvroCodec.fromSchema(['null', { type: 'fixed', name: 'n.__proto__', size: 1 }, { type: 'fixed', name: 'F', size: 1 }])
  const value = { 'n.__proto__': Buffer.from([1]) } // a wrapped union value, keyed by the fullname
  t.same(codec.decode(codec.encode(value)), value)
})

t.test('a record _x with a field x resolves (its reader would shadow the constructor)', async (t) => {
  t.throws(() => {
    const reader = avro.Type.forSchema({ type: 'record', name: '_x', fields: [{ name: 'x', type: 'int' }] })
    const writer = avro.Type.forSchema({ type: 'record', name: '_x', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] })
    reader.fromBuffer(writer.toBuffer({ x: 1, y: 2 }), reader.createResolver(writer))
  }, /_x is not a constructor/, 'avsc 5.7.9 alone fails')
  const registry = new SchemaRegistry()
  const reader = AvroCodec.fromSchema({ type: 'record', name: '_x', fields: [{ name: 'x', type: 'int' }] }, { registry })
  const writer = AvroCodec.fromSchema({ type: 'record', name: '_x', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] }, { registry })
  t.same(reader.decode(writer.encode({ x: 1, y: 2 }), writer.id), { x: 1 })
})
