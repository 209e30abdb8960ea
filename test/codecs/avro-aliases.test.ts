// Aliases in schema resolution (the Avro specification, "Aliases"): a
// reader's field or type alias names what the writer called it. A type alias
// is a fullname, or a simple name relative to the namespace of the type it
// belongs to. Aliases never change the canonical form or the fingerprint.
import t from 'tap'
import { AvroCodec, SchemaRegistry } from '../../codecs/index.js'
import type { AvroSchema } from '../../codecs/index.js'
import { codecError } from './helpers.js'

/** A writer and a reader codec sharing one registry. */
function pair(writerSchema: AvroSchema, readerSchema: AvroSchema) {
  const registry = new SchemaRegistry()
  return { writer: AvroCodec.fromSchema(writerSchema, { registry }), reader: AvroCodec.fromSchema(readerSchema, { registry }) }
}

const person = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'record', name, fields, ...extra })

t.test('a field alias reads the writer\'s field of that name', async (t) => {
  const { writer, reader } = pair(
    person('P', [{ name: 'id', type: 'int' }, { name: 'nick', type: 'string' }]),
    person('P', [{ name: 'handle', type: 'string', aliases: ['login', 'nick'] }, { name: 'id', type: 'long' }]),
  )
  t.same(reader.decode(writer.encode({ id: 7, nick: 'ada' }), writer.id), { handle: 'ada', id: 7 })
})

t.test('two reader fields that alias one writer field are INCOMPATIBLE_SCHEMA', async (t) => {
  const { writer, reader } = pair(
    person('P', [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]),
    person('P', [{ name: 'x', type: 'int', aliases: ['a', 'b'] }]),
  )
  const err = codecError(() => reader.decode(writer.encode({ a: 1, b: 2 }), writer.id))
  t.equal(err.code, 'INCOMPATIBLE_SCHEMA')
  t.match(err.message, 'ambiguous aliasing for P.x')
})

t.test('a type alias, simple or full, names the writer\'s type', async (t) => {
  const reader = person('Person', [{ name: 'n', type: 'int' }], { namespace: 'crm', aliases: ['Customer', 'legacy.Client'] })
  for (const [writerName, readable] of [
    ['crm.Customer', true], // simple alias, relative to the reader's namespace
    ['legacy.Client', true], // full alias
    ['Customer', false], // the simple alias is not in the null namespace
    ['legacy.Customer', false],
    ['crm.Client', false],
  ] as const) {
    const { writer, reader: r } = pair(person(writerName, [{ name: 'n', type: 'int' }]), reader)
    t.equal(r.canRead(writer.id), readable, `${writerName}: ${readable ? 'read' : 'refused'}`)
    if (readable) t.same(r.decode(writer.encode({ n: 3 }), writer.id), { n: 3 })
  }
})

t.test('a renamed nested type and enum are read through their aliases', async (t) => {
  const { writer, reader } = pair(
    {
      type: 'record', name: 'Shipment', namespace: 'v1',
      fields: [
        { name: 'state', type: { type: 'enum', name: 'State', symbols: ['OPEN', 'DONE'] } },
        { name: 'box', type: { type: 'fixed', name: 'Box', size: 2 } },
      ],
    },
    {
      type: 'record', name: 'Shipment', namespace: 'v2', aliases: ['v1.Shipment'],
      fields: [
        { name: 'status', aliases: ['state'], type: { type: 'enum', name: 'Status', aliases: ['v1.State'], symbols: ['DONE', 'OPEN', 'LOST'] } },
        { name: 'box', type: { type: 'fixed', name: 'Crate', aliases: ['v1.Box'], size: 2 } },
      ],
    },
  )
  t.same(reader.decode(writer.encode({ state: 'OPEN', box: Buffer.from('xy') }), writer.id), { status: 'OPEN', box: Buffer.from('xy') })
})

t.test('without the alias a renamed type is INCOMPATIBLE_SCHEMA', async (t) => {
  const { writer, reader } = pair(person('Old', [{ name: 'n', type: 'int' }]), person('New', [{ name: 'n', type: 'int' }]))
  t.notOk(reader.canRead(writer.id))
  const err = codecError(() => reader.decode(writer.encode({ n: 1 }), writer.id))
  t.equal(err.code, 'INCOMPATIBLE_SCHEMA')
  t.match(err.message, 'no alias found for Old')
})

t.test('aliases change neither the canonical form nor the fingerprint', async (t) => {
  const plain = AvroCodec.fromSchema(person('P', [{ name: 'n', type: 'int' }], { namespace: 'a' }))
  const aliased = AvroCodec.fromSchema(person('P', [{ name: 'n', type: 'int', aliases: ['m'] }], { namespace: 'a', aliases: ['Q', 'b.R'] }))
  t.equal(aliased.canonical, plain.canonical)
  t.equal(aliased.hex, plain.hex)
})
