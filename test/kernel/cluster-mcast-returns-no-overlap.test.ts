// Multicast across nodes: the returned copies are delivered on the sender's
// node only, and only to sockets whose binding overlaps the range the
// message was sent to: a socket bound to the next instances of the same
// type, or to the same instances of another type, gets none; a socket on a
// third node, bound to the range and reading every message, gets none
// either. For both codes and both explicit methods.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'
import {
  EXPLICIT_METHODS, REJECT_CODES, Rejecter, SENT, multicastToRejecters, sceneSource, settle,
} from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()

t.test('sockets whose binding does not overlap, and other nodes, get no rejected multicast copies', { skip }, async t => {
  await withCluster(3, async () => {
    for (const method of EXPLICIT_METHODS) {
      for (const code of REJECT_CODES) {
        await t.test(`${code}, ${method}`, async t => {
          const { sockets, range } = scene(t)
          const sent = SENT[code]
          const rejecter = new Rejecter(sockets, code, range, 2)
          const witness = sockets.inbox(1).bound(range)
          const nextInstances = sockets.inbox(1).bound({ type: range.type, lower: range.upper + 1, upper: range.upper + 10 })
          const otherType = sockets.inbox(1).bound({ ...range, type: scene(t).range.type })
          const thirdNode = sockets.inbox(3).bound(range)
          const tx = sockets.inbox(1)
          const [{ rejected }] = await multicastToRejecters(tx.socket, { from: 1, method, range, count: sent }, [rejecter])
          await settle([[witness, rejected]])
          t.equal(witness.returned.length, rejected, `all ${rejected} reached node 1 (an overlapping witness got them)`)
          t.equal(nextInstances.returned.length, 0, `bound to ${range.upper + 1}..${range.upper + 10} of the same type: none`)
          t.equal(otherType.returned.length + otherType.delivered.length, 0, 'bound to the same instances of another type: nothing')
          t.equal(thirdNode.returned.length, 0, 'on node 3, bound to the range: none')
          t.equal(thirdNode.delivered.length, sent, 'though node 3 got every message')
        })
      }
    }
  })
})
