// What the kernel refuses, and how it reaches the caller: a typed error,
// thrown synchronously, with the address involved; the socket stays usable.
import t from 'tap'
import {
  DatagramSocket, InvalidArgumentError, MessageTooLargeError, NoRouteError, ReservedTypeError, SocketClosedError,
} from '../../bindings/index.js'
import { kernelSkip, str, text, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

t.test('anycast to an unbound name: NoRouteError, nothing returned later', { skip }, async t => {
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  const err = t.throws(() => tx.sendto({ type: TYPE, instance: 1 }, text('x'))) as NoRouteError
  t.type(err, NoRouteError)
  t.equal(err.code, 'EHOSTUNREACH')
  t.equal(err.errno, 113)
  t.equal(err.syscall, 'sendto')
  t.same(err.address, { type: TYPE, instance: 1 }, 'the error names the address')
  t.equal(tx.recvfrom(), null, 'no returned message follows')
})

t.test('multicast to an empty range: NoRouteError', { skip }, async t => {
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  t.throws(() => tx.mcast({ type: TYPE, lower: 0, upper: 100 }, text('x')), NoRouteError)
})

t.test('batch send to an unbound name fails before anything is sent', { skip }, async t => {
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  const err = t.throws(() => tx.sendBatch({ type: TYPE, instance: 1 }, [text('a'), text('b')])) as NoRouteError & { sent: number }
  t.type(err, NoRouteError)
  t.equal(err.sent, 0)
})

t.test('per-message destinations: a failure midway reports how many were sent', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE + 1, instance: 1 })
  const ok = { type: TYPE + 1, instance: 1 }
  const bad = { type: TYPE + 1, instance: 2 }
  const err = t.throws(() => tx.sendBatch([ok, ok, bad, ok], [text('1'), text('2'), text('3'), text('4')])) as unknown as { sent: number; code: string }
  t.equal(err.code, 'EHOSTUNREACH')
  t.equal(err.sent, 2, 'the first two went out')
  const got = await until(() => rx.recvfrom() ?? undefined)
  t.same([...got].map(m => str(m.data)), ['1', '2'])
})

t.test('66000 bytes is the limit, checked before the syscall', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE + 2, instance: 1 })
  t.ok(tx.sendto({ type: TYPE + 2, instance: 1 }, new Uint8Array(66000).fill(7)), '66000 bytes go')
  const err = t.throws(() => tx.sendto({ type: TYPE + 2, instance: 1 }, new Uint8Array(66001))) as MessageTooLargeError
  t.type(err, MessageTooLargeError)
  t.equal(err.code, 'ERR_TIPC_MESSAGE_TOO_LARGE')
  t.equal(err.size, 66001)
  t.throws(() => tx.sendBatch({ type: TYPE + 2, instance: 1 }, [text('ok'), new Uint8Array(70000)]), MessageTooLargeError,
    'a batch with one oversized message is refused whole')
  const got = await until(() => rx.recvfrom() ?? undefined)
  t.equal(got.length, 1, 'only the 66000-byte message arrived')
  t.equal(got.byteLength(0), 66000)
  t.ok(got.data(0).every(b => b === 7), 'intact')
})

t.test('reserved types and malformed addresses are refused before the syscall', { skip }, async t => {
  const s = DatagramSocket.open()
  t.teardown(() => s.close())
  t.throws(() => s.bind({ type: 63, instance: 1 }), ReservedTypeError)
  t.throws(() => s.sendto({ type: 1, instance: 1 }, text('x')), ReservedTypeError)
  t.throws(() => s.bind({ type: TYPE, lower: 5, upper: 4 }), InvalidArgumentError)
  t.throws(() => s.bind({ type: TYPE, instance: -1 }), InvalidArgumentError)
  t.throws(() => s.bind({ type: TYPE, instance: 1 }, 'galaxy' as 'node'), InvalidArgumentError)
  t.throws(() => s.sendto({ node: 1.5, ref: 1 }, text('x')), InvalidArgumentError)
})

t.test('a closed socket throws SocketClosedError; close is idempotent', { skip }, async t => {
  const s = DatagramSocket.open()
  s.close()
  s.close()
  t.equal(s.closed, true)
  t.equal(s.fd, -1)
  t.throws(() => s.sendto({ node: 1, ref: 1 }, text('x')), SocketClosedError)
  t.throws(() => s.address(), SocketClosedError)
  await t.rejects(s.writable(), SocketClosedError)
})
