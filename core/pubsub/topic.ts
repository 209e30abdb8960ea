// A topic, as a program uses it: publish (a Promise of the receipt, or an
// Observable of per-subscriber outcomes that ends with it), subscribe (an
// Observable of deliveries, also an async iterable or a callback), and
// presence. Values are encoded here with the topic's codec; everything below
// works on bytes.
import { map, Observable, timer } from 'rxjs'
import { InvalidArgumentError, MessageTooLargeError } from '../transport-contract/index.js'
import { keyBytes, keyInstance } from './topic-name.js'
import type { AckMode, Outcome, Receipt } from './outcome.js'
import type { PresenceEvent } from './presence.js'
import type { WhenSubscribedOptions } from './subscribed-waiters.js'
import { TopicSubscription } from './subscription.js'
import type { SubscribeOptions } from './subscribe-options.js'
import { copyStats, type TopicStats } from './stats.js'
import type { FlowWindowStats } from './flow-window.js'
import type { TopicRuntime } from './topic-runtime.js'
import type { OutgoingMessage, PublishObserver } from './publisher.js'
import { checkAckMode } from './ack-mode.js'
import { WindowedPublish } from './windowed-publish.js'

export interface PublishOptions {
  /** The message's key: it goes to the subscribers whose key range covers keyInstance(key). */
  key?: string | Uint8Array
  /** What the receipt waits for: 'all' (default), 'one', a quorum n, or 'none'. */
  ack?: AckMode
  /** Deadline for acks, in ms (default 5000): targets still silent then are timed out. */
  timeoutMs?: number
  /** Wait until this many subscribers are known before sending (then send to them all). */
  waitFor?: number
  /** How long waitFor may wait (default: the ack timeout). */
  waitTimeoutMs?: number
  /** Abort waiting (for subscribers, for room in the window). Once sent, a message is tracked to its receipt. */
  signal?: AbortSignal
}

/** What publish$ emits: each target's outcome as it is known, then the receipt. */
export type PublishEvent = { type: 'outcome'; outcome: Outcome } | { type: 'receipt'; receipt: Receipt }

export class Topic<T = unknown> {
  /** @internal */
  constructor(private readonly runtime: TopicRuntime, private readonly defaults: { ack: AckMode; timeoutMs: number }) {}

  get name(): string {
    return this.runtime.config.name
  }

  /** The TIPC service type this topic's subscribers bind. */
  get type(): number {
    return this.runtime.config.type
  }

  /** Publish one value; resolves with its receipt (whatever its outcomes: check `ok`). */
  publish(value: T, options: PublishOptions = {}): Promise<Receipt> {
    return new Promise((resolve, reject) => {
      this.start(value, options, { outcome: ignoreOutcome, receipt: resolve, error: reject })
    })
  }

  /** Publish one value; emits each target's outcome, then the receipt, then completes. */
  publish$(value: T, options: PublishOptions = {}): Observable<PublishEvent> {
    return new Observable<PublishEvent>(subscriber => {
      this.start(value, options, {
        outcome: outcome => subscriber.next({ type: 'outcome', outcome }),
        receipt: receipt => {
          subscriber.next({ type: 'receipt', receipt })
          subscriber.complete()
        },
        error: err => subscriber.error(err),
      })
    })
  }

  /**
   * Publish every value of an iterable or async iterable, one after the
   * other, pulling the next only when the window has room: real pull
   * backpressure. Resolves with every receipt, in order.
   */
  async publishAll(values: Iterable<T> | AsyncIterable<T>, options: PublishOptions = {}): Promise<Receipt[]> {
    const pending: Array<Promise<Receipt>> = []
    for await (const value of values) {
      await this.runtime.window.whenAvailable()
      pending.push(this.publish(value, options))
    }
    return Promise.all(pending)
  }

  /** Subscribe: nothing is bound until the result is subscribed to (or iterated, or consumed). */
  subscribe(options: SubscribeOptions = {}): TopicSubscription<T> {
    return new TopicSubscription<T>(this.runtime, options)
  }

  /** Subscribers joining and leaving (those there now first). */
  subscribers$(): Observable<PresenceEvent> {
    return new Observable<PresenceEvent>(subscriber => {
      const presence = this.runtime.presence
      for (const s of presence.subscriberList()) {
        for (const range of s.ranges.slice(0, 1)) subscriber.next({ kind: 'joined', subscriber: s.socket, range, node: s.node, at: s.since })
      }
      for (const g of presence.groupList()) subscriber.next({ kind: 'group-joined', group: g.group, at: g.since })
      const listening = presence.onChange(e => subscriber.next(e))
      return () => listening.cancel()
    })
  }

  /** Resolves once n subscribers are known (a typed error on timeout or abort). */
  whenSubscribed(n = 1, options: WhenSubscribedOptions = {}): Promise<void> {
    return this.runtime.presence.whenSubscribed(n, options)
  }

  stats(): TopicStats {
    return copyStats(this.runtime.stats)
  }

  /** The same snapshot now and every `periodMs` (default 1000). */
  stats$(periodMs = 1000): Observable<TopicStats> {
    return timer(0, periodMs).pipe(map(() => this.stats()))
  }

  /**
   * The publisher's in-flight window now: messages and bytes awaiting
   * receipts, the credit, and how often publishing had to wait for room
   * (stalls) or was told a subscriber's queue was full (overloads): how far
   * slow subscribers have slowed this publisher down.
   */
  flow(): FlowWindowStats {
    return this.runtime.window.stats
  }

  private start(value: T, options: PublishOptions, observer: PublishObserver): void {
    let rest: Promise<void> | undefined
    try {
      rest = this.send(value, options, observer)
    } catch (err) {
      observer.error(err as Error)
      return
    }
    if (rest === undefined) return
    // Counted until sent (or failed), so that bus.drain() waits for it too.
    this.runtime.starting++
    rest
      .catch((err: unknown) => observer.error(err as Error))
      .finally(() => this.runtime.starting--)
  }

  /**
   * Checks and encodes the value, then sends it at once when nothing needs
   * waiting for: no waitFor, presence already knows a target, room in the
   * window. Otherwise returns the promise of the rest (waiting, then sending).
   * The common case stays synchronous: an async function and its awaits cost
   * several promises per message, a third of the publisher's time in a profile.
   */
  private send(value: T, options: PublishOptions, observer: PublishObserver): Promise<void> | undefined {
    const { config, window } = this.runtime
    const ack = checkAckMode(options.ack ?? this.defaults.ack)
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidArgumentError(`timeoutMs must be a positive number, got ${String(timeoutMs)}`)
    const payload = config.codec.encode(value)
    if (payload.length > config.maxMessageBytes) throw new MessageTooLargeError(payload.length, config.maxMessageBytes)
    const key = options.key === undefined ? undefined : keyBytes(options.key)
    const message: OutgoingMessage = { payload, key, keyInstance: key === undefined ? 0 : keyInstance(key), ack, timeoutMs }
    if (options.waitFor !== undefined || !this.runtime.presence.hasTargets()) return this.sendAfterPresence(message, options, observer)
    options.signal?.throwIfAborted()
    // In line for room, which is taken for this publish when its turn comes (FIFO): waking every
    // waiting publish at each release to race for the one free slot made a tight loop quadratic.
    const inLine = window.acquireOrWait(payload.length, options.signal)
    if (inLine === undefined) {
      this.sendWithRoom(message, options, observer)
      return undefined
    }
    return inLine.then(() => this.sendWithRoom(message, options, observer))
  }

  /** The slow path: wait for subscribers (waitFor, or presence still empty), then for room, then send. */
  private async sendAfterPresence(message: OutgoingMessage, options: PublishOptions, observer: PublishObserver): Promise<void> {
    if (options.waitFor !== undefined) {
      await this.runtime.presence.whenSubscribed(options.waitFor, { timeoutMs: options.waitTimeoutMs ?? message.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) })
    }
    await this.runtime.presenceSettled(message.ack)
    options.signal?.throwIfAborted()
    await this.runtime.window.acquire(message.payload.length, options.signal)
    this.sendWithRoom(message, options, observer)
  }

  /** Hands the message to the publisher; its room in the window goes back with its receipt (or error). */
  private sendWithRoom(message: OutgoingMessage, options: PublishOptions, observer: PublishObserver): void {
    const { window, stats } = this.runtime
    const publish = new WindowedPublish(window, stats, message.payload.length, observer)
    try {
      // An abort that came with the room: give the room back (the message was not sent).
      options.signal?.throwIfAborted()
      this.runtime.publisher.send(message, publish)
    } catch (err) {
      publish.release()
      throw err
    }
  }
}

function ignoreOutcome(): void {}
