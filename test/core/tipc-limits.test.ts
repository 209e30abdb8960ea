// TIPC's fixed sizes are defined once per layer: the binding's are the
// kernel's (pinned here to the headers the addon was built against), the
// contract's are what every transport promises. The tipc transport is where
// the two meet, so they must agree.
import t from 'tap'
import { MAX_MESSAGE_SIZE as BINDING_MAX, RESERVED_TYPES as BINDING_RESERVED } from '../../bindings/index.js'
import { tryLoadNative } from '../../bindings/native.js'
import { MAX_MESSAGE_SIZE, RESERVED_TYPES } from '../../core/index.js'
import { TIPC_CAPABILITIES } from '../../core/transports/tipc/transport.js'

t.test('the contract and the binding agree', async t => {
  t.equal(MAX_MESSAGE_SIZE, BINDING_MAX)
  t.equal(RESERVED_TYPES, BINDING_RESERVED)
  t.equal(TIPC_CAPABILITIES.maxMessageSize, MAX_MESSAGE_SIZE)
})

const loaded = tryLoadNative()
t.test("the binding's are the kernel headers'", { skip: 'error' in loaded && 'addon not built' }, async t => {
  if (!('addon' in loaded)) return
  t.equal(BINDING_MAX, loaded.addon.constants.TIPC_MAX_USER_MSG_SIZE, 'TIPC_MAX_USER_MSG_SIZE')
  t.equal(BINDING_RESERVED, loaded.addon.constants.TIPC_RESERVED_TYPES, 'TIPC_RESERVED_TYPES')
})
