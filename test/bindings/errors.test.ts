// Native errors become typed errors with code, errno, syscall, address and
// the native error as cause.
import t from 'tap'
import {
  ConnectionResetError, InvalidArgumentError, NoRouteError, SocketClosedError, TipcRxError, TipcSystemError,
  TipcUnavailableError,
} from '../../bindings/index.js'
import { fromNative } from '../../bindings/errors.js'

function nativeError(code: string, errno: number, syscall: string, extra: object = {}) {
  return Object.assign(new Error(`${syscall} ${code}: text`), { code, errno, syscall }, extra)
}

t.test('EHOSTUNREACH: NoRouteError naming the address', async t => {
  const cause = nativeError('EHOSTUNREACH', 113, 'sendto')
  const err = fromNative(cause, { type: 1000, instance: 4 }) as NoRouteError
  t.type(err, NoRouteError)
  t.type(err, TipcRxError)
  t.equal(err.code, 'EHOSTUNREACH')
  t.equal(err.errno, 113)
  t.equal(err.syscall, 'sendto')
  t.same(err.address, { type: 1000, instance: 4 })
  t.match(err.message, /nothing is bound to \{1000, 4\}/)
  t.equal(err.cause, cause)
})

t.test('a partial batch keeps its count', async t => {
  const err = fromNative(nativeError('EHOSTUNREACH', 113, 'sendmmsg', { sent: 3 }))
  t.equal((err as unknown as { sent: number }).sent, 3)
})

t.test('other mappings', async t => {
  t.type(fromNative(nativeError('ECONNRESET', 104, 'recvmmsg')), ConnectionResetError)
  t.type(fromNative(Object.assign(new Error('closed'), { code: 'ERR_SOCKET_CLOSED' })), SocketClosedError)
  t.type(fromNative(nativeError('EAFNOSUPPORT', 97, 'socket')), TipcUnavailableError)
  const other = fromNative(nativeError('EADDRINUSE', 98, 'bind'))
  t.type(other, TipcSystemError)
  t.equal((other as TipcSystemError).code, 'EADDRINUSE')
  const range = { type: 100, lower: 1, upper: 2 }
  t.match(fromNative(nativeError('EINVAL', 22, 'bind'), range).message, /bind EINVAL/)
  t.match(new NoRouteError(range).message, /\{100, 1, 2\}/)
  t.match(new NoRouteError({ node: 1, ref: 2 }).message, /<1:2>/)
})

t.test('EHOSTUNREACH with no known destination: no address is made up', async t => {
  const cause = nativeError('EHOSTUNREACH', 113, 'sendmmsg')
  const err = fromNative(cause) as NoRouteError
  t.type(err, NoRouteError)
  t.notOk('address' in err, 'no address property at all')
  t.equal(err.message, 'nothing is bound to the destination')
  t.equal(err.cause, cause)
})

t.test('wrapping always keeps the native error as cause', async t => {
  const closed = Object.assign(new Error('the TIPC socket is closed'), { code: 'ERR_SOCKET_CLOSED' })
  t.equal(fromNative(closed).cause, closed, 'SocketClosedError')
  const reset = nativeError('ECONNRESET', 104, 'recvmmsg')
  t.equal(fromNative(reset).cause, reset, 'ConnectionResetError')
  const noTipc = nativeError('EAFNOSUPPORT', 97, 'socket')
  const unavailable = fromNative(noTipc) as TipcUnavailableError
  t.equal(unavailable.cause, noTipc, 'TipcUnavailableError')
  t.equal(unavailable.reason, noTipc.message, 'TipcUnavailableError says why, as reason')
  const inUse = nativeError('EADDRINUSE', 98, 'bind')
  t.equal(fromNative(inUse).cause, inUse, 'TipcSystemError')
})

t.test("the addon's own argument checks are InvalidArgumentError", async t => {
  const cause = Object.assign(new RangeError('lengths exceed the bytes given'), { code: 'ERR_INVALID_ARG_VALUE' })
  const err = fromNative(cause) as InvalidArgumentError
  t.type(err, InvalidArgumentError)
  t.equal(err.code, 'ERR_TIPC_INVALID_ARGUMENT')
  t.equal(err.message, 'lengths exceed the bytes given')
  t.equal(err.cause, cause)
})

t.test('errors that are ours, or not errors, pass through', async t => {
  const ours = new SocketClosedError()
  t.equal(fromNative(ours), ours)
  const plain = new Error('no code')
  t.equal(fromNative(plain), plain)
  t.equal(fromNative('a string'), 'a string')
})
