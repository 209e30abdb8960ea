// RDM sockets whose send was refused because a link was full, by the link
// they wait for. The router notes a refusal here; the carrier says when a
// link drained; writable() asks here whether its socket may send again. The
// carrier's `full` answers for a link: the memory network's in-flight
// count, a udp link's window. Links are named by their far node (a node's
// own traffic never congests).
export interface BlockedSender {
  /** Its link has room again: settle the writable() promises. */
  unblocked(): void
}

export class BlockedSenders<S extends BlockedSender> {
  private readonly waiting = new Map<S, number>()
  private readonly full: (node: number) => boolean

  constructor(full: (node: number) => boolean) {
    this.full = full
  }

  /** `sender`'s send was refused: the link to `node` is full. */
  block(sender: S, node: number): void {
    this.waiting.set(sender, node)
  }

  /** Whether `sender` still waits for a full link (writable()). */
  isBlocked(sender: S): boolean {
    const node = this.waiting.get(sender)
    if (node === undefined) return false
    if (this.full(node)) return true
    this.waiting.delete(sender)
    return false
  }

  /** The link to `node` has room (or is gone): its senders may send again. */
  drained(node: number): void {
    for (const [sender, waitsFor] of this.waiting) {
      if (waitsFor !== node || this.full(node)) continue
      this.waiting.delete(sender)
      sender.unblocked()
    }
  }

  /** `sender` closed. */
  forget(sender: S): void {
    this.waiting.delete(sender)
  }

  /** Every sender of a node that is gone. */
  clear(): void {
    this.waiting.clear()
  }
}
