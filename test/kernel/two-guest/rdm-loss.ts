// Two kernels joined by a veth pair: RDM across a real TIPC link that drops
// 10% of the packets node 1 sends (netem). TIPC's link layer must repair
// every loss: the receiver checks that all messages arrived once, in order,
// intact; the sender checks that loss really happened (retransmissions in
// the link statistics).
//   node 2: rdm-loss receive COUNT
//   node 1: rdm-loss send COUNT    (adds the netem loss itself)
// The kernel runner (test/kernel/run.sh) reads these lines:
// @two-guests node1: send 2000
// @two-guests node2: receive 2000
import { execFileSync } from 'node:child_process'
import { DatagramSocket, TopologyClient, encodeDestination, ownNode } from '../../../bindings/index.js'

const TYPE = 77000
const SIZE = 3000 // over the 1500-byte MTU: every message is fragmented on the link
const WINDOW = 256
const [role, countArg] = process.argv.slice(2)
const count = Number(countArg ?? 2000)
const log = (s: string) => console.log(`[rdm-loss ${role} ${ownNode()}] ${s}`)

function payload(seq: number): Uint8Array {
  const b = new Uint8Array(SIZE)
  new DataView(b.buffer).setUint32(0, seq, true)
  for (let i = 4; i < SIZE; i++) b[i] = (seq + i) & 0xff
  return b
}

function intact(seq: number, b: Uint8Array): boolean {
  if (b.byteLength !== SIZE) return false
  for (let i = 4; i < SIZE; i++) if (b[i] !== ((seq + i) & 0xff)) return false
  return true
}

if (role === 'receive') {
  const rx = DatagramSocket.open()
  rx.bind({ type: TYPE, instance: 1 })
  let next = 0
  let bad = 0
  await new Promise<void>(resolve => {
    rx.onMessages(batch => {
      for (const m of batch) {
        const seq = new DataView(m.data.buffer, m.data.byteOffset, 4).getUint32(0, true)
        if (seq !== next || !intact(seq, m.data)) bad++
        next = seq + 1
        if (next % 64 === 0 || next === count) rx.sendto(m.from, new Uint8Array(new Uint32Array([next]).buffer))
      }
      if (next >= count) resolve()
    })
  })
  await new Promise(r => setTimeout(r, 500)) // let the last credit leave before the socket goes
  log(`received ${next} messages, ${bad} out of order or corrupt`)
  rx.close()
  process.exit(next === count && bad === 0 ? 0 : 1)
} else if (role === 'send') {
  const topo = await TopologyClient.open()
  await new Promise<void>(resolve => {
    topo.subscribe({ type: TYPE, lower: 1, upper: 1 }, e => { if (e.kind === 'published') resolve() }, {})
  })
  topo.close()
  execFileSync('tc', ['qdisc', 'add', 'dev', 'vec0', 'root', 'netem', 'loss', '10%'])
  log('netem: 10% loss on vec0')
  const tx = DatagramSocket.open()
  let credited = 0
  let returned = 0
  tx.onMessages(batch => {
    for (const m of batch) {
      if (m.returned) returned++
      else credited = Math.max(credited, new DataView(m.data.buffer, m.data.byteOffset, 4).getUint32(0, true))
    }
  })
  const dest = encodeDestination({ type: TYPE, instance: 1 })
  const lengths = new Uint32Array([SIZE])
  let sent = 0
  let congested = 0
  while (sent < count) {
    if (sent - credited >= WINDOW) {
      await new Promise(r => setTimeout(r, 1))
      continue
    }
    if (tx.sendPacked(dest, payload(sent), lengths, 1) === 1) sent++
    else {
      congested++ // link congestion (EAGAIN): wait for writability, never drop
      await tx.writable()
    }
  }
  const deadline = Date.now() + 60_000
  while (credited < count && Date.now() < deadline) await new Promise(r => setTimeout(r, 10))
  const stats = execFileSync('tipc', ['link', 'stat', 'show'], { encoding: 'utf8' })
  // "TX states:.. probes:.. naks:.. acks:.. retrans:N" per link, summed
  const retransmitted = [...stats.matchAll(/retrans:(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  log(`sent ${sent}, acknowledged ${credited}, returned ${returned}, link retransmissions ${retransmitted}, ` +
    `sends refused for link congestion ${congested}`)
  execFileSync('tc', ['qdisc', 'del', 'dev', 'vec0', 'root'])
  const ok = credited === count && returned === 0 && retransmitted > 0
  if (retransmitted === 0) log('no retransmissions seen: the loss did not happen, so this proves nothing')
  tx.close()
  process.exit(ok ? 0 : 1)
} else {
  console.error('usage: rdm-loss send|receive COUNT')
  process.exit(2)
}
