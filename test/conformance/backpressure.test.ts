// Backpressure: a burst larger than the link can carry makes send() return
// false (the message was not taken) until writable(); no hidden buffer, and
// nothing lost or doubled on the way.
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, until } from './wait.js'

conformance('a burst across a link: send() refuses, writable() resumes, all arrive once, in order', { nodes: 2, minNodes: 2, needsLinks: true }, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(1).rdm()
  rx.bind({ type, instance: 1 })
  const seen: number[] = []
  let returned = 0
  rx.onMessages(batch => { for (const m of batch) seen.push(new DataView(m.data.buffer, m.data.byteOffset).getUint32(0)) })
  await bindingsVisible(c.node(0), { type, lower: 1, upper: 1 }, 1)
  const tx = c.node(0).rdm()
  tx.onMessages(batch => { for (const m of batch) if (m.returned) returned++ })
  const total = 5000
  let refused = 0
  const msg = new Uint8Array(1000)
  for (let i = 0; i < total; i++) {
    new DataView(msg.buffer).setUint32(0, i)
    while (!tx.send({ type, instance: 1 }, msg)) {
      refused++
      await tx.writable()
    }
  }
  t.ok(refused > 0, `send() refused ${refused} times`)
  await until(() => (seen.length + returned === total ? true : undefined), `${total} delivered or returned`)
  t.equal(returned, 0, 'a reading receiver returns nothing')
  t.ok(seen.every((v, i) => v === i), 'each once, in order')
})

conformance('writable() resolves at once when nothing is congested', {}, async (t, c) => {
  const s = c.node(0).rdm()
  await s.writable()
  t.pass('resolved')
})
