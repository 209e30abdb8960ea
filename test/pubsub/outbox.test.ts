// The outbox: sends go out in the order they were asked for through any
// number of congestions, however long the queue gets, and a send that fails
// at once goes to its own failure callback; a borrowed envelope it queues is
// copied.
import t from 'tap'
import { borrowedEnvelopeSpace, MAX_SLAB_SLICE } from '../../core/pubsub/envelope-slab.js'
import { Outbox } from '../../core/pubsub/outbox.js'
import { NoRouteError, type Destination, type RdmSocket } from '../../core/transport-contract/index.js'

/** A socket that takes `room` messages, then refuses until writable() is answered with more room. */
function congestedSocket(room: number): { socket: RdmSocket; taken: number[]; bytes: Uint8Array[]; open(n: number): void; waits: () => number } {
  const taken: number[] = []
  /** What each send carried, copied when the socket took it. */
  const bytes: Uint8Array[] = []
  let waits = 0
  let wake: (() => void) | undefined
  const socket = {
    send(_dest: Destination, data: Uint8Array): boolean {
      if (room === 0) return false
      room--
      taken.push(new DataView(data.buffer, data.byteOffset).getUint32(0, true))
      bytes.push(data.slice())
      return true
    },
    writable(): Promise<void> {
      waits++
      return new Promise<void>(resolve => { wake = resolve })
    },
  } as unknown as RdmSocket
  return {
    socket, taken, bytes, waits: () => waits,
    open(n) {
      room += n
      const w = wake
      wake = undefined
      w?.()
    },
  }
}

const dest = { node: 1, ref: 1 }
const numbered = (i: number): Uint8Array => new Uint8Array(new Uint32Array([i]).buffer)
const settle = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

t.test('a long queue drains in order through many congestions', async t => {
  const s = congestedSocket(10)
  const outbox = new Outbox(s.socket)
  const n = 50_000
  for (let i = 0; i < n; i++) outbox.send(dest, numbered(i))
  t.equal(s.taken.length, 10, 'the socket took what it had room for')
  t.equal(outbox.length, n - 10, 'the rest waits')
  // Room in uneven steps, so the queue is cut (taken prefix dropped) at many points.
  for (let step = 1; outbox.length > 0; step++) {
    s.open(step * 37)
    await settle()
  }
  t.equal(s.taken.length, n, 'everything went')
  t.ok(s.taken.every((v, i) => v === i), 'in the order it was asked for')
  t.ok(outbox.stalls > 10, 'through many congestions')
  outbox.send(dest, numbered(n))
  s.open(1)
  await settle()
  t.equal(s.taken.at(-1), n, 'an emptied outbox sends again')
  t.equal(outbox.length, 0)
})

t.test('a send that fails at once goes to its own callback, and the queue goes on', async t => {
  const s = congestedSocket(0)
  let refuse = true
  const socket = Object.assign(Object.create(s.socket) as RdmSocket, {
    send: (d: Destination, data: Uint8Array) => {
      if (refuse && new DataView(data.buffer, data.byteOffset).getUint32(0, true) === 1) throw new NoRouteError(dest)
      return s.socket.send(d, data)
    },
  })
  const outbox = new Outbox(socket)
  const failed: number[] = []
  for (let i = 0; i < 3; i++) outbox.send(dest, numbered(i), () => failed.push(i))
  s.open(10)
  await settle()
  refuse = false
  t.same(s.taken, [0, 2])
  t.same(failed, [1])
  t.equal(outbox.length, 0)
})

t.test('close drops what is queued', async t => {
  const s = congestedSocket(0)
  const outbox = new Outbox(s.socket)
  for (let i = 0; i < 3000; i++) outbox.send(dest, numbered(i))
  outbox.close()
  t.equal(outbox.length, 0)
  s.open(10)
  await settle()
  t.same(s.taken, [], 'nothing after close')
  outbox.send(dest, numbered(1))
  t.same(s.taken, [], 'a send after close is ignored')
})

// A publisher's large copy is written into one borrowed buffer that the next
// copy writes over (envelope-slab.ts): what the outbox queues must be its own.
t.test('a borrowed envelope it queues is copied: each goes out as it was', async t => {
  const s = congestedSocket(0)
  const outbox = new Outbox(s.socket)
  const expected: Uint8Array[] = []
  for (let seq = 1; seq <= 3; seq++) {
    const { bytes, base } = borrowedEnvelopeSpace(MAX_SLAB_SLICE + 100)
    const envelope = bytes.subarray(base, base + MAX_SLAB_SLICE + 100).fill(seq)
    expected.push(envelope.slice())
    t.equal(outbox.send(dest, envelope), false, 'congested: queued')
  }
  s.open(3)
  await settle()
  t.equal(s.bytes.length, 3)
  t.same(s.bytes.map(b => Buffer.from(b)), expected.map(b => Buffer.from(b)), 'each queued copy as it was encoded, not the last one three times')
})
