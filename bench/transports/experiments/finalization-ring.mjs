// Experiment, not part of the package: can one long-lived ArrayBuffer (a
// ring of 256 KiB segments) carry received messages without the
// mark-compacts that a fresh ArrayBuffer per batch causes, if every view
// handed out is registered with a FinalizationRegistry that counts the
// views still alive per segment? Pure JavaScript: views are made, read
// once and dropped, 28 per turn, for 3 s; no socket.
//
//   node --trace-gc bench/transports/experiments/finalization-ring.mjs [SIZE] [noreg] | grep -c Mark-Compact
//
// Prints views made per second, cleanup callbacks per second (they keep up
// when equal), and "reusedEarly": how often the ring came back to a segment
// that still had live views (a receiver would then fall back to a fresh
// block). `noreg` makes the same views without registering them.
const RING = 128 << 20
const SEGMENT = 256 << 10
const size = Number(process.argv[2] ?? 8192)
const register = process.argv[3] !== 'noreg'
const ring = new ArrayBuffer(RING)
const live = new Int32Array(RING / SEGMENT)
let cleanups = 0
const registry = new FinalizationRegistry((segment) => {
  cleanups++
  live[segment]--
})
let segment = 0
let offset = 0
let made = 0
let reusedEarly = 0
let sink = 0
const start = performance.now()
while (performance.now() - start < 3000) {
  for (let i = 0; i < 28; i++) {
    if (offset + size > SEGMENT) {
      segment = (segment + 1) % live.length
      offset = 0
      if (live[segment] !== 0) reusedEarly++
    }
    const view = new Uint8Array(ring, segment * SEGMENT + offset, size)
    if (register) {
      live[segment]++
      registry.register(view, segment)
    }
    sink += view[0] + view.byteLength
    offset += size
    made++
  }
  // Let the cleanup callbacks run, as a receiver's event loop would between batches.
  if (made % 2800 === 0) await new Promise((resolve) => setImmediate(resolve))
}
const seconds = (performance.now() - start) / 1000
console.log(JSON.stringify({ size, register, viewsPerSec: Math.round(made / seconds), cleanupsPerSec: Math.round(cleanups / seconds), reusedEarly, sink: sink > 0 }))
