// Address validation and encoding happen before any syscall, so they are
// testable anywhere, with or without TIPC.
import t from 'tap'
import {
  InvalidArgumentError, ReservedTypeError, encodeDestination, formatNode,
} from '../../bindings/index.js'
import { scopeValue, toRange } from '../../bindings/address.js'

t.test('destinations encode as (kind, a, b, c)', async t => {
  t.same(encodeDestination({ type: 1000, lower: 1, upper: 9 }), [1, 1000, 1, 9], 'range: multicast')
  t.same(encodeDestination({ type: 1000, instance: 5 }), [2, 1000, 5, 0], 'service address: anycast')
  t.same(encodeDestination({ node: 0x01001001, ref: 77 }), [3, 0x01001001, 77, 0], 'socket address: unicast')
  t.same(encodeDestination({ type: 0xffffffff, instance: 0xffffffff }), [2, 0xffffffff, 0xffffffff, 0], 'u32 max is fine')
})

t.test('types below 64 are reserved for TIPC', async t => {
  const err = t.throws(() => encodeDestination({ type: 63, instance: 1 })) as ReservedTypeError
  t.type(err, ReservedTypeError)
  t.equal(err.code, 'ERR_TIPC_RESERVED_TYPE')
  t.match(err.message, /63 is reserved/)
  t.same(encodeDestination({ type: 1, instance: 1 }, true), [2, 1, 1, 0], 'allowed where asked (topology server)')
})

t.test('malformed addresses are refused with the field named', async t => {
  const cases: Array<[unknown, RegExp]> = [
    [{ type: 1000, instance: -1 }, /instance/],
    [{ type: 1000, instance: 2 ** 32 }, /instance/],
    [{ type: 1000, instance: 1.5 }, /instance/],
    [{ type: '1000', instance: 1 }, /type/],
    [{ type: 1000, lower: 9, upper: 1 }, /lower 9 is above upper 1/],
    [{ node: -1, ref: 1 }, /node/],
    [{ node: 1, ref: NaN }, /ref/],
    [null, /destination/],
  ]
  for (const [addr, message] of cases) {
    const err = t.throws(() => encodeDestination(addr as never)) as InvalidArgumentError
    t.type(err, InvalidArgumentError, JSON.stringify(addr))
    t.match(err.message, message)
    t.equal(err.code, 'ERR_TIPC_INVALID_ARGUMENT')
  }
})

t.test('a service address as a range', async t => {
  t.same(toRange({ type: 100, instance: 7 }), { type: 100, lower: 7, upper: 7 })
  t.same(toRange({ type: 100, lower: 0, upper: 0xffffffff }), { type: 100, lower: 0, upper: 0xffffffff })
})

t.test('scopes', async t => {
  t.equal(scopeValue('cluster'), 2)
  t.equal(scopeValue('node'), 3)
  t.throws(() => scopeValue('zone' as 'node'), InvalidArgumentError)
})

t.test('node addresses print as zone.cluster.node', async t => {
  t.equal(formatNode(0x01001002), '1.1.2')
  t.equal(formatNode(0), '0.0.0')
})
