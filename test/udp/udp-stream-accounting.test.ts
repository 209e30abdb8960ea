// The accounting behind the link-fault scenarios (issue 8), on made-up
// ledgers and tallies: the guarded tests and the probe are only as right as
// these counts, and they run in every npm test while the scenarios wait for
// the fix.
import t from 'tap'
import type { ScenarioRow } from './link-fault-scenarios.js'
import { STREAM_LENGTH, TIMING } from './link-run.js'
import { SenderLedger, deliveredAndWronglyReturned, totalReturned, type ReceiverTally } from './stream-ledger.js'
import { checksFor } from './stream-contract.js'

const tally = (length: number, deliveries: Record<number, number>, extra: Partial<ReceiverTally> = {}): ReceiverTally => {
  const counts = new Uint8Array(length)
  for (const [seq, n] of Object.entries(deliveries)) counts[Number(seq)] = n
  return { counts, outOfOrder: 0, beyond: 0, ...extra }
}

t.test('each taken message is delivered, returned, both, or neither; extras are counted apart', async t => {
  const ledger = new SenderLedger(16)
  for (let seq = 0; seq < 10; seq++) ledger.take(seq)
  ledger.take(9) // taken once, however often recorded
  ledger.returned(5, 'NO_NODE') // delivered too: allowed for NO_NODE
  ledger.returned(6, 'OVERLOAD')
  ledger.returned(2, 'NO_PORT') // delivered too: not allowed
  ledger.returned(8, 'NO_NODE')
  ledger.returned(8, 'NO_NODE') // twice
  ledger.returned(12, 'NO_NODE') // never taken
  const delivered = { 0: 1, 1: 1, 2: 1, 3: 3, 4: 1, 5: 1, 9: 1, 13: 1 } // 13 never taken; 7 lost
  t.equal(ledger.unaccounted(tally(16, delivered).counts), 1, 'one neither delivered nor returned (7)')
  const c = ledger.account(tally(16, delivered, { outOfOrder: 2, beyond: 1 }))
  t.equal(c.taken, 10)
  t.equal(c.delivered, 7, '0-5 and 9')
  t.equal(c.duplicates, 2, 'seq 3 arrived three times')
  t.equal(c.outOfOrder, 2, 'as the receiver reported')
  t.same({ NO_NODE: c.returned.NO_NODE, OVERLOAD: c.returned.OVERLOAD, NO_PORT: c.returned.NO_PORT }, { NO_NODE: 2, OVERLOAD: 1, NO_PORT: 1 }, 'returned by the first code, taken ones only')
  t.equal(totalReturned(c), 4)
  t.same({ NO_NODE: c.deliveredAndReturned.NO_NODE, NO_PORT: c.deliveredAndReturned.NO_PORT }, { NO_NODE: 1, NO_PORT: 1 })
  t.equal(deliveredAndWronglyReturned(c), 1, 'NO_PORT after a delivery is wrong, NO_NODE is not')
  t.equal(c.neither, 1, 'seq 7')
  t.equal(c.returnedTwice, 1, 'seq 8')
  t.equal(c.neverTaken, 3, 'a return of 12, a delivery of 13, one beyond the stream')
})

const cleanRow = (over: Partial<ScenarioRow> = {}): ScenarioRow => {
  const ledger = new SenderLedger(STREAM_LENGTH)
  for (let seq = 0; seq < STREAM_LENGTH; seq++) ledger.take(seq)
  return {
    scenario: 'pause 3x', key: false, seed: 1, size: 16, faultAt: 100, pauseMs: 3 * TIMING.toleranceMs,
    counts: ledger.account(tally(STREAM_LENGTH, Object.fromEntries(Array.from({ length: STREAM_LENGTH }, (_, i) => [i, 1])))),
    stream: { completed: true, stuck: undefined, stuckAt: undefined, refusals: 0, noRouteMs: 0, longestWaitMs: 0 },
    agreeMs: 50, agreeAtEnd: true, receiverDrops: {}, senderDrops: {}, linksDown: { sender: 1, receiver: 1 }, ...over,
  }
}
const failed = (row: ScenarioRow) => checksFor(row).filter(c => !c.ok).map(c => c.id)

t.test('the contract: a clean row passes; each breach fails its own check', async t => {
  t.same(failed(cleanRow()), [], 'a long pause with an agreed reset and everything delivered')
  const clean = cleanRow()
  t.same(failed(cleanRow({ stream: { ...clean.stream, completed: false, stuck: 'writable', stuckAt: 12 } })), ['stuck', 'incomplete'])
  t.same(failed(cleanRow({ counts: { ...clean.counts, neither: 3 } })), ['neither'])
  t.same(failed(cleanRow({ counts: { ...clean.counts, deliveredAndReturned: { ...clean.counts.deliveredAndReturned, NO_NODE: 5 } } })), [], 'delivered and returned NO_NODE: reported, allowed')
  t.same(failed(cleanRow({ counts: { ...clean.counts, deliveredAndReturned: { ...clean.counts.deliveredAndReturned, OVERLOAD: 1 } } })), ['both'])
  t.same(failed(cleanRow({ agreeMs: 1500 })), ['agree'], 'agreeing later than a second')
  t.same(failed(cleanRow({ agreeMs: undefined, agreeAtEnd: false })), ['agree', 'split'])
  t.same(failed(cleanRow({ pauseMs: TIMING.toleranceMs / 2 })), ['reset'], 'a pause within the tolerance must not take the link down')
  t.same(failed(cleanRow({ pauseMs: undefined, scenario: 'forged-session' })), ['uncounted'], 'an injected packet must be counted as dropped')
  t.same(failed(cleanRow({ pauseMs: undefined, scenario: 'forged-session', receiverDrops: { staleSession: 1 } })), [])
})
