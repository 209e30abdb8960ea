// Two kernels, one paused: node 1 streams RDM messages to node 2 while the
// host stops node 2 (SIGSTOP of its UML kernel, as a long GC pause would
// stop a node), in rounds: a pause under the link tolerance, then pauses
// past it. Records, per round, what kernel TIPC did with every message
// (received, returned with which code, or lost), the link, node and binding
// events on both nodes timed against the SIGSTOP and SIGCONT, and passes
// when that picture is consistent (see lib/round-verdict.ts). The udp
// transport's contract for a paused peer is matched against this record.
//   node 2: rdm-peer-pause receive
//   node 1: rdm-peer-pause send COUNT PAUSES [RATE]
//     PAUSES: pause lengths as multiples of the link tolerance, one round
//     each (0: a round without a pause); RATE: messages per second (1000)
// The kernel runner (test/kernel/run.sh) reads these lines:
// @two-guests node1: send 2000 0.5,2,3
// @two-guests node2: receive
import { execFileSync } from 'node:child_process'
import { DatagramSocket, NoRouteError, ownNode } from '../../../bindings/index.js'
import { PeerWatch, nodeAddress } from './lib/peer-watch.js'
import { judgeRound } from './lib/round-verdict.js'
import { StreamSender } from './lib/stream-sender.js'
import { receiveRounds } from './lib/stream-receiver.js'
import { MAX_ROUND, encodeFinish } from './lib/stream-wire.js'

const TYPE = 77100
const [role, countArg, pausesArg, rateArg] = process.argv.slice(2)
const log = (s: string) => console.log(`[rdm-peer-pause ${role} ${ownNode()}] ${s}`)

/** The tolerance of the link to node 2, as `tipc link stat show` prints it. */
function linkTolerance(): number {
  const stats = execFileSync('tipc', ['link', 'stat', 'show'], { encoding: 'utf8' })
  const m = /Tolerance:(\d+) ms/.exec(stats)
  if (!m) throw new Error(`no link tolerance in tipc link stat show:\n${stats}`)
  return Number(m[1])
}

async function send(): Promise<boolean> {
  const count = Number(countArg ?? 2000)
  const factors = (pausesArg ?? '0.5,2,3').split(',').map(Number)
  const rate = Number(rateArg ?? 1000)
  if (!(count > 0 && count <= MAX_ROUND) || factors.some(f => !(f >= 0)) || !(rate > 0)) throw new Error(`usage: send COUNT (1..${MAX_ROUND}) PAUSES [RATE]`)
  const tolerance = linkTolerance()
  const watch = await PeerWatch.open(nodeAddress(2), { type: TYPE, lower: 1, upper: 1 })
  const tx = DatagramSocket.open()
  tx.bind({ type: TYPE, instance: 2 }) // where node 2 sends its reports
  log(`link tolerance ${tolerance} ms (left as the kernel set it); ${count} messages of 3000 bytes per round at ${rate}/s; ` +
    `pauses ${factors.join(', ')}x the tolerance; sender socket: importance ${tx.importance}, ` +
    `src droppable ${tx.srcDroppable}, dest droppable ${tx.destDroppable}`)
  const sender = new StreamSender(tx, watch, TYPE)
  const failures: string[] = []
  for (const [i, factor] of factors.entries()) {
    const record = await sender.runRound({
      round: i + 1, count, pauseAt: Math.floor(count / 3), pauseMs: Math.round(factor * tolerance), ratePerSecond: rate,
    })
    const verdict = judgeRound(record, tolerance)
    for (const line of verdict.lines) log(line)
    failures.push(...verdict.failures)
  }
  // FINISH until node 2's socket is gone (it closes it on FINISH).
  for (let tries = 0; watch.bound > 0; tries++) {
    if (tries === 10) {
      failures.push('node 2 did not close its socket after FINISH')
      break
    }
    try {
      tx.sendto({ type: TYPE, instance: 1 }, encodeFinish())
    } catch (err) {
      if (!(err instanceof NoRouteError)) throw err
    }
    await watch.until(() => watch.bound === 0, 1000, "node 2's socket closing").catch(() => {})
  }
  for (const f of failures) log(`FAIL ${f}`)
  tx.close()
  watch.close()
  return failures.length === 0
}

if (role === 'receive') {
  process.exit((await receiveRounds(TYPE, log)) ? 0 : 1)
} else if (role === 'send') {
  process.exit((await send()) ? 0 : 1)
} else {
  console.error('usage: rdm-peer-pause receive | send COUNT PAUSES [RATE]')
  process.exit(2)
}
