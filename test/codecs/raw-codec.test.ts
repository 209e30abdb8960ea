// The raw codec: bytes in, the same bytes out, no copy.
import t from 'tap'
import { JSON_CODEC_ID, RAW_CODEC_ID, rawCodec } from '../../codecs/index.js'
import { codecError } from './helpers.js'

const raw = rawCodec()

t.test('bytes pass through unchanged and uncopied', async (t) => {
  const bytes = Uint8Array.of(0, 1, 255)
  t.equal(raw.encode(bytes), bytes)
  t.equal(raw.decode(bytes), bytes)
  t.equal(raw.decode(bytes, RAW_CODEC_ID), bytes)
  const buf = Buffer.from('abc')
  t.equal(raw.encode(buf), buf, 'a Buffer is a Uint8Array')
  t.equal(raw.kind, 'raw')
})

t.test('anything but bytes is INVALID_VALUE', async (t) => {
  for (const [value, what] of [['abc', 'string'], [null, 'null'], [[1, 2], 'Array'], [new ArrayBuffer(2), 'ArrayBuffer'], [Object.create(null), 'an object']] as const) {
    const err = codecError(() => raw.encode(value as never))
    t.equal(err.code, 'INVALID_VALUE')
    t.match(err.message, `not ${what}`)
  }
})

t.test('another codec\'s id is UNKNOWN_SCHEMA', async (t) => {
  t.equal(codecError(() => raw.decode(new Uint8Array(1), JSON_CODEC_ID)).code, 'UNKNOWN_SCHEMA')
})
