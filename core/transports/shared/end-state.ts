// How a connection ended, once: `undefined` for a clean end, the error
// otherwise. The first settlement wins (an end that arrives after a local
// close changes nothing), and whenEnded() answers the same before and after.
export class EndState {
  private endedWith: { err: Error | undefined } | undefined
  private readonly waiters: Array<(err: Error | undefined) => void> = []

  get ended(): boolean {
    return this.endedWith !== undefined
  }

  settle(err: Error | undefined): void {
    if (this.endedWith) return
    this.endedWith = { err }
    for (const w of this.waiters.splice(0)) w(err)
  }

  whenEnded(): Promise<Error | undefined> {
    if (this.endedWith) return Promise.resolve(this.endedWith.err)
    return new Promise(resolve => this.waiters.push(resolve))
  }
}
