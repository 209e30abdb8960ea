// Multicast across nodes: on the sender's node a rejected copy is delivered
// like a multicast, not like an anycast: EVERY socket there with a
// cluster-scope binding that overlaps the range sent to gets its own copy
// (no round-robin), the sender too when it is bound, and a socket with
// several such bindings gets one copy, not one per binding. So one rejection
// turns into as many returned messages as there are such sockets, and the
// rejections of every destination node add up. For both codes and both
// explicit methods.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'
import {
  EXPLICIT_METHODS, REJECT_CODES, Rejecter, SENT, multicastToRejecters, sceneSource, settle, totalRejected,
} from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()

t.test('every overlapping socket on the sender node gets a copy of each rejected multicast copy', { skip }, async t => {
  await withCluster(3, async () => {
    for (const method of EXPLICIT_METHODS) {
      for (const code of REJECT_CODES) {
        await t.test(`${code}, ${method}: two bystanders and the bound sender, rejections on two nodes`, async t => {
          const { sockets, range } = scene(t)
          const { type } = range
          const rejecters = [new Rejecter(sockets, code, range, 2), new Rejecter(sockets, code, range, 3)]
          const first = sockets.inbox(1).bound({ type, lower: 0, upper: 9 })
          const second = sockets.inbox(1).bound({ type, lower: 5, upper: 5 })
          const twice = sockets.inbox(1).bound({ type, lower: 0, upper: 0 }).bound({ type, lower: 9, upper: 30 })
          const tx = sockets.inbox(1).bound({ type, lower: 3, upper: 4 })
          const rejections = await multicastToRejecters(tx.socket, { from: 1, method, range, count: SENT[code] }, rejecters)
          const rejected = totalRejected(rejections)
          t.comment(`rejected on node 2: ${rejections[0]!.rejected}, on node 3: ${rejections[1]!.rejected}`)
          const receivers = { 'first bystander': first, 'second bystander': second, 'a bystander bound twice': twice, 'the bound sender': tx }
          await settle(Object.values(receivers).map(inbox => [inbox, rejected]))
          for (const [who, inbox] of Object.entries(receivers)) {
            t.equal(inbox.returned.length, rejected, `${who}: one copy of each of the ${rejected} rejections`)
          }
          t.ok(Object.values(receivers).every(inbox => inbox.returned.every(r => r.code === code)), `all ${code}`)
          const fromNode3 = first.returned.filter(r => r.from.node === rejecters[1]!.address.node).length
          t.equal(fromNode3, rejections[1]!.rejected, 'node 3\'s rejections are among them, from node 3')
        })
      }
    }
  })
})
