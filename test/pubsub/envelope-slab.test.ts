// Encoded envelopes share slabs (envelope-slab.ts): each slice must be the
// envelope's alone (no overlap, never handed out twice), start zeroed, and
// a large envelope must get an array of its own.
import t from 'tap'
import { envelopeSpace, MAX_SLAB_SLICE, SLAB_BYTES } from '../../core/pubsub/envelope-slab.js'

/** The bytes an envelope of `length` is written to, as the encoder takes them. */
function envelopeBytes(length: number): Uint8Array {
  const { bytes, base } = envelopeSpace(length)
  return bytes.subarray(base, base + length)
}

t.test('slices never overlap and start zeroed, across slabs', async (t) => {
  const held: Uint8Array[] = []
  const sizes = [1, 7, 8, 150, 1023, MAX_SLAB_SLICE]
  for (let i = 0; held.length < (3 * SLAB_BYTES) / 100; i++) {
    const bytes = envelopeBytes(sizes[i % sizes.length]!)
    if (bytes.some(b => b !== 0)) t.fail(`slice ${i} was not zeroed`)
    bytes.fill(0xff)
    held.push(bytes)
  }
  const byBuffer = new Map<ArrayBufferLike, Array<[number, number]>>()
  for (const b of held) {
    const spans = byBuffer.get(b.buffer) ?? []
    spans.push([b.byteOffset, b.byteOffset + b.byteLength])
    byBuffer.set(b.buffer, spans)
  }
  t.ok(byBuffer.size > 1, 'the slices came from several slabs')
  let overlaps = 0
  for (const spans of byBuffer.values()) {
    spans.sort((a, b) => a[0] - b[0])
    for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) overlaps++
  }
  t.equal(overlaps, 0, 'no two slices share a byte')
  t.equal(held.reduce((n, b) => n + b.byteLength, 0), held.reduce((n, b) => n + b.filter(x => x === 0xff).length, 0), 'every byte written stayed written')
})

t.test('an envelope larger than a slice has its own array', async (t) => {
  const big = envelopeBytes(MAX_SLAB_SLICE + 1)
  t.equal(big.byteOffset, 0)
  t.equal(big.buffer.byteLength, MAX_SLAB_SLICE + 1)
  t.ok(big.every(b => b === 0), 'zeroed')
})
