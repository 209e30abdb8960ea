// The in-process schema registry: keyed by fingerprint, filled from peers.
import t from 'tap'
import { AvroCodec, DEFAULT_REGISTRY_LIMITS, SchemaRegistry, describeSchema, idToHex } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const schema = { type: 'record', name: 'Ping', namespace: 'net', fields: [{ name: 'seq', type: 'long' }] }

t.test('register is idempotent by fingerprint and keeps the first schema', async (t) => {
  const registry = new SchemaRegistry()
  const a = registry.register(schema)
  const b = registry.register({ ...schema, doc: 'documented later' })
  t.equal(a, b)
  t.equal(registry.size, 1)
  t.ok(registry.has(a.id))
  t.equal(registry.get(a.id), a)
  t.equal(a.hex, idToHex(a.id))
  t.same([...registry.entries()], [a])
  t.equal(a.canonical, '{"name":"net.Ping","type":"record","fields":[{"name":"seq","type":"long"}]}')
})

t.test('JSON text and parsed JSON give the same entry', async (t) => {
  t.equal(describeSchema(JSON.stringify(schema)).hex, describeSchema(schema).hex)
  t.equal(describeSchema('"string"').hex, describeSchema('string').hex)
})

t.test('a schema announced under its own fingerprint is accepted', async (t) => {
  const registry = new SchemaRegistry()
  const { id, canonical } = describeSchema(schema)
  const entry = registry.registerAnnounced(id, canonical)
  t.equal(entry.hex, idToHex(id))
  t.equal(registry.registerAnnounced(id, 'not even parsed: already known'), entry)
})

t.test('a schema announced under another fingerprint is refused', async (t) => {
  const registry = new SchemaRegistry()
  const other = describeSchema('string')
  const err = codecError(() => registry.registerAnnounced(other.id, schema))
  t.equal(err.code, 'INVALID_SCHEMA')
  t.equal(err.codec, 'schema-registry')
  t.match(err.message, `schema announced as ${other.hex} has fingerprint ${describeSchema(schema).hex}`)
  t.equal(registry.size, 0)
})

t.test('a schema that does not parse is INVALID_SCHEMA with the cause', async (t) => {
  const registry = new SchemaRegistry()
  for (const bad of ['{"type":"record"', { type: 'record', name: 'X' }, { type: 'nope' }, '["int","int"]']) {
    const err = codecError(() => registry.register(bad))
    t.equal(err.code, 'INVALID_SCHEMA', JSON.stringify(bad))
    t.ok(err.cause !== undefined)
  }
})

t.test('require: unknown ids are UNKNOWN_SCHEMA', async (t) => {
  const registry = new SchemaRegistry()
  t.throws(() => registry.require(new Uint8Array(8)), { code: 'UNKNOWN_SCHEMA', message: /0000000000000000/ })
})

t.test('limits are per registry', async (t) => {
  const registry = new SchemaRegistry({ limits: { maxDepth: 3 } })
  t.same(registry.limits, { maxDepth: 3, maxZeroByteItems: 1024 })
  t.ok(Object.isFrozen(registry.limits))
})

t.test('the registry is bounded: maxEntries, refused before parsing, nothing evicted', async (t) => {
  const registry = new SchemaRegistry({ registryLimits: { maxEntries: 2 } })
  t.same(registry.registryLimits, { maxEntries: 2, maxSchemaBytes: DEFAULT_REGISTRY_LIMITS.maxSchemaBytes })
  t.ok(Object.isFrozen(registry.registryLimits))
  const a = registry.register('string')
  registry.register('long')
  t.equal(registry.register('string'), a, 'a known schema is still returned when full')
  const full = codecError(() => registry.register('int'))
  t.equal(full.code, 'LIMIT_EXCEEDED')
  t.equal(full.codec, 'schema-registry')
  t.match(full.message, 'maxEntries 2')
  // From a peer: refused even before the schema is looked at.
  const announced = codecError(() => registry.registerAnnounced(describeSchema('int').id, '{ not parsed'))
  t.equal(announced.code, 'LIMIT_EXCEEDED')
  t.equal(codecError(() => AvroCodec.fromSchema('int', { registry })).code, 'LIMIT_EXCEEDED', 'a codec too')
  t.equal(registry.size, 2)
  t.ok(registry.has(a.id), 'nothing was evicted')
})

t.test('the registry is bounded: maxSchemaBytes, in UTF-8 bytes of the JSON text', async (t) => {
  const registry = new SchemaRegistry({ registryLimits: { maxSchemaBytes: 200 } })
  const big = { type: 'enum', name: 'E', symbols: Array.from({ length: 40 }, (_, i) => `S${i}`) }
  const text = JSON.stringify(big)
  t.ok(Buffer.byteLength(text) > 200)
  const err = codecError(() => registry.registerAnnounced(describeSchema(big).id, text))
  t.equal(err.code, 'LIMIT_EXCEEDED')
  t.match(err.message, `schema of ${Buffer.byteLength(text)} bytes exceeds maxSchemaBytes 200`)
  t.equal(codecError(() => registry.register(big)).code, 'LIMIT_EXCEEDED', 'parsed JSON is measured too')
  // Multi-byte characters count as bytes, not as UTF-16 units.
  const doc = { type: 'record', name: 'R', doc: 'é'.repeat(80), fields: [] }
  t.ok(JSON.stringify(doc).length <= 200)
  t.equal(codecError(() => registry.register(doc)).code, 'LIMIT_EXCEEDED')
  t.equal(registry.register('string').hex, describeSchema('string').hex, 'small schemas still fit')
  t.equal(registry.size, 1)
})

t.test('default registry limits', async (t) => {
  t.same(new SchemaRegistry().registryLimits, { maxEntries: 1024, maxSchemaBytes: 262144 })
})
