// A progress bar on stderr for a long run on a terminal: drawn in place (\r),
// at most ten times a second, and only once the run has lasted a second, so
// a short run prints nothing and a pipe or --quiet never sees it.
import type { WriteStream } from 'node:tty'

const WIDTH = 30
const SHOW_AFTER_MS = 1000
const REDRAW_MS = 100

export class ProgressBar {
  private done = 0
  private shown = false
  private readonly timer: NodeJS.Timeout
  private readonly startedAt = performance.now()

  /** A bar for `total` units of `label`; draws nothing unless `stream` is a terminal and `enabled`. */
  constructor(private readonly stream: WriteStream, private readonly total: number, private readonly label: string, enabled: boolean) {
    this.timer = setInterval(() => this.draw(), REDRAW_MS)
    if (!enabled || stream.isTTY !== true) clearInterval(this.timer)
    this.timer.unref()
  }

  update(done: number): void {
    this.done = Math.min(done, this.total)
  }

  /** Clears the bar's line, if it was drawn, and stops drawing. */
  finish(): void {
    clearInterval(this.timer)
    if (this.shown) this.stream.write('\r\x1b[2K')
    this.shown = false
  }

  private draw(): void {
    if (performance.now() - this.startedAt < SHOW_AFTER_MS) return
    const fraction = this.total === 0 ? 1 : this.done / this.total
    const filled = Math.round(fraction * WIDTH)
    const bar = '='.repeat(filled) + (filled < WIDTH ? '>' + ' '.repeat(WIDTH - filled - 1) : '')
    this.stream.write(`\r[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${this.done}/${this.total} ${this.label}`)
    this.shown = true
  }
}
