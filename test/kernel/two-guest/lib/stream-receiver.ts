// Node 2 of rdm-peer-pause.ts: binds {type, 1}, receives node 1's rounds of
// DATA, and answers each END with a REPORT (what arrived, duplicates, order,
// and when it saw node 1 go down and up) sent to node 1's {type, 2}.
// Passes when nothing arrived twice, out of order or corrupt.
import { execFileSync } from 'node:child_process'
import { DatagramSocket, NoRouteError } from '../../../../bindings/index.js'
import { PeerWatch, nodeAddress } from './peer-watch.js'
import {
  DATA, END, FINISH, dataIntact, encodeReport, kindOf, roundOf, seqOf, type RoundReport,
} from './stream-wire.js'

interface RoundState {
  arrivedAt: Float64Array
  received: number
  duplicates: number
  outOfOrder: number
  corrupt: number
  highest: number
  /** When the round's first DATA arrived: its topology events count from there. */
  firstAt: number
}

/**
 * The receive buffer asked for. TIPC returns RDM messages OVERLOAD past a
 * limit that scales with SO_RCVBUF; a reader that falls behind for a moment
 * on a loaded host (one vCPU per guest) must not turn into returns that
 * have nothing to do with the pause under study.
 */
const RECEIVE_BUFFER = 64 << 20

const RUN_DEADLINE_MS = 240_000

export async function receiveRounds(type: number, log: (s: string) => void): Promise<boolean> {
  const watch = await PeerWatch.open(nodeAddress(1), { type, lower: 2, upper: 2 })
  const rx = DatagramSocket.open()
  const defaultBuffer = rx.receiveBufferSize
  execFileSync('sysctl', ['-qw', `net.core.rmem_max=${RECEIVE_BUFFER}`]) // the guest is ours
  rx.receiveBufferSize = RECEIVE_BUFFER
  log(`receive buffer ${defaultBuffer} -> ${rx.receiveBufferSize} bytes (SO_RCVBUF)`)
  rx.bind({ type, instance: 1 })
  const rounds = new Map<number, RoundState>()
  const reported = new Set<number>()
  let troubles = 0
  let returned = 0

  const state = (round: number, atLeast: number): RoundState => {
    let s = rounds.get(round)
    if (!s) {
      s = { arrivedAt: new Float64Array(0), received: 0, duplicates: 0, outOfOrder: 0, corrupt: 0, highest: -1, firstAt: Date.now() }
      rounds.set(round, s)
    }
    if (s.arrivedAt.length < atLeast) {
      const grown = new Float64Array(Math.max(1024, s.arrivedAt.length * 2, atLeast))
      grown.set(s.arrivedAt)
      s.arrivedAt = grown
    }
    return s
  }

  const report = (round: number, count: number): void => {
    const s = state(round, count)
    const events = watch.since(s.firstAt)
    let gaps = 0
    for (let i = 0; i < s.highest; i++) if (!s.arrivedAt[i]) gaps++
    const r: RoundReport = {
      round, received: s.received, duplicates: s.duplicates, outOfOrder: s.outOfOrder, corrupt: s.corrupt, gaps,
      peerDown: events.filter(e => e.kind === 'node-down').length,
      peerUp: events.filter(e => e.kind === 'node-up').length,
      peerDownAt: events.find(e => e.kind === 'node-down')?.at ?? 0,
      peerUpAt: events.findLast(e => e.kind === 'node-up')?.at ?? 0,
      arrivedAt: s.arrivedAt.subarray(0, count),
    }
    if (!reported.has(round)) {
      reported.add(round)
      if (s.duplicates || s.outOfOrder || s.corrupt) troubles++
      const seen = events.map(e => `${e.kind}@${new Date(e.at).toISOString().slice(17, 23)}`).join(' ') || 'none'
      log(`round ${round}: received ${s.received}/${count}, duplicates ${s.duplicates}, out of order ${s.outOfOrder}, ` +
        `corrupt ${s.corrupt}, gaps ${gaps}; node 1 events: ${seen}`)
    }
    try {
      // END is resent until a REPORT arrives, so a report lost here is sent again.
      if (!rx.sendto({ type, instance: 2 }, encodeReport(r))) log(`round ${round}: report refused (congestion); node 1 will ask again`)
    } catch (err) {
      if (!(err instanceof NoRouteError)) throw err
      log(`round ${round}: node 1's {${type}, 2} not known (yet); node 1 will ask again`)
    }
  }

  let finish!: () => void
  const finished = new Promise<void>(resolve => { finish = resolve })
  rx.onMessages(batch => {
    for (const m of batch) {
      if (m.returned) {
        returned++
        continue
      }
      const kind = kindOf(m.data)
      if (kind === DATA) {
        const seq = seqOf(m.data)
        const s = state(roundOf(m.data), seq + 1)
        if (!dataIntact(m.data)) s.corrupt++
        if (s.arrivedAt[seq]) s.duplicates++
        else {
          s.arrivedAt[seq] = Date.now()
          s.received++
        }
        if (seq < s.highest) s.outOfOrder++
        s.highest = Math.max(s.highest, seq)
      } else if (kind === END) {
        report(roundOf(m.data), new DataView(m.data.buffer, m.data.byteOffset + 8, 4).getUint32(0, true))
      } else if (kind === FINISH) {
        finish()
      }
    }
  })
  const deadline = setTimeout(() => {
    log(`no FINISH from node 1 within ${RUN_DEADLINE_MS} ms`)
    troubles++
    finish()
  }, RUN_DEADLINE_MS)
  await finished
  clearTimeout(deadline)
  if (returned) log(`${returned} of our reports came back (returned)`)
  rx.close()
  watch.close()
  return troubles === 0
}
