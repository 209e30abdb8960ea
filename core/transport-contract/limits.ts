// TIPC's fixed sizes. Every transport keeps them, so a program that works on
// udp or memory does not break on the kernel.
import { InvalidArgumentError, MessageTooLargeError } from './errors.js'

/**
 * The largest message a transport carries (TIPC's limit). The contract may
 * not import the binding, so it states the number itself; the tipc transport's
 * tests pin it to the binding's, which is the kernel header's.
 */
export const MAX_MESSAGE_SIZE = 66000

/** A returned message carries at most this many of the original bytes (TIPC_RETDATA). */
export const RETURNED_DATA_LIMIT = 1024

/** How long connect() waits for an accept by default, in ms (TIPC's own default, TIPC_CONN_TIMEOUT). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 8000

/** Refuse a payload that is not bytes or is over the limit, before anything is sent. */
export function checkMessage(data: unknown, limit = MAX_MESSAGE_SIZE): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('message data must be a Uint8Array or Buffer')
  if (data.byteLength > limit) throw new MessageTooLargeError(data.byteLength, limit)
  return data
}
