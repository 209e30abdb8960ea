// Where encoded envelopes get their bytes: slices of a shared slab, as
// Buffer.allocUnsafe's pool does, but zero-filled and never reused. A
// Uint8Array of its own for each envelope (a data copy is 100-200 bytes)
// allocates an off-heap backing store that the garbage collector tracks
// and frees one by one: a third of the encoder's cost in a profile. A
// slice costs one small heap object.
//
// A slab is never written again once full: a slice handed out stays the
// envelope's alone for as long as anyone holds it (every transport copies
// or sends the bytes; a slice held longer keeps its slab alive, at most
// SLAB_BYTES). Zero-filled: a byte the encoder skips can never carry
// another message's data.

/** The slab size: small enough that one long-held slice keeps little alive. */
export const SLAB_BYTES = 16 * 1024
/** Envelopes larger than this get an array of their own (most of a slab would go to one). */
export const MAX_SLAB_SLICE = 2 * 1024

let slab = new Uint8Array(SLAB_BYTES)
let used = 0

/** `length` zero bytes for one encoded envelope, its own for as long as it is held. */
export function envelopeBytes(length: number): Uint8Array {
  if (length > MAX_SLAB_SLICE) return new Uint8Array(length)
  if (used + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES)
    used = 0
  }
  const bytes = slab.subarray(used, used + length)
  // 8-byte aligned: the next envelope's DataView writes start on a word.
  used += (length + 7) & ~7
  return bytes
}
