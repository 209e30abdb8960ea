// Multicast across nodes, the kernel's own choice of method (no
// TIPC_MCAST_BROADCAST/REPLICAST option). A new socket starts out on
// broadcast; with two destination nodes (of three) it stays there, and the
// rejected copies come back to the sender's node as with an explicit
// method. With one destination node it switches to replicast on its first
// send, and marks that first message SYN (and sends a twin over the
// broadcast link: measured, the broadcast link's TX count grows by one for
// 20 messages), so receivers can order the two paths (net/tipc/bcast.c,
// tipc_mcast_filter_msg). If that very message is rejected, its returned
// copy still carries the mark: on the sender's node it waits for a twin
// that never comes, and every later copy returned by the same socket
// queues behind it, so none is ever delivered. Copies returned by another
// socket, or when the first message was accepted, arrive as usual. An
// explicit method never switches, so it never loses them.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'
import {
  REJECT_CODES, Rejecter, SENT, multicastToRejecters, sceneSource, settle, totalRejected, type RejectCode, type Round,
} from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()
/** Too big for the tiny OVERLOAD queue: then even the first message is rejected. */
const TOO_BIG = 1500

t.test("the kernel's own multicast method and rejected copies", { skip }, async t => {
  await withCluster(3, async () => {
    for (const code of REJECT_CODES) {
      await t.test(`${code}, two destination nodes: every copy comes back to node 1`, async t => {
        const { sockets, range } = scene(t)
        const rejecters = [new Rejecter(sockets, code, range, 2), new Rejecter(sockets, code, range, 3)]
        const witness = sockets.inbox(1).bound(range)
        const tx = sockets.inbox(1)
        const rejected = totalRejected(await multicastToRejecters(tx.socket, { from: 1, method: 'auto', range, count: SENT[code] }, rejecters))
        await settle([[witness, rejected]])
        t.equal(witness.returned.length, rejected, `all ${rejected}`)
      })
    }

    await t.test('OVERLOAD, one destination node that accepted the first message: every rejected copy comes back', async t => {
      const { sockets, range } = scene(t)
      const rejecter = new Rejecter(sockets, 'OVERLOAD', range, 2)
      const witness = sockets.inbox(1).bound(range)
      const tx = sockets.inbox(1)
      const [{ rejected, held }] = await multicastToRejecters(tx.socket, { from: 1, method: 'auto', range, count: SENT.OVERLOAD }, [rejecter])
      t.ok(held >= 1, `node 2 kept the first message (kept ${held})`)
      await settle([[witness, rejected]])
      t.equal(witness.returned.length, rejected, `all ${rejected}`)
    })

    const lost: Array<[RejectCode, string, Partial<Round>]> = [
      ['NO_PORT', 'all unread at close, the first one too', {}],
      ['OVERLOAD', `${TOO_BIG}-byte messages, the first one too big for the queue`, { size: TOO_BIG }],
    ]
    for (const [code, how, sizing] of lost) {
      await t.test(`${code}, one destination node, the first message rejected (${how}): no copy is ever delivered`, async t => {
        const { sockets, range } = scene(t)
        const rejecter = new Rejecter(sockets, code, range, 2)
        const witness = sockets.inbox(1).bound(range)
        const tx = sockets.inbox(1).bound(range)
        const round = { from: 1, method: 'auto' as const, range, count: SENT[code], ...sizing }
        const [first] = await multicastToRejecters(tx.socket, round, [rejecter])
        t.equal(first!.rejected, round.count, `node 2 rejected all ${round.count}`)

        // The same sender, now settled on replicast, to a new rejecting
        // socket: these come back, and they follow the first round's on
        // the same path, so by the time they are in, the first round's
        // would be too.
        const next = scene(t).range
        const again = new Rejecter(sockets, 'NO_PORT', next, 2)
        const nextWitness = sockets.inbox(1).bound(next)
        const [second] = await multicastToRejecters(tx.socket, { from: 1, method: 'auto', range: next, count: SENT.NO_PORT }, [again])
        await settle([[nextWitness, second!.rejected]])
        t.equal(nextWitness.returned.length, second!.rejected, `a second round to another socket: all ${second!.rejected} come back`)
        t.equal(witness.returned.length, 0, 'of the first round, the bystander got none')
        t.equal(tx.returned.length, 0, 'nor did the bound sender')
      })
    }

    await t.test('NO_PORT, one destination node, explicit replicast: every copy comes back', async t => {
      const { sockets, range } = scene(t)
      const rejecter = new Rejecter(sockets, 'NO_PORT', range, 2)
      const witness = sockets.inbox(1).bound(range)
      const tx = sockets.inbox(1)
      const [{ rejected }] = await multicastToRejecters(tx.socket, { from: 1, method: 'replicast', range, count: SENT.NO_PORT }, [rejecter])
      await settle([[witness, rejected]])
      t.equal(witness.returned.length, rejected, `all ${rejected}`)
    })
  })
})
