// The memory transport, in one process: the core's overhead alone (no
// sockets, no syscalls), through the same public API as the udp bench.
//
//   node bench/transports/memory-bench.mjs [--size S] [--batch B] [--duration SEC]
//
// Two nodes of one MemoryNetwork (default options: linkWindow 256,
// batchSize 64): a receiver socket bound to {T, 1} on node b counts what
// onMessages hands over; a sender on node a loops sendBatch({T, 1}, B
// messages) and awaits writable() when fewer are taken. After SEC seconds
// the sender sends END; the receiver's rate is from its first to its last
// data batch. Sender and receiver share the one thread (and its CPU).
import { MemoryNetwork } from '../../dist/core/index.js'
import { MAGIC_DATA, MAGIC_END, deadline, le32, markCpu, message, parseArgs, print, rate, valueOf } from './common.mjs'

const o = parseArgs({ type: 0x7e5700, size: 64, batch: 64, duration: 2 }, process.argv.slice(2))
deadline((o.duration + 30) * 1000, 'memory-bench')
const name = { type: o.type, instance: 1 }

const network = new MemoryNetwork()
const a = network.open()
const b = network.open()
const rx = b.rdm()
rx.bind(name)
const tx = a.rdm()

let delivered = 0, bytes = 0, firstBatch = 0, tFirst = 0, tLast = 0, batches = 0
let sent = 0, returned = 0, waits = 0, ended = false
rx.onMessages((batch) => {
  const t = performance.now()
  batches++
  let data = 0
  for (let i = 0; i < batch.length; i++) {
    const d = batch.at(i).data
    const magic = le32(d)
    if (d.byteLength === o.size && magic === MAGIC_DATA) {
      data++
      bytes += d.byteLength
    } else if (magic === MAGIC_END) {
      delivered += data
      if (data) tLast = t
      print({ role: 'recv', impl: 'memory', size: o.size, delivered, bytes, sent, sentReported: valueOf(d), returned, waits, batches,
        ...rate(delivered, firstBatch, tFirst, tLast, o.size) })
      process.exit(0)
    }
  }
  if (data) {
    if (delivered === 0) {
      tFirst = t
      firstBatch = data
    }
    delivered += data
    tLast = t
  }
})
tx.onMessages((batch) => {
  for (let i = 0; i < batch.length; i++) if (batch.at(i).returned) returned++
})

const msgs = new Array(o.batch).fill(message(o.size, MAGIC_DATA))
markCpu()
const tEnd = performance.now() + o.duration * 1000
function pump() {
  while (!ended) {
    if (performance.now() >= tEnd) {
      if (!tx.send(name, message(16, MAGIC_END, sent))) {
        waits++
        tx.writable().then(pump)
        return
      }
      ended = true
      return
    }
    const n = tx.sendBatch(name, msgs)
    sent += n
    if (n < o.batch) {
      waits++
      tx.writable().then(pump)
      return
    }
  }
}
pump()
