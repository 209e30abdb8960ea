// Items handed over in order on the next turn of the event loop, never
// within the caller's own call (as a socket would): a udp node's records to
// itself, its topology events. `handle` decides what a failing item does.
import { NextTurn } from './next-turn.js'

export class TurnQueue<T> {
  private items: T[] = []
  private readonly handle: (item: T) => void
  private readonly turn = new NextTurn(() => this.drain())

  constructor(handle: (item: T) => void) {
    this.handle = handle
  }

  push(item: T): void {
    this.items.push(item)
    this.turn.request()
  }

  /** Forget what waits (the node stopped). */
  clear(): void {
    this.items = []
  }

  private drain(): void {
    const items = this.items
    this.items = []
    for (const item of items) this.handle(item)
  }
}
