// The sender's record memory (record-pool.ts): a large data record's bytes
// are written over only once every link holding it has it acked and the
// socket holds no packet. Alone, on a lossy link (retransmissions must send
// the same bytes while the pool reuses memory), on a link that closes, as
// the tag that goes back NO_NODE, and through the public API (the
// application overwrites its buffer after every send).
import { randomInt } from 'node:crypto'
import t from 'tap'
import { MODE_UNICAST } from '../../core/transports/shared/rdm-data.js'
import { decodeData } from '../../core/transports/udp/data-record.js'
import { Outbound } from '../../core/transports/udp/outbound.js'
import type { Peers } from '../../core/transports/udp/peers.js'
import { CHUNK_SIZE, POOLED_MIN, RecordPool } from '../../core/transports/udp/record-pool.js'
import type { RecordChunkStats } from '../../core/transports/udp/stats.js'
import { openUdpCluster } from '../conformance/clusters/udp.js'
import { bindingsVisible, until } from '../conformance/wait.js'
import { lossyPair, testConfig } from './lossy-wire.js'

const RECORD = 60 * 1024
/** Records of RECORD bytes that fit one chunk. */
const PER_CHUNK = Math.floor(CHUNK_SIZE / RECORD)

function newPool(quiet: () => boolean = () => true) {
  const stats: RecordChunkStats = { allocated: 0, reused: 0 }
  return { pool: new RecordPool(quiet, stats), stats }
}

/** A record whose every byte depends on `i`: a wrong byte anywhere shows. */
function fill(b: Uint8Array, i: number): void {
  for (let j = 0; j < b.byteLength; j++) b[j] = (i * 131 + j * 7) & 0xff
  Buffer.from(b.buffer, b.byteOffset, 4).writeUInt32BE(i, 0)
}

function intact(b: Uint8Array, i: number): boolean {
  const expect = new Uint8Array(b.byteLength)
  fill(expect, i)
  return Buffer.compare(Buffer.from(b.buffer, b.byteOffset, b.byteLength), expect) === 0
}

t.test('small and oversized records are fresh buffers with no lease', async t => {
  const { pool, stats } = newPool()
  const small = pool.take(POOLED_MIN - 1)
  t.equal(small.byteLength, POOLED_MIN - 1)
  t.equal(pool.lease, undefined, 'no lease for a small record')
  pool.take(CHUNK_SIZE + 1)
  t.equal(pool.lease, undefined, 'no lease for a record larger than a chunk')
  t.same(stats, { allocated: 0, reused: 0 }, 'no chunk involved')
})

t.test('small records share slabs, never overlap, and a full slab is left as it is for a new one', async t => {
  const { pool } = newPool()
  const records: Uint8Array[] = []
  let leased = 0
  // 64 KiB slabs: 2,000 records of 86 bytes (a 64 B message's record) span several.
  for (let i = 0; i < 2000; i++) {
    const r = pool.take(86)
    if (pool.lease !== undefined) leased++
    fill(r, i)
    records.push(r)
  }
  t.equal(leased, 0, 'no lease for small records')
  t.ok(records.every((r, i) => intact(r, i)), 'every record as it was written: none overlaps another')
  const slabs = new Set(records.map(r => r.buffer))
  t.ok(slabs.size >= 2 && slabs.size < 20, `${slabs.size} slabs for 2,000 records`)
  t.ok(records.every(r => r.byteOffset % 8 === 0), '8-byte aligned')
})

/** Carve `n` records that stay held (as by links that have not had them acked): their chunks cannot come back. */
function carveHeld(pool: RecordPool, n: number): Set<ArrayBufferLike> {
  const chunks = new Set<ArrayBufferLike>()
  for (let i = 0; i < n; i++) {
    chunks.add(pool.take(RECORD).buffer)
    pool.lease!.hold()
  }
  return chunks
}

t.test('a chunk is written over only when every lease came back and the socket is quiet', async t => {
  let quiet = false
  const { pool, stats } = newPool(() => quiet)
  const first = pool.take(RECORD)
  const lease = pool.lease!
  lease.hold()
  for (let i = 1; i < PER_CHUNK; i++) pool.take(RECORD)
  for (let i = 0; i < PER_CHUNK; i++) pool.take(RECORD) // a second chunk: nobody holds its records
  pool.take(RECORD)
  t.same(stats, { allocated: 3, reused: 0 }, 'the second chunk is retired, but not reused while the socket holds packets')
  quiet = true
  t.notOk(carveHeld(pool, 3 * PER_CHUNK).has(first.buffer), 'quiet, but a lease is out: never handed out again')
  t.ok(stats.reused > 0, `chunks whose records nobody holds were reused (${stats.reused})`)
  lease.release()
  t.ok(carveHeld(pool, 2 * PER_CHUNK).has(first.buffer), 'the first chunk came back once its lease did')
})

t.test('a record held by two links comes back only when both released it', async t => {
  const { pool } = newPool()
  const rec = pool.take(RECORD)
  const lease = pool.lease!
  lease.hold()
  lease.hold()
  for (let i = 1; i < PER_CHUNK; i++) pool.take(RECORD) // the rest of its chunk, held by nobody
  lease.release()
  t.notOk(carveHeld(pool, 2 * PER_CHUNK).has(rec.buffer), 'one lease still out: never handed out again')
  lease.release()
  t.ok(carveHeld(pool, 2 * PER_CHUNK).has(rec.buffer), 'both back: reused')
})

t.test('10% loss with pooled records: every record arrives intact although memory is reused', async t => {
  const config = testConfig({ itemSpace: 16000, flightBytes: 8 * 16000, linkWindowBytes: 4 << 20 })
  const pair = lossyPair(5, { drop: 0.1 }, config)
  t.teardown(pair.close)
  const { pool, stats } = newPool()
  const total = 400
  let sent = 0
  while (sent < total) {
    if (pair.a.link.full(1)) {
      pair.a.link.stall()
      const before = pair.a.drained
      await until(() => pair.a.drained > before || undefined, 'drained', 20000)
      continue
    }
    const rec = pool.take(RECORD)
    fill(rec, sent)
    pair.a.link.enqueue(rec, sent, 1, pool.lease)
    sent++
    if (sent % 8 === 0) await new Promise(r => setImmediate(r))
  }
  await until(() => pair.b.delivered.length >= total || undefined, `${total} records`, 30000)
  t.equal(pair.b.delivered.length, total, 'each record once')
  t.ok(pair.b.delivered.every((r, i) => intact(r, i)), 'every byte as written (retransmissions sent the same bytes)')
  t.ok(pair.counts.dropped > 0 && pair.a.link.stats.retransmits > 0, `${pair.counts.dropped} dropped, ${pair.a.link.stats.retransmits} retransmitted`)
  t.ok(stats.reused > 0, `chunks reused ${stats.reused} times, ${stats.allocated} allocated`)
  t.ok(stats.allocated < total / PER_CHUNK, 'fewer chunks than a fresh one per chunk of records')
})

t.test('a link that closes with records unacked keeps their leases: the chunk is left to the GC', async t => {
  const pair = lossyPair(6, { drop: 1 }, testConfig({ itemSpace: 16000 }))
  const { pool, stats } = newPool()
  const first = pool.take(RECORD)
  pair.a.link.enqueue(first, 0, 1, pool.lease)
  for (let i = 1; i < PER_CHUNK; i++) pair.a.link.enqueue(pool.take(RECORD), i, 1, pool.lease)
  pool.take(RECORD) // the first chunk is full now, its records unacked (every packet is dropped)
  t.same(pair.a.link.close().length, PER_CHUNK, 'every record comes back as lost')
  pair.close()
  t.notOk(carveHeld(pool, 3 * PER_CHUNK).has(first.buffer), 'never written over: a lost record\'s tag may still view it')
  t.equal(stats.reused, 0)
})

t.test('what goes back NO_NODE is decoded from the record as sent, not from the caller\'s buffer', async t => {
  const sent: Array<{ node: number; record: Uint8Array; data: boolean; lease: unknown }> = []
  const peers = { send: (node: number, record: Uint8Array, data = false, lease?: unknown) => { sent.push({ node, record, data, lease }) } }
  const { pool } = newPool()
  const out = new Outbound(1, peers as unknown as Peers, pool, () => undefined)
  const data = new Uint8Array(RECORD)
  fill(data, 3)
  out.transmit({ mode: MODE_UNICAST, srcRef: 5, dstRef: 6, type: 0, lower: 0, upper: 0, data }, [2, 3])
  data.fill(0xee) // the caller reuses its buffer at once
  t.same(sent.map(s => s.node), [2, 3], 'one record for both links')
  t.equal(sent[0]!.record, sent[1]!.record, 'encoded once')
  t.ok(sent[0]!.lease !== undefined && sent[0]!.lease === sent[1]!.lease, 'with one lease for both links to hold')
  t.ok(sent.every(s => s.data), 'sent as data records: the links keep them for NO_NODE returns')
  const lost = decodeData(sent[0]!.record)
  t.ok(intact(lost.data, 3), 'a lost record decodes to the payload as sent')
  t.same([lost.srcRef, lost.dstRef], [5, 6])
})

t.test('udp transport: 60 KiB messages from one buffer the application overwrites after every send', async t => {
  const [a, b] = await openUdpCluster(2)
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const type = 0x5200_0000 + randomInt(0, 0xffffff)
  const rx = b!.rdm()
  rx.bind({ type, lower: 1, upper: 1 })
  const got: Uint8Array[] = []
  rx.onMessages(batch => { for (const m of batch) got.push(m.data) })
  await bindingsVisible(a!, { type, lower: 1, upper: 1 }, 1)
  const tx = a!.rdm()
  const buffer = new Uint8Array(RECORD)
  const total = 300
  for (let i = 0; i < total;) {
    fill(buffer, i)
    if (tx.send({ type, instance: 1 }, buffer)) {
      // The transport copied it: the next message is written over the same buffer at once.
      buffer.fill(0xee)
      i++
    } else {
      await tx.writable()
    }
    if (i % 16 === 0) await new Promise(r => setImmediate(r))
  }
  await until(() => got.length >= total || undefined, `${total} messages`, 30000)
  t.equal(got.length, total, 'every message')
  t.ok(got.every((d, i) => intact(d, i)), 'each as it was when sent')
  const chunks = a!.stats().node.recordChunks
  t.ok(chunks.reused > 0, `the sender reused record memory (${chunks.reused} reuses, ${chunks.allocated} chunks allocated)`)
})
