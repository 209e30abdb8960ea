// splitPayload: views of the payload, the first room then equal rooms, only
// the last short; checkPayloadSize refuses a payload over maxMessageBytes.
import t from 'tap'
import { MessageTooLargeError } from '../../core/transport-contract/index.js'
import {
  DEFAULT_MAX_MESSAGE_BYTES, checkPayloadSize, chunkCount, splitPayload,
} from '../../core/pubsub/chunking.js'

const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff)

t.test('a payload that fits the first room is one piece: the payload itself', async (t) => {
  const p = bytes(100)
  const pieces = splitPayload(p, 100, 10)
  t.equal(pieces.length, 1)
  t.equal(pieces[0], p)
  t.same(splitPayload(new Uint8Array(0), 5, 5).map((x) => x.length), [0])
  t.equal(chunkCount(100, 100, 10), 1)
})

t.test('one byte over the first room makes two chunks; exact multiples leave no empty chunk', async (t) => {
  t.same(splitPayload(bytes(101), 100, 10).map((x) => x.length), [100, 1])
  t.same(splitPayload(bytes(130), 100, 10).map((x) => x.length), [100, 10, 10, 10])
  t.same(splitPayload(bytes(131), 100, 10).map((x) => x.length), [100, 10, 10, 10, 1])
  t.equal(chunkCount(130, 100, 10), 4)
  t.equal(chunkCount(131, 100, 10), 5)
  // A smaller first room (a longer first envelope) is honoured too.
  t.same(splitPayload(bytes(25), 5, 10).map((x) => x.length), [5, 10, 10])
})

t.test('pieces are views of the payload, in order, covering it exactly', async (t) => {
  const p = bytes(65_500 + 65_000 * 2 + 17)
  const pieces = splitPayload(p, 65_500, 65_000)
  t.equal(pieces.length, 4)
  let offset = 0
  for (const piece of pieces) {
    t.equal(piece.buffer, p.buffer, 'no copy')
    t.equal(piece.byteOffset, p.byteOffset + offset)
    offset += piece.length
  }
  t.equal(offset, p.length)
  p[65_500] = 0xaa
  t.equal(pieces[1]?.[0], 0xaa, 'a view sees the payload change')
})

t.test('rooms and lengths are checked', async (t) => {
  for (const room of [0, -1, 1.5, Number.NaN]) {
    t.throws(() => splitPayload(bytes(3), room, 1), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
    t.throws(() => splitPayload(bytes(3), 1, room), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  }
  t.throws(() => chunkCount(-1, 1, 1), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
})

t.test('checkPayloadSize: up to maxMessageBytes passes, above is MessageTooLargeError', async (t) => {
  t.equal(DEFAULT_MAX_MESSAGE_BYTES, 16 * 1024 * 1024)
  checkPayloadSize(DEFAULT_MAX_MESSAGE_BYTES)
  checkPayloadSize(10, 10)
  const err = t.throws(() => checkPayloadSize(DEFAULT_MAX_MESSAGE_BYTES + 1)) as MessageTooLargeError
  t.ok(err instanceof MessageTooLargeError)
  t.equal(err.code, 'ERR_TIPC_MESSAGE_TOO_LARGE')
  t.equal(err.size, DEFAULT_MAX_MESSAGE_BYTES + 1)
  t.equal(err.limit, DEFAULT_MAX_MESSAGE_BYTES)
  t.throws(() => checkPayloadSize(11, 10), { code: 'ERR_TIPC_MESSAGE_TOO_LARGE', message: 'message of 11 bytes exceeds the limit of 10 bytes' })
})
