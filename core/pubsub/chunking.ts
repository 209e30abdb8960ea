// The publisher's half of chunking: a payload larger than one message is cut
// into pieces, each sent as its own chunk message (its own seq of the stream,
// so in-order delivery, acks and resends apply to chunks unchanged). The
// receiver's half is reassembly.ts.
//
// The envelope's size is not known here (it grows with the key and the list of
// receivers), so the caller says how many payload bytes fit beside it: the
// room of the first chunk and of every later one (66000 minus that chunk's
// envelope).
import { InvalidArgumentError, MessageTooLargeError } from '../transport-contract/index.js'

/** The largest payload a topic accepts by default (16 MiB): `maxMessageBytes`. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024

/**
 * Refuses, before anything is sent, a payload above the topic's
 * `maxMessageBytes`: MessageTooLargeError with the size and the limit.
 */
export function checkPayloadSize(size: number, maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES): void {
  if (size > maxMessageBytes) throw new MessageTooLargeError(size, maxMessageBytes)
}

/**
 * How many messages `splitPayload` makes of `length` bytes: 1 when it fits the
 * first room (no chunking), else the number of chunks (at least 2). Lets a
 * publisher reserve that many seqs before cutting anything.
 */
export function chunkCount(length: number, firstChunkRoom: number, chunkRoom: number): number {
  checkRoom('firstChunkRoom', firstChunkRoom)
  checkRoom('chunkRoom', chunkRoom)
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(`payload length must be a non-negative integer, got ${String(length)}`)
  }
  if (length <= firstChunkRoom) return 1
  return 1 + Math.ceil((length - firstChunkRoom) / chunkRoom)
}

/**
 * Cuts `payload` into pieces: the first of at most `firstChunkRoom` bytes, the
 * others of at most `chunkRoom` bytes, only the last one short. The pieces are
 * views of `payload` (subarray, no copy): it must not change until they are
 * sent. One piece (the payload itself) means it fits in one message and is
 * sent unchunked; every piece of a longer payload is non-empty, which is what
 * the reassembler expects of a chunk.
 */
export function splitPayload(payload: Uint8Array, firstChunkRoom: number, chunkRoom: number): Uint8Array[] {
  const count = chunkCount(payload.byteLength, firstChunkRoom, chunkRoom)
  if (count === 1) return [payload]
  const pieces: Uint8Array[] = [payload.subarray(0, firstChunkRoom)]
  for (let start = firstChunkRoom; start < payload.byteLength; start += chunkRoom) {
    pieces.push(payload.subarray(start, Math.min(start + chunkRoom, payload.byteLength)))
  }
  return pieces
}

function checkRoom(what: string, room: number): void {
  if (!Number.isSafeInteger(room) || room < 1) {
    throw new InvalidArgumentError(`${what} must be a positive integer (bytes beside the envelope), got ${String(room)}`)
  }
}
