// The packed batch format shared with the addon (receive_batch.h), decoded
// without a kernel: the header is built here by hand.
import t from 'tap'
import { MessageBatch } from '../../bindings/index.js'

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
