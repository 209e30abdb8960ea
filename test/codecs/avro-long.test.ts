// Avro longs never change on the way through: every value either round-trips
// exactly or is refused with INVALID_VALUE and its path, before any byte is
// produced. (avsc alone writes -(2^52 + 1) as bytes that decode to +2^52.)
// Seeded: CODEC_FUZZ_SEED=<seed> npx tap test/codecs/avro-long.test.ts
import t from 'tap'
import avro from 'avsc'
import { AvroCodec, CodecError } from '../../codecs/index.js'
import { int, mulberry32 } from './fuzz/prng.js'
import { codecError } from './helpers.js'

const SEED = Number(process.env['CODEC_FUZZ_SEED'] ?? 0x7195)
const SAFE = Number.MAX_SAFE_INTEGER

const schema = {
  type: 'record', name: 'Ids',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'maybe', type: ['null', 'long'] },
    { name: 'many', type: { type: 'array', items: 'long' } },
    { name: 'byKey', type: { type: 'map', values: 'long' } },
  ],
}
const numbers = AvroCodec.fromSchema(schema)
const bigints = AvroCodec.fromSchema(schema, { longs: 'bigint' })

// Values a long field may be handed: the edges of every range that matters,
// then random ones across the whole safe range (and beyond it).
const EDGES = [
  0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, -(2 ** 52) + 1, -(2 ** 52), -(2 ** 52) - 1,
  -(2 ** 52) - 2, 2 ** 53 - 2, -(2 ** 53) + 2, SAFE, -SAFE, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, -(2 ** 53) - 2,
  2 ** 63, -(2 ** 63), 2 ** 64, 1.5, -0.5, NaN, Infinity, -Infinity, -0,
]
function randomLong(rng: () => number): number {
  switch (int(rng, 4)) {
    case 0: return (rng() < 0.5 ? -1 : 1) * Math.floor(rng() * 2 ** 53) // anywhere in the safe range
    case 1: return (rng() < 0.5 ? -1 : 1) * (2 ** (52 + rng()) + int(rng, 1000)) // near the edge
    case 2: return (rng() < 0.5 ? -1 : 1) * 2 ** (53 + rng() * 11) // beyond it
    default: return int(rng, 2 ** 20) - 2 ** 19
  }
}

// `n` at each long position of the schema, with `zero` at the others.
const place = (n: unknown, zero: number | bigint = 0) => [
  { path: 'id', value: { id: n, at: zero, maybe: null, many: [], byKey: {} } },
  { path: 'at', value: { id: zero, at: n, maybe: null, many: [], byKey: {} } },
  { path: 'maybe', value: { id: zero, at: zero, maybe: n, many: [], byKey: {} } },
  { path: 'many[1]', value: { id: zero, at: zero, maybe: null, many: [zero, n], byKey: {} } },
  { path: 'byKey["a b"]', value: { id: zero, at: zero, maybe: null, many: [], byKey: { 'a b': n } } },
]
const show = (v: unknown): string => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x))
const order = (id: unknown, zero: number | bigint = 0) => place(id, zero)[0]!.value

interface Reporter { fail(message: string): unknown }

/** Encodes n at every position: exact round trip, or INVALID_VALUE at that path. */
function check(t: Reporter, codec: AvroCodec, n: unknown, valid: boolean): number {
  let failures = 0
  for (const { path, value } of place(n, codec.longs === 'bigint' ? 0n : 0)) {
    let bytes: Uint8Array
    try {
      bytes = codec.encode(value)
    } catch (err) {
      if (valid || !(err instanceof CodecError) || err.code !== 'INVALID_VALUE' || err.path !== path) {
        failures++
        t.fail(`${String(n)} at ${path}: ${String(err)} (path ${(err as CodecError).path})`)
      }
      continue
    }
    const back = codec.decode(bytes)
    if (!valid || show(back) !== show(value)) {
      failures++
      t.fail(`${String(n)} at ${path} came back as ${show(back)}, valid: ${valid}`)
    }
  }
  return failures
}

t.test('numbers: every safe integer round-trips, nothing else is encoded', async (t) => {
  const rng = mulberry32(SEED)
  const values = [...EDGES, ...Array.from({ length: 20_000 }, () => randomLong(rng))]
  let failures = 0
  for (const n of values) failures += check(t, numbers, n, Number.isSafeInteger(n))
  t.equal(failures, 0, `${values.length} values at 5 positions (seed ${SEED})`)
  // -0 is a safe integer and comes back as 0: the same long.
  t.ok(Object.is((numbers.decode(numbers.encode(order(-0))) as { id: number }).id, 0))
})

t.test('bigints: the whole 64-bit range round-trips exactly', async (t) => {
  const rng = mulberry32(SEED + 1)
  const big = (n: number) => BigInt(Math.trunc(n))
  const values: bigint[] = [
    0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 53n) - 1n,
    ...EDGES.filter(Number.isFinite).map(big).filter((n) => n >= -(2n ** 63n) && n < 2n ** 63n),
    ...Array.from({ length: 5000 }, () => BigInt.asIntN(64, (BigInt(int(rng, 2 ** 32)) << 32n) | BigInt(int(rng, 2 ** 32)))),
  ]
  let failures = 0
  for (const n of values) failures += check(t, bigints, n, true)
  for (const n of [2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n]) failures += check(t, bigints, n, false)
  // bigint mode takes BigInts only: a number is refused, not converted.
  for (const n of [1, 0, 2 ** 60]) failures += check(t, bigints, n, false)
  t.equal(failures, 0, `${values.length} values (seed ${SEED})`)
})

t.test('the error names the long and its range', async (t) => {
  const err = codecError(() => numbers.encode(order(2 ** 53)))
  t.equal(err.code, 'INVALID_VALUE')
  t.equal(err.path, 'id')
  t.match(err.message, 'value at id is not a valid long (a safe integer, within ±(2^53 - 1)): 9007199254740992')
  t.match(codecError(() => bigints.encode(order(1, 0n))).message, 'not a valid long (a BigInt')
})

t.test('the corruption this guards against is real in avsc', async (t) => {
  // If a future avsc fixes this, the custom type can go (see avro-long.ts).
  const plain = avro.Type.forSchema('long')
  const n = -(2 ** 52) - 1
  t.ok(plain.isValid(n), 'avsc accepts it')
  t.equal(plain.fromBuffer(plain.toBuffer(n)), 2 ** 52, 'and writes bytes that read back as +2^52')
  t.equal((numbers.decode(numbers.encode(order(n))) as { id: number }).id, n, 'the codec keeps it')
  t.same(Buffer.from(numbers.encode(order(n))).subarray(0, 8), Buffer.from([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]), 'as the spec zig-zag varint')
})

t.test('bytes are those of plain avsc wherever avsc is exact', async (t) => {
  const plain = avro.Type.forSchema(schema as avro.Schema)
  const rng = mulberry32(SEED + 2)
  for (let i = 0; i < 2000; i++) {
    const n = int(rng, 2) ? Math.floor(rng() * 2 ** 52) : -Math.floor(rng() * 2 ** 52)
    const value = { id: n, at: -n, maybe: n, many: [n, 1], byKey: { k: n } }
    if (!Buffer.from(numbers.encode(value)).equals(plain.toBuffer(value))) {
      t.fail(`${n} encodes differently`)
      return
    }
  }
  t.pass('2000 values, same bytes')
})

t.test('union shapes are those of plain avsc', async (t) => {
  // ["int","long"] is ambiguous, so avsc wraps it; it must stay wrapped.
  const wrapped = AvroCodec.fromSchema(['int', 'long'])
  t.same(wrapped.decode(wrapped.encode({ long: 2 ** 53 - 1 })), { long: 2 ** 53 - 1 })
  t.same(wrapped.decode(wrapped.encode({ int: 5 })), { int: 5 })
  t.equal(codecError(() => wrapped.encode({ long: -(2 ** 53) })).code, 'INVALID_VALUE')
  const unwrapped = AvroCodec.fromSchema(['null', 'string', 'long'])
  t.equal(unwrapped.decode(unwrapped.encode(-(2 ** 52) - 7)), -(2 ** 52) - 7)
  t.equal(unwrapped.decode(unwrapped.encode('x')), 'x')
  t.equal(codecError(() => unwrapped.encode(2 ** 60)).code, 'INVALID_VALUE')
})

t.test('schema defaults and resolution go through the exact type', async (t) => {
  const big = { type: 'record', name: 'D', fields: [{ name: 'x', type: 'long', default: 2 ** 60 }] }
  t.equal(codecError(() => AvroCodec.fromSchema(big)).code, 'INVALID_SCHEMA', 'a default a number cannot hold')
  // JSON.parse may already have rounded such a default: bigint mode refuses it too.
  t.equal(codecError(() => AvroCodec.fromSchema(big, { longs: 'bigint' })).code, 'INVALID_SCHEMA')
  const reader = AvroCodec.fromSchema({ type: 'record', name: 'D', fields: [{ name: 'x', type: 'long' }, { name: 'y', type: 'long', default: -(2 ** 52) - 1 }] }, { longs: 'bigint' })
  const writer = AvroCodec.fromSchema({ type: 'record', name: 'D', fields: [{ name: 'x', type: 'int' }] }, { registry: reader.registry })
  t.same(reader.decode(writer.encode({ x: -3 }), writer.id), { x: -3n, y: -(2n ** 52n) - 1n }, 'int promoted, defaults exact')
  // A number reader refuses a long it cannot hold, from any writer.
  const numberReader = AvroCodec.fromSchema({ type: 'record', name: 'D', fields: [{ name: 'x', type: 'long' }] }, { registry: reader.registry })
  const wide = AvroCodec.fromSchema({ type: 'record', name: 'D', fields: [{ name: 'x', type: 'long' }, { name: 'z', type: 'int', default: 0 }] }, { longs: 'bigint', registry: reader.registry })
  t.equal(codecError(() => numberReader.decode(wide.encode({ x: 2n ** 60n, z: 1 }), wide.id)).code, 'MALFORMED')
  t.same(numberReader.decode(wide.encode({ x: 2n ** 52n + 1n, z: 1 }), wide.id), { x: 2 ** 52 + 1 })
})

t.test('bigint mode decodes any 64-bit long and refuses wider varints', async (t) => {
  const b = AvroCodec.fromSchema('long', { longs: 'bigint' })
  t.equal(b.decode(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), -(2n ** 63n))
  t.equal(codecError(() => b.decode(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]))).code, 'MALFORMED')
})
