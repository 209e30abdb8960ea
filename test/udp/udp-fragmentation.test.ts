// Fragmentation and reassembly, alone: sizes around the packet boundary,
// and out-of-place fragments refused.
import t from 'tap'
import { Malformed } from '../../core/transports/udp/bytes.js'
import { Reassembler, fragmentInto } from '../../core/transports/udp/fragmenter.js'
import { ITEM_LAST, ITEM_MIDDLE, ITEM_WHOLE, itemSize, type Item } from '../../core/transports/udp/packet.js'

function fragment(record: Uint8Array, space: number): Item[] {
  const items: Item[] = []
  fragmentInto(items, record, space)
  return items
}

t.test('every size up to 66000 through packets of several sizes', async t => {
  for (const space of [64, 1400, 64967]) {
    const r = new Reassembler()
    for (const size of [1, space - 6, space - 5, space - 4, space, space + 1, 3 * space, 66064].filter(n => n <= 66064)) {
      const record = Buffer.alloc(size).map((_, i) => (i * 7) & 0xff)
      const items = fragment(record, space)
      t.ok(items.every(i => itemSize(i) <= space), `items of ${size} fit ${space}`)
      let out: Uint8Array | undefined
      for (const item of items) out = r.push(item)
      t.same(Buffer.from(out!), record, `${size} bytes in ${items.length} items of ${space}`)
    }
  }
})

t.test('fragments out of place are Malformed and the record in progress is discarded', async t => {
  const r = new Reassembler()
  const items = fragment(Buffer.alloc(1000, 1), 100)
  t.throws(() => r.push(items[1]!), Malformed, 'a middle without a first')
  r.push(items[0]!)
  t.throws(() => r.push({ kind: ITEM_WHOLE, total: 1, bytes: Buffer.alloc(1) }), Malformed, 'a whole record inside a fragmented one')
  t.equal(r.pending, 0, 'discarded')
  r.push(items[0]!)
  t.throws(() => r.push({ kind: ITEM_LAST, total: 0, bytes: Buffer.alloc(5) }), Malformed, 'a last fragment short of the total')
  r.push(items[0]!)
  t.throws(() => r.push({ kind: ITEM_MIDDLE, total: 0, bytes: Buffer.alloc(5000) }), Malformed, 'beyond the total')
})
