// Two kernels joined by a veth pair: multicast copies rejected on node 2
// cross a real TIPC link back to node 1 and are delivered there by name,
// as in the netns cluster (cluster-mcast-returns-*.test.ts, where nodes
// share one kernel and skip the link): a cluster-scope bystander gets every
// one, a node-scope bystander and the unbound sender get none. For both
// codes and both explicit methods, one round each.
//   node 2: mcast-returns reject   binds the rejecting sockets, rejects, and
//                                  reports each round's count to node 1
//   node 1: mcast-returns send     multicasts and checks who got what back
// The kernel runner (test/kernel/run.sh) reads these lines:
// @two-guests node1: send
// @two-guests node2: reject
import { DatagramSocket, ownNode } from '../../../bindings/index.js'
import {
  EXPLICIT_METHODS, REJECT_CODES, Rejecter, SENT, Sockets, sendMany, settle, untilBound, useMethod, type McastMethod, type RejectCode,
} from '../mcast-returns.js'

const TYPE = 78000
/** Node 1 binds {REPORT, round}: node 2 tells it there how many it rejected. */
const REPORT = 78100
/** Node 2 binds {DONE, 0}: node 1 says there that it has finished, so node 2 keeps its sockets until then. */
const DONE = 78200
const role = process.argv[2]
const log = (s: string) => console.log(`[mcast-returns ${role} ${ownNode()}] ${s}`)

const rounds: Array<{ method: McastMethod; code: RejectCode; range: { type: number; lower: number; upper: number } }> = []
for (const method of EXPLICIT_METHODS) {
  for (const code of REJECT_CODES) rounds.push({ method, code, range: { type: TYPE + rounds.length, lower: 0, upper: 9 } })
}

function nextMessage(socket: DatagramSocket): Promise<string> {
  return new Promise(resolve => {
    socket.onMessages(batch => {
      const m = batch.at(0)
      if (m && !m.returned) resolve(Buffer.from(m.data).toString())
    })
  })
}

const sockets = new Sockets()
let failures = 0
if (role === 'reject') {
  const done = sockets.socket()
  done.bind({ type: DONE, instance: 0 })
  const finished = nextMessage(done)
  const rejecters = rounds.map(r => new Rejecter(sockets, r.code, r.range))
  const report = sockets.socket()
  for (const [i, round] of rounds.entries()) {
    const { rejected, held } = await rejecters[i]!.reject(SENT[round.code])
    log(`round ${i} (${round.code}, ${round.method}): kept ${held}, rejected ${rejected}`)
    await untilBound(undefined, { type: REPORT, lower: i, upper: i }, 1)
    report.sendto({ type: REPORT, instance: i }, Buffer.from(String(rejected)))
  }
  log(`node 1 says: ${await finished}`)
} else if (role === 'send') {
  for (const [i, { method, code, range }] of rounds.entries()) {
    const reportInbox = sockets.socket()
    reportInbox.bind({ type: REPORT, instance: i })
    const reported = nextMessage(reportInbox)
    const witness = sockets.inbox().bound(range, 'cluster')
    const nodeScope = sockets.inbox().bound(range, 'node')
    const tx = sockets.inbox()
    useMethod(tx.socket, method)
    await untilBound(undefined, range, 2)
    await sendMany(tx.socket, range, SENT[code])
    const rejected = Number(await reported)
    await settle([[witness, rejected]], 20_000)
    const got = { witness: witness.returned.length, nodeScope: nodeScope.returned.length, sender: tx.returned.length }
    const ok = got.witness === rejected && witness.returned.every(r => r.code === code) && got.nodeScope === 0 && got.sender === 0
    if (!ok) failures++
    log(`round ${i} (${code}, ${method}): node 2 rejected ${rejected}; returned copies: ${JSON.stringify(got)} ${ok ? 'ok' : 'NOT OK'}`)
  }
  await untilBound(undefined, { type: DONE, lower: 0, upper: 0 }, 2)
  sockets.socket().sendto({ type: DONE, instance: 0 }, Buffer.from(failures ? 'failed' : 'passed'))
} else {
  console.error(`usage: mcast-returns send|reject (got ${role})`)
  process.exit(2)
}
sockets.close()
process.exit(failures ? 1 : 0)
