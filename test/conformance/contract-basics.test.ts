// What every transport checks before sending, and its lifecycle: node ids,
// socket addresses, validation errors, the size limit, closing.
import {
  InvalidArgumentError, MessageTooLargeError, ReservedTypeError, SocketClosedError, TransportClosedError,
} from '../../core/transport-contract/errors.js'
import { MAX_MESSAGE_SIZE } from '../../core/transport-contract/limits.js'
import { conformance, uniqueType } from './harness.js'
import { inbox, text } from './wait.js'

conformance('node ids and socket addresses', { nodes: 2 }, async (t, c) => {
  for (const n of c.nodes) t.ok(Number.isInteger(n.node) && n.node > 0 && n.node <= 0xffffffff, `node ${n.node} is a 32-bit id`)
  t.equal(new Set(c.nodes.map(n => n.node)).size, c.nodes.length, 'distinct per node')
  const a = c.node(0).rdm()
  const b = c.node(0).rdm()
  t.equal(a.address.node, c.node(0).node, "a socket's node is its transport's")
  t.not(a.address.ref, b.address.ref, 'refs are distinct')
  t.equal(c.node(0).capabilities.maxMessageSize, MAX_MESSAGE_SIZE)
})

conformance('bad names and addresses are refused before anything is sent', {}, async (t, c) => {
  const type = uniqueType()
  const s = c.node(0).rdm()
  t.throws(() => s.bind({ type: 63, instance: 1 }), ReservedTypeError)
  t.throws(() => s.send({ type: 1, instance: 1 }, text('x')), ReservedTypeError)
  t.throws(() => s.bind({ type, lower: 5, upper: 4 }), InvalidArgumentError)
  t.throws(() => s.bind({ type, instance: -1 }), InvalidArgumentError)
  t.throws(() => s.bind({ type, instance: 2 ** 32 }), InvalidArgumentError)
  t.throws(() => s.bind({ type, instance: 1 }, 'galaxy' as 'node'), InvalidArgumentError)
  t.throws(() => s.send({ node: 1.5, ref: 1 }, text('x')), InvalidArgumentError)
  t.throws(() => c.node(0).subscribe({ type: 2, lower: 0, upper: 1 }, () => {}), ReservedTypeError)
})

conformance('66000 bytes is the limit, checked before any send', {}, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(0).rdm()
  rx.bind({ type, instance: 1 })
  const got = inbox(rx)
  const tx = c.node(0).rdm()
  t.ok(tx.send({ type, instance: 1 }, new Uint8Array(MAX_MESSAGE_SIZE).fill(7)), '66000 bytes go')
  const err = t.throws(() => tx.send({ type, instance: 1 }, new Uint8Array(MAX_MESSAGE_SIZE + 1))) as MessageTooLargeError
  t.type(err, MessageTooLargeError)
  t.equal(err.code, 'ERR_TIPC_MESSAGE_TOO_LARGE')
  t.equal(err.size, 66001)
  t.throws(() => tx.sendBatch({ type, instance: 1 }, [text('ok'), new Uint8Array(70000)]), MessageTooLargeError, 'a batch with one oversized message is refused whole')
  t.equal(tx.sendBatch({ type, instance: 1 }, [text('a'), text('b')]), 2)
  await got.marker('b')
  t.equal(got.data.length, 3, 'the big one, then a and b: nothing of the refused batch')
  t.equal(got.data[0]!.data.byteLength, MAX_MESSAGE_SIZE)
})

conformance('closing: sockets throw SocketClosedError, a closed transport TransportClosedError', {}, async (t, c) => {
  const s = c.node(0).rdm()
  s.close()
  s.close()
  t.equal(s.closed, true)
  t.throws(() => s.send({ node: 1, ref: 1 }, text('x')), SocketClosedError)
  t.throws(() => s.bind({ type: uniqueType(), instance: 1 }), SocketClosedError)
  await t.rejects(s.writable(), SocketClosedError)
  const open = c.node(0).rdm()
  await c.node(0).close()
  t.equal(c.node(0).closed, true)
  t.equal(open.closed, true, "the transport's sockets are closed with it")
  t.throws(() => c.node(0).rdm(), TransportClosedError)
})
