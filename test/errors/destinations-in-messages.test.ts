// The one rendering of a destination, for each kind, and the addresses
// errors carry: the one given, or none; never a made-up one.
import t from 'tap'
import { ConnectTimeoutError, ConnectionRefusedError } from '../../core/index.js'
import { RESERVED_TYPES, formatDestination } from '../../errors/destination.js'
import { NoRouteError, ReservedTypeError, TipcRxError, TipcSystemError } from '../../errors/index.js'

t.test('formatDestination: each destination kind', async t => {
  t.equal(formatDestination({ type: 1000, instance: 4 }), '{1000, 4}', 'service address')
  t.equal(formatDestination({ type: 1000, lower: 0, upper: 99 }), '{1000, 0, 99}', 'service range')
  t.equal(formatDestination({ node: 0x01001001, ref: 2131313131 }), '<16781313:2131313131>', 'socket address')
  t.equal(formatDestination({ node: 0xffffffff, ref: 0xffffffff }), '<4294967295:4294967295>', 'unsigned, as TIPC prints them')
})

t.test('NoRouteError names the destination when it is known', async t => {
  const err = new NoRouteError({ type: 1000, lower: 1, upper: 2 })
  t.equal(err.message, 'nothing is bound to {1000, 1, 2}')
  t.same(err.address, { type: 1000, lower: 1, upper: 2 })
  t.equal(new NoRouteError({ node: 1, ref: 2 }).message, 'no node 1 is reachable for <1:2>')
})

t.test('NoRouteError with no known destination has no address', async t => {
  const err = new NoRouteError()
  t.equal(err.message, 'nothing is bound to the destination')
  t.notOk('address' in err, 'no address property')
  t.notOk('errno' in err, 'no errno property when none is known')
  t.notOk('syscall' in err, 'no syscall property when none is known')
})

t.test('details are kept: errno, syscall, cause', async t => {
  const cause = new Error('sendto EHOSTUNREACH')
  const err = new NoRouteError({ type: 100, instance: 1 }, { errno: 113, syscall: 'sendto', cause })
  t.match(err, { errno: 113, syscall: 'sendto', address: { type: 100, instance: 1 } })
  t.equal(err.cause, cause)
  t.equal(err.name, 'NoRouteError')
  const sys = new TipcSystemError('EADDRINUSE', 'bind EADDRINUSE: in use', { errno: 98, syscall: 'bind' })
  t.type(sys, TipcRxError)
  t.equal(sys.name, 'TipcSystemError')
  t.notOk('cause' in sys, 'no cause when nothing is wrapped')
})

t.test('the contract errors render their destination the same way', async t => {
  t.equal(new ConnectionRefusedError({ type: 100, instance: 1 }).message, 'connection to {100, 1} refused')
  const timeout = new ConnectTimeoutError({ node: 3, ref: 4 }, 250)
  t.equal(timeout.message, 'connection to <3:4> not accepted within 250 ms')
  t.equal(timeout.timeoutMs, 250)
})

t.test('ReservedTypeError states the first user type', async t => {
  t.equal(RESERVED_TYPES, 64)
  t.equal(new ReservedTypeError(63).message, 'service type 63 is reserved by TIPC (user types start at 64)')
})
