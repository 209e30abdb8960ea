// Piping an Observable into a topic: each value is published as it comes,
// with at most `window` messages awaiting their receipts; the operator emits
// the receipts in order. An Observable pushes, so values that arrive while
// the window is full wait inside the operator (RxJS's concatMap/mergeMap
// buffer): for a source that can be paused, use Topic.publishAll with an
// async iterable, which pulls.
import { from, mergeMap, type OperatorFunction } from 'rxjs'
import type { Receipt } from './outcome.js'
import type { PublishOptions, Topic } from './topic.js'

export interface PublishToOptions extends PublishOptions {
  /** Messages in flight at once (default 64). */
  window?: number
}

export function publishTo<T>(topic: Topic<T>, options: PublishToOptions = {}): OperatorFunction<T, Receipt> {
  const { window = 64, ...publish } = options
  return mergeMap((value: T) => from(topic.publish(value, publish)), window)
}
