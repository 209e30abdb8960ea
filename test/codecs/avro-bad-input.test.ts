// Hostile bytes: every failure is a CodecError, and none of them makes the
// decoder allocate in proportion to what the bytes declare, or run long.
import t from 'tap'
import { AvroCodec, compileGuard, DEFAULT_DECODE_LIMITS } from '../../codecs/index.js'
import { codecError } from './helpers.js'
import { schemaPath } from './fuzz/targets.js'
import { zigzagVarint } from './fuzz/varint.js'

const zz = zigzagVarint
const bytes = (...parts: Array<number | number[]>) => Uint8Array.from(parts.flat())

const codecOf = (schema: object | string) => AvroCodec.fromSchema(schema as never)
const strings = codecOf({ type: 'array', items: 'string' })
const nulls = codecOf({ type: 'array', items: 'null' })
const map = codecOf({ type: 'map', values: 'long' })

t.test('a count larger than the remaining bytes fails before allocation', async (t) => {
  const heapBefore = process.memoryUsage().heapUsed
  const started = performance.now()
  for (const n of [2 ** 20, 2 ** 31, 2 ** 52, Number.MAX_SAFE_INTEGER]) {
    const err = codecError(() => strings.decode(bytes(zz(n), 0)))
    t.equal(err.code, 'TRUNCATED')
    t.match(err.message, `${n} items of at least 1 bytes declared, 1 bytes remain`)
    t.equal(err.offset, 0)
  }
  t.equal(codecError(() => map.decode(bytes(zz(1e9), 0))).code, 'TRUNCATED', 'map entries: key + value >= 2 bytes each')
  t.ok(performance.now() - started < 100, 'fast')
  t.ok(process.memoryUsage().heapUsed - heapBefore < 16 * 1024 * 1024, 'no large allocation')
})

t.test('lengths: too long is TRUNCATED, negative is MALFORMED', async (t) => {
  const s = codecOf('string')
  t.equal(codecError(() => s.decode(bytes(zz(2 ** 40), 0x41))).code, 'TRUNCATED')
  t.equal(codecError(() => s.decode(bytes(zz(-3)))).code, 'MALFORMED')
  t.equal(codecError(() => codecOf('bytes').decode(bytes(zz(5), 1, 2))).code, 'TRUNCATED')
  t.equal(codecError(() => strings.decode(bytes(zz(-1), zz(-4)))).code, 'MALFORMED', 'negative block size')
  t.equal(codecError(() => strings.decode(bytes(zz(-1), zz(100), 0))).code, 'TRUNCATED', 'block size past the end')
  t.equal(codecError(() => codecOf({ type: 'fixed', name: 'F', size: 16 }).decode(bytes(1, 2, 3))).code, 'TRUNCATED')
  t.equal(codecError(() => codecOf('double').decode(bytes(1, 2, 3))).code, 'TRUNCATED')
})

t.test('items decoded from zero bytes are capped', async (t) => {
  const limit = DEFAULT_DECODE_LIMITS.maxZeroByteItems
  t.equal((nulls.decode(bytes(zz(limit), 0)) as unknown[]).length, limit)
  const err = codecError(() => nulls.decode(bytes(zz(1e15), 0)))
  t.equal(err.code, 'LIMIT_EXCEEDED')
  t.match(err.message, `more than ${limit} items encoded in zero bytes`)
  const empty = codecOf({ type: 'array', items: { type: 'record', name: 'E', fields: [{ name: 'n', type: 'null' }] } })
  t.equal(codecError(() => empty.decode(bytes(zz(limit), zz(1), 0))).code, 'LIMIT_EXCEEDED', 'summed over blocks')
  const roomy = AvroCodec.fromSchema({ type: 'array', items: 'null' }, { limits: { maxZeroByteItems: 10_000 } })
  t.equal((roomy.decode(bytes(zz(10_000), 0)) as unknown[]).length, 10_000, 'the limit is configurable')
})

t.test('nesting deeper than maxDepth is LIMIT_EXCEEDED, not a stack overflow', async (t) => {
  const list = codecOf({
    type: 'record', name: 'Cell',
    fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'Cell'] }],
  })
  const chain = (depth: number) => {
    const out: number[] = []
    for (let i = 0; i < depth; i++) out.push(0, i + 1 < depth ? 2 : 0)
    return Uint8Array.from(out)
  }
  t.ok(list.decode(chain(500)))
  t.equal(codecError(() => list.decode(chain(600))).code, 'LIMIT_EXCEEDED')
  t.equal(codecError(() => list.decode(chain(60_000))).code, 'LIMIT_EXCEEDED', '60k levels in 120 kB')
  const nested = codecOf({ type: 'array', items: { type: 'array', items: { type: 'array', items: 'int' } } })
  const shallow = AvroCodec.fromSchema(nested.schema as never, { limits: { maxDepth: 2 } })
  t.same(nested.decode(bytes(2, 2, 2, 2, 0, 0, 0)), [[[1]]])
  t.equal(codecError(() => shallow.decode(bytes(2, 2, 2, 2, 0, 0, 0))).code, 'LIMIT_EXCEEDED', 'three arrays deep, two allowed')
  t.same(shallow.decode(bytes(2, 0, 0)), [[]], 'two deep is fine')
})

t.test('indices, booleans, varints and numbers out of range are MALFORMED', async (t) => {
  const e = codecOf({ type: 'enum', name: 'E', symbols: ['A', 'B'] })
  t.match(codecError(() => e.decode(bytes(zz(2)))).message, 'enum index 2 not in [0, 2)')
  t.equal(codecError(() => e.decode(bytes(zz(-1)))).code, 'MALFORMED')
  const u = codecOf(['null', 'int'])
  t.match(codecError(() => u.decode(bytes(zz(2)))).message, 'union index 2 not in [0, 2)')
  t.match(codecError(() => codecOf('boolean').decode(bytes(2))).message, 'boolean byte is 2')
  const long = codecOf('long')
  // Longs are read exactly over the safe integers; beyond, a number cannot
  // hold them, so they are refused up front rather than rounded.
  t.equal(long.decode(bytes(zz(2 ** 53 - 1))), 2 ** 53 - 1)
  t.equal(long.decode(bytes(zz(-(2 ** 53) + 1))), -(2 ** 53) + 1)
  t.equal(long.decode(bytes(zz(-(2 ** 52) - 1))), -(2 ** 52) - 1)
  const tooBig = codecError(() => long.decode(bytes(zz(2n ** 53n))))
  t.match(tooBig.message, 'outside ±(2^53 - 1)')
  t.equal(tooBig.code, 'MALFORMED')
  t.equal(codecError(() => long.decode(bytes(zz(-(2n ** 53n))))).code, 'MALFORMED')
  t.equal(codecError(() => long.decode(bytes(zz(-(2n ** 63n))))).code, 'MALFORMED')
  t.match(codecError(() => long.decode(bytes(new Array(10).fill(0xff), 1))).message, 'varint longer than 10 bytes')
  t.equal(codecError(() => long.decode(bytes(0x80, 0x80))).code, 'TRUNCATED', 'input ends inside a varint')
  t.equal(long.decode(bytes(0x80, 0x00)), 0, 'an over-long encoding of 0 is still 0')
  const int = codecOf('int')
  t.equal(int.decode(bytes(zz(-(2 ** 31)))), -(2 ** 31))
  t.match(codecError(() => int.decode(bytes(zz(2 ** 31)))).message, 'int out of 32-bit range')
})

t.test('strings must be UTF-8; map keys too', async (t) => {
  const s = codecOf('string')
  t.equal(s.decode(bytes(zz(4), 0xf0, 0x9f, 0x98, 0x80)), '😀')
  t.match(codecError(() => s.decode(bytes(zz(2), 0xc3, 0x28))).message, 'string is not valid UTF-8')
  t.equal(codecError(() => s.decode(bytes(zz(1), 0xff))).code, 'MALFORMED')
  t.equal(codecError(() => map.decode(bytes(zz(1), zz(1), 0x80, 0, 0))).code, 'MALFORMED')
})

t.test('empty input, leftovers and non-Buffer views', async (t) => {
  const order = AvroCodec.fromFile(schemaPath('order-event-v1'))
  t.equal(codecError(() => order.decode(new Uint8Array(0))).code, 'TRUNCATED')
  t.equal(codecError(() => codecOf('null').decode(bytes(0))).code, 'TRAILING_DATA')
  t.equal(codecOf('null').decode(new Uint8Array(0)), null)
  const backing = new Uint8Array([9, 9, ...zz(21), 9])
  t.equal(codecOf('int').decode(backing.subarray(2, 3)), 21, 'a view at an offset, not a Buffer')
})

t.test('compileGuard is usable on its own', async (t) => {
  const guard = compileGuard(codecOf('string').type, DEFAULT_DECODE_LIMITS, 'mine')
  t.doesNotThrow(() => guard(bytes(zz(1), 0x41)))
  t.equal(codecError(() => guard(bytes(zz(2), 0x41))).codec, 'mine')
})
