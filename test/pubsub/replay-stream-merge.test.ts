// One stream's replay merge, without sockets: live messages wait during the
// replay; the seam delivers each seq once (a whole live copy in place of its
// replayed one, so it is acked); a replay cut short reports one replay-lost
// gap; past its bound the merge drops the oldest waiting live messages and
// reports what the replay did not cover as one replay-overflow gap.
import t from 'tap'
import type { InboundMessage } from '../../core/pubsub/decode-stage.js'
import { StreamMerge, type ReplayGapReason } from '../../core/pubsub/replay-stream-merge.js'

const publisher = { node: 1, ref: 2 }
const stream = 99n
const codecId = new Uint8Array(8)

function live(seq: number): InboundMessage {
  return {
    publisher, stream, seq, seqs: [seq], attempt: 1, timestamp: seq, key: undefined, codecId,
    payload: new Uint8Array([seq]), chunk: undefined, acker: 'ack', dest: undefined,
  }
}
const replayed = (seq: number) => ({ seq, lastSeq: seq, timestamp: seq, codecId, key: undefined, payload: new Uint8Array([seq]) })

function rig(maxBuffered = 100) {
  const delivered: Array<[number, 'ack' | 'none' | 'replayed']> = []
  const gaps: Array<[number, number, ReplayGapReason]> = []
  const behind: number[] = []
  const merge = new StreamMerge('replaying', 1, maxBuffered, {
    deliver: m => delivered.push([m.seq, m.acker]),
    refuse: (_p, _s, seq) => behind.push(seq),
    // (attempts are checked where they matter)
    gap: (_p, _s, from, to, reason) => gaps.push([from, to, reason]),
  })
  return { merge, delivered, gaps, behind }
}

t.test('the seam: replay, then the waiting live past it, each seq once; live copies in place of replayed ones', async t => {
  const { merge, delivered, gaps } = rig()
  merge.started({ kind: 'start', publisher, stream, through: 5, missing: undefined })
  for (const seq of [5, 6, 7]) t.equal(merge.live(live(seq)), 'wait', `live ${seq} waits`)
  for (let seq = 1; seq <= 5; seq++) merge.replayed(replayed(seq))
  merge.ended(undefined, true)
  t.same(delivered, [[1, 'replayed'], [2, 'replayed'], [3, 'replayed'], [4, 'replayed'], [5, 'ack'], [6, 'ack'], [7, 'ack']],
    'in order, once; seq 5 came both ways and went up as its live copy (acked)')
  t.equal(merge.live(live(8)), 'pass', 'then live goes straight up')
  t.equal(merge.live(live(4)), 'duplicate', 'a late live copy of a replayed seq is a duplicate (answered as the replayed copy was settled)')
  t.same(gaps, [])
})

t.test('retention: the start frame says what is gone, once', async t => {
  const { merge, gaps } = rig()
  merge.started({ kind: 'start', publisher, stream, through: 10, missing: { from: 1, to: 6 } })
  for (let seq = 7; seq <= 10; seq++) merge.replayed(replayed(seq))
  merge.ended(undefined, true)
  t.same(gaps, [[1, 6, 'retention']])
})

t.test('cut short: one replay-lost gap for what neither the replay nor live gave', async t => {
  const { merge, delivered, gaps } = rig()
  merge.started({ kind: 'start', publisher, stream, through: 10, missing: undefined })
  merge.live(live(9))
  merge.live(live(11))
  for (let seq = 1; seq <= 4; seq++) merge.replayed(replayed(seq))
  merge.ended(new Error('peer lost'), true)
  t.same(delivered.map(d => d[0]), [1, 2, 3, 4, 9, 11])
  t.same(gaps, [[5, 8, 'replay-lost'], [10, 10, 'replay-lost']], 'the holes around the live copy of 9, none past the replay end')
})

t.test('no replay service: what came before the first live message is a retention gap', async t => {
  const { merge, delivered, gaps } = rig()
  merge.live(live(40))
  merge.live(live(41))
  merge.ended(new Error('no route'), false)
  t.same(delivered.map(d => d[0]), [40, 41])
  t.same(gaps, [[1, 39, 'retention']])
})

t.test('past the bound: the oldest waiting live messages go; what the replay does not cover is one replay-overflow gap', async t => {
  const { merge, delivered, gaps, behind } = rig(3)
  merge.started({ kind: 'start', publisher, stream, through: 2, missing: undefined })
  for (let seq = 3; seq <= 8; seq++) merge.live(live(seq))
  merge.replayed(replayed(1))
  merge.replayed(replayed(2))
  merge.ended(undefined, true)
  t.same(delivered.map(d => d[0]), [1, 2, 6, 7, 8])
  t.same(gaps, [[3, 5, 'replay-overflow']])
  t.same(behind, [3, 4, 5], 'their publisher hears they were dropped (a term), rather than waiting for an ack')
})

t.test('the overflow the replay covers is no gap', async t => {
  const { merge, delivered, gaps } = rig(2)
  merge.started({ kind: 'start', publisher, stream, through: 5, missing: undefined })
  for (let seq = 3; seq <= 7; seq++) merge.live(live(seq))
  for (let seq = 1; seq <= 5; seq++) merge.replayed(replayed(seq))
  merge.ended(undefined, true)
  t.same(delivered, [[1, 'replayed'], [2, 'replayed'], [3, 'ack'], [4, 'ack'], [5, 'ack'], [6, 'ack'], [7, 'ack']],
    'the replayed copies of the dropped live ones stand in for them: acked when processed')
  t.same(gaps, [])
})

t.test('a replayed message that stands in for waiting live chunks of it is acked with their attempt', async t => {
  const { merge, delivered } = rig()
  merge.started({ kind: 'start', publisher, stream, through: 4, missing: undefined })
  merge.live({ ...live(3), attempt: 2, chunk: { index: 0, count: 2, totalLength: 2 } })
  merge.replayed(replayed(1))
  merge.replayed({ ...replayed(3), lastSeq: 4 })
  merge.ended(undefined, true)
  t.same(delivered, [[1, 'replayed'], [3, 'ack']])
})

t.test('a live copy behind where the replay started is refused, not delivered out of order', async t => {
  const { merge, delivered, gaps, behind } = rig()
  merge.started({ kind: 'start', publisher, stream, through: 10, missing: { from: 1, to: 6 } })
  merge.live(live(5))
  for (let seq = 7; seq <= 10; seq++) merge.replayed(replayed(seq))
  merge.ended(undefined, true)
  t.equal(merge.live(live(4)), 'behind', 'late, behind the replay: refused')
  t.equal(merge.live(live(9)), 'duplicate')
  t.equal(merge.live(live(11)), 'pass')
  t.same(delivered.map(d => d[0]), [7, 8, 9, 10])
  t.same(behind, [5], 'the waiting one behind the start is refused too')
  t.same(gaps, [[1, 6, 'retention']], 'both were in the retention gap already reported')
})
