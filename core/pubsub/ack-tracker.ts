// The publisher's ack tracking: a pure, synchronous state machine. The
// publisher tells it what it sent (track) and what came back (ack, working,
// nak, term, returned copies, targets that left); it answers through hooks:
// send this copy again, this target has its final outcome, this message is
// settled, tell this socket to stop waiting. Time comes from an injected
// Clock and jitter from an injected random, so the memory transport's virtual
// clock drives it and a seeded run replays exactly.
//
// Attempts: a copy's attempt changes only when the subscriber is asked to
// process the message again (after its nak). A resend of a copy that was lost,
// returned OVERLOAD, or not yet acked carries the same attempt, so the ack of
// the copy first sent still counts; an answer for any other attempt is stale.
import { InvalidArgumentError, type Clock, type ReturnCode } from '../transport-contract/index.js'
import { PublisherClosedError } from './errors.js'
import { parseTarget, type AbandonReason, type Outcome, type ParsedTarget, type Receipt, type TargetId } from './outcome.js'
import { checkTrack, PendingMessage, type TargetState, type TrackOptions } from './pending-message.js'
import type { ResendPolicy } from './resend-policy.js'
import { RttEstimator } from './rtt-estimator.js'
import { DueTimers } from './due-timers.js'
import { SeqMap } from './seq-map.js'

export type { TrackOptions } from './pending-message.js'

/** The highest attempt the envelope carries (u16). */
export const MAX_ATTEMPT = 65535

export interface AckTrackerHooks {
  /** Send the copy of `seq` to `target` again, with `attempt`: unicast to a socket, anycast to a group. */
  resend(seq: number, target: TargetId, attempt: number): void
  /** `target` reached its final outcome for `seq`. */
  outcome(seq: number, outcome: Outcome): void
  /** `seq` is settled: its receipt. Exactly once per tracked seq; the tracker has forgotten it by then. */
  settled(seq: number, receipt: Receipt): void
  /**
   * Tell the socket `target` (a control gap notice) that `seq` will never
   * come, so it stops holding later messages for it. Only for socket targets
   * that may still be waiting: not after an ack, a term, or NO_PORT (the socket is gone).
   */
  abandoned(seq: number, target: TargetId, reason: AbandonReason): void
  /** A copy came back OVERLOAD (it will be resent): the flow window's credit should shrink. */
  overloaded?(seq: number, target: TargetId): void
}

export interface AckTrackerStats {
  tracked: number
  settled: number
  /** Copies sent again (timer, OVERLOAD, nak, group return). */
  resends: number
  /** Answers for another attempt than the target's current one: ignored. */
  stale: number
  /** Answers for a message already settled, or from a target that already has its outcome: ignored. */
  late: number
  /** Answers from someone the message did not expect (and no single group to count them for): ignored. */
  foreign: number
  /** OVERLOAD returns. */
  overloads: number
}

/** No extra fields for an outcome: one shared empty object, not one per ack. */
const NO_EXTRA: Pick<Outcome, 'reason'> = Object.freeze({})

export class AckTracker {
  readonly #clock: Clock
  readonly #random: () => number
  readonly #policy: ResendPolicy
  readonly #hooks: AckTrackerHooks
  readonly #pending = new SeqMap<PendingMessage>()
  #pendingBytes = 0
  #closed: string | undefined
  readonly #stats: AckTrackerStats = { tracked: 0, settled: 0, resends: 0, stale: 0, late: 0, foreign: 0, overloads: 0 }
  /** The round trip learned from acks: what the first resend waits once it is known. */
  readonly #rtt: RttEstimator
  /** Targets taken apart, by id: the same few come with every message. A target that leaves is forgotten. */
  readonly #parsed = new Map<TargetId, ParsedTarget>()
  readonly #parse = (id: TargetId): ParsedTarget => {
    let parsed = this.#parsed.get(id)
    if (parsed === undefined) this.#parsed.set(id, parsed = parseTarget(id))
    return parsed
  }
  /** Every pending message's next due time (a resend or a deadline), on one clock timer. */
  readonly #timers: DueTimers<PendingMessage>

  constructor(clock: Clock, random: () => number, policy: ResendPolicy, hooks: AckTrackerHooks) {
    this.#clock = clock
    this.#random = random
    this.#policy = policy
    this.#hooks = hooks
    // Learned round trips only ever lengthen the first wait (initialResendMs is the floor: a resend
    // sooner than that mostly races an ack on its way), never past the backoff's ceiling.
    this.#rtt = new RttEstimator(policy.initialResendMs, policy.maxResendMs)
    // A message waits in the timers' pen for as long as its first resend surely waits: most are acked there.
    this.#timers = new DueTimers(clock, message => {
      if (!message.settled) this.#wake(message)
    }, policy.initialResendMs * (1 - policy.jitter))
  }

  /** The first resend's wait learned from acks (RFC 6298), or undefined before the first sample. */
  get roundTripTimeout(): number | undefined { return this.#rtt.rto }

  get pendingCount(): number { return this.#pending.size }
  get pendingBytes(): number { return this.#pendingBytes }
  get stats(): AckTrackerStats { return { ...this.#stats } }
  has(seq: number): boolean { return this.#pending.has(seq) }

  /**
   * Starts waiting on `seq`, just sent to `targets`. With ack 'none' the
   * receipt is settled (and the settled hook called) before this returns.
   * `now`: the clock's time, when the caller has just read it.
   */
  track(seq: number, options: TrackOptions, now = this.#clock.now()): void {
    if (this.#closed !== undefined) throw new PublisherClosedError(this.#closed)
    if (this.#pending.has(seq)) throw new InvalidArgumentError(`seq ${seq} is already tracked`)
    const timeoutMs = checkTrack(seq, options, this.#policy.timeoutMs)
    const message = new PendingMessage(seq, options, timeoutMs, now, this.#parse)
    if (options.ack !== 'none') for (const target of message.targets) this.#scheduleResend(target, now)
    this.#stats.tracked++
    this.#pending.set(seq, message)
    this.#pendingBytes += message.bytes
    this.#afterChange(message, now)
  }

  /**
   * `from` (a target, or a member of the message's only group) processed
   * attempt `attempt` of `seq`. `now`: the clock's time, when the caller has
   * just read it (one read per ack envelope, not per ack).
   */
  ack(seq: number, from: TargetId, attempt: number, now?: number): void {
    const target = this.#answer(seq, from, attempt)
    if (target !== undefined) this.#answered(this.#pending.get(seq)!, target, from, 'acked', undefined, now)
  }

  /** `from` is still processing: its deadline moves to timeoutMs from now, and resends wait again from the start. */
  working(seq: number, from: TargetId, attempt: number): void {
    const target = this.#answer(seq, from, attempt)
    if (target === undefined) return
    const message = this.#pending.get(seq)!
    const now = this.#clock.now()
    target.deadline = Math.max(target.deadline, now + message.timeoutMs)
    target.backoffStep = 0
    this.#scheduleResend(target, now)
    this.#afterChange(message)
  }

  /**
   * The first copy of `seq` could not leave yet: it waits in the socket's
   * send queue behind a congested link. Until departed(seq), no resend is
   * due (it would only queue behind the copy it repeats) and no deadline
   * runs (the subscribers have not been asked yet). The queue drains, or
   * fails each copy (NoRouteError), or the publisher closes: never forever.
   */
  queued(seq: number): void {
    const message = this.#pending.get(seq)
    if (message === undefined || message.settled) return
    for (const target of message.targets) {
      if (target.outcome !== undefined) continue
      target.deadline = Infinity
      target.nextResendAt = Infinity
    }
    this.#afterChange(message)
  }

  /**
   * The first copy of `seq` has only now left this host: it waited in the
   * socket's send queue behind a congested link (kernel TIPC refuses sends
   * while a link's backlog is full). That wait was the publisher's, not the
   * subscribers': each open target's deadline and resend schedule start
   * again from now, as if the message were sent now. Without this, a
   * window of messages queued behind a slow link times out before it is
   * even sent, while the subscribers go on to process it.
   */
  departed(seq: number): void {
    const message = this.#pending.get(seq)
    if (message === undefined || message.settled) return
    const now = this.#clock.now()
    message.departedAt = now
    for (const target of message.targets) {
      if (target.outcome !== undefined) continue
      target.deadline = target.deadline === Infinity ? now + message.timeoutMs : Math.max(target.deadline, now + message.timeoutMs)
      target.backoffStep = 0
      this.#scheduleResend(target, now)
    }
    this.#afterChange(message)
  }

  /**
   * `from` asks for a redelivery after `delayMs`: the next copy carries
   * attempt + 1 (so a late answer for this attempt is stale). The deadline
   * does not move: a redelivery due after it does not happen.
   */
  nak(seq: number, from: TargetId, attempt: number, delayMs: number): void {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new InvalidArgumentError(`delayMs must be a finite number >= 0, got ${String(delayMs)}`)
    const target = this.#answer(seq, from, attempt)
    if (target === undefined) return
    const message = this.#pending.get(seq)!
    const now = this.#clock.now()
    if (target.attempt === MAX_ATTEMPT) {
      this.#final(message, target, 'terminated', { reason: `redelivered ${MAX_ATTEMPT} times, the most an envelope can count` })
      return
    }
    target.attempt++
    target.backoffStep = 0
    target.nextResendAt = now + delayMs
    this.#afterChange(message)
  }

  /** `from` processed `seq` and refuses it for good, for `reason`: final. */
  term(seq: number, from: TargetId, attempt: number, reason: string): void {
    const target = this.#answer(seq, from, attempt)
    if (target !== undefined) this.#answered(this.#pending.get(seq)!, target, from, 'terminated', reason)
  }

  /**
   * A copy of `seq` sent to `target` came back with `code`. OVERLOAD is
   * never final: the copy is resent after a backoff and the overloaded hook
   * is told. Any other code is final for a socket ('returned'); a queue
   * group's copy goes to the group again by anycast (another member), at
   * once the first time, after a backoff when it keeps coming back.
   */
  returned(seq: number, target: TargetId, code: ReturnCode): void {
    const message = this.#pending.get(seq)
    const state = message?.targetOf(target)
    if (message === undefined || state === undefined) {
      this.#stats[message === undefined ? 'late' : 'foreign']++
      return
    }
    if (state.outcome !== undefined) {
      this.#stats.late++
      return
    }
    const now = this.#clock.now()
    if (code === 'OVERLOAD') {
      this.#stats.overloads++
      this.#hooks.overloaded?.(seq, state.id)
      if (message.settled) return
      this.#scheduleResend(state, now)
    } else if (state.parsed.kind === 'group') {
      state.groupReturns++
      state.nextResendAt = state.groupReturns === 1 ? now : now + this.#policy.nextDelay(state.groupReturns - 2, this.#random)
    } else {
      this.#final(message, state, 'returned', { code }, code === 'NO_PORT' ? undefined : 'returned')
      return
    }
    this.#afterChange(message)
  }

  /**
   * `target`'s binding was withdrawn: each pending message up to seq
   * `throughSeq` still waiting on it gets 'left' (later ones were sent to it
   * after it came back, if it did).
   */
  left(target: TargetId, throughSeq = Infinity): void {
    this.#parsed.delete(target)
    for (const message of [...this.#pending.values()]) {
      if (message.seq > throughSeq) continue
      const state = message.target(target)
      if (state === undefined || state.outcome !== undefined || message.settled) continue
      this.#final(message, state, 'left', {}, 'left')
    }
  }

  /**
   * Settles every pending message now: targets without an outcome are listed
   * as unsettled and the receipt names `reason`; timers are cancelled. Later
   * answers are ignored and track throws PublisherClosedError. Idempotent.
   */
  close(reason: string): void {
    if (this.#closed !== undefined) return
    this.#closed = reason
    for (const message of [...this.#pending.values()]) if (!message.settled) this.#settle(message, reason)
  }

  /**
   * The target of message `seq` an answer is for, if it counts (the message
   * is then this.#pending.get(seq)); counts why not otherwise. No object per
   * answer: this runs for every ack.
   */
  #answer(seq: number, from: TargetId, attempt: number): TargetState | undefined {
    const message = this.#pending.get(seq)
    if (message === undefined) {
      this.#stats.late++
      return undefined
    }
    const target = message.targetOf(from)
    if (target === undefined) this.#stats.foreign++
    else if (target.outcome !== undefined) this.#stats.late++
    else if (target.attempt !== attempt) this.#stats.stale++
    else return target
    return undefined
  }

  /** A final outcome a target answered (ack, term); a group's names the member that answered (`from`). */
  #answered(message: PendingMessage, target: TargetState, from: TargetId, kind: 'acked' | 'terminated', reason: string | undefined, now = this.#clock.now()): void {
    // Karn's rule: only an answer to a first copy times the round trip.
    if (target.copies === 1 && target.attempt === 1) this.#rtt.sample(now - message.departedAt)
    const member = message.memberOf(target, from)
    const outcome = message.finish(target, kind, now, member === undefined
      ? (reason === undefined ? NO_EXTRA : { reason })
      : (reason === undefined ? { subscriber: member } : { reason, subscriber: member }))
    this.#hooks.outcome(message.seq, outcome)
    this.#afterChange(message, now)
  }

  /** A final outcome the publisher decided (not an answer): hooks, then the settle check. */
  #final(message: PendingMessage, target: TargetState, kind: 'returned' | 'left' | 'terminated' | 'timedOut', extra: Pick<Outcome, 'code' | 'reason'>, notice?: AbandonReason): void {
    this.#record(message, target, kind, extra, notice)
    this.#afterChange(message)
  }

  #record(message: PendingMessage, target: TargetState, kind: 'returned' | 'left' | 'terminated' | 'timedOut', extra: Pick<Outcome, 'code' | 'reason'>, notice?: AbandonReason): void {
    const outcome = message.finish(target, kind, this.#clock.now(), extra)
    this.#hooks.outcome(message.seq, outcome)
    if (notice !== undefined && target.parsed.kind === 'socket') this.#hooks.abandoned(message.seq, target.id, notice)
  }

  /** The next resend of `target`, one backoff step later than the last. */
  #scheduleResend(target: TargetState, now: number): void {
    target.nextResendAt = now + this.#policy.nextDelay(target.backoffStep++, this.#random, this.#rtt.rto)
  }

  /** `now`: the clock's time when the caller has just read it (one read less per ack). */
  #afterChange(message: PendingMessage, now?: number): void {
    if (message.settled) return
    if (message.settlement() !== 'pending') this.#settle(message, undefined, now)
    else this.#arm(message, now)
  }

  #settle(message: PendingMessage, closedReason?: string, now = this.#clock.now()): void {
    message.settled = true
    this.#timers.remove(message)
    this.#pending.delete(message.seq)
    this.#pendingBytes -= message.bytes
    this.#stats.settled++
    this.#hooks.settled(message.seq, message.receipt(now, closedReason))
  }

  // One due time per message, its earliest. A due time earlier than needed is
  // kept (the message wakes, finds nothing due and is armed again): an ack
  // then costs no re-ordering, only a later due time is ever replaced.
  #arm(message: PendingMessage, now?: number): void {
    const due = message.nextDue()
    if (due === Infinity) {
      // Nothing is due until the message's queued first copy departs (queued()).
      this.#timers.remove(message)
      return
    }
    if (this.#timers.has(message) && message.dueAt <= due) return
    this.#timers.set(message, due, now)
  }

  // Timeouts first, then one settle check, then resends: a message the
  // timeouts settle sends nothing more, and the timer is armed once, at the end.
  #wake(message: PendingMessage): void {
    this.#timers.remove(message)
    const now = this.#clock.now()
    const open = message.targets.filter(t => t.outcome === undefined)
    for (const target of open) {
      if (message.settled) return
      if (target.outcome === undefined && target.deadline <= now) this.#record(message, target, 'timedOut', {}, 'timeout')
    }
    if (message.settled) return
    if (message.settlement() !== 'pending') return this.#settle(message)
    for (const target of open) {
      if (message.settled) return
      if (target.outcome !== undefined || target.nextResendAt > now) continue
      target.copies++
      this.#stats.resends++
      this.#scheduleResend(target, now)
      this.#hooks.resend(message.seq, target.id, target.attempt)
    }
    this.#afterChange(message)
  }
}
