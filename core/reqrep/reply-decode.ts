// A reply's payload through the caller's reply codec: its value, or the
// failure that ends the request (a codec's own typed error, else an Error),
// counted as a bad message. One place for request and requestMany alike.
import { isCodecError, type Codec } from '../../codecs/index.js'
import type { RequesterStats } from './stats.js'

export type DecodedReply<Rep> = { value: Rep; error?: undefined } | { error: Error }

export function decodeReply<Rep>(codec: Codec<unknown>, bytes: Uint8Array, codecId: Uint8Array, counters: RequesterStats): DecodedReply<Rep> {
  try {
    return { value: codec.decode(bytes, codecId) as Rep }
  } catch (err) {
    counters.badMessages++
    return { error: isCodecError(err) ? err : new Error(String(err)) }
  }
}
