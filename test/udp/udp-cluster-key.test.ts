// A pre-shared cluster key: nodes with the key talk (every packet sealed);
// a node with another key, or none, is never linked, its packets counted as
// authentication failures.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { openUdpCluster } from '../conformance/clusters/udp.js'
import { bindingsVisible } from '../conformance/wait.js'

const until = async (cond: () => boolean, what: string, ms = 15000) => {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 5))
  }
}

for (const cipher of ['chacha20-poly1305', 'aes-256-gcm'] as const) {
  t.test(`${cipher}: keyed nodes talk; wrong key and no key are refused`, async t => {
    const key = `cluster key ${randomInt(0, 1e9)} for tests`
    const [a, b] = await openUdpCluster(2, { key, cipher })
    const cluster = a!.cluster
    const wrong = await UdpTransport.open({ cluster, key: 'some other key, 16+ bytes', cipher })
    const none = await UdpTransport.open({ cluster })
    t.teardown(() => Promise.all([a, b, wrong, none].map(n => n!.close())))
    t.equal(a!.capabilities.crypto, true)
    const type = 0x5000_0000 + randomInt(0, 0xffff)
    const rx = b!.rdm()
    rx.bind({ type, instance: 1 })
    const got: string[] = []
    rx.onMessages(batch => { for (const m of batch) got.push(Buffer.from(m.data).toString()) })
    await bindingsVisible(a!, { type, lower: 1, upper: 1 }, 1)
    a!.rdm().send({ type, instance: 1 }, Buffer.alloc(20000, 'x'))
    a!.rdm().send({ type, instance: 1 }, Buffer.from('sealed'))
    await until(() => got.includes('sealed'), 'the message')
    await until(() => a!.stats().node.drops.auth >= 2, 'refused packets of both strangers')
    const links = a!.stats().links
    t.notOk(wrong.node in links || none.node in links, 'no link to a stranger (not even one waiting to come up)')
    t.equal(got[0]!.length, 20000, 'a fragmented message through sealed packets')
  })
}
