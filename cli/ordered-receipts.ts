// Publish results reported as they settle, in message order: a receipt that
// settles before an earlier one waits for it, and each is reported the
// moment everything before it is. Bounded: `room()` waits until fewer than
// the window's messages are unreported, which is what makes publish stop
// reading its input while subscribers are slow.
import type { PublishResult } from './receipt-format.js'

interface Entry { result: PublishResult | undefined }

export class OrderedReceipts {
  private readonly queue: Entry[] = []
  private head = 0
  private wakeRoom: (() => void) | undefined
  private wakeDrained: (() => void) | undefined

  constructor(private readonly window: number, private readonly report: (r: PublishResult) => void) {}

  /** Tracks one message's result; it is reported in its turn. */
  add(result: Promise<PublishResult>): void {
    const entry: Entry = { result: undefined }
    this.queue.push(entry)
    void result.then(r => {
      entry.result = r
      this.flush()
    })
  }

  get pending(): number {
    return this.queue.length - this.head
  }

  /** Resolves once fewer than `window` messages are unreported. */
  async room(): Promise<void> {
    while (this.pending >= this.window) await new Promise<void>(resolve => { this.wakeRoom = resolve })
  }

  /** Resolves once every message added so far is reported. */
  async drained(): Promise<void> {
    while (this.pending > 0) await new Promise<void>(resolve => { this.wakeDrained = resolve })
  }

  private flush(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.result !== undefined) {
      this.report(this.queue[this.head]!.result!)
      this.queue[this.head] = { result: undefined }
      this.head++
    }
    // Reported entries are dropped in bulk, not one shift() per message.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    const room = this.wakeRoom
    const drained = this.wakeDrained
    if (room !== undefined && this.pending < this.window) {
      this.wakeRoom = undefined
      room()
    }
    if (drained !== undefined && this.pending === 0) {
      this.wakeDrained = undefined
      drained()
    }
  }
}
