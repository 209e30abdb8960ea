// A subscription as a program consumes it, in exactly one of three modes:
// an RxJS Observable (bind on subscribe, unbind on unsubscribe), an async
// iterable (`for await`: the next message waits until the loop asks for it,
// so a slow loop fills the buffer and, with 'block', pauses the socket), or a
// callback (consume(): the next message waits for the callback's promise).
// Mixing modes is a programming error and throws at once, loudly.
import { Observable, Subject, type Observer, type Subscription } from 'rxjs'
import type { Delivery } from './delivery.js'
import type { DeliveryFailure, Gap, SubscriberSink } from './decode-stage.js'
import { SubscriptionModeError } from './errors.js'
import type { SubscribeOptions } from './subscribe-options.js'
import type { ReceiveBufferStats, TopicSubscriber } from './subscriber.js'
import type { TopicRuntime } from './topic-runtime.js'

type Mode = 'observable' | 'iterator' | 'callback'

export class TopicSubscription<T> extends Observable<Delivery<T>> implements AsyncIterable<Delivery<T>> {
  /** Messages that could not be delivered as values (bad envelope, collision, undecodable bytes): the stream goes on. */
  readonly failures$ = new Subject<DeliveryFailure>()
  /** Holes this subscription will not fill, with their reason. */
  readonly gaps$ = new Subject<Gap>()
  private mode: Mode | undefined
  private active: TopicSubscriber | undefined
  /** The latest subscriber, bound or not: its buffer's counters outlive the binding. */
  private latest: TopicSubscriber | undefined

  /** @internal */
  constructor(private readonly runtime: TopicRuntime, private readonly options: SubscribeOptions) {
    super(subscriber => {
      this.claim('observable')
      const s = this.open({
        next: d => subscriber.next(d as Delivery<T>),
        error: err => subscriber.error(err),
      })
      return () => this.release(s)
    })
  }

  /**
   * Claims the Observable mode before RxJS runs the subscribe function: an
   * error thrown inside it would go to the observer's error callback (or, with
   * none, be rethrown later from a timer), not to the caller that mixed modes.
   */
  override subscribe(observerOrNext?: Partial<Observer<Delivery<T>>> | ((value: Delivery<T>) => void) | null): Subscription {
    this.claim('observable')
    return super.subscribe(observerOrNext ?? undefined)
  }

  /** True while bound (between subscribe and unsubscribe, or during iteration / consume). */
  get bound(): boolean {
    return this.active !== undefined
  }

  [Symbol.asyncIterator](): AsyncIterator<Delivery<T>> {
    this.claim('iterator')
    // One message at a time: it waits in `slot` until the loop asks for it, and the
    // loop asking for the next one is what says the previous one was processed.
    let slot: { d: Delivery<T>; done: () => void; handed: boolean } | undefined
    let waiter: { resolve: (r: IteratorResult<Delivery<T>>) => void; reject: (e: unknown) => void } | undefined
    let failure: Error | undefined
    let finished = false
    const end = (): IteratorResult<Delivery<T>> => ({ value: undefined, done: true })
    const s = this.open({
      next: d => new Promise<void>(done => {
        slot = { d: d as Delivery<T>, done, handed: false }
        if (waiter !== undefined) {
          const w = waiter
          waiter = undefined
          slot.handed = true
          w.resolve({ value: slot.d, done: false })
        }
      }),
      error: err => {
        failure = err
        waiter?.reject(err)
        waiter = undefined
      },
    })
    this.onRelease = () => {
      finished = true
      waiter?.resolve(end())
      waiter = undefined
    }
    return {
      next: () => {
        if (slot?.handed === true) {
          const processed = slot
          slot = undefined
          processed.done()
        }
        if (failure !== undefined) return Promise.reject(failure)
        if (finished) return Promise.resolve(end())
        if (slot !== undefined) {
          slot.handed = true
          return Promise.resolve({ value: slot.d, done: false })
        }
        return new Promise((resolve, reject) => { waiter = { resolve, reject } })
      },
      return: () => {
        this.release(s)
        return Promise.resolve(end())
      },
    }
  }

  /**
   * Consume with a callback until close(): a returned promise holds the next
   * message back until it settles (auto mode acks then). Resolves when the
   * subscription is closed; rejects if it fails.
   */
  consume(handler: (d: Delivery<T>) => void | Promise<void>): Promise<void> {
    this.claim('callback')
    return new Promise((resolve, reject) => {
      this.closeHook = resolve
      this.open({
        next: d => handler(d as Delivery<T>),
        error: err => reject(err),
      })
    })
  }

  /**
   * The receive buffer of the current binding (or the last one, once
   * unbound): how full it is and was (highWater), how often 'block' paused
   * the socket, what was dropped. Undefined before the first binding.
   */
  bufferStats(): ReceiveBufferStats | undefined {
    return this.latest?.buffered
  }

  /** Unbind (whatever the mode): the iterator ends, consume() resolves. */
  close(): void {
    if (this.active !== undefined) this.release(this.active)
  }

  private closeHook: (() => void) | undefined

  private claim(mode: Mode): void {
    if (this.mode !== undefined && (this.mode !== mode || this.active !== undefined)) {
      throw new SubscriptionModeError(this.mode, mode, this.active !== undefined)
    }
    this.mode = mode
  }

  private open(out: { next: (d: Delivery<unknown>) => void | Promise<void>; error: (err: Error) => void }): TopicSubscriber {
    const sink: SubscriberSink = {
      next: out.next,
      // A subscription that failed is over, whatever the mode: unbound (consume() and the iterator would not release it).
      error: err => {
        out.error(err)
        this.release(s)
      },
      failure: f => this.failures$.next(f),
      gap: g => this.gaps$.next(g),
    }
    const s: TopicSubscriber = this.runtime.subscribe(this.options, sink)
    this.active = s
    this.latest = s
    this.options.signal?.addEventListener('abort', () => this.release(s), { once: true })
    return s
  }

  private release(s: TopicSubscriber): void {
    s.close()
    if (this.active === s) this.active = undefined
    const hook = this.closeHook
    this.closeHook = undefined
    hook?.()
    const onRelease = this.onRelease
    this.onRelease = undefined
    onRelease?.()
  }

  private onRelease: (() => void) | undefined
}
