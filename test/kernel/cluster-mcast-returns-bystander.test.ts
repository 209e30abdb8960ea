// Multicast across nodes: a copy rejected on node 2 comes back to the
// sender's node 1 and is delivered there by name, to a bystander: a socket
// that sent nothing but is bound (cluster scope) to a range overlapping the
// one the message was sent to. What it gets is a returned message like any
// other (code, from, dest, the first 1024 bytes) but for a message it never
// sent; nothing in it names the sender. The name is looked up when the copy
// arrives, not when the message was sent: a socket bound after the send
// gets the copies all the same. For both codes, both explicit methods.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'
import {
  EXPLICIT_METHODS, REJECT_CODES, Rejecter, SENT, addressedTo, multicastToRejecters, nodeAddress, payload, returnedBy,
  sceneSource, sendMany, settle, untilBound, useMethod,
} from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()
/** Over the 1024 bytes TIPC returns, so the truncation shows. */
const SIZE = 1500

t.test('a bystander on the sender node gets the multicast copies rejected on another node', { skip }, async t => {
  await withCluster(3, async () => {
    for (const method of EXPLICIT_METHODS) {
      for (const code of REJECT_CODES) {
        await t.test(`${code}, ${method}: every rejected copy, as a returned message`, async t => {
          const { sockets, range } = scene(t)
          const sent = SENT[code]
          const rejecter = new Rejecter(sockets, code, range, 2)
          const bystander = sockets.inbox(1).bound({ type: range.type, lower: 5, upper: 50 })
          const tx = sockets.inbox(1)
          const round = { from: 1, method, range, count: sent, prefix: 'n', size: SIZE }
          const [{ rejected, held }] = await multicastToRejecters(tx.socket, round, [rejecter])
          t.comment(`node 2 kept ${held}, rejected ${rejected}`)
          await settle([[bystander, rejected]])
          const copies = bystander.returned
          t.equal(copies.length, rejected, `all ${rejected} rejected copies`)
          t.ok(copies.every(r => r.code === code), `code: ${code}`)
          t.ok(copies.every(r => returnedBy(r, rejecter.address)), 'from: the rejecting socket on node 2, not the sender')
          t.equal(copies[0]?.from.node, nodeAddress(2))
          t.ok(copies.every(r => addressedTo(r, range)), 'dest: the range sent to, not the bystander\'s own binding')
          t.same(copies.map(r => r.data), Array.from({ length: rejected }, (_, i) => payload('n', held + i, SIZE).slice(0, 1024)),
            'data: the first 1024 bytes of each message, in the order sent')
          t.ok(copies.every(r => r.length === 1024), 'length: 1024, the truncated length (as for any returned message)')
          t.ok(copies.every(r => r.payloadLength === 0), 'no payload')
          t.equal(bystander.delivered.length, sent, 'it also got the copies sent to it: it is a destination like node 2')
          t.equal(tx.returned.length, 0, 'the (unbound) sender got none')
          if (copies[0]) t.comment(`a returned copy at the bystander: ${JSON.stringify({ ...copies[0], data: `${copies[0].data.slice(0, 8)}...` })}`)
        })
      }

      await t.test(`NO_PORT, ${method}: a socket bound after the send still gets them (the name is looked up on return)`, async t => {
        const { sockets, range } = scene(t)
        const rejecter = new Rejecter(sockets, 'NO_PORT', range, 2)
        const tx = sockets.inbox(1)
        const late = sockets.inbox(1)
        useMethod(tx.socket, method)
        await untilBound(1, range, 2)
        await sendMany(tx.socket, range, SENT.NO_PORT)
        // node 2 holds them all now; bind, then let it close
        const { rejected } = await rejecter.reject(SENT.NO_PORT, () => late.bound({ type: range.type, lower: 0, upper: 0 }))
        await settle([[late, rejected]])
        t.equal(late.returned.length, rejected, `all ${rejected} rejected copies`)
        t.equal(late.delivered.length, 0, 'and none of the messages themselves: it was not bound when they were sent')
      })
    }
  })
})
