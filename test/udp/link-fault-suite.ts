// What the two link-fault test files (udp-peer-pause, udp-forged-packet)
// share: the seeds, one receiver process per file, and
// asserting a scenario row's checks (stream-contract.ts).
//
// They failed on the link before incarnations (issue 8: a paused peer or
// one forged datagram broke the link for good) and ran only on request;
// they run in every npm test since the agreed reset landed.
// TIPC_RX_ISSUE8_SEEDS=1,2,3 picks the seeds (default 1,2).
import t, { type Test } from 'tap'
import type { ScenarioRow } from './link-fault-scenarios.js'
import { tableHeader, tableRow } from './scenario-table.js'
import { checksFor } from './stream-contract.js'
import { ReceiverProcess } from './stream-receiver-process.js'

export function suiteSeeds(): number[] {
  const raw = process.env.TIPC_RX_ISSUE8_SEEDS
  if (!raw) return [1, 2]
  const seeds = raw.split(',').map(s => Number(s.trim()))
  if (seeds.some(s => !Number.isInteger(s))) throw new Error(`TIPC_RX_ISSUE8_SEEDS must be integers separated by commas, got ${raw}`)
  return seeds
}

let receiver: Promise<ReceiverProcess> | undefined

/** The file's receiver process, started by the first test that asks (a skipped file starts none). */
export function sharedReceiver(): Promise<ReceiverProcess> {
  if (!receiver) {
    receiver = ReceiverProcess.start()
    t.teardown(async () => (await receiver)?.exit())
  }
  return receiver
}

/** The row (as the probe prints it), then each of its scenario's checks. */
export function assertRow(t: Test, row: ScenarioRow): void {
  t.comment(tableHeader())
  t.comment(tableRow(row))
  for (const c of checksFor(row)) t.ok(c.ok, c.what)
  const deliveredNoNode = row.counts.deliveredAndReturned.NO_NODE
  if (deliveredNoNode > 0) t.comment(`${deliveredNoNode} messages came back NO_NODE although delivered (lost with the link before their ack came back)`)
}
