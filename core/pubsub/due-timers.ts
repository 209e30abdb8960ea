// Many deadlines on one clock timer: items keyed by the time they are due, in
// a binary min-heap (ties in the order they were set, as separate timers
// would fire), and a single Clock timer at the earliest. The ack tracker has
// one due time per message in flight; a timer per message (setTimeout, its
// closures, its cancel at every ack) was a measurable share of the
// publisher's time per message, and a heap slot costs a few comparisons.
//
// Items carry their own heap position (dueSlot), so removing one (a message
// settled) is O(log n) with no search and no stale entry left behind.
//
// The pen: most items are removed long before they are due (a message is
// acked within a round trip; its first resend waits 200 ms), and taking
// each out of the middle of the heap was the tracker's largest cost per
// message after the fire itself. An item due at least `pen` ms after it is
// set waits in a FIFO instead, in the order it was set, and enters the heap
// only `pen` ms later (before its due time), if it is still queued then.
// Setting and removing a penned item is O(1) with no allocation; the
// heap holds only what has waited that long.
import type { Clock, Timer } from '../transport-contract/index.js'

/**
 * What an item keeps for the queue: when it is due, where it is (a heap
 * slot >= 0; -1: not queued; -2 - k: at index k of the pen's ring),
 * and its tie order.
 */
export interface DueItem {
  dueAt: number
  dueSlot: number
  dueOrder: number
}

const NOT_QUEUED = -1
/** The pen's first size (a power of two, as every later one). */
const MIN_PEN = 64

export class DueTimers<T extends DueItem> {
  readonly #clock: Clock
  readonly #fire: (item: T) => void
  readonly #heap: T[] = []
  #order = 0
  #timer: Timer | undefined
  /** When #timer fires; Infinity when none is armed. */
  #timerAt = Infinity
  /** How long an item waits in the pen before it enters the heap; 0: no pen. */
  readonly #pen: number
  /**
   * The pen, a ring (no allocation per item; it doubles when full): items
   * (undefined once removed) and the clock time each was set, #penCount
   * entries from #penHead on, removed ones included until the head passes them.
   */
  #penItems: Array<T | undefined> = new Array<T | undefined>(MIN_PEN).fill(undefined)
  #penSetAt = new Float64Array(MIN_PEN)
  #penHead = 0
  #penCount = 0
  /** Items in the pen (not removed). */
  #penned = 0

  /**
   * `fire` is called for each item once it is due, the item already out of
   * the queue. `pen`: an item due at least this many ms after it is set
   * waits in the pen first (0: none). Choose it below the usual lead time,
   * as the shortest first resend.
   */
  constructor(clock: Clock, fire: (item: T) => void, pen = 0) {
    this.#clock = clock
    this.#fire = fire
    this.#pen = pen
  }

  /** Items queued. */
  get size(): number {
    return this.#heap.length + this.#penned
  }

  has(item: T): boolean {
    return item.dueSlot !== NOT_QUEUED
  }

  /**
   * Queues `item` to fire at clock time `at` (finite), or moves it there if
   * it is queued already. `now`: the clock's time, when the caller has just
   * read it (one read less).
   */
  set(item: T, at: number, now?: number): void {
    if (item.dueSlot < NOT_QUEUED) this.#unpen(item)
    const earlier = at < item.dueAt
    item.dueAt = at
    item.dueOrder = this.#order++
    if (item.dueSlot === NOT_QUEUED) {
      const setAt = this.#pen > 0 ? now ?? this.#clock.now() : 0
      if (this.#pen > 0 && at - setAt >= this.#pen) this.#penIn(item, setAt)
      else this.#insert(item)
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
    if (slot === NOT_QUEUED) return
    if (slot < NOT_QUEUED) this.#unpen(item)
    else this.#take(slot)
    // A timer armed earlier than the new head is kept (it finds nothing due and re-arms):
    // a settled message then costs no timer churn. With nothing left, no timer may keep the process alive.
    if (this.size === 0) this.#cancel()
  }

  #penIn(item: T, setAt: number): void {
    if (this.#penCount === this.#penItems.length) this.#growPen()
    const index = (this.#penHead + this.#penCount) & (this.#penItems.length - 1)
    this.#penItems[index] = item
    this.#penSetAt[index] = setAt
    item.dueSlot = -2 - index
    this.#penCount++
    this.#penned++
  }

  /** Out of the pen: its entry is cleared (nothing of it is kept alive), skipped when the head reaches it. */
  #unpen(item: T): void {
    this.#penItems[-2 - item.dueSlot] = undefined
    item.dueSlot = NOT_QUEUED
    this.#penned--
  }

  /** Twice the room, the entries in order from index 0 (the items' slots follow them). */
  #growPen(): void {
    const items = this.#penItems, setAt = this.#penSetAt, mask = items.length - 1
    const grown = new Array<T | undefined>(items.length * 2).fill(undefined)
    const grownSetAt = new Float64Array(items.length * 2)
    for (let k = 0; k < this.#penCount; k++) {
      const from = (this.#penHead + k) & mask
      const item = items[from]
      grown[k] = item
      grownSetAt[k] = setAt[from]!
      if (item !== undefined) item.dueSlot = -2 - k
    }
    this.#penItems = grown
    this.#penSetAt = grownSetAt
    this.#penHead = 0
  }

  /** The index of the pen's first live entry, the removed ones before it passed; -1 when it is empty. */
  #penFirst(): number {
    const items = this.#penItems, mask = items.length - 1
    while (this.#penCount > 0 && items[this.#penHead] === undefined) {
      this.#penHead = (this.#penHead + 1) & mask
      this.#penCount--
    }
    return this.#penCount === 0 ? -1 : this.#penHead
  }

  /** Items that have waited `pen` ms enter the heap (each is due no sooner than that). */
  #drainPen(now: number): void {
    for (let i = this.#penFirst(); i >= 0 && this.#penSetAt[i]! + this.#pen <= now; i = this.#penFirst()) {
      const item = this.#penItems[i]!
      this.#penItems[i] = undefined
      this.#penned--
      item.dueSlot = NOT_QUEUED
      this.#insert(item)
    }
  }

  // Fires what is due now, earliest first. Items due at the same time are
  // taken out first, then fired: one that is set again for now or earlier
  // while they fire waits for the next timer instead of looping here.
  #wake(): void {
    this.#timer = undefined
    this.#timerAt = Infinity
    const now = this.#clock.now()
    this.#drainPen(now)
    const due: T[] = []
    while (this.#heap.length > 0 && this.#heap[0]!.dueAt <= now) due.push(this.#take(0))
    let fired = 0
    try {
      for (; fired < due.length; fired++) this.#fire(due[fired]!)
    } finally {
      // A fire that threw: the items after it are still due; they wait for the next timer.
      for (let i = fired + 1; i < due.length; i++) if (due[i]!.dueSlot === NOT_QUEUED) this.#insert(due[i]!)
      this.#arm()
    }
  }

  // The clock timer, at the heap's earliest due time or the pen's first
  // move into the heap, whichever comes first.
  #arm(): void {
    let at = this.#heap[0]?.dueAt ?? Infinity
    if (this.#penned > 0) {
      const first = this.#penFirst()
      if (first >= 0) at = Math.min(at, this.#penSetAt[first]! + this.#pen)
    }
    if (at === Infinity) return this.#cancel()
    if (this.#timer !== undefined && this.#timerAt <= at) return
    this.#cancel()
    this.#timerAt = at
    this.#timer = this.#clock.setTimer(Math.max(0, at - this.#clock.now()), () => this.#wake())
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
    item.dueSlot = NOT_QUEUED
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
