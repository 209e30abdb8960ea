// tipc-rx and tipc-rx/bindings hand out the same class for the same failure:
// a program that imports both entries can catch with either.
import t from 'tap'
import * as bindings from '../../bindings/index.js'
import * as core from '../../core/index.js'
import { checkType } from '../../core/transport-contract/address.js'
import * as destination from '../../errors/destination.js'
import * as shared from '../../errors/index.js'

const SHARED = [
  'TipcRxError', 'NoRouteError', 'SocketClosedError', 'InvalidArgumentError', 'MessageTooLargeError',
  'ReservedTypeError', 'PeerLostError', 'TipcSystemError',
] as const

t.test('each shared class is one object, whichever entry exports it', async t => {
  for (const name of SHARED) {
    t.equal(core[name], shared[name], `tipc-rx ${name} is errors/'s`)
    t.equal(bindings[name], shared[name], `tipc-rx/bindings ${name} is errors/'s`)
  }
  t.equal(core.formatDestination, destination.formatDestination, 'one destination formatter, in tipc-rx')
  t.equal(bindings.formatDestination, destination.formatDestination, 'and in tipc-rx/bindings')
  t.equal(core.RESERVED_TYPES, bindings.RESERVED_TYPES)
})

t.test('one base class: every error of both entries is a TipcRxError', async t => {
  const all = { ...bindings, ...core } as Record<string, unknown>
  const errorClasses = Object.entries(all).filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof Error)
  t.ok(errorClasses.length >= 17, `${errorClasses.length} error classes exported`)
  for (const [name, cls] of errorClasses) {
    t.ok(cls === shared.TipcRxError || (cls as { prototype: unknown }).prototype instanceof shared.TipcRxError, `${name} is or extends TipcRxError`)
  }
})

t.test('an error thrown by the binding is caught by the class tipc-rx exports', async t => {
  t.throws(() => bindings.encodeDestination({ type: 10, instance: 1 }), core.ReservedTypeError)
  t.throws(() => bindings.encodeDestination({ type: 100, lower: 5, upper: 1 }), core.InvalidArgumentError)
  t.throws(() => checkType(3), bindings.ReservedTypeError)
})

t.test('stable codes', async t => {
  t.equal(new shared.NoRouteError().code, 'EHOSTUNREACH')
  t.equal(new shared.SocketClosedError().code, 'ERR_SOCKET_CLOSED')
  t.equal(new shared.InvalidArgumentError('x').code, 'ERR_TIPC_INVALID_ARGUMENT')
  t.equal(new shared.MessageTooLargeError(2, 1).code, 'ERR_TIPC_MESSAGE_TOO_LARGE')
  t.equal(new shared.ReservedTypeError(1).code, 'ERR_TIPC_RESERVED_TYPE')
  t.equal(new shared.PeerLostError('NO_PORT').code, 'ERR_TIPC_PEER_LOST')
  t.equal(new shared.TipcSystemError('EADDRINUSE', 'bind EADDRINUSE').code, 'EADDRINUSE')
  t.equal(new bindings.TipcUnavailableError('no kernel module').code, 'ERR_TIPC_UNAVAILABLE')
  t.equal(new bindings.ConnectionResetError().code, 'ECONNRESET')
  t.equal(new core.TransportClosedError().code, 'ERR_TIPC_TRANSPORT_CLOSED')
  t.equal(new core.ConnectionEndedError().code, 'EPIPE')
  t.equal(new core.ConnectionRefusedError({ type: 100, instance: 1 }).code, 'ECONNREFUSED')
  t.equal(new core.ConnectTimeoutError({ type: 100, instance: 1 }, 5).code, 'ETIMEDOUT')
  t.equal(new core.TransportUnavailableError('tipc', 'x').code, 'ERR_TIPC_TRANSPORT_UNAVAILABLE')
  t.equal(new core.NoTransportError({}).code, 'ERR_TIPC_NO_TRANSPORT')
})
