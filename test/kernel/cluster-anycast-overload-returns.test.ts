// Anycast, for contrast with multicast (mcast-returns-same-node.test.ts,
// cluster-mcast-returns-*.test.ts): a message that a full receiver rejects
// comes back to the socket that sent it, as OVERLOAD, on the same node and
// across nodes alike: the kernel hands an anycast back by socket address,
// never by name, so a bystander bound to the same type on the sender's node
// gets nothing.
import t from 'tap'
import { kernelOnly, withCluster } from './cluster.js'
import { delay, kernelSkip, until } from './kernel-env.js'
import { SENT, addressedTo, payload, returnedBy, sceneSource, sendMany, untilBound } from './mcast-returns.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const scene = sceneSource()
const sent = SENT.OVERLOAD

t.test('anycast to a full socket returns OVERLOAD to the sender', { skip }, async t => {
  await withCluster(3, async () => {
    for (const [placement, node] of [['on the sender node', 1], ['on another node', 2]] as const) {
      await t.test(`the full socket ${placement}: every rejected message back to the sender`, async t => {
        const { sockets, range } = scene(t)
        const name = { type: range.type, instance: 1 }
        const full = sockets.socket(node)
        full.receiveBufferSize = 1 // the minimum: it keeps a message or two
        full.bind(name)
        // same type, other instances: a bystander by name, never an anycast target
        const bystander = sockets.inbox(1).bound({ type: range.type, lower: 2, upper: 9 })
        const tx = sockets.inbox(1)
        if (node !== 1) await untilBound(1, range, node)
        await sendMany(tx.socket, name, sent, 'a')
        await until(() => (tx.returned.length + full.recvQueueDepth >= sent ? true : undefined), 10_000, 'every message kept or returned')
        await delay(300) // room for copies beyond the count, which the checks below would catch
        const held = full.recvQueueDepth
        t.comment(`the full socket kept ${held}, ${tx.returned.length} came back`)
        t.ok(held >= 1, 'it kept the first')
        t.equal(tx.returned.length, sent - held, `the other ${sent - held} came back to the sender`)
        t.ok(tx.returned.every(r => r.code === 'OVERLOAD'), 'as OVERLOAD')
        t.same(tx.returned.map(r => r.data), Array.from({ length: sent - held }, (_, i) => payload('a', held + i)), 'in order, with their data')
        t.ok(tx.returned.every(r => returnedBy(r, full.address())), 'from the full socket')
        t.ok(tx.returned.every(r => addressedTo(r, { type: name.type, lower: 1, upper: 1 })), 'dest: the name sent to')
        t.equal(bystander.returned.length + bystander.delivered.length, 0, 'the bystander got nothing')
      })
    }
  })
})
