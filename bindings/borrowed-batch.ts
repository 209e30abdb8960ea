// A batch of the borrowed receive mode (DatagramSocket.onBorrowedMessages).
// The addon writes every batch of the socket into one region of memory it
// reuses (bindings/src/borrowed_region.h): no allocation, no copy and no
// fresh pages per batch. So the batch and every view taken from it are
// valid ONLY DURING THE CALLBACK. Afterwards the batch object throws
// BatchReleasedError from every accessor, but a Uint8Array taken with
// data(i) cannot be revoked: it silently shows the socket's later messages
// (or 0xDB bytes with the `poison` option). Code that keeps a message copies
// it inside the callback: batch.copy(), or Uint8Array.from(batch.data(i)).
import { MessageBatch } from './message.js'

/**
 * A batch valid only during its callback (DatagramSocket.onBorrowedMessages);
 * afterwards every accessor throws BatchReleasedError. copy() keeps it.
 */
export class BorrowedBatch extends MessageBatch {
  /** `region`: the socket's borrowed region; the header is at its start. */
  constructor(region: ArrayBuffer, count: number) {
    super(region, count, 0)
  }

  /** True until the callback that received this batch returns. */
  get valid(): boolean {
    return !this.released
  }

  /** End the batch's life: the socket calls this when the callback returns. */
  release(): void {
    this.released = true
  }
}
