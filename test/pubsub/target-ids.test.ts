// Target ids: one string per subscriber socket or queue group, taken apart
// exactly as they were made.
import t from 'tap'
import { groupTarget, parseTarget, socketTarget } from '../../core/pubsub/outcome.js'
import { InvalidArgumentError } from '../../core/transport-contract/index.js'

t.test('made and taken apart', async t => {
  t.equal(socketTarget({ node: 0x1001, ref: 42 }), 's:4097:42')
  t.equal(groupTarget(70000), 'g:70000')
  t.same(parseTarget('s:4294967295:0'), { kind: 'socket', address: { node: 4294967295, ref: 0 } })
  t.same(parseTarget(groupTarget(64)), { kind: 'group', type: 64 })
})

t.test('anything else is refused', async t => {
  t.throws(() => socketTarget({ node: -1, ref: 1 }), InvalidArgumentError)
  t.throws(() => groupTarget(2 ** 32), InvalidArgumentError)
  for (const bad of ['', 's:1', 'g:', 'g:x', 's:1:2:3', 'x:1:2', 's:4294967296:1', ' g:1']) {
    t.throws(() => parseTarget(bad), InvalidArgumentError, JSON.stringify(bad))
  }
})
