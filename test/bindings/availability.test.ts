// On any machine: the addon loads, and isTipcAvailable() says whether
// AF_TIPC works and, if not, why; opening a socket where it does not work
// is a typed error, not a crash.
import t from 'tap'
import { DatagramSocket, TipcServer, TipcUnavailableError, isTipcAvailable, ownNode } from '../../bindings/index.js'

const availability = isTipcAvailable()

t.test('the addon answers', async t => {
  t.type(availability.available, 'boolean')
  if (availability.available) {
    t.type(availability.node, 'number')
    t.equal(ownNode(), availability.node)
  } else {
    t.ok(availability.reason.length > 0, `reason: ${availability.reason}`)
    t.ok(availability.code.length > 0)
  }
})

t.test('without TIPC, sockets fail with TipcUnavailableError', { skip: availability.available && 'TIPC works here' }, async t => {
  if (availability.available) return
  t.equal(availability.code, 'EAFNOSUPPORT', 'this machine kind: no TIPC in the kernel')
  t.match(availability.reason, /modprobe tipc/, 'the reason says what to do')
  const err = t.throws(() => DatagramSocket.open()) as TipcUnavailableError
  t.type(err, TipcUnavailableError)
  t.equal(err.code, 'ERR_TIPC_UNAVAILABLE')
  t.equal(err.errno, 97)
  t.equal(err.syscall, 'socket')
  t.throws(() => TipcServer.listen({ type: 1000, instance: 1 }), TipcUnavailableError)
  t.throws(() => ownNode(), TipcUnavailableError)
})
