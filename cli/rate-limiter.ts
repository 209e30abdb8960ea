// `--rate R`: at most R messages a second. Each message has its due time,
// start + n / R, so a late turn of the event loop is caught up on rather than
// lost (a sleep per message would drift below the rate by its own overhead).
import { setTimeout as sleep } from 'node:timers/promises'

export class RateLimiter {
  private started: number | undefined
  private sent = 0

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<unknown> = ms => sleep(ms),
  ) {}

  /** Resolves when the next message may go. */
  async next(): Promise<void> {
    const now = this.now()
    this.started ??= now
    const due = this.started + (this.sent * 1000) / this.perSecond
    this.sent++
    if (due > now) await this.wait(due - now)
  }
}
