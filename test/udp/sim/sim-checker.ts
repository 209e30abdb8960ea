// The checker, run after each seed: what issue 8 promises of the link.
//   accounting   every message a stream took is delivered exactly once, in
//                order, intact, or returned NO_NODE; both only when the
//                link was declared down (counted); never neither
//   convergence  every pair of nodes ends up, with the same incarnation
//                pair at both ends, with the real sessions
//   nothing pending  every stream took all its messages (no sender waits
//                forever), no link holds queued or unacked records
//   the tolerance after the poll phase  a node paused for less than the
//                tolerance on a lossless network (two nodes, no other pause
//                then) does not declare its peer silent when it resumes: the
//                peer's packets wait in its socket
//   injections   a datagram the adversary injected while the link was up
//                leaves it up with the same pair, and is counted as a drop
import { deliveredAndWronglyReturned, type StreamCounts } from '../stream-ledger.js'
import type { InjectionOutcome, SimNode } from './sim-node.js'
import { TOLERANCE_MS, type Scenario } from './sim-scenario.js'

export interface SeedReport {
  failures: string[]
  /** Messages taken, delivered, returned, delivered-and-returned (after a declared down), over every stream. */
  taken: number
  delivered: number
  returned: number
  overlap: number
  downs: number
  /** Injected datagrams that arrived, by attack and by what they raised (`none`: no drop counted). */
  injected: Record<string, Record<string, number>>
}

export function check(nodes: readonly SimNode[], scenario: Scenario): SeedReport {
  const report: SeedReport = { failures: [], taken: 0, delivered: 0, returned: 0, overlap: 0, downs: 0, injected: {} }
  const fail = (what: string): void => { report.failures.push(what) }
  for (const a of nodes) {
    for (const d of a.downs.values()) report.downs += d
    for (const b of nodes) {
      if (a === b) continue
      accounting(`${a.id}->${b.id}`, a.streams.get(b.id)!.ledger.account(b.tallies.get(a.id)!), b.tallies.get(a.id)!.corrupt, report, fail)
      if (a.id < b.id) converged(a, b, fail)
    }
    if (!a.streamsDone) fail(`node ${a.id}: a stream is stuck (${[...a.streams.values()].map(s => `to ${s.to}: ${s.next} taken, stalled ${s.stalled}`).join('; ')})`)
    if (a.peers.busy) fail(`node ${a.id}: a link still holds queued or unacked records`)
    for (const o of a.injections) injection(a, o, report, fail)
  }
  resumes(nodes, scenario, fail)
  return report
}

function resumes(nodes: readonly SimNode[], s: Scenario, fail: (what: string) => void): void {
  if (s.nodes !== 2 || s.faults.drop > 0) return
  for (const p of s.pauses) {
    const node = nodes[p.node]!
    const end = p.at + p.ms
    if (p.ms >= TOLERANCE_MS || node.process.overflowed > 0) continue
    if (s.pauses.some(o => o !== p && o.at < end && o.at + o.ms > p.at)) continue
    for (const d of node.downLog) {
      if (d.initiated && d.at === end) fail(`node ${node.id}, paused ${p.ms.toFixed(1)} ms (< tolerance ${TOLERANCE_MS}), declared ${d.peer} silent as it resumed, before reading its socket`)
    }
  }
}

function accounting(stream: string, c: StreamCounts, corrupt: number, report: SeedReport, fail: (what: string) => void): void {
  report.taken += c.taken
  report.delivered += c.delivered
  report.returned += c.returned.NO_NODE
  report.overlap += c.deliveredAndReturned.NO_NODE
  if (c.neither > 0) fail(`${stream}: ${c.neither} taken messages neither delivered nor returned`)
  if (c.duplicates > 0) fail(`${stream}: ${c.duplicates} duplicate deliveries`)
  if (c.outOfOrder > 0) fail(`${stream}: ${c.outOfOrder} deliveries out of order`)
  if (deliveredAndWronglyReturned(c) > 0) fail(`${stream}: delivered and returned with another code than NO_NODE`)
  if (c.returnedTwice > 0) fail(`${stream}: ${c.returnedTwice} messages returned twice`)
  if (c.neverTaken > 0) fail(`${stream}: ${c.neverTaken} deliveries or returns of messages never taken`)
  if (corrupt > 0) fail(`${stream}: ${corrupt} deliveries with other bytes than sent`)
}

function converged(a: SimNode, b: SimNode, fail: (what: string) => void): void {
  const va = a.view(b.id)
  const vb = b.view(a.id)
  const pair = `${a.id}<->${b.id}`
  if (!va?.up || !vb?.up) return fail(`${pair}: not up at both ends (${JSON.stringify(va)} / ${JSON.stringify(vb)})`)
  if (va.session !== b.session || vb.session !== a.session) fail(`${pair}: up with a session that is not the peer's`)
  if (va.incarnation !== vb.peerIncarnation || vb.incarnation !== va.peerIncarnation) {
    fail(`${pair}: the ends disagree on the incarnations (${va.incarnation}/${va.peerIncarnation} vs ${vb.incarnation}/${vb.peerIncarnation})`)
  }
}

function injection(at: SimNode, o: InjectionOutcome, report: SeedReport, fail: (what: string) => void): void {
  const attack = o.packet.origin
  const byReason = (report.injected[attack] ??= {})
  const reason = o.dropped ?? 'none'
  byReason[reason] = (byReason[reason] ?? 0) + 1
  const b = o.before
  if (!b?.up) return
  const a = o.after
  if (!a?.up || a.session !== b.session || a.incarnation !== b.incarnation || a.peerIncarnation !== b.peerIncarnation) {
    fail(`node ${at.id}: an injected ${attack} datagram changed the link that was up (${JSON.stringify(b)} -> ${JSON.stringify(a)})`)
  }
  if (o.dropped === undefined) fail(`node ${at.id}: an injected ${attack} datagram arriving on a link that was up was not counted as a drop`)
}
