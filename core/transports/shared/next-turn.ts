// A callback run on the next turn of the event loop (setImmediate), once
// however often it is asked for before then. The udp node flushes its
// endpoints, delivers records to itself and emits topology events this way.
export class NextTurn {
  private asked = false
  private readonly run: () => void

  constructor(run: () => void) {
    this.run = run
  }

  request(): void {
    if (this.asked) return
    this.asked = true
    setImmediate(this.fire)
  }

  // Cleared before the run: what the run asks for goes to the turn after.
  private readonly fire = (): void => {
    this.asked = false
    this.run()
  }
}
