// What issue 8 asks of the link under a fault, as checks on a scenario row.
// The tests assert each check; the probe prints the ids of the ones that
// fail, so its "before" and "after" tables say the same things.
import { AGREE_WITHIN_MS, type ScenarioRow } from './link-fault-scenarios.js'
import { STREAM_LENGTH, TIMING } from './link-run.js'
import { deliveredAndWronglyReturned, totalReturned } from './stream-ledger.js'

export interface Check {
  /** A short name for the table. */
  id: string
  ok: boolean
  /** The sentence a test asserts, with the numbers. */
  what: string
}

/**
 * Every message the sender's send() took is delivered exactly once, in
 * order, or returned (never both, except NO_NODE: counted and reported);
 * the sender never waits forever and the stream goes on to the end; after
 * the fault both sides list the same bindings within AGREE_WITHIN_MS.
 */
export function streamContract(row: ScenarioRow): Check[] {
  const c = row.counts
  const agreed = row.agreeMs === undefined ? 'never' : `after ${Math.round(row.agreeMs)} ms`
  return [
    { id: 'stuck', ok: row.stream.stuck === undefined, what: `the sender never waits forever${row.stream.stuck ? ` (it gave up waiting for ${row.stream.stuck} at message ${String(row.stream.stuckAt)})` : ''}` },
    { id: 'incomplete', ok: row.stream.completed, what: `the stream goes on: all ${STREAM_LENGTH} messages taken (${c.taken} were)` },
    { id: 'neither', ok: c.neither === 0, what: `every taken message is delivered or returned (${c.neither} neither)` },
    { id: 'dup', ok: c.duplicates === 0, what: `no message delivered twice (${c.duplicates} duplicates)` },
    { id: 'ooo', ok: c.outOfOrder === 0, what: `delivered in order (${c.outOfOrder} out of order)` },
    { id: 'both', ok: deliveredAndWronglyReturned(c) === 0, what: `no message both delivered and returned with a code other than NO_NODE (${deliveredAndWronglyReturned(c)})` },
    { id: 'ret2', ok: c.returnedTwice === 0, what: `no message returned twice (${c.returnedTwice})` },
    { id: 'phantom', ok: c.neverTaken === 0, what: `nothing delivered or returned that send() never took (${c.neverTaken})` },
    { id: 'agree', ok: row.agreeMs !== undefined && row.agreeMs <= AGREE_WITHIN_MS, what: `both sides list the same bindings within ${AGREE_WITHIN_MS} ms of the fault's end (${agreed})` },
    { id: 'split', ok: row.agreeAtEnd, what: 'and still do when the stream is over' },
  ]
}

/** A pause shorter than the tolerance is no fault at all for the link. */
export function rodeOutPause(row: ScenarioRow): Check[] {
  return [
    { id: 'returned', ok: totalReturned(row.counts) === 0, what: `a pause within the tolerance: nothing returned (${totalReturned(row.counts)})` },
    { id: 'reset', ok: row.linksDown.sender === 0 && row.linksDown.receiver === 0, what: `and the link stays up on both sides (down ${row.linksDown.sender}/${row.linksDown.receiver})` },
  ]
}

/** An injected packet is dropped and the drop counted, by reason. */
export function droppedAndCounted(row: ScenarioRow): Check[] {
  const dropped = Object.values(row.receiverDrops).reduce((n, d) => n + (d ?? 0), 0)
  return [{ id: 'uncounted', ok: dropped >= 1, what: `the receiver dropped the packet and counted it by reason (${JSON.stringify(row.receiverDrops)})` }]
}

/** The checks of a row's scenario. */
export function checksFor(row: ScenarioRow): Check[] {
  const extra = row.pauseMs === undefined ? droppedAndCounted(row) : row.pauseMs < TIMING.toleranceMs ? rodeOutPause(row) : []
  return [...streamContract(row), ...extra]
}
