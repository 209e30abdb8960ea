// A peer process killed with SIGKILL: its bindings are withdrawn, its node
// reported down, and what the sender had sent it unacknowledged comes back
// NO_NODE, within the tolerance plus 0.5 s of the kill.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import type { BindingEvent, NodeEvent } from '../../core/transport-contract/topology.js'
import type { ReceivedMessage } from '../../core/transport-contract/message.js'
import { NodeProcess } from './node-process.js'

const until = async (cond: () => boolean, what: string, ms = 15000) => {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 5))
  }
}

t.test('SIGKILL: withdrawn, node down, NO_NODE for the unacknowledged within tolerance + 0.5 s', async t => {
  const toleranceMs = 1000
  const cluster = randomInt(1, 0x7fffffff)
  const type = 0x2000_0000 + randomInt(0, 0xffff)
  const options = { cluster, toleranceMs, heartbeatMs: 100 }
  const sender = await UdpTransport.open(options)
  t.teardown(() => sender.close())
  const peer = new NodeProcess(options)
  t.teardown(() => peer.kill())
  await peer.ready
  const events: BindingEvent[] = []
  const nodes: NodeEvent[] = []
  sender.subscribe({ type, lower: 0, upper: 10 }, e => events.push(e))
  sender.watchNodes(e => nodes.push(e))
  await peer.call('bind', { type, lower: 0, upper: 10 })
  await until(() => events.some(e => e.kind === 'published'), 'the binding')
  const tx = sender.rdm()
  const back: Array<{ m: ReceivedMessage; at: number }> = []
  tx.onMessages(batch => { for (const m of batch) back.push({ m, at: performance.now() }) })
  // A first message arrives and is acked: it must not come back.
  tx.send({ type, instance: 1 }, Buffer.from([0, 0, 0, 0]))
  const key = `${tx.address.node}:${tx.address.ref}`
  for (const deadline = Date.now() + 15000; ; await new Promise(r => setTimeout(r, 5))) {
    const { senders } = await peer.call('received') as { senders: Record<string, { received: number }> }
    if (senders[key]?.received === 1) break
    if (Date.now() > deadline) throw new Error('timed out waiting for the first message at the peer')
  }
  // Its ack follows within ackDelayMs (1 ms); a moment more for it to be read.
  await new Promise(r => setTimeout(r, 50))
  peer.kill('SIGKILL')
  await peer.exited
  const killedAt = performance.now()
  const count = 20
  for (let i = 1; i <= count; i++) t.ok(tx.send({ type, instance: 1 }, Buffer.from(`lost ${i}`)), `message ${i} taken (the link is not down yet)`)
  await until(() => back.length >= count, `${count} returns`, toleranceMs + 5000)
  const codes = new Set(back.map(b => b.m.returned?.code))
  t.same([...codes], ['NO_NODE'], 'every one NO_NODE')
  t.same(back.map(b => Buffer.from(b.m.returned!.data).toString()), Array.from({ length: count }, (_, i) => `lost ${i + 1}`), 'in order, with their data')
  const last = Math.max(...back.map(b => b.at)) - killedAt
  t.ok(last <= toleranceMs + 500, `all returned ${last.toFixed(0)} ms after the kill (tolerance ${toleranceMs} ms + 500)`)
  await until(() => events.some(e => e.kind === 'withdrawn'), 'the withdrawal')
  await until(() => nodes.some(e => e.kind === 'down' && e.node === peer.node), 'node down')
  t.equal(sender.stats().node.returned.NO_NODE, count, 'counted')
})
