// The tipc transport's view of the binding's errors: the classes the two
// layers share pass through as the same object (errno, syscall, address and
// cause intact); the failures the contract names differently are translated
// with the binding's error as cause; no address is ever made up.
import t from 'tap'
import {
  ConnectionResetError, InvalidArgumentError, MessageTooLargeError, NoRouteError, PeerLostError, ReservedTypeError,
  SocketClosedError, TipcSystemError, TipcUnavailableError, type TipcRxError,
} from '../../bindings/index.js'
import { fromNative } from '../../bindings/errors.js'
import {
  ConnectTimeoutError, ConnectionRefusedError, DEFAULT_CONNECT_TIMEOUT_MS, TransportUnavailableError,
} from '../../core/index.js'
import { fromBinding, fromBindingConnect, mapped } from '../../core/transports/tipc/errors.js'

function nativeError(code: string, errno: number, syscall: string) {
  return Object.assign(new Error(`${syscall} ${code}: text`), { code, errno, syscall })
}

t.test('shared classes pass through unchanged: the same object, its cause chain intact', async t => {
  const noRoute = fromNative(nativeError('EHOSTUNREACH', 113, 'sendto'), { type: 1000, instance: 4 })
  const passing = [
    noRoute,
    new SocketClosedError({ cause: new Error('closed in C++') }),
    new MessageTooLargeError(70000, 66000),
    new ReservedTypeError(10),
    new InvalidArgumentError('bad scope'),
    new PeerLostError('NO_NODE'),
    fromNative(nativeError('EADDRINUSE', 98, 'bind'), { type: 1000, lower: 0, upper: 9 }),
  ]
  for (const err of passing) t.equal(fromBinding(err), err, `${err.name} (${(err as TipcRxError).code})`)
  t.match(noRoute, { code: 'EHOSTUNREACH', errno: 113, syscall: 'sendto', address: { type: 1000, instance: 4 } })
  t.equal((noRoute.cause as Error).message, 'sendto EHOSTUNREACH: text', 'the native error is still the cause')
})

t.test('no invented address: a NoRouteError without one stays without one', async t => {
  const err = fromBinding(fromNative(nativeError('EHOSTUNREACH', 113, 'sendmmsg'))) as NoRouteError
  t.type(err, NoRouteError)
  t.notOk('address' in err)
  t.equal(err.message, 'nothing is bound to the destination')
})

t.test("ECONNRESET on a connection: the contract's PeerLostError('RESET'), the binding's error as cause", async t => {
  const reset = fromNative(nativeError('ECONNRESET', 104, 'recvmmsg'))
  t.type(reset, ConnectionResetError)
  const lost = fromBinding(reset) as PeerLostError
  t.type(lost, PeerLostError)
  t.equal(lost.code, 'ERR_TIPC_PEER_LOST')
  t.equal(lost.reason, 'RESET')
  t.equal(lost.cause, reset)
  t.match(lost.cause, { code: 'ECONNRESET', errno: 104, syscall: 'recvmmsg' })
})

t.test('no TIPC here: TransportUnavailableError for tipc, the binding error as cause', async t => {
  const unavailable = fromNative(nativeError('EAFNOSUPPORT', 97, 'socket')) as TipcUnavailableError
  const err = fromBinding(unavailable) as TransportUnavailableError
  t.type(err, TransportUnavailableError)
  t.match(err, { code: 'ERR_TIPC_TRANSPORT_UNAVAILABLE', kind: 'tipc', reason: unavailable.reason })
  t.equal(err.cause, unavailable)
})

t.test("the kernel's EINVAL: InvalidArgumentError with the binding's error and address", async t => {
  const range = { type: 1000, lower: 0, upper: 9 }
  const einval = fromNative(nativeError('EINVAL', 22, 'bind'), range)
  const err = fromBinding(einval) as InvalidArgumentError
  t.type(err, InvalidArgumentError)
  t.equal(err.cause, einval)
  t.same(err.address, range)
  t.notOk('address' in (fromBinding(fromNative(nativeError('EINVAL', 22, 'setsockopt')))), 'none when unknown')
})

t.test('connect: refused and timed out name the destination and keep the cause', async t => {
  const dest = { type: 1000, instance: 1 }
  const refusedNative = fromNative(nativeError('ECONNREFUSED', 111, 'connect'), dest)
  const refused = fromBindingConnect(refusedNative, dest, 500) as ConnectionRefusedError
  t.type(refused, ConnectionRefusedError)
  t.match(refused, { code: 'ECONNREFUSED', address: dest })
  t.equal(refused.cause, refusedNative)

  const timedOutNative = fromNative(nativeError('ETIMEDOUT', 110, 'connect'), dest)
  const timedOut = fromBindingConnect(timedOutNative, dest, 500) as ConnectTimeoutError
  t.type(timedOut, ConnectTimeoutError)
  t.match(timedOut, { code: 'ETIMEDOUT', timeoutMs: 500, address: dest })
  t.equal(timedOut.cause, timedOutNative)
  const byDefault = fromBindingConnect(timedOutNative, dest) as ConnectTimeoutError
  t.equal(byDefault.timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, "the contract's default timeout, not a copy of it")

  const noRoute = fromNative(nativeError('EHOSTUNREACH', 113, 'connect'), dest)
  t.equal(fromBindingConnect(noRoute, dest), noRoute, 'nothing bound: the binding NoRouteError, unchanged')
  const reset = new ConnectionResetError()
  t.type(fromBindingConnect(reset, dest), PeerLostError, 'other failures map as anywhere else')
})

t.test('mapped() runs a call and throws its error mapped', async t => {
  t.equal(mapped(() => 7), 7)
  const inUse = new TipcSystemError('EADDRINUSE', 'bind EADDRINUSE', { errno: 98, syscall: 'bind' })
  t.throws(() => mapped(() => { throw inUse }), inUse)
  t.throws(() => mapped(() => { throw new ConnectionResetError() }), PeerLostError)
})

t.test('values that are not errors pass through', async t => {
  t.equal(fromBinding('a string'), 'a string')
  const plain = new Error('plain')
  t.equal(fromBinding(plain), plain)
})
