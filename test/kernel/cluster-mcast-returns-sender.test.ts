// Multicast across nodes: a copy rejected on another node does NOT come
// back to the socket that sent it. The kernel sends it back to the sender's
// node, where it is delivered by name, like a new multicast, to the sockets
// bound there to an overlapping range (cluster-mcast-returns-bystander.test.ts):
// the sender sees it only if it is bound itself. Where a copy was rejected
// decides, copy by copy: of one multicast, the copies rejected on the
// sender's own node still come back to the sender only. For both codes and
// both explicit multicast methods; the kernel's own choice has a twist of
// its own (cluster-mcast-returns-method.test.ts). One node only:
// mcast-returns-same-node.test.ts.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'
import {
  EXPLICIT_METHODS, REJECT_CODES, Rejecter, SENT, multicastToRejecters, returnedBy, sceneSource, settle,
} from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()

t.test('a multicast copy rejected on another node, seen from the sender', { skip }, async t => {
  await withCluster(3, async () => {
    for (const method of EXPLICIT_METHODS) {
      for (const code of REJECT_CODES) {
        await t.test(`${code}, ${method}: an unbound sender gets none back`, async t => {
          const { sockets, range } = scene(t)
          const rejecter = new Rejecter(sockets, code, range, 2)
          // The witness proves the copies did come back to node 1.
          const witness = sockets.inbox(1).bound(range)
          const tx = sockets.inbox(1)
          const [{ rejected, held }] = await multicastToRejecters(tx.socket, { from: 1, method, range, count: SENT[code] }, [rejecter])
          t.comment(`node 2 kept ${held}, rejected ${rejected}`)
          await settle([[witness, rejected]])
          t.equal(witness.returned.length, rejected, `all ${rejected} rejected copies reached node 1 (a bound witness got them)`)
          t.equal(tx.returned.length, 0, 'the sender got none of them')
          t.equal(tx.delivered.length, 0, 'nor anything else')
        })

        await t.test(`${code}, ${method}: a sender bound to an overlapping range gets every one`, async t => {
          const { sockets, range } = scene(t)
          const sent = SENT[code]
          const rejecter = new Rejecter(sockets, code, range, 2)
          const tx = sockets.inbox(1).bound({ type: range.type, lower: 9, upper: 20 })
          const [{ rejected, held }] = await multicastToRejecters(tx.socket, { from: 1, method, range, count: sent }, [rejecter])
          t.comment(`node 2 kept ${held}, rejected ${rejected}`)
          await settle([[tx, rejected]])
          t.equal(tx.returned.length, rejected, `all ${rejected} rejected copies, because it is bound`)
          t.ok(tx.returned.every(r => r.code === code), `as ${code}`)
          t.equal(tx.delivered.length, sent, 'besides its own copies of what it sent')
        })

        await t.test(`${code}, ${method}: rejected on the sender node and on another, the sender gets the local ones only`, async t => {
          const { sockets, range } = scene(t)
          // node scope: a local socket bound with cluster scope would also
          // be a bystander for node 2's returned copies
          const local = new Rejecter(sockets, code, range, 1, 'node')
          const remote = new Rejecter(sockets, code, range, 2)
          const witness = sockets.inbox(1).bound(range)
          const tx = sockets.inbox(1)
          const [here, there] = await multicastToRejecters(tx.socket, { from: 1, method, range, count: SENT[code] }, [local, remote])
          t.comment(`node 1 rejected ${here!.rejected}, node 2 ${there!.rejected}`)
          await settle([[tx, here!.rejected], [witness, there!.rejected]])
          t.equal(tx.returned.length, here!.rejected, `the sender: the ${here!.rejected} rejected on its own node`)
          t.ok(tx.returned.every(r => returnedBy(r, local.address)), 'all from the local rejecter')
          t.equal(witness.returned.length, there!.rejected, `the witness: the ${there!.rejected} rejected on node 2, and no others`)
          t.ok(witness.returned.every(r => returnedBy(r, remote.address)), 'all from the remote rejecter')
        })
      }
    }
  })
})
