// One message the publisher is waiting on: per expected target, the delivery
// attempt, the copies sent, when the next resend is due and the deadline;
// the final outcomes so far; and when the tracker wakes it next. Data and the
// rules that touch only this message; AckTracker decides when and calls the hooks.
import { InvalidArgumentError, type SocketAddress } from '../transport-contract/index.js'
import { checkAckMode, settlement, type Settlement } from './ack-mode.js'
import { checkDelay } from './resend-policy.js'
import { parseTarget, type AckMode, type Outcome, type OutcomeKind, type ParsedTarget, type Receipt, type TargetId } from './outcome.js'

/** One expected target of a pending message. */
export interface TargetState {
  readonly id: TargetId
  readonly parsed: ParsedTarget
  /** The delivery attempt its copies carry now: 1, plus one per nak. */
  attempt: number
  /** Copies sent to it: the first and every resend. */
  copies: number
  /** Resend delays drawn since it was last (re)delivered: the backoff step. */
  backoffStep: number
  /** Copies of a queue group returned so far: the first is re-anycast at once, later ones after a backoff. */
  groupReturns: number
  /** Clock time of the next resend; Infinity when none is due. */
  nextResendAt: number
  /** Clock time it times out. */
  deadline: number
  /** Its final outcome, once it has one. */
  outcome?: Outcome
}

export interface TrackOptions {
  topic: string
  ack: AckMode
  /** The targets expected to ack; at least one (no subscriber at all is decided before sending). */
  targets: readonly TargetId[]
  /** This message's deadline, instead of the policy's timeoutMs. */
  timeoutMs?: number
  /** Its size, for pendingBytes. */
  bytes: number
}

/**
 * Checks what track() was given (InvalidArgumentError: these are the
 * caller's bugs, not input) and returns the message's timeout: its own, or
 * the default. Nothing else is copied: this runs for every message.
 */
export function checkTrack(seq: number, options: TrackOptions, defaultTimeoutMs: number): number {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new InvalidArgumentError(`seq must be an integer in [1, 2^53), got ${String(seq)}`)
  checkAckMode(options.ack)
  if (options.targets.length === 0) throw new InvalidArgumentError(`seq ${seq}: no targets to expect acks from`)
  if (hasDuplicate(options.targets)) throw new InvalidArgumentError(`seq ${seq}: a target is listed twice`)
  if (!Number.isSafeInteger(options.bytes) || options.bytes < 0) throw new InvalidArgumentError(`bytes must be an integer >= 0, got ${String(options.bytes)}`)
  return options.timeoutMs === undefined ? defaultTimeoutMs : checkDelay('timeoutMs', options.timeoutMs)
}

/** Checked for every message: a pairwise scan of the few targets a message has, a Set only for many. */
function hasDuplicate(targets: readonly TargetId[]): boolean {
  if (targets.length > 16) return new Set(targets).size !== targets.length
  for (let i = 1; i < targets.length; i++) {
    for (let j = 0; j < i; j++) if (targets[i] === targets[j]) return true
  }
  return false
}

/** Up to this many targets, a message finds one by a scan; beyond, by a Map. */
const MAX_SCANNED_TARGETS = 8

export class PendingMessage {
  readonly seq: number
  readonly topic: string
  readonly ack: AckMode
  readonly bytes: number
  readonly timeoutMs: number
  readonly publishedAt: number
  /** When its first copy left this host (publishedAt, or later if it waited behind a congested link): round trips count from here. */
  departedAt: number
  /** In the order the publisher listed them: the receipt's `expected`. */
  readonly targets: readonly TargetState[]
  /** The targets by id, for a message with many (a scan is cheaper for a few: no Map per message). */
  readonly #byId: Map<TargetId, TargetState> | undefined
  /**
   * Final outcomes, in the order they happened. Made at the first one, with
   * room for exactly it: an empty array's first push reserves 16 slots, and
   * a message in flight holds this until its receipt.
   */
  #outcomes: Outcome[] | undefined
  /** The one group target, if there is exactly one: acks of members that are not targets count for it. */
  readonly onlyGroup: TargetState | undefined
  acked = 0
  open: number
  settled = false
  /** When the tracker wakes it next, and its place in the tracker's DueTimers (-1: not armed). */
  dueAt = Infinity
  dueSlot = -1
  dueOrder = 0

  /**
   * Every target starts with no resend due; the tracker schedules them.
   * `parse` is parseTarget, or a cache of it (the same few targets come with every message).
   */
  constructor(seq: number, spec: TrackOptions, timeoutMs: number, now: number, parse: (id: TargetId) => ParsedTarget = parseTarget) {
    this.seq = seq
    this.topic = spec.topic
    this.ack = spec.ack
    this.bytes = spec.bytes
    this.timeoutMs = timeoutMs
    this.publishedAt = now
    this.departedAt = now
    // Exactly as many slots as targets (push would reserve 16): held until the receipt.
    const targets = new Array<TargetState>(spec.targets.length)
    let groups = 0
    let group: TargetState | undefined
    for (let i = 0; i < targets.length; i++) {
      const id = spec.targets[i]!
      const state: TargetState = {
        id, parsed: parse(id), attempt: 1, copies: 1, backoffStep: 0, groupReturns: 0,
        nextResendAt: Infinity, deadline: now + timeoutMs,
      }
      targets[i] = state
      if (state.parsed.kind === 'group') {
        groups++
        group = state
      }
    }
    this.targets = targets
    this.#byId = targets.length > MAX_SCANNED_TARGETS ? new Map(targets.map(t => [t.id, t])) : undefined
    this.open = targets.length
    this.onlyGroup = groups === 1 ? group : undefined
  }

  /** The target `id`, if the message expects it. */
  target(id: TargetId): TargetState | undefined {
    if (this.#byId !== undefined) return this.#byId.get(id)
    for (const t of this.targets) if (t.id === id) return t
    return undefined
  }

  /**
   * The target an answer from `from` is for: `from` itself, or, when `from`
   * is a socket that is not a target, the message's only queue group (then
   * `from` is the member that answered: memberOf). With several groups a
   * member's answer cannot be placed; the caller names the group then.
   * No object per answer: this runs for every ack.
   */
  targetOf(from: TargetId): TargetState | undefined {
    const target = this.target(from)
    if (target !== undefined) return target
    if (this.onlyGroup === undefined || !from.startsWith('s:')) return undefined
    return this.onlyGroup
  }

  /** The member of a group that answered as `from`, when targetOf(from) placed it in the group; undefined when `from` is the target. */
  memberOf(target: TargetState, from: TargetId): SocketAddress | undefined {
    if (target.id === from) return undefined
    // 's:' parses as a socket (or throws: an id no socketTarget made is the caller's bug).
    return (parseTarget(from) as Extract<ParsedTarget, { kind: 'socket' }>).address
  }

  /** Records a target's final outcome and returns it. */
  finish(target: TargetState, kind: OutcomeKind, now: number, extra: Pick<Outcome, 'code' | 'reason' | 'subscriber'> = {}): Outcome {
    const outcome: Outcome = { target: target.id, kind, attempts: target.attempt, copies: target.copies, at: now }
    const subscriber = extra.subscriber ?? (target.parsed.kind === 'socket' ? target.parsed.address : undefined)
    if (subscriber !== undefined) outcome.subscriber = subscriber
    if (target.parsed.kind === 'group') outcome.group = target.parsed.type
    if (extra.code !== undefined) outcome.code = extra.code
    if (extra.reason !== undefined) outcome.reason = extra.reason
    target.outcome = outcome
    target.nextResendAt = Infinity
    if (this.#outcomes === undefined) this.#outcomes = [outcome]
    else this.#outcomes.push(outcome)
    this.open--
    if (kind === 'acked') this.acked++
    return outcome
  }

  settlement(): Settlement {
    return settlement(this.ack, this.targets.length, this.acked, this.open)
  }

  /** The earliest clock time something is due for an open target: a resend or a deadline. */
  nextDue(): number {
    let due = Infinity
    for (const t of this.targets) {
      if (t.outcome === undefined) due = Math.min(due, t.nextResendAt, t.deadline)
    }
    return due
  }

  receipt(now: number, closedReason?: string): Receipt {
    const unsettled: TargetId[] = []
    let attempts = 1
    for (const t of this.targets) {
      if (t.outcome === undefined) unsettled.push(t.id)
      attempts = Math.max(attempts, t.attempt)
    }
    const receipt: Receipt = {
      topic: this.topic, seq: this.seq, ack: this.ack, meaning: 'processed',
      ok: this.settlement() === 'ok', expected: this.targets.map(t => t.id), outcomes: this.#outcomes ?? [],
      unsettled, attempts, publishedAt: this.publishedAt, settledAt: now,
    }
    if (closedReason !== undefined) receipt.closedReason = closedReason
    return receipt
  }
}
