// A tracker on a ManualClock with every hook call recorded, for the ack
// tracking tests: each test drives it with answers and reads the log.
import { AckTracker, type AckTrackerHooks } from '../../core/pubsub/ack-tracker.js'
import type { TrackOptions } from '../../core/pubsub/pending-message.js'
import type { AbandonReason, AckMode, Outcome, Receipt, TargetId } from '../../core/pubsub/outcome.js'
import { ResendPolicy, type ResendOptions } from '../../core/pubsub/resend-policy.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { ManualClock } from './manual-clock.js'

export interface Resend { seq: number; target: TargetId; attempt: number; at: number }

export function ackEnv(options: ResendOptions & { seed?: number; random?: () => number } = {}) {
  const clock = new ManualClock()
  const prng = new SeededRandom(options.seed ?? 1)
  const random = options.random ?? (() => prng.next())
  const resends: Resend[] = []
  const outcomes: Array<{ seq: number } & Outcome> = []
  const receipts = new Map<number, Receipt>()
  const settledTwice: number[] = []
  const abandoned: Array<{ seq: number; target: TargetId; reason: AbandonReason }> = []
  const overloaded: Array<{ seq: number; target: TargetId }> = []
  // A test may look at each hook call as it happens (before it is recorded).
  const spy: Partial<AckTrackerHooks> = {}
  const hooks: AckTrackerHooks = {
    resend: (seq, target, attempt) => { spy.resend?.(seq, target, attempt); resends.push({ seq, target, attempt, at: clock.now() }) },
    outcome: (seq, o) => { spy.outcome?.(seq, o); outcomes.push({ seq, ...o }) },
    settled: (seq, r) => { spy.settled?.(seq, r); if (receipts.has(seq)) settledTwice.push(seq); receipts.set(seq, r) },
    abandoned: (seq, target, reason) => { abandoned.push({ seq, target, reason }) },
    overloaded: (seq, target) => { spy.overloaded?.(seq, target); overloaded.push({ seq, target }) },
  }
  const tracker = new AckTracker(clock, random, new ResendPolicy(options), hooks)
  /** Tracks `seq` as just sent to `targets` (topic 'x', 1 byte unless told). */
  const publish = (seq: number, targets: TargetId[], ack: AckMode = 'all', extra: Partial<TrackOptions> = {}): void => {
    tracker.track(seq, { topic: 'x', ack, targets, bytes: 1, ...extra })
  }
  return { clock, tracker, publish, spy, resends, outcomes, receipts, settledTwice, abandoned, overloaded }
}

/** Socket target ids 's:1:<ref>' for refs 1..n. */
export function sockets(n: number): TargetId[] {
  return Array.from({ length: n }, (_, i) => `s:1:${i + 1}`)
}

/** No jitter: every delay is exactly its base (a draw of 0.5). */
export const NO_JITTER = () => 0.5
