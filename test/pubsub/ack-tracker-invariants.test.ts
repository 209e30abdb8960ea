// Property test: seeded random runs of publishes, answers (current, stale
// and future attempts, from targets, group members and strangers), returned
// copies, departures and time, checked against the contract as they happen:
// every tracked seq settles exactly once; 'acked' only inside an ack of the
// target's current attempt; nothing resent to a target with an outcome or a
// settled message; a receipt is ok iff its mode's condition holds; at the
// end nothing is pending and no timer is left. A failing seed is printed;
// SEED=<n> replays it alone.
import t from 'tap'
import type { AckTrackerHooks } from '../../core/pubsub/ack-tracker.js'
import type { AckMode, Receipt, TargetId } from '../../core/pubsub/outcome.js'
import { RETURN_CODES } from '../../core/transport-contract/index.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { ackEnv } from './ack-env.js'

const SOCKETS = ['s:1:1', 's:1:2', 's:2:1', 's:3:1']
const GROUP = 'g:900'
const MEMBERS = ['s:9:1', 's:9:2']
const MODES: AckMode[] = ['none', 'all', 'one', 1, 2, 3, 5]

function holds(r: Receipt): boolean {
  const acked = r.outcomes.filter(o => o.kind === 'acked').length
  if (r.ack === 'none') return true
  if (r.ack === 'all') return acked === r.expected.length
  return acked >= (r.ack === 'one' ? 1 : r.ack)
}

function run(seed: number): string[] {
  const rnd = new SeededRandom(seed)
  const env = ackEnv({ seed: seed + 1, timeoutMs: 2000 })
  const pick = <T>(xs: readonly T[]): T => xs[rnd.int(0, xs.length - 1)]!
  const errors: string[] = []
  const fail = (what: string): void => { errors.push(`seed ${seed}: ${what}`) }
  // The model: what the tracker must believe, kept by this test on its own.
  const attempt = new Map<string, number>()
  const final = new Set<string>()
  const tracked = new Map<number, TargetId[]>()
  const settled = new Set<number>()
  let inAck: { seq: number; target: TargetId; attempt: number } | undefined
  const key = (seq: number, target: TargetId) => `${seq} ${target}`
  // Any socket that is not a target answers for the message's only group (a member), if it has one.
  const targetOf = (s: number, from: TargetId) => {
    const targets = tracked.get(s) ?? []
    return targets.includes(from) || !targets.includes(GROUP) ? from : GROUP
  }

  // Check every hook call as it happens, then pass it to the recorder.
  const { tracker, clock } = env
  Object.assign(env.spy, {
    outcome: (seq, o) => {
      if (final.has(key(seq, o.target))) fail(`second outcome for ${key(seq, o.target)}`)
      final.add(key(seq, o.target))
      if (o.kind === 'acked') {
        const ok = inAck !== undefined && inAck.seq === seq && targetOf(seq, inAck.target) === o.target && inAck.attempt === (attempt.get(key(seq, o.target)) ?? 1)
        if (!ok) fail(`acked ${key(seq, o.target)} outside an ack of its current attempt`)
      }
    },
    resend: (seq, target, a) => {
      if (!tracker.has(seq) || settled.has(seq)) fail(`resend of settled ${seq}`)
      if (final.has(key(seq, target))) fail(`resend to ${key(seq, target)} after its outcome`)
      if (a !== (attempt.get(key(seq, target)) ?? 1)) fail(`resend of ${key(seq, target)} with attempt ${a}`)
    },
    settled: (seq, r) => {
      if (settled.has(seq)) fail(`${seq} settled twice`)
      settled.add(seq)
      if (r.ok !== holds(r)) fail(`${seq}: ok ${r.ok} but the ${String(r.ack)} condition says ${holds(r)}`)
      if (r.outcomes.length + r.unsettled.length !== r.expected.length) fail(`${seq}: outcomes and unsettled do not cover the expected`)
      if (r.ack === 'all' && r.closedReason === undefined && r.unsettled.length > 0) fail(`${seq}: 'all' settled with unsettled targets`)
    },
  } satisfies Partial<AckTrackerHooks>)

  let seq = 0
  for (let step = 0; step < 400; step++) {
    const live = [...tracked.keys()].filter(s => !settled.has(s))
    const roll = rnd.next()
    if (roll < 0.2 || live.length === 0) {
      seq++
      const targets = SOCKETS.filter(() => rnd.chance(0.6))
      if (rnd.chance(0.3)) targets.push(GROUP)
      if (targets.length === 0) targets.push(pick(SOCKETS))
      tracked.set(seq, targets)
      tracker.track(seq, { topic: 't', ack: pick(MODES), targets, bytes: rnd.int(0, 1000), ...(rnd.chance(0.2) ? { timeoutMs: rnd.int(1, 3000) } : {}) })
      continue
    }
    const s = rnd.chance(0.9) ? pick(live) : rnd.int(1, seq + 1)
    const targets = tracked.get(s) ?? SOCKETS
    let from = rnd.chance(0.05) ? 's:7:7' : pick(targets)
    if (from === GROUP && rnd.chance(0.7)) from = pick(MEMBERS)
    const k = key(s, targetOf(s, from))
    const current = attempt.get(k) ?? 1
    const a = rnd.chance(0.8) ? current : pick([current - 1, current + 1].filter(x => x >= 1))
    // Whether the tracker must take this answer: a pending message, a target of it without an outcome, its current attempt.
    const counts = !settled.has(s) && targets.includes(targetOf(s, from)) && tracked.has(s) && !final.has(k) && a === current
    if (roll < 0.45) {
      inAck = { seq: s, target: from, attempt: a }
      tracker.ack(s, from, a)
      inAck = undefined
    } else if (roll < 0.5) tracker.working(s, from, a)
    else if (roll < 0.57) {
      tracker.nak(s, from, a, rnd.int(0, 500))
      if (counts) attempt.set(k, current + 1)
    } else if (roll < 0.6) tracker.term(s, from, a, 'no')
    else if (roll < 0.68) tracker.returned(s, from, pick(RETURN_CODES))
    else if (roll < 0.7) tracker.left(pick([...SOCKETS, GROUP]))
    else clock.advance(rnd.int(0, 400))
  }
  if (rnd.chance(0.5)) tracker.close('end of run')
  clock.runAll()
  if (settled.size !== tracked.size) fail(`${tracked.size} tracked, ${settled.size} settled`)
  if (tracker.pendingCount !== 0 || tracker.pendingBytes !== 0) fail('still pending at the end')
  if (clock.pendingTimers !== 0) fail(`${clock.pendingTimers} timers left`)
  const stats = tracker.stats
  if (stats.settled !== tracked.size) fail('stats.settled disagrees')
  return errors
}

const seeds = process.env.SEED ? [Number(process.env.SEED)] : Array.from({ length: 300 }, (_, i) => i + 1)

t.test(`invariants hold over ${seeds.length} seeded runs`, async t => {
  const errors = seeds.flatMap(run)
  t.same(errors.slice(0, 20), [], 'no invariant broken (replay one with SEED=<n>)')
})
