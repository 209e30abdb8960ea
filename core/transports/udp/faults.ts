// Seeded fault injection on a node's outgoing packets: drop, duplicate,
// reorder (a packet held back and sent after the next one, or after 5 ms).
// Counted in the node's stats, so a test can assert the fault happened.
import { SeededRandom } from '../shared/prng.js'
import type { NodeStats } from './stats.js'

export class FaultInjector {
  private readonly random: SeededRandom
  private readonly plan: { drop: number; duplicate: number; reorder: number }
  private readonly stats: NodeStats
  private held: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(plan: { seed: number; drop: number; duplicate: number; reorder: number }, stats: NodeStats) {
    this.random = new SeededRandom(plan.seed)
    this.plan = plan
    this.stats = stats
  }

  get active(): boolean {
    return this.plan.drop > 0 || this.plan.duplicate > 0 || this.plan.reorder > 0
  }

  /** Pass `send` through the faults. */
  apply(send: () => void): void {
    if (this.random.chance(this.plan.drop)) {
      this.stats.injected.dropped++
      return
    }
    if (!this.held && this.random.chance(this.plan.reorder)) {
      this.stats.injected.reordered++
      this.held = send
      this.timer = setTimeout(() => this.release(), 5)
      this.timer.unref()
      return
    }
    send()
    if (this.random.chance(this.plan.duplicate)) {
      this.stats.injected.duplicated++
      send()
    }
    this.release()
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.held = undefined
  }

  private release(): void {
    const held = this.held
    this.held = undefined
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    held?.()
  }
}
