// The transport's own seeded fault injection (drop, duplicate, reorder on
// outgoing packets) between two nodes on loopback: the application sees
// every message once, in order, and the faults really happened.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { openUdpCluster } from '../conformance/clusters/udp.js'
import { bindingsVisible } from '../conformance/wait.js'

const until = async (cond: () => boolean, what: string, ms = 30000) => {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 5))
  }
}

t.test('10% drop, 5% duplicate, 10% reorder both ways: once, in order, faults counted', async t => {
  const [a, b] = await openUdpCluster(2, { maxPacketSize: 1472, faults: { seed: 99, drop: 0.1, duplicate: 0.05, reorder: 0.1 } })
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const type = 0x4000_0000 + randomInt(0, 0xffff)
  const rx = b!.rdm()
  rx.bind({ type, instance: 1 })
  const seen: number[] = []
  rx.onMessages(batch => { for (const m of batch) seen.push(Buffer.from(m.data.buffer, m.data.byteOffset).readUInt32BE(0)) })
  await bindingsVisible(a!, { type, lower: 1, upper: 1 }, 1)
  const tx = a!.rdm()
  const total = 10000
  const msg = Buffer.alloc(300)
  for (let i = 0; i < total; i++) {
    msg.writeUInt32BE(i, 0)
    while (!tx.send({ type, instance: 1 }, msg)) await tx.writable()
  }
  await until(() => seen.length >= total, `${total} messages`)
  t.equal(seen.length, total, 'each once')
  t.ok(seen.every((v, i) => v === i), 'in order')
  const sa = a!.stats()
  const sb = b!.stats()
  const injected = sa.node.injected
  t.ok(injected.dropped > 0 && injected.duplicated > 0 && injected.reordered > 0, `injected at the sender: ${JSON.stringify(injected)}`)
  t.ok(sa.links[b!.node]!.retransmits > 0, `${sa.links[b!.node]!.retransmits} retransmits`)
  t.ok(sb.links[a!.node]!.duplicates > 0, `${sb.links[a!.node]!.duplicates} duplicates suppressed at the receiver`)
  t.ok(sb.links[a!.node]!.outOfOrder > 0, `${sb.links[a!.node]!.outOfOrder} held out of order at the receiver`)
})

t.test('another cluster id is ignored and counted', async t => {
  const [a] = await openUdpCluster(1)
  const b = await UdpTransport.open({ cluster: (a!.cluster + 1) >>> 0 })
  t.teardown(() => Promise.all([a!.close(), b.close()]))
  await until(() => a!.stats().node.drops.otherCluster > 0, 'a beacon of the other cluster')
  t.same(Object.keys(a!.stats().links), [], 'no link to it')
})
