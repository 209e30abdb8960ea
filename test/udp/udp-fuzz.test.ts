// Untrusted input: random and mutated packets (a fixed seed, 100k+ of them)
// fed to a node's packet handler. Nothing may throw, hang or grow without
// bound; every bad packet is dropped and counted by reason, and no
// unexpected internal error is recorded.
import dgram from 'node:dgram'
import t from 'tap'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { CLUSTER, corpus, mutate } from './fuzz-corpus.js'

async function fuzz(t: import('tap').Test, options: { key?: string; count: number; seed: number }) {
  const sink = dgram.createSocket('udp4')
  await new Promise<void>(resolve => sink.bind(0, '127.0.0.1', () => resolve()))
  t.teardown(() => sink.close())
  const rinfo = { address: '127.0.0.1', port: sink.address().port }
  const transport = await UdpTransport.open({ discovery: false, cluster: CLUSTER, maxPeers: 16, ...(options.key ? { key: options.key } : {}) })
  t.teardown(() => transport.close())
  const rx = transport.rdm()
  rx.bind({ type: 100, lower: 0, upper: 100 })
  rx.onMessages(() => {})
  const seeds = corpus(transport.node, transport.session)
  const random = new SeededRandom(options.seed)
  const deadline = Date.now() + 90_000
  const heapBefore = process.memoryUsage().heapUsed
  for (let i = 0; i < options.count; i++) {
    const seed = seeds[random.int(0, seeds.length - 1)]!
    const p = random.chance(0.1) ? seed : mutate(random, seed)
    transport.receivePacket(p, rinfo)
    if (i % 2000 === 0) {
      await new Promise(resolve => setImmediate(resolve))
      if (Date.now() > deadline) throw new Error(`fuzz did not finish in time (${i} packets)`)
    }
  }
  await new Promise(resolve => setTimeout(resolve, 20))
  const s = transport.stats()
  const d = s.node.drops
  t.equal(s.node.packetsReceived, options.count, `${options.count} packets handled, none thrown`)
  t.equal(transport.lastInternalError, undefined, 'no unexpected error inside the handler')
  t.ok(d.malformed > 0, `drops: ${JSON.stringify(d)}`)
  t.ok(Object.keys(s.links).length <= 32, 'links kept (live and past) stay within twice maxPeers')
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore
  t.ok(heapGrowth < 256 << 20, `heap grew ${(heapGrowth / 1048576).toFixed(1)} MiB (bounded)`)
  return s
}

t.test('100k random and mutated packets, unsealed', async t => {
  await fuzz(t, { count: 100_000, seed: 20240601 })
})

t.test('20k random and mutated packets to a node with a key: all refused by authentication', async t => {
  const s = await fuzz(t, { count: 20_000, seed: 77, key: 'a cluster key of at least 16 bytes' })
  t.equal(s.node.beaconsReceived, 0, 'nothing unauthenticated got through')
  t.ok(s.node.drops.auth > 0, `${s.node.drops.auth} refused by authentication`)
})
