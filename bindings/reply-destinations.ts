// Replies to the senders of a received batch, addressed straight from the
// batch header: the source {node, ref} the kernel reported is copied into the
// (kind, a, b, c) words the addon's sendBatch takes per message, without a
// `from` object, validation or encodeDestination() per reply. (The kernel
// gave these addresses, so they need no checking; the message choice does.)
import { InvalidArgumentError } from './errors.js'
import type { MessageBatch } from './message.js'
import { AddressKind } from './native.js'

/** InvalidArgumentError unless message i of `batch` has a sender to reply to (RangeError for a bad index). */
export function checkReplyable(batch: MessageBatch, i: number): void {
  if (batch.isReturned(i)) {
    throw new InvalidArgumentError(`message ${i} is one of our own, returned by TIPC: there is no sender to reply to`)
  }
  if (batch.sourceRef(i) === 0) throw new InvalidArgumentError(`message ${i} carries no source address to reply to`)
}

/**
 * Fill `into` (4 words per reply) with the senders of the messages that
 * replies 0..count-1 answer: message `indices[k]` of `batch`, or message k
 * when `indices` is omitted. Returns `into`, or a larger array when it was
 * too short (callers keep the returned one for next time).
 */
export function fillReplyDestinations(
  batch: MessageBatch, count: number, indices: ArrayLike<number> | undefined, into: Uint32Array,
): Uint32Array {
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError(`count must be a non-negative integer, got ${count}`)
  if (indices !== undefined && indices.length < count) {
    throw new InvalidArgumentError(`indices has ${indices.length} entries for ${count} replies`)
  }
  const words = into.length >= count * 4 ? into : new Uint32Array(Math.max(count, 64) * 4)
  for (let k = 0; k < count; k++) {
    const i = indices === undefined ? k : indices[k]!
    checkReplyable(batch, i)
    words[4 * k] = AddressKind.Socket
    words[4 * k + 1] = batch.sourceNode(i)
    words[4 * k + 2] = batch.sourceRef(i)
    words[4 * k + 3] = 0
  }
  return words
}
