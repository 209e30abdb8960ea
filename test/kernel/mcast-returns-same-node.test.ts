// Multicast on one node: every copy a receiver rejects comes back to the
// socket that sent it, exactly once, and to no other socket, whatever else
// is bound to the range on that node (the kernel hands the copy back by
// socket address: tipc_sk_rcv looks up the port). Across nodes it goes
// elsewhere: see cluster-mcast-returns-*.test.ts.
import t from 'tap'
import { kernelSkip } from './kernel-env.js'
import {
  REJECT_CODES, Rejecter, SENT, addressedTo, multicastToRejecters, payload, returnedBy, sceneSource, settle,
} from './mcast-returns.js'

const skip = kernelSkip()
const scene = sceneSource()

for (const code of REJECT_CODES) {
  for (const senderBound of [false, true]) {
    const who = senderBound ? 'a sender bound to the range too' : 'an unbound sender'
    t.test(`${code}: every rejected copy comes back to ${who}, once, and to no bystander`, { skip }, async t => {
      const { sockets, range } = scene(t)
      const sent = SENT[code]
      const rejecter = new Rejecter(sockets, code, range)
      const bystander = sockets.inbox().bound({ type: range.type, lower: 5, upper: 50 })
      const tx = sockets.inbox()
      if (senderBound) tx.socket.bind({ type: range.type, lower: 9, upper: 9 })
      const [{ rejected, held }] = await multicastToRejecters(tx.socket, { method: 'auto', range, count: sent }, [rejecter])
      t.comment(`${code}: sent ${sent}, the receiver kept ${held}, rejected ${rejected}`)
      if (code === 'OVERLOAD') t.ok(held >= 1 && rejected >= sent / 2, 'the tiny queue held a few and rejected most')
      await settle([[tx, rejected]])

      t.equal(tx.returned.length, rejected, `all ${rejected} rejected copies came back to the sender`)
      t.ok(tx.returned.every(r => r.code === code), `as ${code}`)
      const firstRejected = sent - rejected
      t.same(tx.returned.map(r => r.data), Array.from({ length: rejected }, (_, i) => payload('m', firstRejected + i)),
        'in order, each with its data (the receiver kept the first ones)')
      t.ok(tx.returned.every(r => returnedBy(r, rejecter.address)), 'from: the socket that rejected it')
      t.ok(tx.returned.every(r => addressedTo(r, range)), 'dest: the range it was sent to')
      t.equal(tx.delivered.length, senderBound ? sent : 0, senderBound ? 'the bound sender got its own copies too' : 'nothing else')
      t.equal(bystander.delivered.length, sent, 'the bystander, bound to an overlapping range, got every copy')
      t.equal(bystander.returned.length, 0, 'and none of the returned ones')
    })
  }
}
