// Multicast across nodes: the returned copies that reach the sender's node
// are delivered there as a multicast from another node, so only to
// cluster-scope bindings. A socket bound with node scope gets the messages
// sent on its own node, but none of the rejected copies that come back
// from another node: neither a bystander nor the sender itself. For both
// codes and both explicit methods.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'
import {
  EXPLICIT_METHODS, REJECT_CODES, Rejecter, SENT, multicastToRejecters, sceneSource, settle,
} from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()

t.test('node-scope bindings on the sender node get no rejected multicast copies', { skip }, async t => {
  await withCluster(3, async () => {
    for (const method of EXPLICIT_METHODS) {
      for (const code of REJECT_CODES) {
        await t.test(`${code}, ${method}: cluster scope gets them, node scope does not`, async t => {
          const { sockets, range } = scene(t)
          const sent = SENT[code]
          const rejecter = new Rejecter(sockets, code, range, 2)
          const clusterScope = sockets.inbox(1).bound(range, 'cluster')
          const nodeScope = sockets.inbox(1).bound(range, 'node')
          const tx = sockets.inbox(1).bound(range, 'node')
          const [{ rejected }] = await multicastToRejecters(tx.socket, { from: 1, method, range, count: sent }, [rejecter])
          await settle([[clusterScope, rejected]])
          t.equal(clusterScope.returned.length, rejected, `a cluster-scope bystander: all ${rejected}`)
          t.equal(nodeScope.returned.length, 0, 'a node-scope bystander: none')
          t.equal(tx.returned.length, 0, 'the sender, bound with node scope: none')
          t.equal(nodeScope.delivered.length, sent, 'though the node-scope bystander got every message sent on its node')
          t.equal(tx.delivered.length, sent, 'and so did the sender')
        })
      }
    }
  })
})
