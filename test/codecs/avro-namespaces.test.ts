// Namespaces by the Avro specification ("Names"): a simple name takes the
// namespace of the most tightly enclosing named type, an explicit `namespace`
// (the empty string being the null namespace) overrides it, and references
// are resolved the same way. The compiled types and the canonical form (and
// so the fingerprint) must agree on every fullname.
import t from 'tap'
import { AvroCodec } from '../../codecs/index.js'
import { assertIdentity, assertNames, codecError } from './helpers.js'

const int = (name: string) => ({ name, type: 'int' })

t.test('nested records, enums and fixed inherit the enclosing namespace; references too', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'Order', namespace: 'shop',
    fields: [
      { name: 'line', type: { type: 'record', name: 'Line', fields: [int('qty'), { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW'] } }] } },
      { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
      { name: 'previous', type: ['null', 'Line'] },
      { name: 'statuses', type: { type: 'array', items: 'Status' } },
      { name: 'byHash', type: { type: 'map', values: 'shop.Hash' } },
    ],
  })
  const canonical =
    '{"name":"shop.Order","type":"record","fields":[' +
    '{"name":"line","type":{"name":"shop.Line","type":"record","fields":[{"name":"qty","type":"int"},' +
    '{"name":"status","type":{"name":"shop.Status","type":"enum","symbols":["NEW"]}}]}},' +
    '{"name":"hash","type":{"name":"shop.Hash","type":"fixed","size":2}},' +
    '{"name":"previous","type":["null","shop.Line"]},' +
    '{"name":"statuses","type":{"type":"array","items":"shop.Status"}},' +
    '{"name":"byHash","type":{"type":"map","values":"shop.Hash"}}]}'
  assertIdentity(t, codec, canonical, ['shop.Order', 'shop.Line', 'shop.Status', 'shop.Hash'])
  const value = {
    line: { qty: 1, status: 'NEW' }, hash: Buffer.from('ab'), previous: { qty: 2, status: 'NEW' },
    statuses: ['NEW'], byHash: { k: Buffer.from('cd') },
  }
  t.same(codec.decode(codec.encode(value)), value)
})

t.test('an explicit namespace overrides the enclosing one for the type and what it encloses', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'A', namespace: 'one',
    fields: [
      { name: 'b', type: { type: 'record', name: 'B', namespace: 'two', fields: [{ name: 'c', type: { type: 'enum', name: 'C', symbols: ['X'] } }] } },
      { name: 'c', type: 'two.C' },
      { name: 'd', type: { type: 'fixed', name: 'D', size: 1 } },
    ],
  })
  assertNames(t, codec, ['one.A', 'two.B', 'two.C', 'one.D'], 'D is back in the namespace of A')
})

t.test('the empty namespace is the null namespace, also inside a namespaced record', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'Top',
    fields: [
      {
        name: 'inner',
        type: {
          type: 'record', name: 'Inner', namespace: 'deep',
          fields: [
            { name: 'global', type: { type: 'enum', name: 'Global', namespace: '', symbols: ['G'] } },
            { name: 'nested', type: { type: 'record', name: 'Nested', namespace: '', fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['Y'] } }] } },
          ],
        },
      },
      // In the null namespace of Top, a simple name finds a null-namespace type.
      { name: 'again', type: 'Global' },
      { name: 'e', type: 'E' },
    ],
  })
  const canonical =
    '{"name":"Top","type":"record","fields":[' +
    '{"name":"inner","type":{"name":"deep.Inner","type":"record","fields":[' +
    '{"name":"global","type":{"name":"Global","type":"enum","symbols":["G"]}},' +
    '{"name":"nested","type":{"name":"Nested","type":"record","fields":[{"name":"e","type":{"name":"E","type":"enum","symbols":["Y"]}}]}}]}},' +
    '{"name":"again","type":"Global"},{"name":"e","type":"E"}]}'
  assertIdentity(t, codec, canonical, ['Top', 'deep.Inner', 'Global', 'Nested', 'E'], 'E inherits the null namespace of Nested')
})

t.test('a reference is resolved in the enclosing namespace only', async (t) => {
  // Inside namespace `deep`, "Global" means deep.Global, which does not exist
  // (Java's library falls back to the null namespace here; the spec does not).
  const err = codecError(() => AvroCodec.fromSchema({
    type: 'record', name: 'Top',
    fields: [
      { name: 'global', type: { type: 'enum', name: 'Global', symbols: ['G'] } },
      { name: 'inner', type: { type: 'record', name: 'Inner', namespace: 'deep', fields: [{ name: 'g', type: 'Global' }] } },
    ],
  }))
  t.equal(err.code, 'INVALID_SCHEMA')
  t.match(err.message, 'undefined type name: deep.Global')
})

t.test('a namespace that is not a string (JSON null) is absent, as in Avro\'s Java library', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'R', namespace: 'ns',
    fields: [
      { name: 'a', type: { type: 'record', name: 'A', namespace: null, fields: [{ name: 'b', type: { type: 'enum', name: 'B', symbols: ['Z'] } }] } },
      { name: 'again', type: 'ns.B' },
    ],
  })
  assertNames(t, codec, ['ns.R', 'ns.A', 'ns.B'])
})

t.test('one simple name in two namespaces is two types', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'Pair', namespace: 'left',
    fields: [
      { name: 'l', type: { type: 'fixed', name: 'Id', size: 1 } },
      { name: 'r', type: { type: 'fixed', name: 'Id', namespace: 'right', size: 2 } },
      { name: 'l2', type: 'Id' },
      { name: 'r2', type: 'right.Id' },
    ],
  })
  assertNames(t, codec, ['left.Pair', 'left.Id', 'right.Id'])
  const value = { l: Buffer.from([1]), r: Buffer.from([2, 3]), l2: Buffer.from([4]), r2: Buffer.from([5, 6]) }
  const bytes = codec.encode(value)
  t.equal(bytes.length, 6, 'l2 is 1 byte wide, r2 is 2')
  t.same(codec.decode(bytes), value)
})

t.test('a fullname defined twice is INVALID_SCHEMA, however it is spelled', async (t) => {
  const twice = (second: Record<string, unknown>) => codecError(() => AvroCodec.fromSchema({
    type: 'record', name: 'R', namespace: 'ns',
    fields: [{ name: 'a', type: { type: 'fixed', name: 'F', size: 1 } }, { name: 'b', type: { type: 'fixed', size: 1, ...second } }],
  }))
  for (const second of [{ name: 'F' }, { name: 'ns.F' }, { name: 'F', namespace: 'ns' }, { name: 'ns.F', namespace: 'other' }]) {
    const err = twice(second)
    t.equal(err.code, 'INVALID_SCHEMA', JSON.stringify(second))
    t.match(err.message, 'duplicate type name: ns.F')
  }
  t.ok(AvroCodec.fromSchema({
    type: 'record', name: 'R', namespace: 'ns',
    fields: [{ name: 'a', type: { type: 'fixed', name: 'F', size: 1 } }, { name: 'b', type: { type: 'fixed', name: 'F', namespace: '', size: 1 } }],
  }), 'F in the null namespace is another name')
})

t.test('primitive type names have no namespace', async (t) => {
  const codec = AvroCodec.fromSchema({ type: 'record', name: 'P', namespace: 'ns', fields: [int('i'), { name: 's', type: { type: 'string' } }] })
  t.equal(codec.canonical, '{"name":"ns.P","type":"record","fields":[{"name":"i","type":"int"},{"name":"s","type":"string"}]}')
  t.same(codec.decode(codec.encode({ i: 1, s: 'x' })), { i: 1, s: 'x' })
  t.equal(codecError(() => AvroCodec.fromSchema({ type: 'fixed', name: 'int', size: 1 })).code, 'INVALID_SCHEMA', 'nor can one be defined')
})

t.test('a definition without a name, or a field without a type, is INVALID_SCHEMA', async (t) => {
  for (const schema of [
    { type: 'record', fields: [] },
    { type: 'enum', name: 7, symbols: ['A'] },
    { type: 'record', name: 'R', namespace: 'ns', fields: [{ name: 'f' }] },
    { type: 'record', name: 'R', namespace: 'ns', fields: [null] },
  ]) {
    t.equal(codecError(() => AvroCodec.fromSchema(schema)).code, 'INVALID_SCHEMA', JSON.stringify(schema))
  }
})
