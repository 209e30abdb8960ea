// The packed batch format shared with the addon (receive_batch.h), decoded
// without a kernel: the header is built here by hand. Also the accessors,
// copy() and a borrowed batch's release, and the reply destinations built
// from a header.
import t from 'tap'
import { BatchReleasedError, BorrowedBatch, InvalidArgumentError, MessageBatch } from '../../bindings/index.js'
import { fillReplyDestinations } from '../../bindings/reply-destinations.js'

const WORDS = 14
interface Spec {
  data?: number[]
  from?: [number, number]
  flags?: number
  dest?: [number, number, number]
  err?: [number, number]
  ret?: number[]
  member?: [number, number]
}

// `at`: where the batch starts in its buffer (the addon carves batches out
// of shared blocks); offsets in the header count from the buffer's start.
function pack(specs: Spec[], at = 0): ArrayBuffer {
  const header = specs.length * WORDS * 4
  const total = at + header + specs.reduce((n, s) => n + (s.data?.length ?? 0) + (s.ret?.length ?? 0), 0)
  const buffer = new ArrayBuffer(total)
  const meta = new Uint32Array(buffer, at, specs.length * WORDS)
  const bytes = new Uint8Array(buffer)
  bytes.fill(0xee, 0, at) // another batch's bytes
  let offset = at + header
  specs.forEach((s, i) => {
    const m = i * WORDS
    const data = s.data ?? []
    meta[m] = offset
    meta[m + 1] = data.length
    bytes.set(data, offset)
    offset += data.length
    meta[m + 2] = s.from?.[0] ?? 0
    meta[m + 3] = s.from?.[1] ?? 0
    meta[m + 4] = s.flags ?? 0
    ;[meta[m + 5], meta[m + 6], meta[m + 7]] = s.dest ?? [0, 0, 0]
    ;[meta[m + 8], meta[m + 9]] = s.err ?? [0, 0]
    meta[m + 10] = offset
    meta[m + 11] = s.ret?.length ?? 0
    bytes.set(s.ret ?? [], offset)
    offset += s.ret?.length ?? 0
    ;[meta[m + 12], meta[m + 13]] = s.member ?? [0, 0]
  })
  return buffer
}

t.test('data messages: views, source, destination name', async t => {
  const buffer = pack([
    { data: [1, 2, 3], from: [0x1001001, 42], flags: 1, dest: [1000, 5, 5] },
    { data: [9], from: [7, 8] },
  ])
  const batch = new MessageBatch(buffer, 2)
  t.equal(batch.length, 2)
  t.equal(batch.totalBytes, 4)
  t.same(Array.from(batch.data(0)), [1, 2, 3])
  t.equal(batch.data(0).buffer, buffer, 'a view, not a copy')
  t.equal(batch.byteLength(1), 1)
  const [a, b] = [...batch]
  t.same(a!.from, { node: 0x1001001, ref: 42 })
  t.same(a!.dest, { type: 1000, lower: 5, upper: 5 })
  t.equal(b!.dest, undefined, 'no destination name without the flag')
  t.equal(a!.returned, undefined)
  t.notOk(batch.isReturned(0))
})

t.test('returned messages: code, returned bytes, length', async t => {
  const batch = new MessageBatch(pack([
    { flags: 1 | 32, dest: [1000, 1, 1], err: [2, 4], ret: [10, 20, 30, 40] },
    { flags: 32, err: [4, 1] , ret: [5] },
    { flags: 32, err: [99, 0] },
  ]), 3)
  t.ok(batch.isReturned(0))
  t.equal(batch.errorCode(0), 2)
  const m = batch.at(0)
  t.equal(m.data.byteLength, 0)
  t.same(m.returned, { code: 'NO_PORT', data: new Uint8Array([10, 20, 30, 40]), length: 4 })
  t.equal(batch.at(1).returned!.code, 'OVERLOAD')
  t.equal(batch.at(2).returned!.code, 'UNKNOWN_99', 'an unknown code is named, not dropped')
})

t.test('group events: joined and left, with the member name', async t => {
  const batch = new MessageBatch(pack([
    { flags: 2 | 16, member: [5000, 3], from: [1, 2] },
    { flags: 2 | 4 | 16 | 32, err: [2, 0], member: [5000, 3] },
    { data: [1], flags: 16, member: [5000, 1] },
  ]), 3)
  t.equal(batch.at(0).memberEvent, 'joined')
  t.same(batch.at(0).member, { type: 5000, instance: 3 })
  t.equal(batch.at(1).memberEvent, 'left')
  t.equal(batch.at(1).returned, undefined, 'a leave event is not a returned message')
  t.notOk(batch.isReturned(1))
  t.ok(batch.isGroupEvent(1))
  t.equal(batch.at(2).memberEvent, undefined)
  t.same(batch.at(2).member, { type: 5000, instance: 1 })
})

t.test('a batch that starts inside a shared block', async t => {
  const buffer = pack([{ data: [4, 5], from: [1, 2] }, { data: [6], flags: 32, err: [2, 1], ret: [7] }], 64)
  const batch = new MessageBatch(buffer, 2, 64)
  t.same(Array.from(batch.data(0)), [4, 5])
  t.equal(batch.data(0).byteOffset, 64 + 2 * WORDS * 4, 'views point past the header, into the same buffer')
  t.same(batch.at(0).from, { node: 1, ref: 2 })
  t.same(Array.from(batch.at(1).returned!.data), [7])
  t.equal(batch.slice(1).at(0).data[0], 4, 'a slice keeps the offset')
})

t.test('slice and bounds', async t => {
  const batch = new MessageBatch(pack([{ data: [1] }, { data: [2] }, { data: [3] }]), 3)
  const first = batch.slice(2)
  t.equal(first.length, 2)
  t.same([...first].map(m => m.data[0]), [1, 2])
  t.equal(batch.slice(10).length, 3)
  t.throws(() => batch.at(3), RangeError)
  t.throws(() => batch.at(-1), RangeError)
})

t.test('index accessors read the same values as at(i), without an object', async t => {
  const batch = new MessageBatch(pack([
    { data: [0x44, 0x41, 0x54, 0x41, 9, 9], from: [0x1001001, 42], flags: 1, dest: [1000, 5, 7] },
    { data: [1, 2, 3], from: [7, 8] },
    { flags: 32, err: [4, 1], ret: [5], from: [3, 4] },
  ], 16), 3, 16)
  for (let i = 0; i < batch.length; i++) {
    const m = batch.at(i)
    t.equal(batch.sourceNode(i), m.from.node, `sourceNode(${i})`)
    t.equal(batch.sourceRef(i), m.from.ref, `sourceRef(${i})`)
    t.equal(batch.hasDestName(i), m.dest !== undefined, `hasDestName(${i})`)
    t.same([batch.destType(i), batch.destLower(i), batch.destUpper(i)],
      m.dest ? [m.dest.type, m.dest.lower, m.dest.upper] : [0, 0, 0], `dest words of ${i}`)
    t.equal(batch.byteLength(i), m.data.byteLength, `byteLength(${i})`)
    t.equal(batch.dataOffset(i), m.data.byteOffset, `dataOffset(${i})`)
    t.equal(batch.isReturned(i), m.returned !== undefined, `isReturned(${i})`)
  }
  t.equal(batch.buffer, batch.data(0).buffer, 'buffer is the one the views are in')
  t.equal(batch.u32(0, 0), 0x41544144, 'u32 is little-endian')
  t.equal(batch.u32(0, 2), (0x0909 << 16 | 0x4154) >>> 0, 'at any byte offset')
  t.throws(() => batch.u32(0, 3), RangeError, 'not past the payload')
  t.throws(() => batch.u32(1, 0), RangeError, 'a 3-byte message has no u32')
  t.throws(() => batch.sourceNode(3), RangeError, 'index past the batch')
  t.throws(() => batch.byteLength(-1), RangeError)
  t.throws(() => batch.data(3), RangeError, 'data() checks the index too')
})

t.test('copy(): a packed, independent batch with the same messages', async t => {
  const buffer = pack([
    { data: [1, 2, 3], from: [1, 2], flags: 1, dest: [1000, 1, 2] },
    { flags: 32, err: [2, 4], ret: [10, 20, 30, 40], from: [5, 6] },
  ], 32)
  const batch = new MessageBatch(buffer, 2, 32)
  const copy = batch.copy()
  t.not(copy.buffer, buffer, 'a buffer of its own')
  t.equal(copy.buffer.byteLength, 2 * WORDS * 4 + 3 + 4, 'packed: header, payloads and returned data only')
  t.same([...copy], [...batch], 'the same messages')
  new Uint8Array(buffer).fill(0)
  t.same(Array.from(copy.data(0)), [1, 2, 3], 'unchanged when the original memory is overwritten')
  t.same(Array.from(copy.at(1).returned!.data), [10, 20, 30, 40])
})

t.test('a borrowed batch: usable until released, then every accessor throws', async t => {
  const region = pack([{ data: [7, 7], from: [1, 2] }])
  const batch = new BorrowedBatch(region, 1)
  t.ok(batch.valid)
  const kept = batch.copy()
  t.same(Array.from(batch.data(0)), [7, 7])
  batch.release()
  t.notOk(batch.valid)
  for (const [name, use] of [
    ['data', () => batch.data(0)], ['at', () => batch.at(0)], ['byteLength', () => batch.byteLength(0)],
    ['u32', () => batch.u32(0)], ['sourceRef', () => batch.sourceRef(0)], ['copy', () => batch.copy()],
    ['buffer', () => batch.buffer], ['totalBytes', () => batch.totalBytes], ['iterate', () => [...batch]],
    ['slice', () => batch.slice(1)], ['isReturned', () => batch.isReturned(0)],
  ] as const) {
    t.throws(use, { code: 'ERR_TIPC_BATCH_RELEASED', constructor: BatchReleasedError }, `${name} after release`)
  }
  t.same(Array.from(kept.data(0)), [7, 7], 'a copy made before the release lives on')
})

t.test('reply destinations come from the batch header', async t => {
  const batch = new MessageBatch(pack([
    { data: [1], from: [0x1001001, 42] },
    { data: [2], from: [0x1001002, 43] },
    { flags: 32, err: [2, 0], from: [9, 9] },
    { data: [3], from: [0, 0] },
  ]), 4)
  const into = new Uint32Array(8)
  const words = fillReplyDestinations(batch, 2, undefined, into)
  t.equal(words, into, 'the given array when it is large enough')
  t.same(Array.from(words), [3, 0x1001001, 42, 0, 3, 0x1001002, 43, 0], 'socket addresses (kind 3) of messages 0 and 1')
  const picked = fillReplyDestinations(batch, 3, [1, 0, 1], into)
  t.not(picked, into, 'a larger array when it was too short')
  t.same(Array.from(picked.subarray(0, 12)), [3, 0x1001002, 43, 0, 3, 0x1001001, 42, 0, 3, 0x1001002, 43, 0], 'by indices')
  t.throws(() => fillReplyDestinations(batch, 1, [2], into), InvalidArgumentError, 'not to a returned message')
  t.throws(() => fillReplyDestinations(batch, 1, [3], into), InvalidArgumentError, 'not without a source address')
  t.throws(() => fillReplyDestinations(batch, 1, [4], into), RangeError, 'not past the batch')
  t.throws(() => fillReplyDestinations(batch, 2, [0], into), InvalidArgumentError, 'indices shorter than count')
  t.throws(() => fillReplyDestinations(batch, -1, undefined, into), InvalidArgumentError, 'a negative count')
  t.throws(() => fillReplyDestinations(batch, 1.5, undefined, into), InvalidArgumentError, 'a fractional count')
})
