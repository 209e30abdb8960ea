// What a server's handler may give back, and how it becomes replies. A
// plain value or a Promise is one reply. An Observable: for request, its
// first value is the reply (nats answers a request once; the rest of the
// Observable is not run: it is unsubscribed); for requestMany, every value
// is a reply, in order, sent as it comes. SENTINEL (as the value, or a value
// of the Observable) is the empty reply that ends a 'sentinel' requestMany.
import { isObservable, type Observable } from 'rxjs'
import { NoReplyError } from './errors.js'

/** The reply that ends a requestMany under the 'sentinel' strategy: a handler returns or emits it. */
export const SENTINEL: unique symbol = Symbol('tipc-rx reply sentinel')
/** The type of SENTINEL. */
export type Sentinel = typeof SENTINEL

/** What a handler may answer with: a value, a Promise of one, an Observable of them, or SENTINEL. */
export type HandlerResult<Rep> = Rep | Sentinel | PromiseLike<Rep | Sentinel> | Observable<Rep | Sentinel>

/** Where the replies of one run of the handler go. */
export interface ReplySink<Rep> {
  value(value: Rep | Sentinel): void
  /** The handler failed (threw, rejected, errored), or gave no value where one was needed. */
  fail(err: unknown): void
  /** Every reply was given. */
  end(): void
}

/** Run the result into `sink`; `many`: every value of an Observable, else the first. Returns a way to stop it. */
export function consumeResult<Rep>(result: HandlerResult<Rep>, many: boolean, sink: ReplySink<Rep>): () => void {
  if (isObservable(result)) {
    let gotOne = false
    const subscription = result.subscribe({
      next: v => {
        if (!many && gotOne) return
        gotOne = true
        sink.value(v)
        if (!many) {
          sink.end()
          queueMicrotask(() => subscription.unsubscribe())
        }
      },
      error: err => {
        if (many || !gotOne) sink.fail(err)
      },
      complete: () => {
        if (many) sink.end()
        else if (!gotOne) sink.fail(new NoReplyError())
      },
    })
    if (!many && gotOne) subscription.unsubscribe()
    return () => subscription.unsubscribe()
  }
  if (isThenable(result)) {
    let stopped = false
    result.then(
      v => {
        if (stopped) return
        sink.value(v)
        sink.end()
      },
      (err: unknown) => {
        if (!stopped) sink.fail(err)
      },
    )
    return () => { stopped = true }
  }
  sink.value(result)
  sink.end()
  return () => {}
}

function isThenable<T>(x: unknown): x is PromiseLike<T> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function'
}
