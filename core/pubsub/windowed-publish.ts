// One publish on its way down from the topic's public face: it counts the
// outcomes in the topic's stats, gives its room in the flow window back
// (once) with the receipt or the error, and passes everything on to the
// caller's observer. One object per publish: the observer literal and the
// four closures it replaced were a measurable share of the publisher's
// allocations per message.
import type { FlowWindow } from './flow-window.js'
import type { Outcome, Receipt } from './outcome.js'
import type { PublishObserver } from './message-receipts.js'
import type { TopicStats } from './stats.js'

export class WindowedPublish implements PublishObserver {
  private released = false

  constructor(
    private readonly window: FlowWindow,
    private readonly stats: TopicStats,
    private readonly bytes: number,
    private readonly observer: PublishObserver,
  ) {}

  outcome(o: Outcome): void {
    const outcomes = this.stats.outcomes
    // Nearly every outcome is an ack: a named store, not a keyed one on a dictionary.
    if (o.kind === 'acked') outcomes.acked = (outcomes.acked ?? 0) + 1
    else outcomes[o.kind] = (outcomes[o.kind] ?? 0) + 1
    this.observer.outcome(o)
  }

  receipt(r: Receipt): void {
    this.release()
    this.observer.receipt(r)
  }

  error(err: Error): void {
    this.release()
    this.observer.error(err)
  }

  /** Gives the publish's room back; later calls do nothing. */
  release(): void {
    if (this.released) return
    this.released = true
    this.window.release(this.bytes)
  }
}
