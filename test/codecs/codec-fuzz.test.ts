// Property and fuzz tests over every codec, seeded so that a failure
// reproduces: CODEC_FUZZ_SEED=<seed> npx tap test/codecs/codec-fuzz.test.ts
// More inputs: CODEC_FUZZ_INPUTS=1000000. Save newly seen outcomes to the
// replayed corpus: CODEC_FUZZ_RECORD=1. Print the slowest inputs: CODEC_FUZZ_DEBUG=1.
import t from 'tap'
import { int, mulberry32 } from './fuzz/prng.js'
import { mutate, randomBytes } from './fuzz/mutate.js'
import { sameValue, weight } from './fuzz/values.js'
import { appendCorpus, toHex } from './fuzz/corpus.js'
import type { CorpusEntry } from './fuzz/corpus.js'

const SEED = Number(process.env['CODEC_FUZZ_SEED'] ?? 0x7195)
const INPUTS = Number(process.env['CODEC_FUZZ_INPUTS'] ?? 120_000)
const RECORD = process.env['CODEC_FUZZ_RECORD'] === '1'

// avsc seeds its own generator (used by Type#random) from Math.random when
// it loads: seed Math.random first, then load avsc through dynamic imports.
Math.random = mulberry32(SEED ^ 0x5eed5eed)
const { AvroCodec, CodecError, DEFAULT_DECODE_LIMITS, SchemaRegistry } = await import('../../codecs/index.js')
const { makeTargets, schemaPath } = await import('./fuzz/targets.js')

t.comment(`seed ${SEED}, ${INPUTS} byte strings`)

const registry = new SchemaRegistry()
const v1 = AvroCodec.fromFile(schemaPath('order-event-v1'), { registry })
const v2 = AvroCodec.fromFile(schemaPath('order-event-v2'), { registry })
const v3 = AvroCodec.fromFile(schemaPath('order-event-v3'), { registry })
const everything = AvroCodec.fromFile(schemaPath('everything'))

t.test('random values from each schema round-trip exactly', async (t) => {
  for (const codec of [v1, v2, v3, everything]) {
    let failures = 0
    for (let i = 0; i < 400; i++) {
      const value = codec.type.random()
      const bytes = codec.encode(value)
      const back = codec.decode(bytes)
      if (!sameValue(back, value) || !Buffer.from(codec.encode(back)).equals(bytes)) {
        failures++
        if (failures === 1) t.fail(`${codec.hex}: ${JSON.stringify(value)} did not round-trip`)
      }
    }
    t.equal(failures, 0, `${(codec.schema as { name: string }).name} ${codec.hex}: 400 values`)
  }
})

t.test('values round-trip through resolvers across compatible versions', async (t) => {
  type Order = Record<string, unknown> & { lines: Array<Record<string, unknown>> }
  for (let i = 0; i < 300; i++) {
    // v1 -> v2 -> v1 is exact: v2 only adds defaulted fields and a symbol.
    const x = v1.type.random() as unknown as Order
    const asV2 = v2.decode(v1.encode(x), v1.id) as Order
    const again = v1.decode(v2.encode(asV2), v2.id)
    if (!sameValue(again, x)) t.fail(`v1 -> v2 -> v1 changed ${JSON.stringify(x)}`)
    if (asV2['currency'] !== 'EUR' || asV2['coupon'] !== null || asV2.lines.some((l) => l['discountCents'] !== 0)) {
      t.fail('v2 defaults not applied')
    }
    // v1 -> v3: the alias carries `note` into `comment`, int qty becomes long.
    const asV3 = v3.decode(v1.encode(x), v1.id) as Order
    if (asV3['comment'] !== x['note'] || asV3.lines.some((l, j) => l['qty'] !== x.lines[j]?.['qty'])) {
      t.fail(`v1 -> v3 lost data: ${JSON.stringify(x)}`)
    }
    // v2 -> v1 drops what v1 does not know; REFUNDED becomes v1's default.
    const y = v2.type.random() as unknown as Order
    const asV1 = v1.decode(v2.encode(y), v2.id) as Order
    const expected = y['status'] === 'REFUNDED' ? 'CREATED' : y['status']
    if (asV1['status'] !== expected || asV1['orderId'] !== y['orderId'] || 'currency' in asV1) {
      t.fail(`v2 -> v1 wrong: ${JSON.stringify(y)}`)
    }
  }
  t.pass('300 values each way')
})

t.test('random and mutated byte strings only ever yield CodecError', async (t) => {
  const rng = mulberry32(SEED)
  const targets = makeTargets()
  const pools = targets.map((target) => Array.from({ length: 64 }, () => target.sample()))
  const outcomes = new Map<string, number>()
  const recorded = new Map<string, CorpusEntry[]>()
  const seenShapes = new Set<string>()
  let slowest = 0
  const started = performance.now()
  for (let i = 0; i < INPUTS; i++) {
    const which = i % targets.length
    const target = targets[which]!
    const pool = pools[which]!
    const input = rng() < 0.25 ? randomBytes(rng, 48) : mutate(rng, pool[int(rng, pool.length)]!)
    const t0 = performance.now()
    let outcome: string
    let shape: string
    try {
      const value = target.decode(input)
      // What decoding built is bounded by the input, not by what it declares.
      const w = weight(value)
      if (w > 4 * input.length + DEFAULT_DECODE_LIMITS.maxZeroByteItems + 16) {
        t.fail(`${target.name}: ${input.length} bytes decoded to ${w} values: ${toHex(input)}`)
      }
      outcome = 'ok'
      shape = 'ok'
    } catch (err) {
      if (!(err instanceof CodecError)) {
        t.fail(`${target.name} threw ${String(err)} for ${toHex(input)} (seed ${SEED}, input ${i})`)
        continue
      }
      outcome = err.code
      // One corpus entry per kind of failure, not per number or token in the message.
      shape = `${err.code}: ${err.message
        .replace(/ \(at byte.*|(?<=Unexpected token).*/, '')
        .replace(/"[^"]*"|'[^']*'|\b[0-9a-f]{16}\b/g, '_')
        .replace(/-?\d+/g, '#')}`
    }
    const took = performance.now() - t0
    if (took > slowest) {
      slowest = took
      if (process.env['CODEC_FUZZ_DEBUG']) t.comment(`slowest: ${took.toFixed(2)} ms, input ${i}, ${target.name}, ${toHex(input)}`)
    }
    outcomes.set(`${target.name} ${outcome}`, (outcomes.get(`${target.name} ${outcome}`) ?? 0) + 1)
    const key = `${target.name} ${shape}`
    if (RECORD && !seenShapes.has(key) && input.length <= 512) {
      seenShapes.add(key)
      const list = recorded.get(target.name) ?? []
      list.push({ hex: toHex(input), expect: outcome, note: `fuzz seed ${SEED}: ${shape}` })
      recorded.set(target.name, list)
    }
  }
  const elapsed = performance.now() - started
  t.comment(`${INPUTS} inputs in ${elapsed.toFixed(0)} ms, slowest decode ${slowest.toFixed(2)} ms`)
  t.comment([...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n'))
  t.ok(INPUTS >= 100_000 || process.env['CODEC_FUZZ_INPUTS'] !== undefined, 'at least 100k inputs per run by default')
  // A hang (e.g. looping over a declared 2^31 items) takes seconds to hours;
  // a busy CI machine or a GC pause takes tens of milliseconds. 2 s tells
  // them apart without flaking.
  t.ok(slowest < 2000, `no single decode takes long (no hang): slowest ${slowest.toFixed(1)} ms`)
  // The fuzzer must reach past the first check of every avro path, or it proves little.
  for (const name of ['avro-order-v1', 'avro-everything', 'avro-v1-read-as-v3', 'avro-single-object']) {
    for (const code of ['ok', 'TRUNCATED', 'MALFORMED', 'TRAILING_DATA']) {
      t.ok((outcomes.get(`${name} ${code}`) ?? 0) > 0, `${name} reached ${code}`)
    }
  }
  t.ok((outcomes.get('avro-everything LIMIT_EXCEEDED') ?? 0) > 0, 'zero-byte items limit reached')
  if (RECORD) {
    for (const [name, entries] of recorded) t.comment(`${name}: ${appendCorpus(name, entries)} new corpus entries`)
  }
})

// ...and a damaged value that is still valid comes back unchanged: encoding
// never produces bytes that decode to a different value.
t.test('encoding damaged values only ever yields INVALID_VALUE', async (t) => {
  const rng = mulberry32(SEED + 1)
  const junk: unknown[] = [
    undefined, null, NaN, Infinity, -0, 2 ** 60, 1.5, -1, '', 'x', true, 1n, Symbol('s'),
    // Longs at the edges of what a JS number holds exactly (see avro-long.test.ts).
    -(2 ** 52) - 1, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 53, -(2 ** 53),
    [], {}, [1], { a: 1 }, () => 1, new Date(0), new Uint8Array(3), Buffer.alloc(8), new Map(),
  ]
  // Replace one randomly chosen leaf (or the root) of a valid value with junk.
  const damage = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || rng() < 0.2) {
      return junk[int(rng, junk.length)]
    }
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...(value as unknown[])] : { ...value }
    const keys = Object.keys(copy)
    if (keys.length === 0) return junk[int(rng, junk.length)]
    const key = keys[int(rng, keys.length)]!
    ;(copy as Record<string, unknown>)[key] = damage((copy as Record<string, unknown>)[key])
    return copy
  }
  const codecs = [v1, everything]
  let refused = 0
  for (let i = 0; i < 5000; i++) {
    const codec = codecs[i % codecs.length]!
    const value = damage(codec.type.random())
    try {
      const back = codec.decode(codec.encode(value))
      if (!sameValue(back, value)) t.fail(`${codec.hex}: ${String(value)} came back changed (seed ${SEED}, value ${i})`)
    } catch (err) {
      if (!(err instanceof CodecError) || err.code !== 'INVALID_VALUE') {
        t.fail(`encode threw ${String(err)} (seed ${SEED}, value ${i})`)
      } else {
        refused++
      }
    }
  }
  t.ok(refused > 1000, `${refused} of 5000 damaged values refused, the rest still valid`)
})
