// Record fields named after what JavaScript objects already hold: every
// member of Object.prototype (`constructor`, `toString`, `hasOwnProperty`,
// `__defineGetter__`, ...), the methods avsc puts on its record classes, and
// words JavaScript reserves. Each is a valid Avro name and must round-trip as
// an own property, apply its default when missing, and resolve like any
// other field. (`__proto__` has a file of its own: avro-proto-field.)
import t from 'tap'
import avro from 'avsc'
import { AvroCodec, SchemaRegistry } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).filter((n) => n !== '__proto__')
const AVSC_RECORD_METHODS = ['clone', 'compare', 'isValid', 'toBuffer', 'wrap', 'wrapped']
const RESERVED_WORDS = ['class', 'function', 'new', 'this', 'return', 'var', 'arguments', 'eval', 'undefined', 'prototype', 'length', 'name', 'then']
const NAMES = [...OBJECT_PROTOTYPE, ...AVSC_RECORD_METHODS, ...RESERVED_WORDS]

const record = (fields: unknown[]) => ({ type: 'record', name: 'R', fields })
const withField = (name: string, value: unknown, a = 1): Record<string, unknown> => ({ a, [name]: value })

t.test('the names tested include every member of Object.prototype', async (t) => {
  t.ok(OBJECT_PROTOTYPE.length >= 11, OBJECT_PROTOTYPE.join(' '))
  for (const name of ['constructor', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf']) t.ok(NAMES.includes(name), name)
})

t.test('with avsc 5.7.9 alone a missing field reads the inherited member, and resolution breaks', async (t) => {
  const defaulted = avro.Type.forSchema(record([{ name: 'a', type: 'int' }, { name: 'toString', type: 'int', default: 3 }]) as avro.Schema)
  t.notOk(defaulted.isValid({ a: 1 }), 'Object.prototype.toString is not an int, so the default never applies')
  const writer = avro.Type.forSchema(record([{ name: 'a', type: 'int' }]) as avro.Schema)
  t.throws(() => defaulted.createResolver(writer), 'adding a field named toString cannot be resolved')
})

t.test('each name round-trips as an own property', async (t) => {
  for (const name of NAMES) {
    const codec = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }, { name, type: 'int' }]))
    const bytes = codec.encode(withField(name, 7))
    t.same([...bytes], [0x02, 0x0e], `${name}: written`)
    const value = codec.decode(bytes) as Record<string, unknown>
    t.same(Object.keys(value), ['a', name], `${name}: decoded`)
    t.equal(Object.getOwnPropertyDescriptor(value, name)?.value, 7)
    t.same([...codec.encode(value)], [0x02, 0x0e], `${name}: the decoded value re-encodes`)
  }
})

t.test('a value without the field: the default, or INVALID_VALUE naming it', async (t) => {
  for (const name of NAMES) {
    const defaulted = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }, { name, type: 'int', default: 3 }]))
    t.same([...defaulted.encode({ a: 1 })], [0x02, 0x06], `${name}: default written`)
    const required = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }, { name, type: 'int' }]))
    const err = codecError(() => required.encode({ a: 1 }))
    t.equal(err.code, 'INVALID_VALUE', name)
    t.equal(err.path, name)
    t.match(err.message, 'undefined (missing)', `${name}: missing, not "a function"`)
  }
})

t.test('only own properties count; other fields may still come from getters', async (t) => {
  const codec = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }, { name: 'toString', type: 'string', default: 'd' }]))
  class Value {
    get a() { return 5 }
    toString() { return 'not a field' }
  }
  t.same([...codec.encode(new Value())], [0x0a, 0x02, 0x64], 'a from its getter, toString (a method) missing: the default')
})

t.test('resolution: each name is added, skipped, reordered and aliased like any other', async (t) => {
  for (const name of NAMES) {
    const registry = new SchemaRegistry()
    const codec = (fields: unknown[]) => AvroCodec.fromSchema(record(fields), { registry })
    const plain = codec([{ name: 'a', type: 'int' }])
    const written = codec([{ name: 'a', type: 'int' }, { name, type: 'int' }])
    const added = codec([{ name: 'a', type: 'int' }, { name, type: 'int', default: 9 }])
    const reordered = codec([{ name, type: 'long' }, { name: 'a', type: 'long' }])
    const aliased = codec([{ name: 'a', type: 'int' }, { name: 'renamed', aliases: [name], type: 'int' }])
    const bytes = written.encode(withField(name, 5))
    const own = (value: unknown) => Object.fromEntries(Object.entries(value as object))
    t.same(own(added.decode(plain.encode({ a: 1 }), plain.id)), withField(name, 9), `${name}: a reader's default fills it`)
    t.same(own(plain.decode(bytes, written.id)), { a: 1 }, `${name}: an older reader skips it`)
    t.same(Object.entries(reordered.decode(bytes, written.id) as object), [[name, 5], ['a', 1]], `${name}: found by name`)
    t.same(own(aliased.decode(bytes, written.id)), { a: 1, renamed: 5 }, `${name}: and by alias`)
  }
})

t.test('a field that a reader cannot fill is INCOMPATIBLE_SCHEMA, named as written', async (t) => {
  const registry = new SchemaRegistry()
  const writer = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }]), { registry })
  const reader = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }, { name: 'constructor', type: 'int' }]), { registry })
  const err = codecError(() => reader.decode(writer.encode({ a: 1 }), writer.id))
  t.equal(err.code, 'INCOMPATIBLE_SCHEMA')
  t.match(err.message, 'no matching field for default-less R.constructor')
})

t.test('a value that is not an object is INVALID_VALUE, as for any record', async (t) => {
  const codec = AvroCodec.fromSchema(record([{ name: 'toString', type: 'int', default: 0 }]))
  for (const value of [null, 5, 'toString', undefined]) {
    const err = codecError(() => codec.encode(value))
    t.equal(err.code, 'INVALID_VALUE', String(value))
    t.equal(err.path, '')
  }
})

t.test('an error type (a record for parsing purposes) resolves the same way', async (t) => {
  const registry = new SchemaRegistry()
  const writer = AvroCodec.fromSchema({ type: 'error', name: 'R', fields: [{ name: 'constructor', type: 'string' }, { name: 'a', type: 'int' }] }, { registry })
  const reader = AvroCodec.fromSchema(record([{ name: 'a', type: 'int' }, { name: 'constructor', type: 'string' }]), { registry })
  t.same(Object.entries(reader.decode(writer.encode(withField('constructor', 'c', 2) as never), writer.id) as object), [['a', 2], ['constructor', 'c']])
})
