// A subscriber for tests: subscribes at once (Observable mode) and keeps what it got.
import type { Delivery } from '../../../core/pubsub/delivery.js'
import type { TopicSubscription } from '../../../core/pubsub/subscription.js'

export interface Collected<T> {
  readonly deliveries: Delivery<T>[]
  readonly values: T[]
  stop(): void
}

export function collect<T>(subscription: TopicSubscription<T>): Collected<T> {
  const deliveries: Delivery<T>[] = []
  const sub = subscription.subscribe(d => deliveries.push(d))
  return {
    deliveries,
    get values() {
      return deliveries.map(d => d.value)
    },
    stop: () => sub.unsubscribe(),
  }
}
