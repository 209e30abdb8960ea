// The JSON codec: UTF-8 JSON text, clear errors for what is not JSON.
import t from 'tap'
import { JSON_CODEC_ID, RAW_CODEC_ID, jsonCodec } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const json = jsonCodec()

t.test('round trip and identity', async (t) => {
  const value = { a: [1, 'two', null, true], b: { 'ü': 'é😀' } }
  t.same(json.decode(json.encode(value)), value)
  t.equal(Buffer.from(json.encode(value)).toString(), JSON.stringify(value))
  t.equal(json.kind, 'json')
  t.equal(json.id, JSON_CODEC_ID)
  t.equal(json.id.length, 8)
  t.not(Buffer.from(JSON_CODEC_ID).toString('hex'), Buffer.from(RAW_CODEC_ID).toString('hex'))
  t.same(json.decode(json.encode(1), JSON_CODEC_ID), 1)
})

t.test('invalid JSON is MALFORMED with the parser\'s reason', async (t) => {
  const err = codecError(() => json.decode(Buffer.from('{"a":1,}')))
  t.equal(err.code, 'MALFORMED')
  t.match(err.message, /^invalid JSON: .*position 7/)
  t.type(err.cause, SyntaxError)
  t.equal(codecError(() => json.decode(new Uint8Array(0))).code, 'MALFORMED')
})

t.test('invalid UTF-8 is MALFORMED, not silently replaced', async (t) => {
  t.match(codecError(() => json.decode(Uint8Array.of(0x22, 0xc3, 0x28, 0x22))).message, 'not valid UTF-8')
})

t.test('a byte order mark is ignored', async (t) => {
  t.same(json.decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x5b, 0x5d)), [])
})

t.test('values JSON cannot hold are INVALID_VALUE', async (t) => {
  for (const value of [undefined, () => 1, Symbol('s')]) {
    t.equal(codecError(() => json.encode(value)).code, 'INVALID_VALUE', String(value))
  }
  const big = codecError(() => json.encode({ n: 1n }))
  t.match(big.message, /BigInt/)
  const cycle: Record<string, unknown> = {}
  cycle['self'] = cycle
  t.equal(codecError(() => json.encode(cycle)).code, 'INVALID_VALUE')
})

t.test('deep nesting parses (JSON.parse is not recursive)', async (t) => {
  const depth = 100_000
  t.ok(json.decode(Buffer.from('['.repeat(depth) + ']'.repeat(depth))))
})

t.test('another codec\'s id is UNKNOWN_SCHEMA', async (t) => {
  t.equal(codecError(() => json.decode(Buffer.from('1'), RAW_CODEC_ID)).code, 'UNKNOWN_SCHEMA')
})
