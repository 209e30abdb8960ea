// A dotted name is a fullname: a `namespace` attribute beside it is ignored,
// and what is nested inside takes the dotted name's namespace (the Avro
// specification, "Names"). avsc alone gave nested names the ignored attribute.
import t from 'tap'
import avro from 'avsc'
import { AvroCodec, SchemaRegistry } from '../../codecs/index.js'
import { assertIdentity, assertNames, codecError, definedNames } from './helpers.js'

// The schema of the interoperability report: refused before, with
// `undefined type name: org.acme.Header`.
const event = {
  type: 'record', name: 'org.acme.Event', namespace: 'ignored',
  fields: [
    { name: 'h', type: { type: 'record', name: 'Header', fields: [{ name: 's', type: 'int' }] } },
    { name: 'again', type: 'org.acme.Header' },
  ],
}
const EVENT_CANONICAL =
  '{"name":"org.acme.Event","type":"record","fields":[' +
  '{"name":"h","type":{"name":"org.acme.Header","type":"record","fields":[{"name":"s","type":"int"}]}},' +
  '{"name":"again","type":"org.acme.Header"}]}'

t.test('with avsc 5.7.9 alone the nested name takes the ignored namespace', async (t) => {
  t.throws(() => avro.Type.forSchema(event as avro.Schema), /undefined type name: org\.acme\.Header/)
  const alone = avro.Type.forSchema({ ...event, fields: [event.fields[0]] } as avro.Schema)
  t.same(definedNames(alone), ['org.acme.Event', 'ignored.Header'])
})

t.test('the report\'s schema compiles, with the fingerprint other implementations give', async (t) => {
  const codec = AvroCodec.fromSchema(event)
  t.equal(codec.hex, 'e7497c536f4068ce', 'the id, as the other implementation printed it')
  t.equal(codec.fingerprint, 0xce68406f537c49e7n, 'the same 8 bytes read little-endian')
  assertIdentity(t, codec, EVENT_CANONICAL, ['org.acme.Event', 'org.acme.Header'])
})

t.test('values round-trip, with the bytes the spec prescribes', async (t) => {
  const codec = AvroCodec.fromSchema(event)
  const bytes = codec.encode({ h: { s: 1 }, again: { s: -2 } })
  t.same([...bytes], [0x02, 0x03], 'two ints, zig-zag: 1 -> 02, -2 -> 03')
  t.same(codec.decode(bytes), { h: { s: 1 }, again: { s: -2 } })
})

t.test('the spec\'s own example of the naming rules', async (t) => {
  // From the specification's "Names" section, docs dropped.
  const example = {
    type: 'record', name: 'Example',
    fields: [
      { name: 'inheritNull', type: { type: 'enum', name: 'Simple', symbols: ['a', 'b'] } },
      { name: 'explicitNamespace', type: { type: 'fixed', name: 'Simple', namespace: 'explicit', size: 12 } },
      {
        name: 'fullName',
        type: {
          type: 'record', name: 'a.full.Name', namespace: 'ignored',
          fields: [{ name: 'inheritNamespace', type: { type: 'enum', name: 'Understanding', symbols: ['d', 'e'] } }],
        },
      },
    ],
  }
  const canonical =
    '{"name":"Example","type":"record","fields":[' +
    '{"name":"inheritNull","type":{"name":"Simple","type":"enum","symbols":["a","b"]}},' +
    '{"name":"explicitNamespace","type":{"name":"explicit.Simple","type":"fixed","size":12}},' +
    '{"name":"fullName","type":{"name":"a.full.Name","type":"record","fields":[' +
    '{"name":"inheritNamespace","type":{"name":"a.full.Understanding","type":"enum","symbols":["d","e"]}}]}}]}'
  assertIdentity(t, AvroCodec.fromSchema(example), canonical, ['Example', 'Simple', 'explicit.Simple', 'a.full.Name', 'a.full.Understanding'])
})

t.test('an enum or fixed with a dotted name is named by it, whatever the namespace around', async (t) => {
  const codec = AvroCodec.fromSchema({
    type: 'record', name: 'Outer', namespace: 'outer',
    fields: [
      { name: 'e', type: { type: 'enum', name: 'x.y.E', namespace: 'ignored', symbols: ['A'] } },
      { name: 'f', type: { type: 'fixed', name: 'x.F', namespace: 'ignored', size: 1 } },
      { name: 'again', type: ['null', 'x.y.E', 'x.F'] }, // unwrapped: a string or a Buffer
    ],
  })
  assertNames(t, codec, ['outer.Outer', 'x.y.E', 'x.F'])
  const value = { e: 'A', f: Buffer.from([7]), again: Buffer.from([9]) }
  t.same(codec.decode(codec.encode(value)), value)
})

t.test('a simple alias of a dotted name is relative to that name\'s namespace', async (t) => {
  // The spec: "if a type named "a.b" has aliases of "c" and "x.y", then the
  // fully qualified names of its aliases are "a.c" and "x.y"".
  const registry = new SchemaRegistry()
  const reader = AvroCodec.fromSchema({ type: 'record', name: 'a.b', namespace: 'ignored', aliases: ['c', 'x.y'], fields: [{ name: 'n', type: 'int' }] }, { registry })
  const writer = (name: string) => AvroCodec.fromSchema({ type: 'record', name, fields: [{ name: 'n', type: 'int' }] }, { registry })
  for (const name of ['a.c', 'x.y']) {
    const w = writer(name)
    t.same(reader.decode(w.encode({ n: 4 }), w.id), { n: 4 }, `reads ${name}`)
  }
  for (const name of ['ignored.c', 'c']) {
    const w = writer(name)
    t.equal(codecError(() => reader.decode(w.encode({ n: 4 }), w.id)).code, 'INCOMPATIBLE_SCHEMA', `does not read ${name}`)
  }
})
