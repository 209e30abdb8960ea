// Untrusted input through the real socket: random and mutated datagrams
// (fixed seed) sent to a node's native socket in batches, so they take the
// whole receive path (recvmmsg, the packed batch, the views, the cached
// sender) before wire.check. Every one is counted as received, the bad
// ones are dropped and counted by reason, nothing unexpected is recorded,
// and the node still makes a link and delivers afterwards.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { UdpSocket } from '../../bindings/udp-socket.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { CLUSTER, corpus, mutate } from './fuzz-corpus.js'

const COUNT = 20_000
const BATCH = 200

t.test(`${COUNT} random and mutated datagrams through the native socket: counted, dropped by reason, node alive`, async t => {
  const node = await UdpTransport.open({ discovery: false, cluster: CLUSTER, maxPeers: 16, socket: 'native' })
  t.teardown(() => node.close())
  t.equal(node.stats().socket.kind, 'native')
  const rx = node.rdm()
  const type = 0x4000_0000 + randomInt(0, 0xffff)
  rx.bind({ type, lower: 0, upper: 100 })
  const delivered: string[] = []
  rx.onMessages(batch => {
    for (const m of batch) delivered.push(Buffer.from(m.data).toString())
  })
  const fuzzer = UdpSocket.bind({ address: '127.0.0.1', port: 0, onDatagram: () => {} })
  t.teardown(() => fuzzer.close())
  const seeds = corpus(node.node, node.session)
  const random = new SeededRandom(9090)
  const destinations = new Uint32Array(2 * BATCH)
  for (let i = 0; i < BATCH; i++) {
    destinations[2 * i] = 0x7f000001
    destinations[2 * i + 1] = node.port
  }
  const parts = new Uint32Array(BATCH).fill(1)
  const deadline = Date.now() + 60_000
  let taken = 0
  for (let sent = 0; sent < COUNT; sent += BATCH) {
    const packets = Array.from({ length: BATCH }, () => {
      const seed = seeds[random.int(0, seeds.length - 1)]!
      return random.chance(0.1) ? seed : mutate(random, seed)
    })
    taken += fuzzer.sendBatch(packets, parts, destinations, BATCH)
    // Paced by what the node has read, so the kernel never drops for want of buffer.
    while (node.stats().node.packetsReceived < sent + BATCH) {
      if (Date.now() > deadline) throw new Error(`the node read only ${node.stats().node.packetsReceived} of ${sent + BATCH}`)
      await new Promise(resolve => setImmediate(resolve))
    }
  }
  const s = node.stats()
  t.equal(taken, COUNT, 'the kernel took every datagram')
  t.equal(s.node.packetsReceived, COUNT, 'every datagram reached the packet handler')
  t.ok(s.socket.receiveCalls < COUNT, `batched: ${COUNT} datagrams in ${s.socket.receiveCalls} receive calls`)
  t.ok(s.node.drops.malformed > 0, `drops: ${JSON.stringify(s.node.drops)}`)
  t.equal(node.lastInternalError, undefined, 'no unexpected error inside the handler')

  // Still alive: a real peer finds it by a unicast beacon, and a message gets through.
  const peer = await UdpTransport.open({ discovery: false, cluster: CLUSTER, peers: [{ address: '127.0.0.1', port: node.port }], beaconMs: 20 })
  t.teardown(() => peer.close())
  const tx = peer.rdm()
  for (;;) {
    if (Date.now() > deadline) throw new Error('the peer never saw the binding')
    try {
      if (tx.send({ type, instance: 7 }, Buffer.from('after the fuzz'))) break
    } catch {
      // no route yet: the link and the binding are still on their way
    }
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  while (!delivered.includes('after the fuzz')) {
    if (Date.now() > deadline) throw new Error('the message never arrived')
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  t.pass('a message from a real peer arrived after the fuzz')
})
