// send() takes a copy of the data before it returns: the caller may write
// over its buffer at once, and what arrives is what the buffer held at the
// send. The topic layer relies on it: a large envelope is encoded into one
// reused buffer (envelope-slab.ts) and handed straight to send.
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, inbox, sendAll, str, text } from './wait.js'

/** `size` bytes that spell `label` first, then a pattern of `label`'s length. */
function filled(size: number, label: string): Uint8Array {
  const data = new Uint8Array(size)
  for (let i = 0; i < size; i++) data[i] = (i * 31 + label.length) & 0xff
  data.set(text(label))
  return data
}

conformance('send copies the data before it returns: the buffer written over at once changes nothing that arrives', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const here = c.node(0).rdm()
  const there = c.node(1).rdm()
  here.bind({ type, lower: 1, upper: 1 })
  there.bind({ type, lower: 2, upper: 2 })
  const [gotHere, gotThere] = [inbox(here), inbox(there)]
  const tx = c.node(0).rdm()
  await bindingsVisible(c.node(0), { type, lower: 1, upper: 2 }, 2)

  // One buffer for every send, as a sender that reuses its memory has: small, and the largest message.
  const sends: Array<[string, Parameters<typeof tx.send>[0]]> = [
    ['unicast here', here.address], ['unicast there', there.address],
    ['multicast', { type, lower: 1, upper: 2 }], ['anycast there', { type, instance: 2 }],
  ]
  const expected = new Map<string, Uint8Array>()
  for (const size of [64, 60 * 1024]) {
    const buffer = new Uint8Array(size)
    for (const [what, dest] of sends) {
      const label = `${what} ${size}`
      const data = filled(size, label)
      buffer.set(data)
      expected.set(label, data)
      await sendAll(tx, dest, buffer)
      buffer.fill(0xee)
    }
  }
  for (const s of [here, there]) await sendAll(tx, s.address, text('marker'))
  await Promise.all([gotHere.marker('marker'), gotThere.marker('marker')])

  const check = (got: typeof gotHere, names: string[]): void => {
    const arrived = got.data.filter(m => str(m.data) !== 'marker')
    t.equal(arrived.length, names.length * 2, `${names.join(', ')}: one copy each, at both sizes`)
    for (const m of arrived) {
      const want = [...expected].find(([label]) => str(m.data.subarray(0, label.length)) === label)
      if (want === undefined) {
        t.fail(`a message that was never sent arrived: ${JSON.stringify(str(m.data.subarray(0, 24)))}`)
        continue
      }
      t.same(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), Buffer.from(want[1]), `${want[0]}: the bytes of the moment it was sent`)
    }
  }
  check(gotHere, ['unicast here', 'multicast'])
  check(gotThere, ['unicast there', 'multicast', 'anycast there'])
})
