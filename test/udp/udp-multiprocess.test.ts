// The udp transport across separate Node processes on loopback, as users run
// it: this process and two children (each its own node, found by multicast
// discovery on loopback) — remote bindings in the topology service, anycast
// round-robin across processes, multicast to every process, and a process
// that leaves cleanly: its bindings withdrawn, its node down, and then no
// route to it.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { NoRouteError } from '../../core/transport-contract/errors.js'
import type { BindingEvent, NodeEvent } from '../../core/transport-contract/topology.js'
import { NodeProcess } from './node-process.js'

const until = async (cond: () => boolean, what: string, ms = 15000) => {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 5))
  }
}

const seq = (i: number) => {
  const b = Buffer.alloc(8)
  b.writeUInt32BE(i, 0)
  return b
}

// per sender, as the fixture counts (its order check assumes one stream, so
// with anycast spreading a stream over two processes only counts are used)
interface Seen { next: number; received: number; disorder: number }

t.test('three processes, one udp cluster on loopback', async t => {
  const cluster = randomInt(1, 0x7fffffff) // our own: other tests' nodes ignore us
  const type = 0x3000_0000 + randomInt(0, 0xffff)
  const options = { cluster, toleranceMs: 1000, heartbeatMs: 100 }
  const here = await UdpTransport.open(options)
  t.teardown(() => here.close())
  const children = [new NodeProcess(options), new NodeProcess(options)]
  t.teardown(() => children.forEach(c => c.kill()))
  await Promise.all(children.map(c => c.ready))
  t.not(children[0]!.node, children[1]!.node, 'each process is a node of its own')

  const events: BindingEvent[] = []
  const nodes: NodeEvent[] = []
  here.subscribe({ type, lower: 0, upper: 99 }, e => events.push(e))
  here.watchNodes(e => nodes.push(e))
  for (const c of children) await c.call('bind', { type, lower: 0, upper: 99 })
  await until(() => events.filter(e => e.kind === 'published').length === 2, 'both remote bindings')
  t.same(events.map(e => e.node).sort(), children.map(c => c.node).sort(), 'published by the two child nodes')
  t.ok(children.every(c => nodes.some(n => n.kind === 'up' && n.node === c.node)), 'both nodes up')

  const tx = here.rdm()
  let returned = 0
  tx.onMessages(batch => { for (const m of batch) if (m.returned) returned++ })
  // anycast: round-robin across the two processes, each stream in order
  for (let i = 0; i < 20; i++) while (!tx.send({ type, instance: 5 }, seq(i))) await tx.writable()
  const key = `${here.node}:${tx.address.ref}`
  const seenBy = async () => Promise.all(children.map(async c => ((await c.call('received')).senders as Record<string, Seen>)[key]))
  let seen: Array<Seen | undefined> = []
  const deadline = Date.now() + 15000
  while (Date.now() < deadline) {
    seen = await seenBy()
    if (seen.reduce((n, s) => n + (s?.received ?? 0), 0) === 20) break
    await new Promise(r => setTimeout(r, 20))
  }
  t.same(seen.map(s => s?.received), [10, 10], 'ten to each process')

  // multicast: every process gets each message
  for (let i = 0; i < 10; i++) while (!tx.send({ type, lower: 0, upper: 99 }, seq(100 + i))) await tx.writable()
  const mdeadline = Date.now() + 15000
  while (Date.now() < mdeadline) {
    seen = await seenBy()
    if (seen.every(s => s?.received === 20)) break
    await new Promise(r => setTimeout(r, 20))
  }
  t.same(seen.map(s => s?.received), [20, 20], 'all ten multicasts reached both processes')
  t.equal(returned, 0, 'nothing returned')

  // one process leaves cleanly
  const leaving = children[1]!
  await leaving.call('close')
  await leaving.exited
  await until(() => events.some(e => e.kind === 'withdrawn' && e.node === leaving.node), 'its binding withdrawn')
  await until(() => nodes.some(n => n.kind === 'down' && n.node === leaving.node), 'its node down')
  const gone = events.find(e => e.node === leaving.node)!.socket
  t.throws(() => tx.send(gone, seq(0)), NoRouteError, 'a socket on a node that is gone: no route, at once')
  for (let i = 0; i < 4; i++) while (!tx.send({ type, instance: 5 }, seq(200 + i))) await tx.writable()
  const rdeadline = Date.now() + 15000
  let left: Seen | undefined
  while (Date.now() < rdeadline) {
    left = ((await children[0]!.call('received')).senders as Record<string, Seen>)[key]
    if (left?.received === 24) break
    await new Promise(r => setTimeout(r, 20))
  }
  t.equal(left?.received, 24, 'anycast now goes to the process that is left, each message once')
})
