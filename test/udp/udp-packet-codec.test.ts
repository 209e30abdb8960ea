// The wire format: round trips, and every bounds check refusing what does
// not add up (Malformed, never another error).
import t from 'tap'
import { Malformed, Reader, Writer } from '../../core/transports/udp/bytes.js'
import {
  HEADER_SIZE, ITEM_FIRST, ITEM_LAST, ITEM_WHOLE, LINK_FIXED_SIZE, PACKET_LINK, linkBodySize, readHeader, readLinkBody, writeHeader, writeLinkBody,
} from '../../core/transports/udp/packet.js'
import { decodeRecord, encodeRecord, MODE_ANYCAST, R_CONN_CREDIT, R_DATA, R_PUBLISH, R_RETURN, type UdpRecord } from '../../core/transports/udp/records.js'

t.test('header round trip', async t => {
  const w = new Writer(HEADER_SIZE)
  const h = { type: PACKET_LINK, flags: 0, cluster: 7, srcNode: 0xffffffff, srcSession: 3, dstNode: 4, dstSession: 5 }
  writeHeader(w, h)
  t.same(readHeader(new Reader(w.finish())), h)
})

t.test('header: bad magic, version, type, flags, truncation', async t => {
  const w = new Writer(HEADER_SIZE)
  writeHeader(w, { type: PACKET_LINK, flags: 0, cluster: 1, srcNode: 1, srcSession: 1, dstNode: 1, dstSession: 1 })
  const good = w.finish()
  for (const [offset, value, what] of [[0, 0, 'magic'], [2, 9, 'version'], [3, 7, 'type'], [4, 0x80, 'flags']] as const) {
    const b = Buffer.from(good)
    b[offset] = value
    t.throws(() => readHeader(new Reader(b)), Malformed, what)
  }
  for (let n = 0; n < HEADER_SIZE; n++) t.throws(() => readHeader(new Reader(good.subarray(0, n))), Malformed)
})

t.test('link body round trip with fragments', async t => {
  const body = {
    incarnation: 7, peerIncarnation: 0xffffffff, packet: 0x80000001,
    seq: 0xfffffffe, ack: 3, sackHi: 1, sackLo: 0x80000000, flags: 1,
    items: [
      { kind: ITEM_WHOLE, total: 3, bytes: Buffer.from('abc') },
      { kind: ITEM_FIRST, total: 10, bytes: Buffer.from('12345') },
      { kind: ITEM_LAST, total: 5, bytes: Buffer.from('67890') },
    ],
  }
  const w = new Writer(linkBodySize(body.items))
  writeLinkBody(w, body)
  const bytes = w.finish()
  t.equal(bytes.byteLength, linkBodySize(body.items))
  const back = readLinkBody(new Reader(bytes))
  t.same({ ...back, items: back.items.map(i => ({ ...i, bytes: Buffer.from(i.bytes) })) }, body)
  for (let n = 0; n < bytes.byteLength; n++) t.throws(() => readLinkBody(new Reader(bytes.subarray(0, n))), Malformed, `cut at ${n}`)
  const count = Buffer.from(bytes)
  count.writeUInt16BE(0xffff, LINK_FIXED_SIZE - 2)
  t.throws(() => readLinkBody(new Reader(count)), Malformed, 'a count beyond the packet')
  const length = Buffer.from(bytes)
  length.writeUInt32BE(0xffffffff, LINK_FIXED_SIZE + 1)
  t.throws(() => readLinkBody(new Reader(length)), Malformed, 'a length beyond the packet')
  t.throws(() => readLinkBody(new Reader(Buffer.concat([bytes, Buffer.from([0])]))), Malformed, 'trailing bytes')
  const zero = Buffer.from(bytes)
  zero.writeUInt32BE(0, 0)
  t.throws(() => readLinkBody(new Reader(zero)), Malformed, 'incarnation 0 (no link has it)')
})

t.test('records round trip and refuse inconsistencies', async t => {
  const recs: UdpRecord[] = [
    { kind: R_DATA, mode: MODE_ANYCAST, srcRef: 1, dstRef: 2, type: 100, lower: 5, upper: 5, data: Buffer.from('payload') },
    { kind: R_RETURN, code: 'OVERLOAD', hasName: true, byName: false, dstRef: 1, fromRef: 2, type: 100, lower: 1, upper: 9, length: 5000, data: Buffer.alloc(1024, 1) },
    { kind: R_RETURN, code: 'NO_PORT', hasName: true, byName: true, dstRef: 0, fromRef: 2, type: 100, lower: 1, upper: 9, length: 1500, data: Buffer.alloc(1024, 2) },
    { kind: R_PUBLISH, ref: 9, type: 64, lower: 0, upper: 0xffffffff },
    { kind: R_CONN_CREDIT, dstRef: 1, srcRef: 2, count: 64 },
  ]
  for (const r of recs) {
    const back = decodeRecord(encodeRecord(r)) as unknown as Record<string, unknown>
    if ('data' in back) back.data = Buffer.from(back.data as Uint8Array)
    t.same(back, r, `kind ${r.kind}`)
  }
  t.throws(() => decodeRecord(encodeRecord({ kind: R_PUBLISH, ref: 1, type: 63, lower: 0, upper: 0 })), Malformed, 'reserved type')
  t.throws(() => decodeRecord(encodeRecord({ kind: R_PUBLISH, ref: 1, type: 64, lower: 2, upper: 1 })), Malformed, 'lower above upper')
  t.throws(() => decodeRecord(Buffer.from([99])), Malformed, 'unknown kind')
  t.throws(() => decodeRecord(Buffer.alloc(0)), Malformed, 'empty')
  const ret = encodeRecord({ kind: R_RETURN, code: 'NO_PORT', hasName: false, byName: false, dstRef: 1, fromRef: 2, type: 0, lower: 0, upper: 0, length: 1, data: Buffer.alloc(1025) })
  t.throws(() => decodeRecord(ret), Malformed, 'returned data over 1024 bytes')
  // The flags byte (offset 2): by name without a name, and unknown bits, do not parse.
  const flagged = encodeRecord({ kind: R_RETURN, code: 'NO_PORT', hasName: true, byName: true, dstRef: 0, fromRef: 2, type: 100, lower: 1, upper: 9, length: 1, data: Buffer.alloc(1) })
  for (const flags of [2, 4, 0xff]) {
    const bad = Buffer.from(flagged)
    bad[2] = flags
    t.throws(() => decodeRecord(bad), Malformed, `return flags ${flags}`)
  }
})
