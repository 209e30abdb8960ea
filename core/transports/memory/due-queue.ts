// The memory network's queue of things to run at a tick: a binary min-heap
// ordered by (due tick, order of scheduling), so equal ticks keep their
// order and a long timer (an ack deadline seconds ahead) costs O(log n) for
// every packet scheduled after it, not a walk past it. Cancelled items stay
// in the heap until they reach the top (or are swept when they outnumber the
// live ones); they never run and never count as work.

export interface DueItem {
  readonly due: number
  readonly seq: number
  readonly run: () => void
  /** Set by cancel(): it will not run. */
  cancelled: boolean
  /** Whether it is in the heap (false once popped or swept). */
  queued: boolean
}

export class DueQueue {
  private heap: DueItem[] = []
  private cancelledCount = 0

  /** Items that will still run. */
  get size(): number {
    return this.heap.length - this.cancelledCount
  }

  push(item: DueItem): void {
    item.queued = true
    this.heap.push(item)
    this.up(this.heap.length - 1)
  }

  /** Mark an item of this queue cancelled (idempotent; harmless once it ran). */
  cancel(item: DueItem): void {
    if (item.cancelled) return
    item.cancelled = true
    // One that already ran is no longer in the heap: only those still in it are counted.
    if (!item.queued) return
    this.cancelledCount++
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.heap.length) this.sweep()
  }

  /** The earliest live item's due tick, if any. */
  peekDue(): number | undefined {
    this.dropCancelledTop()
    return this.heap[0]?.due
  }

  /** Remove and return the earliest live item if it is due at or before `tick`. */
  popDue(tick: number): DueItem | undefined {
    this.dropCancelledTop()
    const top = this.heap[0]
    if (top === undefined || top.due > tick) return undefined
    this.removeTop()
    return top
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) {
      this.removeTop()
      this.cancelledCount--
    }
  }

  private removeTop(): void {
    this.heap[0]!.queued = false
    const last = this.heap.pop()!
    if (this.heap.length > 0) {
      this.heap[0] = last
      this.down(0)
    }
  }

  /** Rebuild without the cancelled items (they had piled up behind live ones). */
  private sweep(): void {
    this.heap = this.heap.filter(item => {
      if (item.cancelled) item.queued = false
      return !item.cancelled
    })
    this.cancelledCount = 0
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i)
  }

  private up(i: number): void {
    const heap = this.heap
    const item = heap[i]!
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(item, heap[parent]!)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = item
  }

  private down(i: number): void {
    const heap = this.heap
    const item = heap[i]!
    for (;;) {
      let child = 2 * i + 1
      if (child >= heap.length) break
      if (child + 1 < heap.length && before(heap[child + 1]!, heap[child]!)) child++
      if (!before(heap[child]!, item)) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = item
  }
}

function before(a: DueItem, b: DueItem): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq)
}
