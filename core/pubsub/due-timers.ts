// Many deadlines on one clock timer: items keyed by the time they are due, in
// a binary min-heap (ties in the order they were set, as separate timers
// would fire), and a single Clock timer at the earliest. The ack tracker has
// one due time per message in flight; a timer per message (setTimeout, its
// closures, its cancel at every ack) was a measurable share of the
// publisher's time per message, and a heap slot costs a few comparisons.
//
// Items carry their own heap position (dueSlot), so removing one (a message
// settled) is O(log n) with no search and no stale entry left behind.
import type { Clock, Timer } from '../transport-contract/index.js'

/** What an item keeps for the queue: when it is due, its heap slot (-1: not queued), and its tie order. */
export interface DueItem {
  dueAt: number
  dueSlot: number
  dueOrder: number
}

export class DueTimers<T extends DueItem> {
  readonly #clock: Clock
  readonly #fire: (item: T) => void
  readonly #heap: T[] = []
  #order = 0
  #timer: Timer | undefined
  /** When #timer fires; Infinity when none is armed. */
  #timerAt = Infinity

  /** `fire` is called for each item once it is due, the item already out of the queue. */
  constructor(clock: Clock, fire: (item: T) => void) {
    this.#clock = clock
    this.#fire = fire
  }

  /** Items queued. */
  get size(): number {
    return this.#heap.length
  }

  has(item: T): boolean {
    return item.dueSlot >= 0
  }

  /** Queues `item` to fire at clock time `at` (finite), or moves it there if it is queued already. */
  set(item: T, at: number): void {
    const earlier = at < item.dueAt
    item.dueAt = at
    item.dueOrder = this.#order++
    if (item.dueSlot < 0) {
      this.#insert(item)
    } else if (earlier) {
      this.#up(item.dueSlot)
    } else {
      this.#down(item.dueSlot)
    }
    this.#arm()
  }

  /** Takes `item` out of the queue (nothing if it is not queued). */
  remove(item: T): void {
    const slot = item.dueSlot
    if (slot < 0) return
    this.#take(slot)
    // A timer armed earlier than the new head is kept (it finds nothing due and re-arms):
    // a settled message then costs no timer churn. With nothing left, no timer may keep the process alive.
    if (this.#heap.length === 0) this.#cancel()
  }

  // Fires what is due now, earliest first. Items due at the same time are
  // taken out first, then fired: one that is set again for now or earlier
  // while they fire waits for the next timer instead of looping here.
  #wake(): void {
    this.#timer = undefined
    this.#timerAt = Infinity
    const now = this.#clock.now()
    const due: T[] = []
    while (this.#heap.length > 0 && this.#heap[0]!.dueAt <= now) due.push(this.#take(0))
    let fired = 0
    try {
      for (; fired < due.length; fired++) this.#fire(due[fired]!)
    } finally {
      // A fire that threw: the items after it are still due; they wait for the next timer.
      for (let i = fired + 1; i < due.length; i++) if (due[i]!.dueSlot < 0) this.#insert(due[i]!)
      this.#arm()
    }
  }

  #arm(): void {
    const head = this.#heap[0]
    if (head === undefined) return this.#cancel()
    if (this.#timer !== undefined && this.#timerAt <= head.dueAt) return
    this.#cancel()
    this.#timerAt = head.dueAt
    this.#timer = this.#clock.setTimer(Math.max(0, head.dueAt - this.#clock.now()), () => this.#wake())
  }

  #cancel(): void {
    this.#timer?.cancel()
    this.#timer = undefined
    this.#timerAt = Infinity
  }

  #insert(item: T): void {
    item.dueSlot = this.#heap.length
    this.#heap.push(item)
    this.#up(item.dueSlot)
  }

  #take(slot: number): T {
    const heap = this.#heap
    const item = heap[slot]!
    const last = heap.pop()!
    item.dueSlot = -1
    if (last !== item) {
      heap[slot] = last
      last.dueSlot = slot
      this.#up(slot)
      this.#down(last.dueSlot)
    }
    return item
  }

  #before(a: T, b: T): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.dueOrder < b.dueOrder)
  }

  #up(slot: number): void {
    const heap = this.#heap
    const item = heap[slot]!
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1
      const parent = heap[parentSlot]!
      if (!this.#before(item, parent)) break
      heap[slot] = parent
      parent.dueSlot = slot
      slot = parentSlot
    }
    heap[slot] = item
    item.dueSlot = slot
  }

  #down(slot: number): void {
    const heap = this.#heap
    const item = heap[slot]!
    const n = heap.length
    for (;;) {
      const left = 2 * slot + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && this.#before(heap[right]!, heap[left]!) ? right : left
      if (!this.#before(heap[child]!, item)) break
      heap[slot] = heap[child]!
      heap[slot]!.dueSlot = slot
      slot = child
    }
    heap[slot] = item
    item.dueSlot = slot
  }
}
