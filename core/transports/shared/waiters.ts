// Promises handed out by writable(): settled all at once when the condition
// they wait for changes (room again, or the socket closed). Waiters are taken
// out before they are settled, so a waiter that waits again is kept for the
// next change rather than settled twice.
export class Waiters {
  private list: Array<{ resolve: () => void; reject: (err: Error) => void }> = []

  wait(): Promise<void> {
    return new Promise((resolve, reject) => this.list.push({ resolve, reject }))
  }

  resolveAll(): void {
    for (const w of this.take()) w.resolve()
  }

  rejectAll(err: Error): void {
    for (const w of this.take()) w.reject(err)
  }

  private take() {
    const list = this.list
    this.list = []
    return list
  }
}
