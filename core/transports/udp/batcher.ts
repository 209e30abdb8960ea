// The batching wait: messages queued on a link wait a moment so that more of
// them share a packet. Node has no microsecond timers: a wait under 1 ms
// means "at the end of this turn of the event loop" (setImmediate), so
// everything sent in one synchronous burst is packed together; 1 ms or more
// uses a timer. A full packet's worth does not wait (the link flushes it).
export class Batcher {
  private readonly delayUs: number
  private readonly flush: () => void
  private immediate: NodeJS.Immediate | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(delayUs: number, flush: () => void) {
    this.delayUs = delayUs
    this.flush = flush
  }

  get scheduled(): boolean {
    return this.immediate !== undefined || this.timer !== undefined
  }

  /** Flush after the batching wait, unless a flush is already due. */
  schedule(): void {
    if (this.scheduled) return
    if (this.delayUs < 1000) {
      this.immediate = setImmediate(this.run)
    } else {
      this.timer = setTimeout(this.run, Math.round(this.delayUs / 1000))
      this.timer.unref()
    }
  }

  cancel(): void {
    if (this.immediate) clearImmediate(this.immediate)
    if (this.timer) clearTimeout(this.timer)
    this.immediate = undefined
    this.timer = undefined
  }

  private readonly run = (): void => {
    this.immediate = undefined
    this.timer = undefined
    this.flush()
  }
}
